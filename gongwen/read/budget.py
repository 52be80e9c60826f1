"""Budgets for one input file, stated once and checked while the file is read (not after):
a file over one is refused with a Chinese message naming the limit, before it can take the
memory or the time of a whole run. A real material is far inside every one of them."""

from __future__ import annotations

from ..diagnostics import InputError, input_error

MAX_BYTES = 20 * 1024 * 1024  # a file on disk (a material is a few dozen KB)
MAX_XML_BYTES = 32 * 1024 * 1024  # the text parts of a .docx/.odt/.xlsx once inflated
MAX_PARAGRAPHS = 20_000
MAX_PARAGRAPH_CHARS = 100_000  # one paragraph (or one line of a .txt)
MAX_CHARS = 2_000_000  # all the text of one file (about 1000 pages): copy detection's time grows with it
MAX_CELLS = 100_000  # table cells (.docx/.odt) or filled cells (.xlsx)
MAX_MERGED = 5_000  # merged ranges
MAX_MERGED_CELLS = 100_000  # cells covered by merged ranges
MAX_DEPTH = 32  # nesting: tables in tables, text boxes, Markdown lists and quotes
MAX_PDF_PAGES = 500

# Each budget as the user reads it: what is counted, and its unit.
LIMITS = {
    "bytes": ("文件大小", MAX_BYTES, "字节"),
    "xml": ("文字部分展开后的大小", MAX_XML_BYTES, "字节"),
    "paragraphs": ("段落数", MAX_PARAGRAPHS, "段"),
    "chars": ("单个段落的长度", MAX_PARAGRAPH_CHARS, "字"),
    "text": ("文字总量", MAX_CHARS, "字"),
    "cells": ("表格单元格数", MAX_CELLS, "格"),
    "merged": ("合并单元格区域数", MAX_MERGED, "处"),
    "merged_cells": ("合并单元格覆盖的格数", MAX_MERGED_CELLS, "格"),
    "depth": ("嵌套层数", MAX_DEPTH, "层"),
    "pages": ("PDF 页数", MAX_PDF_PAGES, "页"),
}
HINT = "这不像一份材料：请报送单位拆分文件或提供正常的 Word/PDF 原稿；确需处理请在涉及的部门人工审阅"
RULE = "input.budget"


def over(path, kind: str, line: int = 1, where: str = "") -> InputError:
    """The error for a file past one budget, naming the limit."""
    what, limit, unit = LIMITS[kind]
    at = f"（{where}）" if where else ""
    return input_error(path, f"超出输入预算：{what}超过上限 {limit:,} {unit}{at}，未读取此文件", HINT, line=line, rule=RULE)


class Counter:
    """Counts of one file against the budgets; `add` raises as soon as one is passed."""

    def __init__(self, path):
        self.path = path
        self.counts: dict[str, int] = {}

    def add(self, kind: str, n: int = 1, where: str = "") -> None:
        total = self.counts.get(kind, 0) + n
        self.counts[kind] = total
        if total > LIMITS[kind][1]:
            raise over(self.path, kind, where=where)


class BoundedReader:
    """A zip member's stream that refuses to inflate past MAX_XML_BYTES (counted over all the
    parts read into `used`), whatever sizes the zip's headers claim."""

    def __init__(self, raw, path, used: list[int]):
        self.raw, self.path, self.used = raw, path, used

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n if n and n > 0 else 1 << 16)
        self.used[0] += len(data)
        if self.used[0] > MAX_XML_BYTES:
            raise over(self.path, "xml")
        return data
