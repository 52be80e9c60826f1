"""Tables of a Word file into the model (a 整改清单 is usually a Word table), and a 密级 mark
set in the page header, which the paragraphs the legacy reader takes do not include.

The legacy reader takes the body's paragraphs only (line N is the N-th paragraph); a table
is placed as a Table block in the section of the paragraph before it, with that paragraph's
line, so the ledger reads a received .docx/.doc as it reads a Markdown table.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Cell, Material, Row, Section, Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECRET = re.compile(r"^\s*(绝密|机密|秘密)\s*(?:[★☆*＊]\s*\S{0,8})?\s*$")


def _header_mark(doc, mat: Material, path: str) -> None:
    """A 密级 in a page header counts as one above the title (security.classified)."""
    for section in doc.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if header.is_linked_to_previous and section is not doc.sections[0]:
                continue
            for para in header.paragraphs:
                if SECRET.match(para.text):
                    mat.notes.append(Diagnostic(path, 1, 1, "security.classified", "error",
                                                f"页眉标有密级“{para.text.strip()}”，属于国家秘密，不得发布到网站，"
                                                "也不应在非涉密计算机上处理", "将材料移出本仓库，按保密规定在涉密设备上处理"))
                    return


def add_tables(mat: Material, docx: Path, path: str) -> int:
    """Add the tables of `docx` to `mat` (whose locations say `path`); how many were added."""
    from docx import Document
    from docx.table import Table as DocxTable

    try:
        doc = Document(str(docx))
    except Exception:  # noqa: BLE001 - the paragraphs were read already; no tables then
        return 0
    _header_mark(doc, mat, path)
    sections = list(mat.walk())
    added = 0
    paragraphs = 0
    for child in doc.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraphs += 1
        elif child.tag == f"{_W}tbl":
            grid = [[c.text.strip() for c in row.cells] for row in DocxTable(child, doc).rows]
            grid = [r for r in grid if any(r)]
            if len(grid) < 2 or max(len(r) for r in grid) < 2:
                continue  # a layout table (a signature block, a boxed note), not a table of data
            line = max(paragraphs, 1)
            host = _section_at(sections, line)
            if host is None:
                continue
            width = len(grid[0])
            table = Table(path, line, 1, header=[Cell(path, line, i + 1, text=t) for i, t in enumerate(grid[0])])
            for cells in grid[1:]:
                cells = (cells + [""] * width)[:width]  # as GFM: short rows padded, extra cells dropped
                table.rows.append(Row(path, line, 1, cells=[Cell(path, line, i + 1, text=t) for i, t in enumerate(cells)]))
            at = sum(1 for b in host.blocks if b.line <= line)
            host.blocks.insert(at, table)
            added += 1
    return added


def _section_at(sections: list[Section], line: int) -> Section | None:
    """The section a line belongs to: the last one (in reading order) starting at or before it."""
    found = None
    for sec in sections:
        if sec.line <= line:
            found = sec
    return found
