"""The site's Word downloads: where each material's .docx goes, the link on its pages, and
writing them after a build. Pure (no mkdocs); hooks/export_hooks.py adapts it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from .export_docx import write_docx
from .layout import marking, split_title
from .site import Entry

DOWNLOAD_LABEL = "下载 Word 版（GB/T 9704）"
DOWNLOAD_HINT = "按 GB/T 9704—2012《党政机关公文格式》排版的 Word 文件（A4，3号仿宋，每页22行、每行28字）"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def docx_path(entry: Entry) -> str:
    """Site-relative path of a material's Word file: <folder>/<folder name>.docx."""
    rel = PurePosixPath(entry.rel)
    return str(rel / f"{rel.name}.docx")


def docx_url(entry: Entry) -> str:
    """The same path percent-encoded, as MkDocs writes page URLs (relative links need both alike)."""
    return quote(docx_path(entry))


def download_name(entry: Entry) -> str:
    """The file name a browser saves: the title, as users name their Word files."""
    title = entry.material.title if entry.material and entry.material.title else PurePosixPath(entry.rel).name
    return (_UNSAFE.sub("", title)[:80] or "material") + ".docx"


def is_title_page(src_path: str | Path) -> bool:
    """index.md carries the title; the other files of a folder carry 一级 sections."""
    return Path(src_path).name == "index.md"


def download_html(entry: Entry, href: str, *, title_page: bool) -> str:
    """The link shown on each page of a material (href relative and percent-encoded).
    data-gongwen-page tells the print style whether the page's h1 is the title or a 一级 heading."""
    kind = "title" if title_page else "section"
    # Material's content-button class floats it to the top right, beside the page's title.
    link = (f'<a class="md-content__button gongwen-download" data-gongwen-page="{kind}" data-search-exclude '
            f'href="{html.escape(href)}" download="{html.escape(download_name(entry))}" '
            f'title="{html.escape(DOWNLOAD_HINT)}">{html.escape(DOWNLOAD_LABEL)}</a>\n')
    mark = marking(entry.meta)
    if mark:  # 草稿 / 征求意见稿 / 密级 on paper too (the Word file has it in its header)
        link += f'<p class="gongwen-print-marking" data-search-exclude>{html.escape(mark)}</p>\n'
    return link


def title_lines_html(page_html: str, title: str) -> str:
    """Mark the lines of a long title in the page's h1 (spans, one per line as in the Word
    file), so print breaks it between words; on screen the spans run together as before."""
    lines = split_title(title)
    match = re.search(r"(<h1\b[^>]*>)\s*" + re.escape(html.escape(title, quote=False)), page_html)
    if len(lines) < 2 or not match:
        return page_html
    spans = "".join(f'<span class="gongwen-title-line">{html.escape(line, quote=False)}</span>' for line in lines)
    return page_html[:match.start()] + match.group(1) + spans + page_html[match.end():]


def write_downloads(entries: list[Entry], site_dir: str | Path, written: dict[str, tuple] | None = None) -> list[Path]:
    """Write the .docx of each material into the built site.

    `written` (rel -> source stamp) lets `mkdocs serve` skip materials unchanged since the
    last rebuild whose file is still there.
    """
    site = Path(site_dir)
    out: list[Path] = []
    for entry in entries:
        if entry.material is None or entry.classified:
            continue
        target = site / docx_path(entry)
        if written is not None and written.get(entry.rel) == entry.stamp and target.is_file():
            continue
        write_docx(entry.material, entry.schema, target)
        if written is not None:
            written[entry.rel] = entry.stamp
        out.append(target)
    return out


__all__ = ["DOWNLOAD_LABEL", "docx_path", "docx_url", "download_html", "download_name", "is_title_page", "title_lines_html",
           "write_downloads"]
