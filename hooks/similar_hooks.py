"""MkDocs adapter for copy detection: content.copied on each material (shown in the preview
panel like any finding) and the 雷同比对 page. Logic lives in gongwen/site/similar.py and
gongwen/similar/. Listed after gongwen_hooks in mkdocs.yml: it uses the catalogue that
gongwen_hooks has just scanned, and adds its findings after those were logged, at info
level, so neither `--strict` nor a publish fails on them."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from gongwen.similar import load_config
from gongwen.similar.page import pairs_html
from gongwen.site.catalogue import catalogue_for, published
from gongwen.site.similar import similarity_for

log = logging.getLogger("mkdocs.plugins.gongwen.similar")
PAGE = "similar.md"
MARK = "<!-- gongwen:similar -->"
FIRST_RENDER_MAX = 50  # materials whose pages a serve re-renders when the first comparison ends

_state: dict = {"dirty": False, "serving": False, "sim": None, "files_by_path": {}, "stamp": None}


def on_startup(*, command: str, dirty: bool) -> None:
    _state["dirty"] = dirty
    _state["serving"] = command == "serve"


_lock = threading.Lock()


def on_serve(server, *, config, builder):
    server.watch(_state["stamp"])
    if _state["sim"] is not None:
        _state["sim"].resume()  # the first comparison, held by on_post_build
    with _lock:
        _state["watching"] = True
        pending = _state.pop("pending", False)
    if pending:  # the comparison ended before the watch was set
        _touch_soon()
    return server


def _done() -> None:
    with _lock:
        if not _state.get("watching"):
            _state["pending"] = True
            return
    _touch_soon()


def _touch_soon() -> None:
    # After a moment: the server's file observer starts only once serve() runs.
    def touch() -> None:
        # Written, not only touched: the preview watches with inotify, which reports a
        # content change (IN_MODIFY) as an edit but ignores a bare timestamp change.
        if _state["stamp"] and os.path.exists(_state["stamp"]):
            Path(_state["stamp"]).write_text(str(time.time()), encoding="utf-8")

    threading.Timer(1.0, touch).start()


def on_config(config):
    # extra: gongwen: {reference: corpus/, similar: {min_run: 13, min_share: 0.5}}
    # (under extra: MkDocs rejects unknown top-level keys in --strict)
    opts = (config.extra or {}).get("gongwen") or {}
    try:
        cfg = load_config(overrides=opts.get("similar") or {})
    except ValueError as exc:
        raise PluginError(f"mkdocs.yml extra.gongwen.similar：{exc}") from None
    reference = opts.get("reference")
    if reference:
        reference = Path(os.path.dirname(config.config_file_path or ".")) / str(reference)
    _state["sim"] = similarity_for(config.docs_dir, cfg, reference)
    if _state["serving"]:
        _state["sim"].pause()  # a first comparison still running waits while this rebuild runs
    if _state["serving"] and not _state["stamp"]:
        # Written when the first comparison (in a thread) is done: the server watches it and
        # rebuilds. One fixed file under .cache/ beside mkdocs.yml, so a killed preview leaves
        # nothing behind in the system's temporary folder.
        stamp = Path(config.config_file_path or ".").resolve().parent / ".cache" / "similar" / "serve.stamp"
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text("", encoding="utf-8")
        _state["stamp"] = str(stamp)
    _state["publish"] = os.environ.get("GONGWEN_PUBLISH") == "1"
    _state["catalogue"] = catalogue_for(config.docs_dir, publish=_state["publish"])
    return config


def on_files(files, *, config):
    cat = _state["catalogue"]
    if not cat.entries:  # gongwen_hooks normally scanned already; stay correct without it
        cat.scan()
    entries = list(cat.entries.values())
    if _state["publish"]:
        entries = published(entries, drafts=os.environ.get("GONGWEN_DRAFTS") == "1")
    sim = _state["sim"]
    _state["entries"] = entries
    changed: set[str] = set()
    first_reports = False
    if _state["serving"] and (not sim.ready or sim.running):
        # The first page of `mkdocs serve` does not wait for the whole corpus to be compared:
        # that starts in a thread once the first build is written (on_post_build), and its
        # reports are applied by the rebuild that follows it.
        pass
    else:
        first_reports = _state["serving"] and not _state.get("applied")
        # A full build (not the preview, whose engine stays warm in memory) keeps its result
        # under .cache/ beside mkdocs.yml, so an unchanged corpus is not compared again.
        cache = None if _state["serving"] else Path(config.config_file_path or ".").resolve().parent / ".cache" / "similar"
        _state["cache"] = cache
        # A full build compares in a second process while its pages render; the two pages
        # that show the reports (the home listing's counts, 雷同比对) are rendered last and
        # wait for it (_reports_ready).
        if cache is not None and not _state["dirty"] and sim.start(entries, cache):
            log.info("雷同检测：在另一进程中比对全部材料，页面同时生成")
        else:
            changed = sim.update(entries, publish=_state["publish"], cache_dir=cache)
            _apply(changed)
        _state["applied"] = True
    _state["files_by_path"] = {os.path.realpath(f.abs_src_path): f for f in files.documentation_pages()
                               if f.abs_src_path}
    files.append(File.generated(config, PAGE, content=f"# 雷同比对\n\n{MARK}\n"))
    if _state["dirty"]:
        # A dirty rebuild renders only edited files: also those whose copy reports changed,
        # and this page when the pairs changed.
        signature = tuple((m.a.material, m.a.index, m.b.material, m.b.index, m.share) for m in sim.matches)
        # The first reports of a serve session go on the entries, but when many materials hold
        # a copy their pages are not re-rendered all at once (minutes at hundreds of materials):
        # a page shows them when it is next rebuilt; the 雷同比对 page shows them at once.
        render = changed if not first_reports or len(changed) <= FIRST_RENDER_MAX else set()
        for f in files.documentation_pages():
            entry = cat.entry_for(f.abs_src_path) if f.abs_src_path else None
            if (entry and entry.rel in render) or (f.src_uri == PAGE and signature != sim.last_signature):
                f.is_modified = lambda: True
        sim.last_signature = signature
    return files


def _apply(changed: set[str]) -> None:
    sim, cat = _state["sim"], _state["catalogue"]
    for note in sim.notes:
        log.info(f"参考文本无法读取，未用于雷同比对：{note}")
    for rel in sorted(changed):
        for d in cat.entries[rel].diagnostics:
            if d.rule.startswith("content.copied"):
                log.debug(f"{d.path}:{d.line}: {d.rule} {d.message}")
    if sim.matches:
        log.info(f"雷同检测：{len(sim.matches)} 处雷同，见“雷同比对”页面")


def _reports_ready() -> None:
    """The comparison a build started in a second process: wait for it, put its reports on
    the entries (from the cache it wrote; compared here should it have failed)."""
    sim = _state["sim"]
    if sim is None or not sim.pending:
        return
    t0 = time.perf_counter()
    if not sim.wait():
        log.warning("雷同检测的子进程没有完成，改在构建进程中比对（较慢）")
    _apply(sim.update(_state["entries"], publish=_state["publish"], cache_dir=_state["cache"]))
    waited = time.perf_counter() - t0
    if waited >= 1:
        log.info(f"雷同检测：其余页面生成后又等了 {waited:.0f} 秒比对结果")


@event_priority(-100)  # after every hook has added its pages
def on_nav(nav, *, config, files):
    if _state["sim"] is not None and _state["sim"].pending:
        # Rendered in files order: the pages that need the reports go last, so the comparison
        # runs beside the rendering of all the others.
        for uri in ("index.md", PAGE):
            f = files.get_file_from_path(uri)
            if f is not None:
                files.remove(f)
                files.append(f)
    return nav


def on_build_error(*, error):
    if _state["sim"] is not None:
        _state["sim"].cancel()
        _state["sim"].resume()


def on_post_build(*, config):
    sim = _state["sim"]
    if _state["serving"] and not sim.ready and not sim.running:
        sim.start_background(_state["entries"], _done)
        if not _state.get("watching"):
            # The first build: the comparison waits (paused by on_config) until the server
            # has set up its file watcher (on_serve), so as not to slow the first page down.
            return
    sim.resume()


@event_priority(100)  # before nav_hooks puts the home listing (its warning counts) in
def on_post_page(output, *, page, config):
    if page.file.src_uri == "index.md":
        _reports_ready()
    if page.file.src_uri != PAGE:
        return output
    _reports_ready()
    # The pairs go in after the page is built, as the home listing does: the search index
    # (read from the content) leaves this page's thousands of quoted passages out, which
    # every search for a copied phrase would otherwise list too.
    return _pairs_page(output, page, config)


def _pairs_page(html, page, config):
    sim = _state["sim"]
    by_path = _state["files_by_path"]

    project = os.path.dirname(os.path.realpath(config.config_file_path or "mkdocs.yml"))

    def place(side) -> tuple[str | None, str]:
        f = by_path.get(os.path.realpath(side.path))
        if f:
            return get_relative_url(f.url, page.file.url), f.src_uri
        return None, os.path.relpath(os.path.realpath(side.path), project)

    if not sim.ready or sim.running:
        return html.replace(MARK, "<p><em>正在比对全部材料，完成后本页自动更新。</em></p>")
    # The preview rebuilds this page each time: while the pairs and the pages they link to
    # are the same, so is the body (thousands of pairs at 1000 materials).
    key = (tuple(sim.matches), len(by_path), page.file.url)  # frozen dataclasses: compared field by field
    cached = _state.get("body")
    if cached is None or cached[0] != key:
        cached = _state["body"] = (key, pairs_html(sim.matches, place, min_run=sim.config.min_run,
                                                   min_share=sim.config.min_share))
    if MARK not in html:  # the page's Markdown was replaced (e.g. by an override): nothing to fill
        return html
    return html.replace(MARK, cached[1], 1)
