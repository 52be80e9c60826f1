"""MkDocs adapter for the Word export: a download link on each material page, and the
.docx files written into the site after the build. Logic lives in gongwen/site/export.py."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from pathlib import Path

from mkdocs.utils import get_relative_url

from gongwen.site.catalogue import catalogue_for
from gongwen.site.export import (
    TitleLines,
    cached_docx,
    docx_url,
    download_html,
    is_title_page,
    title_lines_html,
    write_downloads,
)

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
    if not _state["serving"]:
        _start_warming(files)
    return files


def _start_warming(files) -> None:
    """A full build exports the Word files in a second process while this one renders the
    pages: the export fills .cache/docx, and on_post_build copies from it (exporting there
    anything the second process did not). Only where there is a second core to use."""
    _state["warming"] = None
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    cat = _state["catalogue"]
    entries = {}
    for f in files.documentation_pages():
        entry = cat.entry_for(f.abs_src_path) if f.abs_src_path else None
        if entry is not None and entry.material is not None and not entry.classified:
            entries[entry.rel] = entry
    if len(entries) < 2:
        return
    # fork: the child starts with the materials already read, nothing is sent to it.
    proc = multiprocessing.get_context("fork").Process(target=_warm, args=(list(entries.values()), _state["cache"]),
                                                       daemon=True)
    proc.start()
    _state["warming"] = proc


def _warm(entries, cache) -> None:
    for entry in entries:
        try:
            cached_docx(entry, cache)
        except Exception:  # noqa: BLE001, S110 - on_post_build exports it again and reports the error
            pass


def _stop_warming(*, wait: bool) -> None:
    proc = _state.pop("warming", None)
    if proc is None:
        return
    if wait:
        proc.join()
    else:
        proc.terminate()
        proc.join()


def on_build_error(*, error):
    _stop_warming(wait=False)


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
    _stop_warming(wait=True)
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
