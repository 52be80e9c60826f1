"""MkDocs adapter for gongwen's exact-substring search (logic in gongwen/site/search_index.py).

Material's search plugin stays enabled because its templates show the search box and its
bundle runs the result list and the highlighting, but it indexes nothing: every page is
marked `search: exclude` for it (no jieba, no 45 MB index). `overrides/main.html` points
the UI at our worker, and this module writes the index that worker reads.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils.meta import get_data

from gongwen.site.search_index import (
    PageText,
    build_index,
    extract_sections,
    page_from_html,
    write_index,
)
from gongwen.site.search_shards import remove_sharded, write_sharded
from gongwen.site.suggest import write_table

log = logging.getLogger("mkdocs.plugins.gongwen.search")

# Page texts by (docs_dir, src_uri), kept across `mkdocs serve` rebuilds so a dirty
# rebuild, which renders only the changed pages, still indexes the others.
_pages: dict[tuple[str, str], PageText | None] = {}
_current: list = []
_serving = [False]


def on_startup(*, command, dirty):
    _serving[0] = command == "serve"


def on_config(config):
    if "material/search" not in config.plugins and "search" not in config.plugins:
        log.warning("未启用 search 插件：页面上不会显示搜索框（gongwen 搜索仍会生成索引）")
    return config


def on_files(files, *, config):
    _current[:] = [f for f in files.documentation_pages() if not f.inclusion.is_excluded()]
    return files


@event_priority(50)  # before other hooks add preview-only markup (the diagnostics panel)
def on_page_content(html, *, page, config, files):
    search = page.meta.get("search") or {}
    excluded = isinstance(search, dict) and bool(search.get("exclude"))
    # Material's own indexer skips excluded pages; ours replaces it.
    page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
    text = None
    if not excluded:
        title = page.title or ""
        unit = page.meta.get("unit") if page.file.src_uri.endswith("index.md") else None
        text = PageText(page.file.src_uri, page.url, title, extract_sections(html, title),
                        unit=str(unit) if unit else "")
    _pages[(config.docs_dir, page.file.src_uri)] = text
    return html


def _excluded(f) -> bool:
    """Whether a page not rendered in this run is kept out of search by its front matter."""
    if not f.abs_src_path:
        return False
    _, meta = get_data(Path(f.abs_src_path).read_text(encoding="utf-8-sig"))
    search = meta.get("search") or {}
    return isinstance(search, dict) and bool(search.get("exclude"))


def on_post_build(*, config):
    pages = []
    for f in _current:
        key = (config.docs_dir, f.src_uri)
        if key not in _pages:  # `mkdocs build --dirty`: not rendered in this process
            dest = Path(f.abs_dest_path)
            _pages[key] = page_from_html(f.src_uri, f.url, dest.read_text(encoding="utf-8")) \
                if dest.is_file() and not _excluded(f) else None
        if _pages[key] is not None:
            pages.append(_pages[key])
    keep = {(config.docs_dir, f.src_uri) for f in _current}
    for key in [k for k in _pages if k not in keep]:
        del _pages[key]
    offline = config.plugins.get("material/offline")
    index = build_index(pages)
    offline = bool(offline and offline.config.enabled)
    if _serving[0] or offline:
        # A preview rewrites the index on every edit (one file is quickest), and from file://
        # a worker can read only one script: both keep format 1.
        remove_sharded(config.site_dir)
        paths = write_index(index, config.site_dir, offline=offline,
                            compress=not _serving[0])
    else:
        paths = write_sharded(index, config.site_dir)
    write_table(config.site_dir)  # the did-you-mean table the worker loads on a query without hits
    sizes = ", ".join(f"{p.name} {p.stat().st_size} B" for p in paths)
    log.debug("search index: %s pages, %s", len(pages), sizes)
