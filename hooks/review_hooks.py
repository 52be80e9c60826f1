"""MkDocs adapter for the reviewer's workbench: the 审核总览 page and one 审核意见 page per file,
from the 审核汇总.json that `gongwen review` writes next to mkdocs.yml. Inert without it.
Logic lives in gongwen/review/page.py."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from gongwen.review.page import OVERVIEW, findings_markdown, overview_markdown, page_name
from gongwen.review.rows import Row
from gongwen.untrusted import esc, inert_markdown

log = logging.getLogger("mkdocs.plugins.gongwen.review")
SUMMARY = "审核汇总.json"
_state: dict = {"folders": set()}  # material folders made from received files


def _rows(config) -> list[Row] | None:
    path = Path(config.config_file_path).parent / SUMMARY
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Row(**r) for r in data["rows"]]
    except (ValueError, KeyError, TypeError) as exc:
        log.warning(f"{SUMMARY} 无法读取（{exc}），未生成审核总览；请重新运行 gongwen review")
        return None


def on_files(files, *, config):
    rows = _rows(config)
    _state["folders"] = {r.folder for r in rows or () if r.folder}
    if rows is None:
        return files
    overview_url = File(OVERVIEW, config.docs_dir, config.site_dir, config.use_directory_urls).url

    def material_of(r: Row):
        return files.get_file_from_path(f"{r.folder}/index.md") if r.folder else None

    finding_files = {}
    for r in rows:
        name = page_name(r)
        url = File(name, config.docs_dir, config.site_dir, config.use_directory_urls).url
        mat = material_of(r)
        text = findings_markdown(r, get_relative_url(mat.url, url) if mat else None, get_relative_url(overview_url, url))
        finding_files[r.file] = File.generated(config, name, content=text, inclusion=InclusionLevel.NOT_IN_NAV)
    for f in finding_files.values():
        files.append(f)

    def mat_url(r: Row):
        mat = material_of(r)
        return get_relative_url(mat.url, overview_url) if mat else None

    text = overview_markdown(rows, mat_url, lambda r: get_relative_url(finding_files[r.file].url, overview_url))
    files.append(File.generated(config, OVERVIEW, content=text))
    return files


def on_page_markdown(markdown, *, page, config, files):
    """A page of a received material (a Markdown folder is copied as sent): its raw HTML and
    front-matter title are shown as text, never run in the reviewer's browser. After
    gongwen_hooks (registered before this file), which numbers the page's Markdown."""
    if page.file.src_uri.split("/", 1)[0] not in _state["folders"]:
        return markdown
    if isinstance(page.meta.get("title"), str):
        page.meta["title"] = esc(page.meta["title"])
    return inert_markdown(markdown)
