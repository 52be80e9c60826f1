"""MkDocs adapter for gongwen: check, number and list materials. Logic lives in gongwen/."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation, Section
from mkdocs.utils import get_relative_url

from gongwen.numbering import number_source
from gongwen.read.source import SourceText, split_front_matter
from gongwen.rules.docs import rules_page_markdown
from gongwen.secrecy import HINT as SECRET_HINT
from gongwen.site import Catalogue, catalogue_for, listing_html, panel_html, published

log = logging.getLogger("mkdocs.plugins.gongwen")
LISTING_MARK = "<!-- gongwen:materials -->"
RULES_PAGE = "rules.md"

_state: dict = {"serving": False, "dirty": False, "catalogue": None, "navs": {}}


def on_startup(*, command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"
    _state["dirty"] = dirty


def on_config(config):
    _state["catalogue"] = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
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
    files.append(File.generated(config, RULES_PAGE, content=rules_page_markdown()))
    if _state["dirty"] and cat.changed:
        _rebuild_dependents(files, cat)
    return files


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
    if LISTING_MARK in markdown:
        def url_for(entry) -> str:
            f = files.get_file_from_path(f"{entry.rel}/index.md")
            return get_relative_url(f.url, page.file.url) if f else entry.rel + "/"

        markdown = markdown.replace(LISTING_MARK, listing_html(_state["shown"], url_for))
    src = page.file.abs_src_path
    entry = cat.entry_for(src) if src else None
    if not entry or not entry.material:
        return markdown
    full = Path(src).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    slugify = _slugify(config)
    numbered = number_source(full, str(Path(src)), entry.material, slugify, entry.schema)
    fm = split_front_matter(SourceText(src, numbered))
    return "\n".join(numbered.split("\n")[fm.end_line:])


def on_page_content(html, *, page, config, files):
    if not _state["serving"]:
        return html
    cat: Catalogue = _state["catalogue"]
    src = page.file.abs_src_path
    entry = cat.entry_for(src) if src else None
    if not entry:
        return html
    diags = entry.diagnostics_for(str(Path(src))) or entry.diagnostics_for(src)
    return panel_html(diags, page.file.src_uri) + html


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
    try:
        return Path(path).resolve().relative_to(docs).as_posix()
    except ValueError:
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
