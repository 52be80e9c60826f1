"""Issue 25, item 1: the 密级 scan reads the whole package. A mark in any place Word, WPS or
LibreOffice shows (text box, tables, footnote, properties, headers of every kind, content
control, comment), in any spelling units use, or behind invisible lines, stops the file: no
material, nothing of its text in OUT, exit 2 for import. Each file is made in the test."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gongwen.cli import main as gongwen
from gongwen.intake import check_file, classified
from gongwen.check.secrecy import SPELLINGS as DATA
from gongwen.check.secrecy import mark_level

from .review_files import SOFFICE, convert
from .secret_files import (
    MARK,
    PLACEMENTS,
    SPELLINGS,
    TITLE,
    after_invisible_lines,
    placed,
    secret_inbox,
    spelled,
)

PLACES = {"text-box": "", "table-one-cell": "", "table-two-cells": "", "footnote": "脚注", "core-title": "文档属性",
          "first-page-header": "页眉", "even-page-header": "页眉", "header-table": "页眉", "content-control": "",
          "footer": "页脚", "comment": "批注", "endnote": "尾注"}


def _secret(path: Path) -> list:
    return classified(check_file(path, rules=["security.classified"]))


@pytest.mark.parametrize("where", PLACEMENTS)
def test_a_mark_in_any_part_of_a_word_file_is_found(tmp_path, where):
    found = _secret(placed(where, tmp_path / "来文.docx"))
    assert [d.severity for d in found] == ["error"]
    assert MARK in found[0].message and (f"位于{PLACES[where]}" in found[0].message if PLACES[where] else True)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_spellings_units_use_are_marks(tmp_path, spelling):
    assert _secret(spelled(spelling, tmp_path / "来文.docx"))


def test_a_mark_after_invisible_lines_is_found(tmp_path):
    found = _secret(after_invisible_lines(tmp_path / "来文.docx"))
    assert [d.line for d in found] == [7]


def test_every_spelling_in_the_data_list_is_a_mark_and_words_are_not():
    assert all(mark_level(example) for example in DATA["examples"])
    assert all(mark_level(f"\u200b{e}\u2060") for e in DATA["examples"])  # format characters removed first
    for words in ("保守秘密", "机密文件管理", "严守党和国家秘密。", "工作秘密", "密级：内部", "秘密工作要求", "本级"):
        assert mark_level(words) == ""


def test_a_mark_on_a_late_line_of_a_received_text_is_found(tmp_path):
    txt = tmp_path / "来文.txt"
    txt.write_text("\n".join([TITLE, "一、存在的问题", *["（一）在理论学习方面。一是学习不深。"] * 8, "【机密】"]), encoding="utf-8")
    assert [d.line for d in _secret(txt)] == [11]


@pytest.mark.parametrize("case", [*PLACEMENTS, *SPELLINGS, "invisible"])
def test_import_refuses_and_writes_nothing(tmp_path, capsys, case):
    src = tmp_path / "来文.docx"
    if case in PLACEMENTS:
        placed(case, src)
    elif case == "invisible":
        after_invisible_lines(src)
    else:
        spelled(case, src)
    out = tmp_path / "out"
    assert gongwen(["import", str(src), "-o", str(out)]) == 2
    assert not out.exists()
    assert "security.classified" in capsys.readouterr().err


def _texts_in(folder: Path) -> str:
    """Every byte of text in a folder, inside zip files (the workbook) too; not the project's own
    site configuration the workbench carries (.gongwen-site/: copied from the project, not from
    any received file, and it names 对照检查材料 itself)."""
    out = []
    for f in folder.rglob("*"):
        if not f.is_file() or ".gongwen-site" in f.relative_to(folder).parts:
            continue
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as zf:
                out += [zf.read(n).decode("utf-8", "replace") for n in zf.namelist()]
        else:
            out.append(f.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is needed to write .doc and .pdf")
def test_review_keeps_nothing_of_any_classified_file(tmp_path):
    inbox = tmp_path / "INBOX"
    inbox.mkdir()
    secret_inbox(inbox)
    # The text-box and first-page-header cases as LibreOffice-made .doc, and a PDF with the
    # mark in the header of every page (dropped as a running line before).
    made = tmp_path / "made"
    made.mkdir()
    for where in ("text-box", "first-page-header"):
        doc = convert(placed(where, made / f"{where}-doc.docx"), "doc", made)
        doc.rename(inbox / doc.name)
    from docx import Document
    from docx.enum.text import WD_BREAK

    pdf_src = Document()
    pdf_src.sections[0].header.paragraphs[0].text = "【秘密】"
    for line in [TITLE, "一、存在的问题", "（一）在理论学习方面。一是学习不深。"]:
        pdf_src.add_paragraph(line)
    pdf_src.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    pdf_src.add_paragraph("二、原因剖析")
    pdf_src.save(made / "header-pdf.docx")
    convert(made / "header-pdf.docx", "pdf", made).rename(inbox / "header-pdf.pdf")

    out = tmp_path / "OUT"
    assert gongwen(["review", str(inbox), "-o", str(out)]) in (0, 1)
    import json

    rows = json.loads((out / "审核汇总.json").read_text(encoding="utf-8"))["rows"]
    assert {r["file"]: r["status"] for r in rows} == {p.name: "classified" for p in inbox.iterdir()}
    assert not any((out / "docs").glob("*/index.md"))
    text = _texts_in(out)
    for fragment in ("某镇党委", "民主生活会", "对照检查", "理论学习", "秘密★", "【秘密】"):
        assert fragment not in text, fragment


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is needed to write .odt")
@pytest.mark.parametrize("where", ["first-page-header", "core-title", "text-box", "footnote"])
def test_a_mark_in_an_opendocument_file_is_found(tmp_path, where):
    odt = convert(placed(where, tmp_path / f"{where}.docx"), "odt", tmp_path / "odt")
    from gongwen.check.secrecy import marks_in_file

    assert [m.text for m in marks_in_file(odt)] == [MARK]  # the package itself, before any conversion
    assert _secret(odt)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is needed to write .doc")
@pytest.mark.parametrize("where", ["text-box", "first-page-header"])
def test_import_refuses_a_libreoffice_made_doc(tmp_path, capsys, where):
    doc = convert(placed(where, tmp_path / f"{where}.docx"), "doc", tmp_path / "doc")
    out = tmp_path / "out"
    assert gongwen(["import", str(doc), "-o", str(out)]) == 2
    assert not out.exists() and "security.classified" in capsys.readouterr().err
