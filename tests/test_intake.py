"""Intake: .doc (LibreOffice), text PDF (page and line), scanned PDF, web chrome before the title."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from gongwen import intake
from gongwen.cli import main
from gongwen.diagnostics import InputError

from .conftest import make_docx, of_rule
from .review_files import SOFFICE, convert, docx_with_running_lines, material_lines, scanned_pdf

needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _shape(mat):
    """What a reader of the material sees of its structure: title, headings, points."""
    return (mat.title, [(s.level, s.title, len(list(s.points()))) for s in mat.walk()])


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    """One material as .docx (built here), and the .doc and .pdf LibreOffice writes from it."""
    tmp = tmp_path_factory.mktemp("office")
    lines = material_lines(tmp)
    lines[4] = lines[4].replace("如，", "如，XX同志", 1)  # one placeholder to locate
    docx = make_docx(lines, tmp / "材料.docx")
    return {"lines": lines, "docx": docx, "doc": convert(docx, "doc", tmp / "doc"),
            "pdf": convert(docx, "pdf", tmp / "pdf")}


@pytest.mark.slow
@needs_soffice
def test_doc_reads_like_the_docx_it_was_saved_from(office_files, tmp_path):
    docx = intake.load(office_files["docx"])
    doc = intake.load(office_files["doc"], cache=tmp_path / "cache")
    assert doc.format == "doc" and doc.path == str(office_files["doc"])
    assert _shape(doc) == _shape(docx) and docx.sections
    # Findings point at the .doc the user has, at the same paragraph as in the .docx.
    found = intake.check_file(office_files["doc"], mat=doc)
    assert {(d.rule, d.line) for d in found} == {(d.rule, d.line) for d in intake.check_file(office_files["docx"])}
    assert all(d.path == str(office_files["doc"]) for d in found)
    assert of_rule(found, "content.placeholder")
    # The conversion is cached by content: read again without LibreOffice on the PATH.
    assert len(list((tmp_path / "cache").glob("*.docx"))) == 1


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("fmt", ["odt", "rtf"])
def test_odt_and_rtf_read_like_the_docx(office_files, tmp_path, fmt):
    other = convert(office_files["docx"], fmt, tmp_path)
    mat = intake.load(other, cache=tmp_path / "cache")
    assert mat.format == fmt and _shape(mat) == _shape(intake.load(office_files["docx"]))
    assert of_rule(intake.check_file(other, mat=mat), "content.placeholder")


@pytest.mark.slow
@needs_soffice
def test_cached_conversion_needs_no_libreoffice_and_a_missing_one_says_how_to_install(office_files, tmp_path,
                                                                                       monkeypatch, capsys):
    cache = tmp_path / "cache"
    intake.load(office_files["doc"], cache=cache)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert intake.load(office_files["doc"], cache=cache).sections  # from the cache
    with pytest.raises(InputError) as exc:
        intake.load(office_files["doc"], cache=tmp_path / "other-cache")
    assert "apt-get install libreoffice-writer-nogui" in exc.value.diagnostic.hint
    # The CLI: exit 2, a Chinese message, no traceback.
    monkeypatch.setenv("GONGWEN_CACHE_DIR", str(tmp_path / "cli-cache"))
    assert main(["check", str(office_files["doc"])]) == 2
    cap = capsys.readouterr()
    err = cap.out + cap.err
    assert "需要 LibreOffice" in err and "libreoffice-writer-nogui" in err and "Traceback" not in err


def _pdftotext_pages(pdf: Path) -> list[list[str]]:
    """Poppler's reading of the PDF (independent of pdfplumber): non-empty lines per page."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [[ln.strip() for ln in page.splitlines() if ln.strip()] for page in text.split("\f")]


@pytest.mark.slow
@needs_soffice
def test_text_pdf_reads_into_the_same_structure_with_page_and_line(office_files):
    pdf = intake.load(office_files["pdf"])
    assert _shape(pdf) == _shape(intake.load(office_files["docx"]))
    found = intake.check_file(office_files["pdf"], mat=pdf)
    (ph,) = [d for d in of_rule(found, "content.placeholder") if "XX" in d.message]
    assert isinstance(ph, intake.PageDiagnostic)
    assert re.search(rf":第{ph.page}页第{ph.line}行:{ph.column}: 错误 content.placeholder", ph.format())
    # Poppler finds XX on that page, on that line (no header or footer in this file).
    page_lines = _pdftotext_pages(office_files["pdf"])[ph.page - 1]
    assert "XX" in page_lines[ph.line - 1]
    assert page_lines[ph.line - 1].replace(" ", "")[ph.column - 1:].startswith("XX")


