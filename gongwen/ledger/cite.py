"""`gongwen fmt --write` for ledgers: a problem cell written as a number alone (（三）一是) becomes
number and lead (（三）一是：理论学习不深不透), the form that cannot re-point silently.

A number that re-pointed since the last check (memory.py) is rewritten to what it meant: the
remembered lead, under that problem's number now."""

from __future__ import annotations

from ..model import Material, Point
from ..numbering import md_cell
from ..schema import Schema
from . import memory
from .reader import read_ledger


def cite_numbers(text: str, path: str, mat: Material, schema: Schema) -> tuple[str, int]:
    """The source of `path` with its ledger's bare numbers cited with their leads, and how
    many cells changed. Cells with markup, or numbers that name nothing, are left as written."""
    ledger = read_ledger(mat, schema)
    if ledger is None or ledger.index is None or not ledger.problem_points:
        return text, 0
    remembered = memory.recall(mat)
    lines = text.split("\n")
    changed = 0
    for row in ledger.rows:
        cell = row.cells.get("problem")
        if cell is None or cell.path != path or not cell.text.strip() or not any(r.key for r in row.problems):
            continue
        parts = []
        for ref in row.problems:
            target: Point | None = ref.point
            old = memory.meant(remembered, row, ref)
            if old:
                target = ledger.index.find_lead(old)
            parts.append(ledger.index.cite(target) if ref.key and target is not None else ref.text)
        new = md_cell("；".join(parts))
        i, pos = cell.line - 1, cell.column - 1
        line = lines[i]
        if new == cell.text or line[pos:pos + len(cell.text)] != cell.text:
            continue  # nothing to add, or the source differs from the text read (bold, <br>): left alone
        lines[i] = line[:pos] + new + line[pos + len(cell.text):]
        changed += 1
    return "\n".join(lines), changed
