"""审核汇总.xlsx with openpyxl: one row per INBOX file, frozen header, filters, coloured 结论."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .rows import COLUMNS, TEXT_KEYS, Row

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
    text_columns = [i for i, (key, _, _) in enumerate(COLUMNS, 1) if key in TEXT_KEYS]
    for row in rows:
        ws.append([row.cell(key) for key, _, _ in COLUMNS])
        for col in text_columns:  # "=…" in a unit's name stays text (openpyxl would write a formula)
            cell = ws.cell(ws.max_row, col)
            if isinstance(cell.value, str):
                cell.data_type = "s"
        colour = FILL.get(row.conclusion)
        if colour:
            ws.cell(ws.max_row, concl).fill = PatternFill("solid", start_color=colour, end_color=colour)
    for i, (_, _, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"  # file and unit stay visible while scrolling
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(ws.max_row, 1)}"

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        from .batch import readable

        readable(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