@pytest.mark.slow
@needs_soffice
def test_pdf_page_headers_footers_and_numbers_are_dropped(tmp_path):
    lines = material_lines(tmp_path)
    docx = docx_with_running_lines(lines * 3, tmp_path / "长材料.docx", header="青禾县委组织部印")
    pdf_path = convert(docx, "pdf", tmp_path / "pdf")
    pages = _pdftotext_pages(pdf_path)
    assert len([p for p in pages if p]) >= 3 and any("青禾县委组织部印" in p[0] for p in pages if p)
    text = intake.pdf.read_pdf(pdf_path)
    assert not [p for p in text.paragraphs if "青禾县委组织部印" in p]
    assert not [p for p in text.paragraphs if re.fullmatch(r"\d+", p)]
    # Every paragraph of the Word file is one paragraph again (no page breaks inside).
    assert text.paragraphs == [ln for ln in lines * 3 if ln.strip()]


@pytest.mark.slow
@needs_soffice
def test_check_finds_pdf_and_doc_files_in_a_folder(office_files, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("GONGWEN_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["check", str(office_files["pdf"].parent), str(office_files["doc"].parent)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"材料\.pdf:第1页第\d+行:\d+: 错误 content\.placeholder", out)
    assert re.search(r"材料\.doc:5:\d+: 错误 content\.placeholder", out)


@pytest.mark.slow
def test_scanned_pdf_is_refused_with_a_clear_reason(tmp_path, capsys):
    scan = scanned_pdf(tmp_path / "扫描件.pdf")
    with pytest.raises(InputError) as exc:
        intake.load(scan)
    d = exc.value.diagnostic
    assert d.rule == "input.scanned" and "扫描件" in d.message and "OCR" in d.hint
    assert main(["check", str(scan)]) == 2
    cap = capsys.readouterr()
    err = cap.out + cap.err
    assert "没有文字层" in err and "Traceback" not in err


def test_web_chrome_before_the_title_is_residue_and_the_title_is_still_found(tmp_path):
    lines = material_lines(tmp_path)
    chrome = ["××文库，欢迎您！", "浏览量：1365    发布时间：2024-01-08", "source: https://wenku.example.com/view/8f3a.html"]
    txt = tmp_path / "网上下载.txt"
    txt.write_text("\n".join(chrome + lines) + "\n", encoding="utf-8")
    mat = intake.load(txt)
    assert mat.title == lines[0] and mat.title.endswith("对照检查材料")
    found = intake.check_file(txt, mat=mat)
    residue = of_rule(found, "content.residue")
    assert [d.line for d in residue] == [1, 2, 3] and all(d.severity == "error" for d in residue)
    assert not [d for d in of_rule(found, "content.placeholder") if d.line <= 3]  # ×× is not a placeholder here
    assert any(d.rule == "meta.type" and "识别材料类型" in d.message for d in found)
    # The same file without the chrome has the same structure.
    clean = tmp_path / "clean.txt"
    clean.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _shape(intake.load(clean)) == _shape(mat)


def test_a_title_line_is_never_taken_for_chrome(tmp_path):
    lines = material_lines(tmp_path)
    txt = tmp_path / "a.txt"
    txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert intake.load(txt).title == lines[0]
    assert not of_rule(intake.check_file(txt), "content.residue")


@pytest.mark.slow
@needs_soffice
def test_import_accepts_doc_and_pdf(office_files, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGWEN_CACHE_DIR", str(tmp_path / "cache"))
    for kind in ("doc", "pdf"):
        out = tmp_path / f"out-{kind}"
        assert main(["import", str(office_files[kind]), "-o", str(out)]) == 0
        files = sorted(p.name for p in out.iterdir())
        assert files[0].startswith("01-存在的问题") and "index.md" in files
        assert "对照检查材料" in (out / "index.md").read_text(encoding="utf-8")


def test_classified_file_is_not_imported(tmp_path, capsys):
    lines = ["机密★5年", *material_lines(tmp_path)]
    docx = make_docx(lines, tmp_path / "涉密.docx")
    out = tmp_path / "out"
    assert main(["import", str(docx), "-o", str(out)]) == 2
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".import-")]
    err = capsys.readouterr().err
    assert "security.classified" in err and "没有写入任何文件" in err


LEDGER_ROWS = [["序号", "问题", "整改措施", "责任领导", "责任人", "完成时限", "状态"],
               ["1", "（一）一是", "中心组每月专题研讨一次", "党委书记", "党政办主任陈某", "2024年12月31日", "已完成"],
               ["2", "（二）一是", "会议材料提前3天送达", "党委书记", "党政办主任陈某", "立行立改", "已整改销号"],
               ["3", "（三）一是", "建立项目包联制度", "镇长", "经发办主任吴某", "2024年底前", "正在整改"]]


def _docx_with_ledger_table(lines: list[str], path: Path) -> Path:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.add_paragraph("四、整改清单")
    table = doc.add_table(rows=len(LEDGER_ROWS), cols=len(LEDGER_ROWS[0]))
    for i, row in enumerate(LEDGER_ROWS):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    doc.save(str(path))
    return path


def test_a_word_table_is_read_as_the_ledger_and_imported_as_a_markdown_table(tmp_path):
    import datetime

    from gongwen.check.run import resolve_schema
    from gongwen.ledger import summarise

    docx = _docx_with_ledger_table(material_lines(tmp_path), tmp_path / "带清单.docx")
    mat = intake.load(docx)
    (ledger_sec,) = [s for s in mat.sections if s.title == "整改清单"]
    (table,) = ledger_sec.tables()
    assert [c.text for c in table.header] == LEDGER_ROWS[0] and [r.texts() for r in table.rows] == LEDGER_ROWS[1:]
    assert table.line == len(material_lines(tmp_path)) + 1  # the paragraph before it: 四、整改清单
    today = datetime.date(2025, 3, 1)
    got = summarise(mat, resolve_schema(mat)[0], today)
    assert (got.has_ledger, got.measures, got.done, got.in_progress, got.overdue) == (True, 3, 2, 1, 1)
    overdue = of_rule(intake.check_file(docx, mat=mat, today=today), "ledger.overdue")
    assert [d.line for d in overdue] == [table.line]
    # Imported, the table is a Markdown table the Markdown reader gives back the same.
    out = tmp_path / "out"
    assert main(["import", str(docx), "-o", str(out)]) == 0
    back = intake.load(out)
    again = summarise(back, resolve_schema(back)[0], today)
    assert (again.measures, again.done, again.in_progress, again.overdue) == (3, 2, 1, 1)


@pytest.mark.slow
@needs_soffice
def test_pdf_of_a_gbt9704_word_file_reads_back_line_for_line(tmp_path):
    """A PDF as offices make it: GB/T 9704 layout (two-line centred title, indented paragraphs,
    — 1 — page numbers, character spacing), saved from Word (here: our export, through LibreOffice)."""
    from gongwen.check.run import resolve_schema
    from gongwen.export.docx import write_docx
    from gongwen.read import load

    from .conftest import write_material

    mat = load(write_material(tmp_path / "src"))
    write_docx(mat, resolve_schema(mat)[0], tmp_path / "公文.docx")
    pdf = convert(tmp_path / "公文.docx", "pdf", tmp_path / "pdf")
    assert len(_pdftotext_pages(pdf)) >= 2 and any(ln.replace(" ", "") == "—2—" for ln in _pdftotext_pages(pdf)[1])
    from_word, from_pdf = intake.load(tmp_path / "公文.docx"), intake.load(pdf)
    assert from_pdf.title == from_word.title == mat.title
    assert [t.text for t in from_pdf.lines] == [t.text for t in from_word.lines]
    assert _shape(from_pdf) == _shape(from_word)


@pytest.mark.slow
@needs_soffice
def test_a_classification_mark_in_every_page_header_is_not_dropped(tmp_path, capsys):
    lines = material_lines(tmp_path)
    docx = docx_with_running_lines(lines * 3, tmp_path / "涉密.docx", header="机密★5年")
    pdf = convert(docx, "pdf", tmp_path / "pdf")
    assert intake.classified(intake.check_file(pdf))
    out = tmp_path / "out"
    assert main(["import", str(pdf), "-o", str(out)]) == 2 and not out.exists()
    assert re.search(r"涉密\.pdf:第1页第1行:1: 错误 security\.classified .*未导入", capsys.readouterr().err)


def test_a_classification_mark_in_the_word_page_header_counts(tmp_path, capsys):
    docx = docx_with_running_lines(material_lines(tmp_path), tmp_path / "页眉涉密.docx", header="秘密★1年")
    assert intake.classified(intake.check_file(docx))
    out = tmp_path / "out"
    assert main(["import", str(docx), "-o", str(out)]) == 2 and not out.exists()
    plain = docx_with_running_lines(material_lines(tmp_path), tmp_path / "页眉.docx", header="青禾县委组织部印")
    assert not intake.classified(intake.check_file(plain))


@pytest.mark.slow
@needs_soffice
def test_a_doc_marked_classified_is_found(tmp_path):
    doc = convert(make_docx(["绝密", *material_lines(tmp_path)], tmp_path / "来文.docx"), "doc", tmp_path / "doc")
    (d,) = intake.classified(intake.check_file(doc))
    assert d.path == str(doc) and d.line == 1 and "绝密" in d.message
