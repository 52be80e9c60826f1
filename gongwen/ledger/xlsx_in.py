"""A ledger made in Excel or WPS, read back as a Markdown table (openpyxl).

Offices put a title row and a 填报单位 row above the header, merge the problem cell over
its several measure rows, and store dates as Excel dates or as text. Everything that is not
placed in the table is reported with its cell address, never dropped silently."""

from __future__ import annotations

import datetime
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import input_error
from ..numbering import table_markdown
from ..read.budget import BoundedReader, Counter
from ..read.package import check_package
from ..schema import GENERIC
from .conventions import conventions
from .deadline import deadline_words
from .types import Deadline
from .xlsx_out import OVERDUE

HEADER_SCAN = 15  # the header is within the first rows
CLASSIFIED = re.compile(r"(绝密|机密|秘密)\s*(★|☆|\*|$)")
# Columns of our own export that describe the material rather than the row.
MATERIAL_COLUMNS = ("单位", "材料")


@dataclass
class Imported:
    header: list[str]
    rows: list[list[str]]
    title: str = ""
    unit: str = ""
    notes: list[str] = field(default_factory=list)  # recognised, not placed in the table (for information)
    unplaced: list[str] = field(default_factory=list)  # cells that could not be placed: "D7：……"

    def markdown(self, heading: str = "整改清单") -> str:
        return f"# {heading}\n\n" + table_markdown(self.header, self.rows) + "\n"


