"""MkDocs adapter for the ledger: a 整改台账 page per material with a ledger (not in the nav;
linked from the material and from the overview), the 整改进度 overview in the home navigation,
and their .xlsx downloads written after the build. Logic lives in gongwen/ledger/."""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from gongwen.ledger.pages import (
    LEDGER_TITLE,
    OVERVIEW_MARK,
    OVERVIEW_TITLE,
    Item,
    ledger_page,
    overview_page,
    overview_table,
)
from gongwen.ledger.xlsx_out import sheet_rows, write_xlsx
from gongwen.site.catalogue import catalogue_for, published
from gongwen.site.ledger import LedgerSummaries
from gongwen.untrusted import href as quote_href

log = logging.getLogger("mkdocs.plugins.gongwen.ledger")

OVERVIEW_SRC = f"{OVERVIEW_TITLE}.md"
ALL_XLSX = f"{OVERVIEW_TITLE}/整改台账汇总.xlsx"

# ledgers: rel -> ledger (this build's); pages: rel -> ledger page src_uri; written: xlsx path -> stamp
_state: dict = {"catalogue": None, "today": None, "ledgers": {}, "pages": {}, "written": {}, "shown": [],
                "summaries": None}


def _ledger_src(rel: str) -> str:
    return f"{LEDGER_TITLE}/{rel}.md"


def _xlsx_path(rel: str) -> str:
    return f"{LEDGER_TITLE}/{rel}/{PurePosixPath(rel).name}-整改台账.xlsx"


def on_config(config):
    _state["catalogue"] = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
    # Beside the catalogue's cache (gongwen_hooks): the next start reuses the overview's rows.
    cache = Path(config.config_file_path or ".").resolve().parent / ".cache" / "ledger"
    if _state["summaries"] is None or _state["summaries"].cache_dir != cache:
        _state["summaries"] = LedgerSummaries(config.docs_dir, cache)
    return config


def on_files(files, *, config):
    # The build date decides what is overdue; it is printed on every ledger page.
    today = _state["today"] = datetime.date.today()
    cat = _state["catalogue"]
    if not cat.entries:
        cat.scan()
    entries = [e for e in cat.entries.values() if e.material is not None and not e.classified]
    if os.environ.get("GONGWEN_PUBLISH") == "1":
        entries = published(entries, drafts=os.environ.get("GONGWEN_DRAFTS") == "1")
    entries.sort(key=lambda e: e.rel)
    _state["shown"], _state["pages"], _state["ledgers"] = entries, {}, {}
    summaries: LedgerSummaries = _state["summaries"]
    summaries.forget({e.rel for e in cat.entries.values()})
    items = []
    index_of = {}
    for e in entries:
        ledger, summary = summaries.get(e, today)
        _state["ledgers"][e.rel] = ledger
        index = files.get_file_from_path(f"{e.rel}/index.md")
        index_of[e.rel] = index
        if ledger is None:
            items.append(Item(_title(e), str(e.meta.get("unit") or ""), summary,
                              index.url if index else e.rel + "/"))
            continue
        src = _ledger_src(e.rel)
        f = File.generated(config, src, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        f.content_string = ledger_page(
            e.material, ledger, today,
            xlsx_href=get_relative_url(quote(_xlsx_path(e.rel)), f.url),
            material_href=get_relative_url(index.url, f.url) if index else "../",
            stale={(d.path, d.line): d.message for d in e.diagnostics if d.rule == "ledger.stale-reference"})
        files.append(f)
        _state["pages"][e.rel] = f
        items.append(Item(_title(e), str(e.meta.get("unit") or ""), summary, f.url))
    overview = File.generated(config, OVERVIEW_SRC, content="")

    def url(u: str) -> str:
        return get_relative_url(u, overview.url)

    overview.content_string = overview_page(
        items, today, xlsx_href=get_relative_url(quote(ALL_XLSX), overview.url) if _state["pages"] else None,
        url=url, table_mark=OVERVIEW_MARK)
    _state["overview_table"] = overview_table(items, url)
    files.append(overview)
    summaries.save()
    return files


def on_post_page(output, *, page, config):
    # The overview's table goes in as HTML after the page is built (see overview_page).
    if page.file.src_uri == OVERVIEW_SRC and OVERVIEW_MARK in output:
        return output.replace(OVERVIEW_MARK, _state["overview_table"], 1)
    return output


def _title(entry) -> str:
    return entry.material.title or entry.rel


def on_page_content(html_text, *, page, config, files):
    # On a material's title page: a link to its 整改台账 page.
    src = page.file.abs_src_path
    if not src or os.path.basename(src) != "index.md":
        return html_text
    entry = _state["catalogue"].entry_for(src)
    f = _state["pages"].get(entry.rel) if entry else None
    if f is None:
        return html_text
    href = get_relative_url(f.url, page.file.url)
    return (f'<p class="gongwen-ledger-link" data-search-exclude><a href="{quote_href(href)}">'
            f"{LEDGER_TITLE}（整改措施、责任人、完成时限和进度）</a></p>\n" + html_text)


def on_post_build(*, config):
    site = Path(config.site_dir)
    today = _state["today"]
    all_rows, stamps = [], []
    for e in _state["shown"]:
        if e.rel not in _state["pages"]:
            continue
        rows = sheet_rows(e.material, _state["ledgers"][e.rel], today)
        all_rows.extend(rows)
        stamps.append((e.rel, e.stamp))
        _write(site / _xlsx_path(e.rel), rows, (e.stamp, today))
    if stamps:
        _write(site / ALL_XLSX, all_rows, (tuple(stamps), today))


def _write(target, rows, stamp) -> None:
    # `mkdocs serve` rebuilds often: rewrite only what changed (or went missing).
    key = str(target)
    if _state["written"].get(key) == stamp and target.is_file():
        return
    write_xlsx(rows, target)
    _state["written"][key] = stamp
    log.debug(f"已导出整改台账：{target}")
