"""The site's Word downloads: where each material's .docx goes, the link on its pages, and
writing them after a build. Pure (no mkdocs); hooks/export_hooks.py adapts it.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..export.docx import write_docx
from ..export.layout import marking, split_title
from ..files import write_atomic
from ..untrusted import esc
from ..untrusted import href as quote_href
from .catalogue import Entry, code_version, folder_hash

DOWNLOAD_LABEL = "下载 Word 版（GB/T 9704）"
DOWNLOAD_HINT = "按 GB/T 9704—2012《党政机关公文格式》排版的 Word 文件（A4，3号仿宋，每页22行、每行28字）"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def docx_path(entry: Entry) -> str:
    """Site-relative path of a material's Word file: <folder>/<download_name>. The same name the
    browser saves and the offline bundle holds: one file name everywhere."""
    return str(PurePosixPath(entry.rel) / download_name(entry))


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
            f'href="{quote_href(href)}" download="{esc(download_name(entry))}" '
            f'title="{esc(DOWNLOAD_HINT)}">{esc(DOWNLOAD_LABEL)}</a>\n')
    mark = marking(entry.meta)
    if mark:  # 草稿 / 征求意见稿 / 密级 on paper too (the Word file has it in its header)
        link += f'<p class="gongwen-print-marking" data-search-exclude>{esc(mark)}</p>\n'
    return link


def title_lines_html(page_html: str, title: str, split=split_title) -> str:
    """Mark the lines of a long title in the page's h1 (spans, one per line as in the Word
    file), so print breaks it between words; on screen the spans run together as before.
    `split` may be a TitleLines cache."""
    lines = split(title)
    match = re.search(r"(<h1\b[^>]*>)\s*" + re.escape(html.escape(title, quote=False)), page_html)
    if len(lines) < 2 or not match:
        return page_html
    spans = "".join(f'<span class="gongwen-title-line">{esc(line)}</span>' for line in lines)
    return page_html[:match.start()] + match.group(1) + spans + page_html[match.end():]


def exporter_version() -> str:
    """What, besides a material's own files, shapes its Word file: gongwen's code and data and
    the schemas (code_version: any change to them counts) and the python-docx version."""
    global _EXPORTER
    if _EXPORTER is None:
        from importlib.metadata import version

        _EXPORTER = hashlib.sha256(
            f"gongwen-docx-cache {CACHE_FORMAT}; {code_version()}; python-docx {version('python-docx')}".encode()
        ).hexdigest()[:16]
    return _EXPORTER


CACHE_FORMAT = 1
_EXPORTER: str | None = None


def export_key(entry: Entry) -> str:
    """The cache key of a material's Word file: a hash of the names and contents of the files
    in its folder, its schema, and the exporter version."""
    h = hashlib.sha256(exporter_version().encode() + b"\0" + repr(entry.schema).encode() + b"\0")
    h.update(entry.digest or folder_hash(entry.folder))
    return h.hexdigest()[:32]


class TitleLines:
    """split_title results kept in the cache folder: splitting a title needs jieba, whose
    dictionary alone takes about a second to load, for titles that rarely change."""

    def __init__(self, cache_dir: str | Path | None):
        self.path = Path(cache_dir) / "titles.json" if cache_dir else None
        self.lines: dict[str, list[str]] = {}
        self.changed = False
        if self.path and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == exporter_version():
                    self.lines = data["titles"]
            except (OSError, ValueError, KeyError):
                pass

    def __call__(self, title: str) -> list[str]:
        if title not in self.lines:
            self.lines[title] = split_title(title)
            self.changed = True
        return self.lines[title]

    def save(self) -> None:
        if not (self.path and self.changed):
            return
        write_atomic(self.path, json.dumps({"version": exporter_version(), "titles": self.lines}, ensure_ascii=False))
        self.changed = False


def cached_docx(entry: Entry, cache_dir: str | Path) -> tuple[Path, bool]:
    """The material's Word file from the cache, written there first if its key is new.
    Returns (cached file, whether it was written now). One file per material, named by its
    folder, with the key it was made for beside it (<name>.key): a new key replaces both."""
    cache = Path(cache_dir)
    name = hashlib.sha256(entry.rel.encode()).hexdigest()[:24]
    path, stamp = cache / f"{name}.docx", cache / f"{name}.key"
    key = export_key(entry)
    try:
        if path.is_file() and stamp.read_text(encoding="ascii") == key:
            return path, False
    except OSError:
        pass
    write_docx(entry.material, entry.schema, path)  # itself atomic (temporary file + os.replace)
    write_atomic(stamp, key)
    return path, True


def write_downloads(entries: list[Entry], site_dir: str | Path, written: dict[str, tuple] | None = None,
                    cache_dir: str | Path | None = None) -> list[Path]:
    """Write the .docx of each material into the built site; returns the files exported anew.

    `written` (rel -> source stamp) lets `mkdocs serve` skip materials unchanged since the
    last rebuild whose file is still there. With `cache_dir`, a material whose files and
    exporter are unchanged since any earlier build is copied from the cache instead of being
    exported again (`make build` uses .cache/docx).
    """
    site = Path(site_dir)
    out: list[Path] = []
    for entry in entries:
        if entry.material is None or entry.classified:
            continue
        target = site / docx_path(entry)
        if written is not None and written.get(entry.rel) == entry.stamp and target.is_file():
            continue
        if cache_dir is None:
            write_docx(entry.material, entry.schema, target)
            out.append(target)
        else:
            cached, fresh = cached_docx(entry, cache_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, target)
            if fresh:
                out.append(target)
        if written is not None:
            written[entry.rel] = entry.stamp
    return out


__all__ = [
    "DOWNLOAD_LABEL",
    "TitleLines",
    "cached_docx",
    "docx_path",
    "docx_url",
    "download_html",
    "download_name",
    "export_key",
    "exporter_version",
    "is_title_page",
    "title_lines_html",
    "write_downloads",
]
