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
    for e in entries:
        if e.classified:
            raise PluginError(
                f"security.classified {e.rel}/index.md：材料密级为“{e.meta.get('密级')}”，涉密材料不得构建到网站。"
                "请将其移出 docs/ 并按保密规定处理")
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
    top = [item for item in nav.items if not material_of.get(id(item))]
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
