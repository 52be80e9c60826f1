"""MkDocs adapter for gongwen: check, number and list materials. Logic lives in gongwen/."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation, Section

from gongwen.numbering import number_source
from gongwen.rules.docs import rules_page_markdown
from gongwen.site import Catalogue, catalogue_for, listing_markdown, panel_html
from gongwen.source import split_front_matter, SourceText

log = logging.getLogger("mkdocs.plugins.gongwen")
LISTING_MARK = "<!-- gongwen:materials -->"
RULES_PAGE = "rules.md"

_state: dict = {"serving": False, "catalogue": None, "navs": {}}


def on_startup(*, command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"


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
    return files


def on_nav(nav, *, config, files):
    # Each material page shows only its own material in the sidebar, so page size does
    # not grow with the number of materials (the home page lists them all).
    cat: Catalogue = _state["catalogue"]
    navs = {}
    top = [item for item in nav.items if not (isinstance(item, Section) and _section_folder(item, cat))]
    top_pages = [p for p in nav.pages if cat.entry_for(p.file.abs_src_path or "") is None]
    for item in nav.items:
        rel = isinstance(item, Section) and _section_folder(item, cat)
        if rel:
            pages = [p for p in nav.pages if _in_section(p, item)]
            home = [i for i in top if getattr(i, "is_homepage", False)]
            navs[rel] = Navigation(home + [item], [p for p in top_pages if p.is_homepage] + pages)
    _state["navs"] = navs
    _state["top_nav"] = Navigation(top, top_pages)
    return nav


def on_page_markdown(markdown, *, page, config, files):
    cat: Catalogue = _state["catalogue"]
    if LISTING_MARK in markdown:
        markdown = markdown.replace(LISTING_MARK, listing_markdown(cat.scan() if not cat.entries else list(cat.entries.values())))
    src = page.file.abs_src_path
    entry = cat.entry_for(src) if src else None
    if not entry or not entry.material:
        return markdown
    full = Path(src).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    slugify = _slugify(config)
    numbered = number_source(full, str(Path(src)), entry.material, slugify)
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


def _in_section(page, section) -> bool:
    parent = page.parent
    while parent is not None:
        if parent is section:
            return True
        parent = parent.parent
    return False


def _slugify(config):
    toc = config.mdx_configs.get("toc", {})
    fn = toc.get("slugify")
    if fn is None:
        from markdown.extensions.toc import slugify as fn
    return lambda text: fn(text, "-")
