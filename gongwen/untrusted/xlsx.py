"""xlsx cells from outside text: always stored as strings, never as formulas.

openpyxl stores a str starting with "=" as a formula. Setting the cell's data type to "s"
keeps the value as written (so `gongwen ledger import` reads back exactly what was
exported, and a `'` prefix never has to be stripped again); Excel and WPS then show and
keep it as text. Values starting with + - @ tab or CR are already strings in openpyxl and
stay so.
"""

from __future__ import annotations


def text_cell(cell):
    """Make an openpyxl cell (normal or write-only) whose value is a str hold it as a string."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def text_cells(cells) -> None:
    for cell in cells:
        text_cell(cell)