def _text(value, number_format: str = "", deadline: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if not deadline:
            return value.isoformat()
        form = "年底" if "年底" in number_format else "月底" if "月底" in number_format else "日"
        return deadline_words(Deadline("", "date", value, form))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _grid(ws) -> tuple[dict[tuple[int, int], tuple], int, int]:
    """(row, column) -> (value, number_format), merged ranges filled from their top-left cell."""
    grid: dict[tuple[int, int], tuple] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                grid[(cell.row, cell.column)] = (cell.value, cell.number_format or "")
    for rng in ws.merged_cells.ranges:
        top = grid.get((rng.min_row, rng.min_col))
        if top is None:
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                grid[(r, c)] = top
    rows = max((r for r, _ in grid), default=0)
    cols = max((c for _, c in grid), default=0)
    return grid, rows, cols


def _address(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def read_xlsx(path: str | Path) -> Imported:
    """Read the first sheet that holds a ledger header. Raises InputError for a file that is
    not a readable .xlsx, has no ledger header, or is marked 秘密/机密/绝密."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if path.suffix.lower() in (".xls", ".et"):
        raise input_error(path, "不支持旧的 .xls/.et 格式", "在 Excel 或 WPS 中“另存为”.xlsx 后再导入", rule="input.read")
    unsaved = _prescan(path)  # budgets first: openpyxl makes an object per cell of a merged range
    try:
        check_package(path, "Excel 文件")
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise input_error(path, "文件不存在", "请检查路径", rule="input.read") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        # SyntaxError: ElementTree's ParseError, for XML that is not well-formed
        raise input_error(path, f"无法读取 Excel 文件：{type(exc).__name__}",
                          "文件可能已损坏或不是 .xlsx；在 Excel 或 WPS 中打开后另存为 .xlsx 再试", rule="input.read") from None
    conv = conventions(GENERIC)
    for ws in wb.worksheets:
        grid, nrows, ncols = _grid(ws)
        header_row = _find_header(grid, nrows, ncols, conv)
        if header_row:
            out = _read_sheet(path, ws.title, grid, nrows, ncols, header_row, conv)
            if unsaved:
                out.unplaced += _formulas_without_values(path, ws.title, grid)
            return out
    raise input_error(path, "没有找到整改清单的表头（问题、整改措施等列）",
                      "表头应含“问题”“整改措施”“完成时限”等列名，且在前 15 行内", rule="input.read")


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _prescan(path: Path) -> bool:
    """Stream every worksheet once, checking the budgets (cells, merged ranges and the cells
    they cover, inflated size) before openpyxl builds anything. True when a formula cell has
    no saved value (a file written by a program, never opened in Excel): such cells read as
    empty, so they are reported, not dropped."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    counter, used, unsaved = Counter(path), [0], False
    try:
        with zipfile.ZipFile(path) as zf:
            for name in (n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                with zf.open(name) as raw:
                    for _, el in etree.iterparse(BoundedReader(raw, path, used), events=("end",), resolve_entities=False,
                                                 no_network=True, load_dtd=False, huge_tree=False):
                        if el.tag == f"{_S}c":
                            counter.add("cells", where=name)
                            value = el.find(f"{_S}v")
                            unsaved = unsaved or (el.find(f"{_S}f") is not None and (value is None or not value.text))
                            el.clear()
                        elif el.tag == f"{_S}mergeCell":
                            counter.add("merged", where=name)
                            c1, r1, c2, r2 = range_boundaries(el.get("ref") or "A1")
                            counter.add("merged_cells", (c2 - c1 + 1) * (r2 - r1 + 1), where=f"{name}：{el.get('ref')}")
                        elif el.tag == f"{_S}row":
                            el.clear()
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError, TypeError):
        return False  # openpyxl reports what is wrong with the file
    return unsaved


def _formulas_without_values(path: Path, sheet: str, grid) -> list[str]:
    from openpyxl import load_workbook

    ws = load_workbook(path, data_only=False)[sheet]
    return [f"{cell.coordinate}：公式“{cell.value}”没有保存的计算结果（在 Excel 或 WPS 中打开、保存后再导入）"
            for row in ws.iter_rows() for cell in row
            if cell.data_type == "f" and (cell.row, cell.column) not in grid]


def _find_header(grid, nrows: int, ncols: int, conv) -> int | None:
    for r in range(1, min(nrows, HEADER_SCAN) + 1):
        meanings = {conv.meaning(_text(grid.get((r, c), (None,))[0])) for c in range(1, ncols + 1)}
        if {"problem", "measure"} <= meanings:
            return r
    return None


def _read_sheet(path: Path, sheet: str, grid, nrows: int, ncols: int, header_row: int, conv) -> Imported:
    # Cells a merged range filled in are the same tuple as their top-left cell: a merged
    # title row is one cell, not one per column.
    out = Imported([], [])
    seen: set[int] = set()
    for r in range(1, header_row):
        for c in range(1, ncols + 1):
            item = grid.get((r, c))
            if item is None or id(item) in seen:
                continue
            seen.add(id(item))
            text = _text(item[0])
            if not text:
                continue
            if CLASSIFIED.search(text):
                raise input_error(path, f"表格标注了密级（{_address(r, c)}：“{text}”），涉密材料不得导入",
                                  "按保密规定处理，不要放入材料库", line=r, rule="security.classified")
            m = re.match(r"^\s*填报单位\s*[:：]?\s*(.*)$", text)
            if m:
                out.unit = m.group(1).strip()
                out.notes.append(f"{_address(r, c)}：填报单位“{out.unit}”")
            elif not out.title:
                out.title = text
                out.notes.append(f"{_address(r, c)}：标题“{text}”")
            else:
                out.unplaced.append(f"{_address(r, c)}：表头之上的“{text}”没有导入")
    headers = {c: _text(grid.get((header_row, c), (None,))[0]) for c in range(1, ncols + 1)}
    keep = [c for c, h in headers.items() if h and h != OVERDUE]
    if any(h == OVERDUE for h in headers.values()):
        out.notes.append(f"“{OVERDUE}”列由系统按完成时限和状态计算，没有导入")
    deadline_cols = {c for c in keep if conv.meaning(headers[c]) == "deadline"}
    problem_cols = [c for c in keep if conv.meaning(headers[c]) == "problem"]
    measure_cols = [c for c in keep if conv.meaning(headers[c]) == "measure"]
    rows: list[tuple[int, list[str]]] = []
    for r in range(header_row + 1, nrows + 1):
        values = {c: _text(*grid[(r, c)][:2], deadline=c in deadline_cols) if (r, c) in grid else ""
                  for c in range(1, ncols + 1)}
        if not any(values.values()):
            continue
        stray = [c for c in range(1, ncols + 1) if values[c] and c not in keep and headers.get(c) != OVERDUE]
        for c in stray:
            out.unplaced.append(f"{_address(r, c)}：“{values[c]}”所在列没有表头，没有导入")
        if not any(values[c] for c in problem_cols + measure_cols):
            # A note under the table (填表说明, 填表人 …): not a measure.
            for c in keep:
                if values[c] and not _merged_from_above(grid, r, c):
                    out.unplaced.append(f"{_address(r, c)}：“{values[c]}”不在问题或整改措施的行中，没有导入")
            continue
        rows.append((r, [values[c] for c in keep]))
    # 单位 / 材料 of our own export: a column that says the same on every row describes the
    # material; it goes to the notes, not into the table.
    names = [headers[c] for c in keep]
    drop = set()
    for i, name in enumerate(names):
        if name in MATERIAL_COLUMNS and conv.meaning(name) is None:
            distinct = {v[i] for _, v in rows}
            if len(distinct) <= 1:
                drop.add(i)
                if distinct and next(iter(distinct)):
                    out.notes.append(f"“{name}”列各行都是“{next(iter(distinct))}”，作为材料信息，没有写入表格")
    out.header = [n for i, n in enumerate(names) if i not in drop]
    out.rows = [[v for i, v in enumerate(values) if i not in drop] for _, values in rows]
    return out


def _merged_from_above(grid, r: int, c: int) -> bool:
    return (r - 1, c) in grid and grid[(r - 1, c)] is grid.get((r, c))

