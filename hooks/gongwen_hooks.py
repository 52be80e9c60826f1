"""MkDocs adapter for gongwen: scan and check the materials, stop on secrets, print findings,
number each page and show its findings panel. Logic lives in gongwen/ (gongwen.site).

The other adapters: nav_hooks.py (navigation, home listing), preview_hooks.py (the serve
machinery), and one file per capability (search, export, ledger, similar, review, page cache)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from gongwen.check.rules.docs import rules_page_markdown
from gongwen.check.secrecy import HINT as SECRET_HINT
from gongwen.numbering import number_source
from gongwen.read.markdown import flatten_deep
from gongwen.read.source import SourceText, split_front_matter
from gongwen.site.catalogue import (
    Catalogue,
    catalogue_for,
    mark_blocks,
    material_summary_html,
    panel_html,
    published,
)
from gongwen.site.preview import preview_for

log = logging.getLogger("mkdocs.plugins.gongwen")
RULES_PAGE = "rules.md"

_state: dict = {"serving": False, "dirty": False, "catalogue": None, "marked": {}}


def on_startup(*, command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"
    _state["dirty"] = dirty


@event_priority(100)  # before Material's search plugin asks the theme for its templates
def on_config(config):
    _state["catalogue"] = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
    # Parse+check results on disk beside mkdocs.yml (`make clean` removes them): the next build
    # or preview re-parses only the materials whose files changed.
    _state["catalogue"].cache_dir = Path(config.config_file_path or ".").resolve().parent / ".cache" / "catalogue"
    return config


def on_pre_build(*, config):
    # The preview's first build: the materials are scanned and the preview set chosen before
    # the engine walks docs/, so that walk already skips the materials outside it (at 10,000
    # materials it listed 48,000 files only for on_files to drop them).
    _state["scanned"] = False
    preview = preview_for(_state["catalogue"])
    if _state["serving"] and os.environ.get("GONGWEN_PUBLISH") != "1" and not preview.started:
        _state["catalogue"].scan()
        _state["scanned"] = True
        preview.start(os.environ, log.info, log.warning)
        preview.skip = preview.skip_dirs(config.docs_dir)


def on_files(files, *, config):
    cat: Catalogue = _state["catalogue"]
    first = _state.pop("scanned", False)
    preview = preview_for(cat)
    # The preview's watcher says which files changed: only their folders are looked at again.
    entries = list(cat.entries.values()) if first else cat.scan(preview.take_touched())
    preview.withheld = set()
    if cat.secrets:
        files = _classified_gate(files, config, cat)
    entries = [e for e in entries if not e.classified]
    docs = Path(config.docs_dir).resolve()
    # A publish leaves drafts out (unless DRAFTS=1): they neither fail it nor appear in the listing.
    if os.environ.get("GONGWEN_PUBLISH") == "1":
        entries = published(entries, drafts=os.environ.get("GONGWEN_DRAFTS") == "1")
    cat.shown = entries  # what the home listing (nav_hooks) and the findings below cover
    files.append(File.generated(config, RULES_PAGE, content=rules_page_markdown()))
    preview.active = _state["serving"] and os.environ.get("GONGWEN_PUBLISH") != "1"
    if preview.active:
        _focus(files, preview, config, first)
    _log_findings(entries, cat, docs)
    if _state["dirty"] and cat.changed:
        _rebuild_dependents(files, cat)
    return files


def _log_findings(entries, cat: Catalogue, docs: Path) -> None:
    """Warnings and errors in the terminal (a strict build fails on them). The preview prints
    those of the materials it renders that changed since its last rebuild: at 1000 materials,
    every finding of every material on every rebuild would be thousands of lines each time."""
    if _state["serving"]:
        preview = preview_for(cat)
        entries = [e for e in entries if e.rel in cat.changed and preview.renders(e.rel)]
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
            preview_for(cat).withheld.add(f.src_uri)
    return files


def _rebuild_dependents(files, cat: Catalogue) -> None:
    # A dirty rebuild only re-renders edited files, but numbering runs across a material's
    # files and the home page lists every material: rebuild those too.
    for f in files.documentation_pages():
        entry = cat.entry_for(f.abs_src_path) if f.abs_src_path else None
        if (entry and entry.rel in cat.changed) or f.src_uri == "index.md":
            f.is_modified = lambda: True


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
    html = panel_html(diags, page.file.src_uri, _state["marked"].get(page.file.src_uri)) + html
    if entry.material is not None and page.file.src_uri == f"{entry.rel}/index.md":  # the front page: the whole material's findings
        html = material_summary_html(entry.material, entry.diagnostics,
                                     lambda path: _page_url(path, page, files, config)) + html
    return html


def _page_url(path: str, page, files, config) -> str | None:
    f = files.get_file_from_path(_rel(path, Path(config.docs_dir).resolve()))
    return get_relative_url(f.url, page.file.url) if f is not None and f.is_documentation_page() else None


def _rel(path: str, docs: Path) -> str:
    # As the path lies under docs/ (a folder linked into docs/ is named by its link), else
    # as it resolves.
    for base in (Path(os.path.abspath(path)), Path(path).resolve()):
        try:
            return base.relative_to(docs).as_posix()
        except ValueError:
            continue
    return path


def _slugify(config):
    toc = config.mdx_configs.get("toc", {})
    fn = toc.get("slugify")
    if fn is None:
        from markdown.extensions.toc import slugify as fn
    return lambda text: fn(text, "-")


def _focus(files, preview, config, first: bool = False) -> None:
    """Leave out the Markdown files of materials outside the preview (other hooks' generated
    pages are kept); add those of materials that joined it since the last rebuild."""
    log_info = log.info
    if not preview.started:
        preview.start(os.environ, log_info, log.warning)
    elif not first:  # on_pre_build started it: what the first scan found is not "joined"
        joined = preview.join_changed()
        if joined:
            _add_files(files, config, [preview.cat.entries[rel].folder for rel in joined])
            log_info(f"预览范围：加入 {'、'.join(joined)}（刚修改），现共 {len(preview.focus)} 份材料")
    preview.skip = preview.skip_dirs(config.docs_dir)  # preview_hooks' walk of docs/ skips these
    if preview.focus is None:
        return
    # For the preview's 404 page (overrides/404.html): a link to one of these says how to include it.
    config.extra["gongwen_preview_outside"] = preview.outside()
    for f in files.documentation_pages():
        entry = preview.cat.entry_for(f.abs_src_path) if f.abs_src_path else None
        if entry is not None and not preview.renders(entry.rel):
            files.remove(f)


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
