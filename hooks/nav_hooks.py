"""MkDocs adapter: each material page's sidebar holds only its own material (page size does not
grow with the number of materials), titles survive dirty rebuilds, and the home page lists
every material. Runs after gongwen_hooks, which scans the catalogue."""

from __future__ import annotations

import os

from mkdocs.structure.nav import Navigation, Section
from mkdocs.utils import get_relative_url

from gongwen.site.catalogue import Catalogue, catalogue_for, listing_html, listing_row
from gongwen.site.preview import preview_for
from gongwen.untrusted import esc

LISTING_MARK = "<!-- gongwen:materials -->"

_state: dict = {"catalogue": None, "navs": {}}


def on_config(config):
    _state["catalogue"] = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
    return config


def on_files(files, *, config):
    _state["files"] = files
    return files


def on_nav(nav, *, config, files):
    # Each material page shows only its own material in the sidebar, so page size does
    # not grow with the number of materials (the home page lists them all).
    cat: Catalogue = _state["catalogue"]
    material_of = {id(item): _section_folder(item, cat) for item in nav.items if isinstance(item, Section)}
    withheld = preview_for(cat).withheld
    top = [item for item in nav.items if not material_of.get(id(item)) and not _only_withheld(item, withheld)]
    pages_of: dict[str, list] = {}
    top_pages = []
    for page in nav.pages:  # one pass: group pages by the material they belong to
        entry = cat.entry_for(page.file.abs_src_path) if page.file.abs_src_path else None
        (pages_of.setdefault(entry.rel, []) if entry else top_pages).append(page)
    for item in nav.items:
        rel = material_of.get(id(item))
        if rel and cat.entries[rel].material and cat.entries[rel].material.title:
            item.title = esc(cat.entries[rel].material.title)  # not the folder name; Material prints it as HTML
    home = [i for i in top if getattr(i, "is_homepage", False)]
    home_pages = [p for p in top_pages if p.is_homepage]
    _state["navs"] = {rel: Navigation(home + [item], home_pages + pages_of.get(rel, []))
                      for item in nav.items if (rel := material_of.get(id(item)))}
    _state["top_nav"] = Navigation(top, top_pages)
    return nav


def on_post_page(output, *, page, config):
    if LISTING_MARK not in output:
        return output
    # The listing goes in last, as HTML: Python-Markdown's raw-HTML parsing and the search
    # text extraction of a 1000-row table took most of a preview rebuild. (The mark passes
    # through Markdown as an HTML comment. The home page's search entry is its own text; each
    # material is found by its own pages.)
    files = _state["files"]
    cat: Catalogue = _state["catalogue"]
    outside_note = preview_for(cat).outside_note

    def url_for(entry) -> str:
        f = None if outside_note(entry) else files.get_file_from_path(f"{entry.rel}/index.md")
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

    # The same materials (the same entry objects: an edited one is replaced), the same preview
    # set and page: the same table. Sorting and joining 10,000 rows took a tenth of a rebuild.
    preview = preview_for(cat)
    key = (tuple(map(id, cat.shown)), page.file.url, config.use_directory_urls, preview.active,
           None if preview.focus is None else frozenset(preview.focus))
    listed = _state.get("listing")
    if listed is None or listed[0] != key:
        # The entries are held with the key, so their ids are not reused meanwhile.
        listed = _state["listing"] = (key, listing_html(cat.shown, url_for, outside_note, row), list(cat.shown))
    return output.replace(LISTING_MARK, listed[1], 1)


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


def _section_folder(section, cat: Catalogue) -> str | None:
    for child in section.children:
        f = getattr(child, "file", None)
        if f is not None and f.abs_src_path:
            entry = cat.entry_for(f.abs_src_path)
            if entry:
                return entry.rel
    return None
