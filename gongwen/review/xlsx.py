"""审核汇总.xlsx with openpyxl: one row per INBOX file, frozen header, filters, coloured 结论."""

from __future__ import annotations

import io
from pathlib import Path

from ..files import write_bytes_atomic
from ..untrusted import text_cells
from .rows import COLUMNS, Row

FILL = {"通过": "C6EFCE", "需修改": "FFEB9C", "需重写": "FFC7CE"}


def write_xlsx(rows: list[Row], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "审核汇总"
    ws.append([header for _, header, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    concl = [k for k, _, _ in COLUMNS].index("conclusion") + 1
    for row in rows:
        ws.append([row.cell(key) for key, _, _ in COLUMNS])
        text_cells(ws[ws.max_row])  # a file name or title from a unit is never a formula
        colour = FILL.get(row.conclusion)
        if colour:
            ws.cell(ws.max_row, concl).fill = PatternFill("solid", start_color=colour, end_color=colour)
    for i, (_, _, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"  # file and unit stay visible while scrolling
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(ws.max_row, 1)}"

    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(path, buf.getvalue())
