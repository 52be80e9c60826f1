"""Tables of a Word file into the model (a 整改清单 is usually a Word table).

The legacy reader takes the body's paragraphs only (line N is the N-th paragraph); a table
is placed as a Table block in the section of the paragraph before it, with that paragraph's
line, so the ledger reads a received .docx/.doc as it reads a Markdown table.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Cell, Material, Row, Section, Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

def add_tables(mat: Material, docx: Path, path: str) -> int:
    """Add the tables of `docx` to `mat` (whose locations say `path`); how many were added."""
    from docx import Document
    from docx.table import Table as DocxTable

    try:
        doc = Document(str(docx))
    except Exception:  # noqa: BLE001 - the paragraphs were read already; no tables then
        return 0
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
