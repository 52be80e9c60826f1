"""MkDocs adapter for the Word export: a download link on each material page, and the
.docx files written into the site after the build. Logic lives in gongwen/export_site.py."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from mkdocs.utils import get_relative_url

from gongwen.export_site import (
    TitleLines,
    docx_url,
    download_html,
    is_title_page,
    title_lines_html,
    write_downloads,
)
from gongwen.site import catalogue_for

log = logging.getLogger("mkdocs.plugins.gongwen.export")

# rendered: materials with a page in this build (a publish may leave drafts out);
# written: rel -> source stamp, so `mkdocs serve` rewrites only what changed.
_state: dict = {"catalogue": None, "rendered": set(), "written": {}, "serving": False}
_writing = threading.Lock()
CACHE = Path(".cache") / "docx"  # beside mkdocs.yml; `make clean` removes it


def on_startup(*, command, dirty):
    _state["serving"] = command == "serve"


def on_config(config):
    _state["catalogue"] = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
    _state["cache"] = Path(config.config_file_path or ".").resolve().parent / CACHE
    if "titles" not in _state:
        _state["titles"] = TitleLines(_state["cache"])
    return config


def on_pre_build(*, config):
    _state["rendered"] = set()


def on_files(files, *, config):
    cat = _state["catalogue"]
    if not cat.entries:  # gongwen_hooks normally scanned already; stay correct without it
        cat.scan()
    return files


def on_page_content(html, *, page, config, files):
    src = page.file.abs_src_path
    entry = _state["catalogue"].entry_for(src) if src else None
    if entry is None or entry.material is None or entry.classified:
        return html
    _state["rendered"].add(entry.rel)
    href = get_relative_url(docx_url(entry), page.file.url)
    title_page = is_title_page(src)
    if title_page and entry.material.title:
        html = title_lines_html(html, entry.material.title, _state["titles"])
    return download_html(entry, href, title_page=title_page) + html


def on_post_build(*, config):
    cat = _state["catalogue"]
    entries = [e for e in cat.entries.values() if e.rel in _state["rendered"]]
    # Only materials whose files (or gongwen's exporter) changed since any earlier build are
    # exported again; the others are copied from the cache.
    cache = _state["cache"]
    _state["titles"].save()
    if _state["serving"]:
        # The preview reloads the browser without waiting for the Word file of an edited
        # material (about 0.1 s each); its download link works a moment later.
        threading.Thread(target=_write, args=(entries, config.site_dir, cache), daemon=True).start()
    else:
        _write(entries, config.site_dir, cache)


def _write(entries, site_dir, cache) -> None:
    with _writing:
        for path in write_downloads(entries, site_dir, _state["written"], cache_dir=cache):
            log.debug(f"已导出 Word：{path}")
