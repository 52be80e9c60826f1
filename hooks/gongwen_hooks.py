"""MkDocs adapter for gongwen: check, number and list materials. Logic lives in gongwen/."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation, Section
from mkdocs.utils import get_relative_url

from gongwen.numbering import number_source
from gongwen.read.markdown import flatten_deep
from gongwen.read.source import SourceText, split_front_matter
from gongwen.rules.docs import rules_page_markdown
from gongwen.secrecy import HINT as SECRET_HINT
from gongwen.site import (
    Catalogue,
    catalogue_for,
    listing_html,
    listing_row,
    mark_blocks,
    panel_html,
    published,
)

log = logging.getLogger("mkdocs.plugins.gongwen")
LISTING_MARK = "<!-- gongwen:materials -->"
RULES_PAGE = "rules.md"

_state: dict = {"serving": False, "dirty": False, "catalogue": None, "navs": {}, "marked": {}}


def on_startup(*, command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"
    _state["dirty"] = dirty
    if _state["serving"]:
        _quiet_dirty_warning()


@event_priority(100)  # before Material's search plugin asks the theme for its templates
def on_config(config):
    _state["catalogue"] = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
    # Parse+check results on disk beside mkdocs.yml (`make clean` removes them): the next build
    # or preview re-parses only the materials whose files changed.
    _state["catalogue"].cache_dir = Path(config.config_file_path or ".").resolve().parent / ".cache" / "catalogue"
    if _state["serving"]:
        _reuse_template_env(config)
        _walk_only_the_preview()
    return config


def on_files(files, *, config):
    cat: Catalogue = _state["catalogue"]
    entries = cat.scan()
    _state["withheld"] = set()
    if cat.secrets:
        files = _classified_gate(files, config, cat)
    entries = [e for e in entries if not e.classified]
    docs = Path(config.docs_dir).resolve()
    # A publish leaves drafts out (unless DRAFTS=1): they neither fail it nor appear in the listing.
    if os.environ.get("GONGWEN_PUBLISH") == "1":
        entries = published(entries, drafts=os.environ.get("GONGWEN_DRAFTS") == "1")
    _state["shown"] = entries
    files.append(File.generated(config, RULES_PAGE, content=rules_page_markdown()))
    _state["files"] = files
    if _previewing():
        _focus(files, cat, config)
    _log_findings(entries, cat, docs)
    if _state["dirty"] and cat.changed:
        _rebuild_dependents(files, cat)
    return files


def _log_findings(entries, cat: Catalogue, docs: Path) -> None:
    """Warnings and errors in the terminal (a strict build fails on them). The preview prints
    those of the materials it renders that changed since its last rebuild: at 1000 materials,
    every finding of every material on every rebuild would be thousands of lines each time."""
    if _state["serving"]:
        focus = _state.get("focus")
        entries = [e for e in entries if e.rel in cat.changed and (focus is None or e.rel in focus)]
    for e in entries:
        for d in e.diagnostics:
            rel = _rel(d.path, docs)
            text = f"{rel}:{d.line}:{d.column}: {d.rule} {d.message}"
            if d.severity == "error":
                log.error(text)
            elif d.severity == "warning":
                log.warning(text)
            else:
                log.debug(text)


def _classified_gate(files, config, cat: Catalogue):
    """security.classified has no suppression: a build (and so a publish or an offline bundle)
    stops. The preview goes on without those pages: each is replaced by a notice, so what is
    secret is never rendered, and the error stays in the terminal and on the page."""
    docs = Path(config.docs_dir).resolve()
    lines = [f"security.classified {_rel(m.path, docs)}:{m.line}：{m.message()}（{SECRET_HINT}）" for m in cat.secrets]
    if not _state["serving"]:
        raise PluginError("\n".join(["涉密内容不得构建到网站，构建已停止："] + lines))
    for line in lines:
        log.error(line)
    secret_files = {str(Path(m.path).resolve()) for m in cat.secrets}
    secret_rels = {e.rel for e in cat.entries.values() if e.classified}
    for f in list(files):
        src = f.abs_src_path and str(Path(f.abs_src_path).resolve())
        if not src or not (src in secret_files or cat.material_of(src) in secret_rels):
            continue
        files.remove(f)
        if f.is_documentation_page():
            notice = "\n\n".join(["# 涉密内容，不予显示", "本页所在的文件或材料标有国家秘密的密级，预览不显示其内容，网站构建和发布会停止：",
                                   *(f"- `{line}`" for line in lines), SECRET_HINT + "。"])
            files.append(File.generated(config, f.src_uri, content=notice))
            _state["withheld"].add(f.src_uri)
    return files


def _rebuild_dependents(files, cat: Catalogue) -> None:
    # A dirty rebuild only re-renders edited files, but numbering runs across a material's
    # files and the home page lists every material: rebuild those too.
    for f in files.documentation_pages():
        entry = cat.entry_for(f.abs_src_path) if f.abs_src_path else None
        if (entry and entry.rel in cat.changed) or f.src_uri == "index.md":
            f.is_modified = lambda: True


def on_nav(nav, *, config, files):
    # Each material page shows only its own material in the sidebar, so page size does
    # not grow with the number of materials (the home page lists them all).
    cat: Catalogue = _state["catalogue"]
    material_of = {id(item): _section_folder(item, cat) for item in nav.items if isinstance(item, Section)}
    withheld = _state.get("withheld") or set()
    top = [item for item in nav.items if not material_of.get(id(item)) and not _only_withheld(item, withheld)]
    pages_of: dict[str, list] = {}
    top_pages = []
    for page in nav.pages:  # one pass: group pages by the material they belong to
        entry = cat.entry_for(page.file.abs_src_path) if page.file.abs_src_path else None
        (pages_of.setdefault(entry.rel, []) if entry else top_pages).append(page)
    for item in nav.items:
        rel = material_of.get(id(item))
        if rel and cat.entries[rel].material and cat.entries[rel].material.title:
            item.title = cat.entries[rel].material.title  # not the folder name
    home = [i for i in top if getattr(i, "is_homepage", False)]
    home_pages = [p for p in top_pages if p.is_homepage]
    _state["navs"] = {rel: Navigation(home + [item], home_pages + pages_of.get(rel, []))
                      for item in nav.items if (rel := material_of.get(id(item)))}
    _state["top_nav"] = Navigation(top, top_pages)
    return nav


def on_page_markdown(markdown, *, page, config, files):
    cat: Catalogue = _state["catalogue"]
    src = page.file.abs_src_path
    entry = cat.entry_for(src) if src else None
    # A page the page cache restores (page_cache_hooks.py) is not rendered from its Markdown.
    if not entry or not entry.material or getattr(page, "gongwen_reused", False):
        return markdown
    full = Path(src).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    slugify = _slugify(config)
    numbered = number_source(full, str(Path(src)), entry.material, slugify, entry.schema)
    fm = split_front_matter(SourceText(src, numbered))
    # Lines nested past the budget (a finding of the reader) are rendered as plain text: the
    # renderer would recurse into them and take the build down.
    markdown = "\n".join(flatten_deep(numbered.split("\n")[fm.end_line:]))
    if _state["serving"]:  # the paragraphs the panel's findings point at
        diags = entry.diagnostics_for(str(Path(src))) or entry.diagnostics_for(src)
        markdown, _state["marked"][page.file.src_uri] = mark_blocks(markdown, diags, fm.end_line + 1)
    return markdown


@event_priority(60)  # the panel goes in before search_hooks (50) reads the page (it is marked
# data-search-exclude), so the search index has the same text in the preview as in a build
def on_page_content(html, *, page, config, files):
    if not _state["serving"]:
        return html
    cat: Catalogue = _state["catalogue"]
    src = page.file.abs_src_path
    entry = cat.entry_for(src) if src else None
    if not entry:
        return html
    diags = entry.diagnostics_for(str(Path(src))) or entry.diagnostics_for(src)
    return panel_html(diags, page.file.src_uri, _state["marked"].get(page.file.src_uri)) + html


def on_post_page(output, *, page, config):
    if LISTING_MARK not in output:
        return output
    # The listing goes in last, as HTML: Python-Markdown's raw-HTML parsing and the search
    # text extraction of a 1000-row table took most of a preview rebuild. (The mark passes
    # through Markdown as an HTML comment. The home page's search entry is its own text; each
    # material is found by its own pages.)
    files = _state["files"]

    def url_for(entry) -> str:
        f = None if _outside_note(entry) else files.get_file_from_path(f"{entry.rel}/index.md")
        # A material not rendered in this preview: the URL it will have (the dev server's
        # 404 page then says how to include it).
        url = f.url if f else entry.rel + ("/" if config.use_directory_urls else "/index.html")
        return get_relative_url(url, page.file.url)

    rows = _state.setdefault("rows", {})

    def row(entry, url, note) -> str:
        # Entries are replaced when a material changes: the same object, URL and note mean the
        # same row (the cache holds the entry, so its id is not reused).
        key = (id(entry), url, note)
        if rows.get(entry.rel, (None,))[0] != key:
            rows[entry.rel] = (key, listing_row(entry, url, note), entry)
        return rows[entry.rel][1]

    return output.replace(LISTING_MARK, listing_html(_state["shown"], url_for, _outside_note, row), 1)


def on_env(env, *, config, files):
    # A dirty rebuild (the preview) reads only the pages it rebuilds; the others have no title
    # yet, and the navigation of a rebuilt page would name them "None". They keep the title
    # they had when last read (their own page is not rewritten, so it is still that one).
    titles = _state.setdefault("page_titles", {})
    for f in files.documentation_pages():
        page = f.page
        if page is None:
            continue
        if page.markdown is not None:
            titles[f.src_uri] = page.title
        elif f.src_uri in titles:
            page.title = titles[f.src_uri]
    return env


def on_page_context(context, *, page, config, nav):
    cat: Catalogue = _state["catalogue"]
    src = page.file.abs_src_path
    entry = cat.entry_for(src) if src else None
    context["nav"] = _state["navs"].get(entry.rel) if entry else _state.get("top_nav", nav)
    context["nav"] = context["nav"] or nav
    return context


def on_template_context(context, *, template_name, config):
    # 404.html has no page: give it the small top-level nav too, not every material.
    if template_name == "404.html" and _state.get("top_nav"):
        context["nav"] = _state["top_nav"]
    return context


def _only_withheld(item, withheld: set) -> bool:
    """A nav item whose pages are all notices standing in for classified files: not listed."""
    if isinstance(item, Section):
        return bool(item.children) and all(_only_withheld(c, withheld) for c in item.children)
    return getattr(getattr(item, "file", None), "src_uri", None) in withheld


def _rel(path: str, docs: Path) -> str:
    # As the path lies under docs/ (a folder linked into docs/ is named by its link), else
    # as it resolves.
    for base in (Path(os.path.abspath(path)), Path(path).resolve()):
        try:
            return base.relative_to(docs).as_posix()
        except ValueError:
            continue
    return path


def _section_folder(section, cat: Catalogue) -> str | None:
    for child in section.children:
        f = getattr(child, "file", None)
        if f is not None and f.abs_src_path:
            entry = cat.entry_for(f.abs_src_path)
            if entry:
                return entry.rel
    return None


def _slugify(config):
    toc = config.mdx_configs.get("toc", {})
    fn = toc.get("slugify")
    if fn is None:
        from markdown.extensions.toc import slugify as fn
    return lambda text: fn(text, "-")


# --- focused preview (`make serve`) -----------------------------------------------------------
# The preview renders only the materials being worked on: those with uncommitted changes in
# git, those named with M=docs/<材料> (GONGWEN_PREVIEW), every material with ALL=1
# (GONGWEN_PREVIEW_ALL=1); with none of these, all of a small site and the most recently
# edited material of a large one. A material edited during the session joins on the next
# rebuild. Other hooks' generated pages are kept: only the Markdown files of materials outside
# the set are left out. The catalogue still holds every material, so the home page and the
# material list show them all.

SMALL_SITE = 100  # materials: up to this many, a preview with nothing changed shows them all
HOW_TO = ("修改其中任一材料的文件即在下次刷新时加入预览；也可用 make serve M=docs/<材料> 指定"
          "（多份用空格分隔并加引号），或 make serve ALL=1 预览全部")
DIRTY_WARNING = "A 'dirty' build is being performed"


def _previewing() -> bool:
    return _state["serving"] and os.environ.get("GONGWEN_PUBLISH") != "1"


def _focus(files, cat: Catalogue, config) -> None:
    focus = _state.get("focus")
    if "focus" not in _state:
        focus = _state["focus"] = _initial_focus(cat, config)
    elif focus is not None:
        # Never a classified material: the gate above only replaced the files the engine listed,
        # and the walk skipped this one's.
        joined = sorted(rel for rel in cat.changed
                        if rel in cat.entries and rel not in focus and not cat.entries[rel].classified)
        if joined:
            focus.update(joined)
            _add_files(files, config, [cat.entries[rel].folder for rel in joined])
            log.info(f"预览范围：加入 {'、'.join(joined)}（刚修改），现共 {len(focus)} 份材料")
    if focus is None:
        _state["skip_dirs"] = frozenset()
        return
    docs = os.path.normpath(config.docs_dir)
    _state["skip_dirs"] = frozenset(os.path.join(docs, *rel.split("/")) for rel in cat.entries if rel not in focus)
    # For the preview's 404 page (overrides/404.html): a link to one of these says how to include it.
    config.extra["gongwen_preview_outside"] = sorted(set(cat.entries) - focus)
    for f in files.documentation_pages():
        entry = cat.entry_for(f.abs_src_path) if f.abs_src_path else None
        if entry is not None and entry.rel not in focus:
            files.remove(f)


def _initial_focus(cat: Catalogue, config) -> set[str] | None:
    """The preview set at startup (None: every material), announced in the terminal."""
    total = len(cat.entries)
    if os.environ.get("GONGWEN_PREVIEW_ALL", "").lower() in ("1", "true", "yes"):
        log.info(f"预览范围：全部 {total} 份材料（ALL=1）")
        return None
    named = _named_materials(cat, os.environ.get("GONGWEN_PREVIEW", ""))
    changed = _git_changed_materials(cat)
    focus = set(named) | changed
    reasons = []
    if changed:
        reasons.append(f"{len(changed)} 份有未提交的修改")
    if named:
        reasons.append(f"{len(named)} 份由 M= 指定")
    if not focus:
        if total <= SMALL_SITE:
            log.info(f"预览范围：全部 {total} 份材料（没有未提交的修改，材料不超过 {SMALL_SITE} 份）")
            return None
        latest = max(cat.entries.values(), key=lambda e: max((f[1] for f in e.stamp), default=0))
        focus = {latest.rel}
        reasons.append("没有未提交的修改，取最近修改的 1 份")
    listed = "、".join(sorted(focus)[:10]) + ("等" if len(focus) > 10 else "")
    log.info(f"预览范围：{len(focus)} / {total} 份材料（{'；'.join(reasons)}）：{listed}。"
             f"其余材料不渲染，首页和材料列表仍列出全部；{HOW_TO}")
    return focus


def _named_materials(cat: Catalogue, spec: str) -> list[str]:
    """Materials named by M=: folders (or files in them) relative to the project or docs_dir."""
    found = []
    for token in spec.split():
        path = Path(token)
        candidates = [path] if path.is_absolute() else [Path.cwd() / path, cat.docs_dir / path]
        rel = None
        for c in candidates:
            c = c.resolve()
            for folder in (c, *c.parents):
                try:
                    key = folder.relative_to(cat.docs_dir).as_posix()
                except ValueError:
                    break
                if key in cat.entries:
                    rel = key
                    break
            if rel:
                break
        if rel:
            found.append(rel)
        else:
            log.warning(f"M= 指定的“{token}”不是 docs/ 下的材料文件夹（如 M=docs/{next(iter(cat.entries), '材料')}）")
    return found


def _git_changed_materials(cat: Catalogue) -> set[str]:
    """Materials with uncommitted changes (modified, staged or untracked files); none when the
    docs are not in a git work tree or git is missing."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cat.docs_dir, capture_output=True,
                             text=True, timeout=20, check=True).stdout.strip()
        out = subprocess.run(["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."],
                             cwd=cat.docs_dir, capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    paths, parts = [], out.split("\0")
    i = 0
    while i < len(parts):
        item = parts[i]
        i += 1
        if len(item) < 4:
            continue
        paths.append(item[3:])
        if item[0] in "RC":  # a rename or copy: the next field is the old path
            i += 1
    changed = set()
    for p in paths:
        entry = cat.entry_for(Path(top) / p)
        if entry is not None:
            changed.add(entry.rel)
    return changed


def _outside_note(entry) -> str | None:
    focus = _state.get("focus")
    if not _previewing() or focus is None or entry.rel in focus:
        return None
    return f"不在本次预览中：修改它的任一文件即在下次刷新时加入，或运行 make serve M=docs/{entry.rel}（ALL=1 预览全部）"


class _DropDirtyWarning(logging.Filter):
    """MkDocs/ProperDocs warn on every `serve --dirty` build that navigation may be inaccurate.
    These hooks rebuild what a dirty build would miss (numbering across a material's files,
    the home listing: tests/test_serve.py), so in the preview that one message is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


def _quiet_dirty_warning() -> None:
    from mkdocs.commands import build as engine_build  # properdocs.commands.build under ProperDocs

    if not any(isinstance(f, _DropDirtyWarning) for f in engine_build.log.filters):
        engine_build.log.addFilter(_DropDirtyWarning())


try:  # Linux only; elsewhere the engine's polling observer stays
    from watchdog import events as _events
    from watchdog.observers.inotify import InotifyObserver as _InotifyObserver
except (ImportError, OSError):  # pragma: no cover
    _InotifyObserver = None
else:
    class _EditObserver(_InotifyObserver):
        """inotify, passing on only events that change something: reading a file raises
        events too (opened, closed without writing), and every build reads docs/."""
        EDITS = (_events.FileCreatedEvent, _events.FileModifiedEvent, _events.FileDeletedEvent,
                 _events.FileMovedEvent, _events.FileClosedEvent, _events.DirCreatedEvent,
                 _events.DirDeletedEvent, _events.DirMovedEvent)

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or list(self.EDITS))


def on_serve(server, *, config, builder):
    """Watch with inotify instead of the engine's 0.5 s polling observer, which stats every
    file under docs/ twice a second (about 5900 at 1000 materials) and adds up to half a second
    before an edit is noticed. Falls back to polling where inotify is not available."""
    watched = dict(getattr(server, "_watched_paths", None) or {})
    if _InotifyObserver is None or not watched or server.observer.is_alive():
        return server
    try:
        probe = _EditObserver()  # fails here, not in the server's thread, if inotify cannot watch
        for path in watched:
            probe.schedule(_events.FileSystemEventHandler(), path, recursive=os.path.isdir(path))
        probe.start()
        probe.stop()
        probe.join()
    except OSError as exc:  # e.g. the inotify watch limit
        log.info(f"预览：无法使用 inotify（{exc}），沿用轮询监视文件")
        return server
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _EditObserver()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server


class _PreviewWalk:
    """Stands in for the `os` module inside the engine's file discovery (structure/files.py)
    during a focused preview: its os.walk skips the folders of materials outside the preview,
    so a rebuild does not list and wrap in File objects the 5900 files of 1000 materials only
    for on_files to drop them (about a third of a rebuild). Everything else is the real os."""

    def __init__(self):
        self.path = os.path
        self.sep = os.sep

    def __getattr__(self, name):
        return getattr(os, name)

    def walk(self, top, *args, **kwargs):
        skip = _state.get("skip_dirs") or ()
        for dirpath, dirnames, filenames in os.walk(top, *args, **kwargs):
            if skip:
                dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skip]
            yield dirpath, dirnames, filenames


def _walk_only_the_preview() -> None:
    from mkdocs.structure import files as engine_files

    if not isinstance(engine_files.os, _PreviewWalk):
        engine_files.os = _PreviewWalk()


def _add_files(files, config, folders) -> None:
    """The files of materials that joined the preview in this rebuild (the engine's walk,
    done before the scan that noticed them, skipped their folders)."""
    from mkdocs.structure.files import set_exclusions

    docs = Path(config.docs_dir)
    new = []
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            rel = path.relative_to(docs).as_posix()
            if rel not in files and not any(part.startswith(".") for part in path.relative_to(docs).parts):
                new.append(File(rel, config.docs_dir, config.site_dir, config.use_directory_urls))
    set_exclusions(new, config)
    for f in new:
        files.append(f)


_envs: dict = {}


def _reuse_template_env(config) -> None:
    """Keep the theme's Jinja environment across preview rebuilds. The engine makes a new one
    for every rebuild, compiles Material's templates again and walks the theme's folders for
    its static files: together about half of a rebuild of one material. auto_reload, and the
    listing cached only while no folder of a custom_dir changes, keep edits to overrides/
    taking effect."""
    theme = config.theme
    key = (tuple(theme.dirs), str(theme.locale), tuple(theme.static_templates))
    make = theme.get_env
    custom = [d for d in theme.dirs if theme.custom_dir and Path(d) == Path(theme.custom_dir)]

    def get_env():
        if key not in _envs:
            env = make()
            env.auto_reload = True
            listed: dict = {}
            plain = env.list_templates

            def list_templates(extensions=None, filter_func=None):
                stamp = tuple((d, os.stat(d).st_mtime_ns) for c in custom for d, _, _ in os.walk(c))
                k = (stamp, tuple(extensions or ()), getattr(filter_func, "__code__", filter_func))
                if k not in listed:
                    listed.clear()
                    listed[k] = plain(extensions=extensions, filter_func=filter_func)
                return listed[k]

            env.list_templates = list_templates
            _envs[key] = env
        return _envs[key]

    theme.get_env = get_env
