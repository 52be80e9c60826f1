"""The 整改清单 in the Word export, as offices print it: its own landscape section, 小四 仿宋
cells left-aligned without indent, columns as wide as their content, the header row on every
page, no row split, the 落款 kept with the table; rendered by LibreOffice and measured."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml.ns import qn

from gongwen.check import resolve_schema
from gongwen.export.docx import STYLE_CELL, write_docx
from gongwen.read import load

from .conftest import REPO
from .office import MM, fontconfig_env, fonts_missing, soffice_to_pdf
from .test_export_docx import _rows, _text

SAMPLE = REPO / "docs" / "示例-2024-青禾镇党委"
MEASURE_HEAD = "整改措施"


@pytest.fixture(scope="module")
def eight_rows(tmp_path_factory) -> Path:
    """The example material with an 8-row ledger (its last two rows dropped), exported."""
    work = tmp_path_factory.mktemp("ledger")
    folder = work / "材料"
    shutil.copytree(SAMPLE, folder)
    ledger = folder / "06-整改清单.md"
    lines = ledger.read_text(encoding="utf-8").splitlines()
    rows = [i for i, line in enumerate(lines) if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 10
    ledger.write_text("\n".join(lines[:rows[8]] + lines[rows[-1] + 1:]) + "\n", encoding="utf-8")
    mat = load(folder)
    mat.meta["date"] = "2025-01-10"
    out = work / "示例.docx"
    write_docx(mat, resolve_schema(mat)[0], out)
    return out


@pytest.fixture(scope="module")
def pdf_pages(eight_rows, tmp_path_factory):
    import pdfplumber

    missing = fonts_missing()
    if missing:
        pytest.fail(missing)
    work = tmp_path_factory.mktemp("soffice")
    pdf = soffice_to_pdf(eight_rows, work / "out", work / "profile", fontconfig_env(work / "fc"))
    with pdfplumber.open(pdf) as doc:
        yield [(p.width, p.height, list(p.chars), [e for e in p.edges if e["orientation"] == "v"])
               for p in doc.pages]


@pytest.fixture(scope="module")
def ledger_inside_pages(tmp_path_factory):
    """The example with its 整改措施 moved after the 整改清单: portrait pages follow the landscape
    ones, rendered by LibreOffice (page number and orientation of each page)."""
    import pdfplumber

    missing = fonts_missing()
    if missing:
        pytest.fail(missing)
    work = tmp_path_factory.mktemp("inside")
    folder = work / "材料"
    shutil.copytree(SAMPLE, folder)
    (folder / "05-整改措施.md").rename(folder / "07-整改措施.md")
    mat = load(folder)
    out = work / "示例.docx"
    write_docx(mat, resolve_schema(mat)[0], out)
    pdf = soffice_to_pdf(out, work / "out", work / "profile", fontconfig_env(work / "fc"))
    with pdfplumber.open(pdf) as doc:
        return [(p.width, p.height, list(p.chars), []) for p in doc.pages]


def _lines(chars) -> list[list[dict]]:
    return _rows(SimpleNamespace(chars=chars))  # text lines, as the seed's PDF tests cluster them


def _sheet_number(page) -> tuple[str, list[tuple[float, float, float, float]]]:
    """The page number as read with the sheet held in portrait, and its glyphs' boxes (x0, x1,
    top, bottom) in millimetres on the portrait sheet. A landscape page is printed with its top
    at the sheet's left (binding) edge, so the sheet's bottom strip is its left strip."""
    w, h, chars, _ = page
    if w < h:  # below the type area, read left to right
        glyphs = sorted((c for c in chars if c["top"] > h - 35 * MM), key=lambda c: c["x0"])
        boxes = [(c["x0"], c["x1"], c["top"], c["bottom"]) for c in glyphs]
    else:  # left of the type area, read top to bottom, glyphs turned so as to stand upright on the sheet
        glyphs = sorted((c for c in chars if c["x1"] < 35 * MM), key=lambda c: c["top"])
        assert all(not c["upright"] and c["matrix"][1] < 0 < c["matrix"][2] for c in glyphs), glyphs
        boxes = [(c["top"], c["bottom"], w - c["x1"], w - c["x0"]) for c in glyphs]
    return "".join(c["text"] for c in glyphs), [tuple(v / MM for v in b) for b in boxes]


def _assert_page_numbers_in_place(pages) -> None:
    """GB/T 9704 §7.5 and §10.2: — N — in sequence on every page, and on the sheet every page's
    number where a portrait page of its parity has it (odd right, even left, one character in;
    7 mm below the type area), landscape pages included."""
    numbers = [_sheet_number(p) for p in pages]
    assert [text for text, _ in numbers] == [f"— {n} —" for n in range(1, len(pages) + 1)]
    portrait = {n % 2: boxes for n, (p, (_, boxes)) in enumerate(zip(pages, numbers), 1) if p[0] < p[1]}
    assert portrait[1][0][0] > 105 > portrait[0][-1][1]  # odd pages on the right, even on the left
    for n, (_, boxes) in enumerate(numbers, 1):
        for got, want in ((boxes[0], portrait[n % 2][0]), (boxes[-1], portrait[n % 2][-1])):  # the dashes
            assert all(abs(a - b) < 0.5 for a, b in zip(got, want)), f"page {n}: {got} != {want}"


def test_docx_ledger_section_and_cell_style(eight_rows):
    doc = Document(str(eight_rows))
    portrait, landscape = doc.sections[0], doc.sections[-1]
    assert portrait.page_width < portrait.page_height
    assert landscape.page_width > landscape.page_height  # the ledger (the last section) is landscape
    style = doc.styles[STYLE_CELL]
    assert style.base_style is None  # nothing inherited from Normal's first-line indent
    ind = style.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "0" and ind.get(qn("w:firstLine")) == "0"
    assert style.element.pPr.find(qn("w:jc")).get(qn("w:val")) == "left"
    assert style.font.size.pt == 12  # 小四
    (table,) = doc.tables
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    widths = [c.w for c in table._tbl.tblGrid.gridCol_lst]
    header = [c.text for c in table.rows[0].cells]
    by_name = dict(zip(header, widths))
    assert by_name["序号"] < by_name["状态"] < by_name["问题"] < by_name[MEASURE_HEAD]


@pytest.mark.slow
def test_libreoffice_ledger_pages(pdf_pages):
    ledger_pages = [i for i, (_, _, chars, _) in enumerate(pdf_pages) if MEASURE_HEAD in _text(chars)
                    and "序号" in _text(chars)]
    assert 1 <= len(ledger_pages) <= 2, ledger_pages  # 8 rows fit on two pages
    for i, (w, h, chars, _) in enumerate(pdf_pages):
        assert (w > h) == (i in ledger_pages), f"page {i + 1}: only the ledger's pages are landscape"
    _assert_page_numbers_in_place(pdf_pages)
    seen_rows: list[str] = []
    for i in ledger_pages:
        w, h, chars, edges = pdf_pages[i]
        lines = _lines(chars)
        head = next(line for line in lines if _text(line).startswith("序号"))
        assert "问题" in _text(head) and MEASURE_HEAD in _text(head)  # the header row, on every page
        # The 整改措施 column: between the vertical rules around its header.
        x = next(c for c in head if c["text"] == "整")["x0"]
        xs = sorted({round(e["x0"], 1) for e in edges})
        left, right = max(v for v in xs if v < x), min(v for v in xs if v > x)
        below = [c for c in chars if c["top"] > head[0]["bottom"] and left < c["x0"] < right]
        cells = _lines(below)
        assert max(len(_text(line)) for line in cells) >= 12, [_text(line) for line in cells]
        starts = {round(line[0]["x0"]) for line in cells}
        assert max(starts) - min(starts) <= 1, "left-aligned, no first-line indent"
        assert {round(c["size"]) for c in below} == {12}  # 小四
        assert all("Fang" in c["fontname"] for c in below), {c["fontname"] for c in below}
        # Row numbers in the 序号 column: each row once, so no row is split over two pages.
        number_right = min(v for v in xs if v > head[0]["x1"])
        first = [c for c in chars if c["top"] > head[0]["bottom"] and xs[0] < c["x0"] and c["x1"] < number_right]
        seen_rows += [t for line in _lines(first) if (t := _text(line)).isdigit()]
    assert seen_rows == [str(n) for n in range(1, 9)]
    # The 落款 is on the last ledger page, under the table.
    last = _text(pdf_pages[ledger_pages[-1]][2])
    assert "青禾镇党委（虚构示例）" in last and "2025年1月10日" in last


@pytest.mark.slow
def test_libreoffice_portrait_numbers_after_the_ledger(ledger_inside_pages):
    # The pages after the ledger are portrait again, numbered as the ones before it.
    shapes = [w > h for w, h, _, _ in ledger_inside_pages]
    assert True in shapes and shapes[-1] is False and shapes.index(True) > 0
    _assert_page_numbers_in_place(ledger_inside_pages)
