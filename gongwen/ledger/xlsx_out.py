"""The ledger as an Excel workbook (openpyxl): one sheet, one row per measure.

完成时限 is a real Excel date where it is one; its number format shows it as written
(2025年3月底前), which is also how the importer gets the words back. 状态 holds one of the
four states, with a drop-down; a status word that differs is kept as a cell comment."""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from ..files import write_bytes_atomic
from ..model import Material
from ..untrusted import text_cell
from .summary import is_overdue
from .types import STATES, Ledger, LedgerRow

HEADERS = ("单位", "材料", "问题", "整改措施", "责任领导", "责任人", "完成时限", "状态", "逾期")
WIDTHS = (16, 30, 36, 50, 12, 18, 16, 10, 8)  # in characters of a Latin font: a CJK character takes 2
WRAPPED = (1, 2, 3, 5)  # 材料, 问题, 整改措施, 责任人: the cells long enough to wrap
SHEET = "整改台账"
OVERDUE = "逾期"
# Number formats that show a date as a ledger writes it; the importer reads the form back from them.
DATE_FORMATS = {"日": 'yyyy"年"m"月"d"日"', "月底": 'yyyy"年"m"月底前"', "年底": 'yyyy"年底前"'}


@dataclass
class SheetRow:
    values: tuple  # in HEADERS order; 完成时限 a datetime.date or text
    date_format: str = ""
    status_word: str = ""  # the status as written, when it differs from the state


def problem_cell(row: LedgerRow) -> str:
    """问题 as number path and lead (（一）一是：理论学习不深不透), the words where unresolved."""
    if not row.problems:
        return row.problem_text
    parts = []
    for ref in row.problems:
        parts.append(f"{ref.label}：{ref.lead.rstrip('。')}" if ref.point is not None else ref.text)
    return "；".join(parts)


def sheet_rows(mat: Material, ledger: Ledger, today: datetime.date) -> list[SheetRow]:
    out = []
    unit, title = str(mat.meta.get("unit") or ""), mat.title
    for row in ledger.rows:
        d = row.deadline
        when, fmt = d.text, ""
        if d.kind == "date" and d.date is not None:
            when, fmt = d.date, DATE_FORMATS.get(d.form, DATE_FORMATS["月底"])
        values = (unit, title, problem_cell(row), row.measure, row.leader, row.person, when, row.state,
                  OVERDUE if is_overdue(row, today) else "")
        word = row.status_word if row.status_word and row.status_word != row.state else ""
        out.append(SheetRow(values, fmt, word))
    return out


def write_xlsx(rows: Iterable[SheetRow], out: str | os.PathLike) -> int:
    """Write the rows as a workbook at `out` (via a temporary file: never half a file).
    Returns the number of rows written. A write-only workbook: rows stream to the file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = list(rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    last = max(len(rows) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{last}"
    dv = DataValidation(type="list", formula1='"' + ",".join(STATES) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="状态", error="请选择：" + "、".join(STATES))
    dv.add(f"H2:H{max(last, 1000)}")
    ws.data_validations.append(dv)
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    wrap = Alignment(vertical="top", wrap_text=True)
    header = []
    for name in HEADERS:
        c = WriteOnlyCell(ws, name)
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(c)
    ws.append(header)
    # Setting a style on a cell looks it up in the workbook's style table each time (slow for
    # 100 000 cells): the few styles used are set up once and their style records copied
    # (openpyxl's way of copying a cell's style).
    body = WriteOnlyCell(ws)
    body.alignment = wrap
    late = WriteOnlyCell(ws)
    late.alignment, late.font = wrap, Font(color="C00000", bold=True)
    dated: dict[str, WriteOnlyCell] = {}
    for r in rows:
        cells: list = list(r.values)
        # Only the long texts wrap; short cells stay plain values (a styled cell costs 10x more).
        for i in WRAPPED:
            c = cells[i] = WriteOnlyCell(ws, r.values[i])
            c._style = copy(body._style)
        if r.date_format:
            proto = dated.get(r.date_format)
            if proto is None:
                proto = dated[r.date_format] = WriteOnlyCell(ws)
                proto.alignment, proto.number_format = wrap, r.date_format
            c = cells[6] = WriteOnlyCell(ws, r.values[6])
            c._style = copy(proto._style)
        if r.status_word:
            c = cells[7] = WriteOnlyCell(ws, r.values[7])
            c.comment = Comment(f"原文：{r.status_word}", "gongwen")
        if r.values[8]:
            c = cells[8] = WriteOnlyCell(ws, r.values[8])
            c._style = copy(late._style)
        for i, value in enumerate(cells):  # ledger text from a unit is never a formula
            if isinstance(value, str) and value.startswith("="):
                cells[i] = text_cell(WriteOnlyCell(ws, value))
            elif hasattr(value, "data_type"):  # a cell made above (WriteOnlyCell is a function, not a class)
                text_cell(value)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(Path(out), buf.getvalue())
    return len(rows)
