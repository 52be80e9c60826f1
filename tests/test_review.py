"""`gongwen review`: an INBOX of what units send -> 审核汇总.xlsx, materials, and re-runs that change nothing."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from gongwen.cli import main
from gongwen.review import review
from gongwen.review.rows import NOT_CHECKED

from .conftest import REPO
from .review_files import SOFFICE, convert, make_docx, material_lines, scanned_pdf

FIXTURES = REPO / "tests" / "fixtures" / "review"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")]

# file -> (conclusion, unit) expected in the summary
EXPECTED = {
    "某镇党委.doc": ("通过", "某镇党委"),
    "某街道党工委.docx": ("需修改", "某街道党工委"),
    "某局党组.pdf": ("需重写", "某局党组"),
    "扫描件.pdf": ("需修改", "扫描件"),
    "某乡党委.txt": ("通过", "某乡党委"),
    "机要室.docx": ("涉密未处理", "机要室"),
}
SECRET_SENTENCE = "本段为涉密内容的示例句子，不得出现在任何输出中"


def _lines(name: str) -> list[str]:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """Six files as an office receives them."""
    tmp = tmp_path_factory.mktemp("received")
    box = tmp / "INBOX"
    box.mkdir()
    work = tmp / "work"
    work.mkdir()
    # .doc: the clean material, saved by LibreOffice as Word 97-2003
    convert(make_docx(material_lines(work), work / "某镇党委.docx"), "doc", box)
    make_docx(_lines("某街道党工委"), box / "某街道党工委.docx")
    convert(make_docx(_lines("某局党组"), work / "某局党组.docx"), "pdf", box)
    scanned_pdf(box / "扫描件.pdf")
    (box / "某乡党委.txt").write_bytes("\r\n".join(_lines("某乡党委")).encode("gbk"))
    secret = ["机密★5年", "机要室2023年主题教育专题民主生活会领导班子对照检查材料", SECRET_SENTENCE + "。",
              *_lines("某乡党委")[2:]]
    make_docx(secret, box / "机要室.docx")
    return box


@pytest.fixture(scope="module")
def reviewed(inbox, tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "OUT"
    result = review(inbox, out, log=lambda _msg: None)
    return out, result


def _xlsx_rows(path: Path) -> list[dict]:
    """The table as LibreOffice reads it (CSV export), header -> cell."""
    outdir = path.parent / "csv"
    profile = path.parent / ".lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = (outdir / f"{path.stem}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_six_files_give_six_rows_with_the_right_conclusions(reviewed):
    out, result = reviewed
    rows = _xlsx_rows(out / "审核汇总.xlsx")
    assert sorted(r["文件"] for r in rows) == sorted(EXPECTED)
    for r in rows:
        conclusion, unit = EXPECTED[r["文件"]]
        assert (r["结论"], r["单位"] or r["文件"].rsplit(".", 1)[0]) == (conclusion, unit), r
    by = {r["文件"]: r for r in rows}
    assert by["某街道党工委.docx"]["占位符"] == "1" and by["某街道党工委.docx"]["内容错误"] == "1"
    assert by["某局党组.pdf"]["缺少的方面"] == "在工作作风方面、在廉洁自律方面"
    assert "扫描件" in by["扫描件.pdf"]["说明"] and "OCR" in by["扫描件.pdf"]["说明"]
    assert "涉密" in by["机要室.docx"]["说明"] and by["机要室.docx"]["材料文件夹"] == ""
    assert "GBK" not in by["某乡党委.txt"]["说明"] and by["某乡党委.txt"]["结构错误"] == "0"
    for r in rows:
        assert r["材料类型"] in ("2023年主题教育专题民主生活会领导班子对照检查材料", "")
    # Copy detection and ledgers: a real figure, or said plainly that they did not run.
    checked = [r for r in result.rows if r.status == "checked"]
    assert all(r.copied_from == NOT_CHECKED or r.copied_share is not None for r in checked)
    assert all(r.ledger_text for r in checked)


def test_materials_are_made_for_readable_files_only_and_nothing_of_the_classified_one(reviewed):
    out, _ = reviewed
    folders = sorted(p.name for p in (out / "docs").iterdir() if p.is_dir())
    assert folders == ["某乡党委", "某局党组", "某街道党工委", "某镇党委"]
    for folder in folders:
        assert (out / "docs" / folder / "index.md").read_text(encoding="utf-8").startswith("---\ntype: 2023-zhuti-jiaoyu-banzi")
    leaked = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".md", ".json", ".yml")
              and (SECRET_SENTENCE in p.read_text(encoding="utf-8") or "机要室2023年" in p.read_text(encoding="utf-8"))]
    assert leaked == []


def test_findings_refer_to_the_received_file(reviewed):
    _, result = reviewed
    by = {r.file: r for r in result.rows}
    (ph,) = [f for f in by["某街道党工委.docx"].findings if f["rule"] == "content.placeholder"]
    assert ph["where"] == "第7行" and ph["severity"] == "error"
    pdf = [f for f in by["某局党组.pdf"].findings if f["rule"] == "structure.aspect"]
    assert len(pdf) == 2 and all(f["where"].startswith("第1页第") for f in pdf)


def test_running_again_changes_nothing_and_a_new_file_is_added(inbox, reviewed, tmp_path):
    out, _ = reviewed

    def snapshot():
        return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
                for p in out.rglob("*") if p.is_file() and "csv" not in p.parts and ".lo-profile" not in p.parts}

    before = snapshot()
    again = review(inbox, out, log=lambda _msg: None)
    assert not again.changed and snapshot() == before

    (inbox / "某新区党工委.txt").write_text("\n".join(_lines("某乡党委")).replace("某乡党委", "某新区党工委"),
                                           encoding="utf-8")
    try:
        third = review(inbox, out, log=lambda _msg: None)
        after = snapshot()
        assert third.changed and len(third.rows) == 7
        assert (out / "docs" / "某新区党工委" / "index.md").is_file()
        unchanged = [k for k in before if k.startswith("docs/某") and after.get(k) == before[k]]
        assert len(unchanged) == len([k for k in before if k.startswith("docs/某")])  # old materials untouched
    finally:
        (inbox / "某新区党工委.txt").unlink()
        review(inbox, out, log=lambda _msg: None)
    assert not (out / "docs" / "某新区党工委").exists()


def test_cli_review_reports_and_exits_by_conclusions(inbox, tmp_path, capsys):
    out = tmp_path / "OUT"
    assert main(["review", str(inbox), "-o", str(out)]) == 1  # not everything passed
    err = capsys.readouterr().err
    assert "审核了 6 个文件" in err and "需重写 1" in err and "make serve" in err
    assert (out / "审核汇总.xlsx").is_file() and (out / "mkdocs.yml").is_file() and (out / "Makefile").is_file()
    assert main(["review", str(tmp_path / "nowhere"), "-o", str(out)]) == 2
    assert "INBOX 不是文件夹" in capsys.readouterr().err


def test_unreadable_office_file_is_a_row_with_the_reason(tmp_path):
    box = tmp_path / "INBOX"
    box.mkdir()
    (box / "坏文件.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really a Word file" * 10)
    (box / "说明.xls").write_bytes(b"x")
    result = review(box, tmp_path / "OUT", log=lambda _msg: None)
    by = {r.file: r for r in result.rows}
    assert by["坏文件.doc"].status == "unreadable" and "已损坏" in by["坏文件.doc"].note
    assert by["说明.xls"].status == "unreadable" and "不支持的文件类型" in by["说明.xls"].note
    assert {r.conclusion for r in result.rows} == {"需修改"}
    assert not [p for p in (tmp_path / "OUT" / "docs").iterdir() if p.is_dir()]


def test_conclusion_rules_come_from_the_config(inbox, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("default: 通过\nunreadable: 退回重报\nclassified: 涉密\nrules:\n"
                     "  - 结论: 需重写\n    依据: 有占位符\n    placeholders: 1\n", encoding="utf-8")
    result = review(inbox, tmp_path / "OUT", rules_file=rules, log=lambda _msg: None)
    got = {r.file: (r.conclusion, r.reason) for r in result.rows}
    assert got["某街道党工委.docx"] == ("需重写", "有占位符")
    assert got["某局党组.pdf"][0] == "通过" and got["扫描件.pdf"][0] == "退回重报" and got["机要室.docx"][0] == "涉密"


def test_copies_and_ledgers_fill_their_columns(tmp_path):
    """Two units sending the same text are both 需重写, each naming the other; a Markdown material
    with a 整改清单 gets its ledger completeness."""
    box = tmp_path / "INBOX"
    box.mkdir()
    text = "\n".join(_lines("某乡党委"))
    (box / "某乡党委.txt").write_text(text, encoding="utf-8")
    (box / "某村党支部.txt").write_text(text.replace("某乡党委", "某村党支部"), encoding="utf-8")
    (box / "某街道党工委.txt").write_text("\n".join(_lines("某街道党工委")), encoding="utf-8")
    shutil.copytree(REPO / "docs" / "示例-2024-青禾镇党委", box / "青禾镇党委")
    result = review(box, tmp_path / "OUT", log=lambda _msg: None)
    by = {r.file: r for r in result.rows}
    if by["某乡党委.txt"].copied_from == NOT_CHECKED:
        pytest.skip("copy detection (gongwen.similar) is not part of this version")
    for a, b in (("某乡党委.txt", "某村党支部.txt"), ("某村党支部.txt", "某乡党委.txt")):
        assert by[a].copied_share > 0.9 and b in by[a].copied_from and by[a].conclusion == "需重写"
        assert any(f["rule"] == "content.copied" for f in by[a].findings)
    assert by["某街道党工委.txt"].copied_share < 0.5 and by["某街道党工委.txt"].conclusion == "需修改"
    ledger = by["青禾镇党委"]
    assert ledger.ledger_text.startswith("措施 ") and "已完成" in ledger.ledger_text
    assert (tmp_path / "OUT" / "docs" / "青禾镇党委" / "06-整改清单.md").read_text(encoding="utf-8") == \
        (box / "青禾镇党委" / "06-整改清单.md").read_text(encoding="utf-8")
    assert by["某乡党委.txt"].ledger_text == "无整改清单"


def test_a_file_copied_from_a_reference_text_names_it(tmp_path):
    box, ref = tmp_path / "INBOX", tmp_path / "参考"
    box.mkdir()
    ref.mkdir()
    (ref / "网上范文.txt").write_text("\n".join(_lines("某局党组")), encoding="utf-8")
    (box / "某区局党组.txt").write_text("\n".join(_lines("某局党组")).replace("某局党组", "某区局党组"), encoding="utf-8")
    (box / "某乡党委.txt").write_text("\n".join(_lines("某乡党委")), encoding="utf-8")
    result = review(box, tmp_path / "OUT", reference=ref, log=lambda _msg: None)
    by = {r.file: r for r in result.rows}
    if by["某乡党委.txt"].copied_from == NOT_CHECKED:
        pytest.skip("copy detection (gongwen.similar) is not part of this version")
    assert by["某区局党组.txt"].copied_from == "参考：网上范文.txt" and by["某区局党组.txt"].conclusion == "需重写"
    assert by["某乡党委.txt"].copied_share == 0 and by["某乡党委.txt"].conclusion == "通过"
    assert len(result.rows) == 2  # reference texts are not rows


def test_without_libreoffice_old_word_files_are_rows_saying_how_to_install(inbox, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = review(inbox, tmp_path / "OUT", log=lambda _msg: None)
    by = {r.file: r for r in result.rows}
    assert by["某镇党委.doc"].status == "unreadable" and "libreoffice-writer-nogui" in by["某镇党委.doc"].note
    assert by["某乡党委.txt"].conclusion == "通过" and len(result.rows) == 6  # the rest is reviewed as usual


def test_a_doc_with_a_ledger_table_gets_its_ledger_completeness(tmp_path):
    from docx import Document

    doc = Document()
    for line in material_lines(tmp_path):
        doc.add_paragraph(line)
    doc.add_paragraph("四、整改清单")
    problems = ["（一）一是", "（一）二是", "（二）一是", "（三）一是", "（四）一是", "（五）一是", "（六）一是"]
    rows = [["问题", "整改措施", "责任领导", "责任人", "完成时限", "状态"],
            *[[p, f"第{i}项整改措施，逐项对账销号", "党委书记", "党政办主任陈某", "长期坚持", "长期坚持"]
              for i, p in enumerate(problems, 1)]]
    rows[2][4], rows[2][5] = "2025年6月底前", "已完成"
    rows[3][3] = "办公室"  # owner only a unit, no person: still an owner
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    doc.add_paragraph("某镇党委")  # the signature after the table, as Word files end
    doc.add_paragraph("2024年1月5日")
    doc.save(str(tmp_path / "某镇党委.docx"))
    box = tmp_path / "INBOX"
    convert(tmp_path / "某镇党委.docx", "doc", box)
    result = review(box, tmp_path / "OUT", log=lambda _msg: None)
    (row,) = result.rows
    if row.ledger_text == NOT_CHECKED:
        pytest.skip("ledger reading (gongwen.ledger) is not part of this version")
    assert row.ledger_text.startswith("措施 7 条：已完成 1、推进中 0、逾期 0"), row.ledger_text
    table_md = (tmp_path / "OUT" / "docs" / "某镇党委" / "04-整改清单.md").read_text(encoding="utf-8")
    assert "| （一）二是 | 第2项整改措施，逐项对账销号 | 党委书记 | 党政办主任陈某 | 2025年6月底前 | 已完成 |" in table_md


def test_bad_rules_file_and_unwritable_out_are_clear_errors(inbox, tmp_path, capsys):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - 结论: 需重写\n    copied: 0.5\n", encoding="utf-8")
    assert main(["review", str(inbox), "-o", str(tmp_path / "OUT"), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert "未知的条件：copied" in err and "Traceback" not in err
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["review", str(inbox), "-o", str(blocker / "OUT")]) == 2
    assert "无法写入输出文件夹" in capsys.readouterr().err


def test_out_inside_the_inbox_is_not_read_as_received_files(tmp_path):
    box = tmp_path / "INBOX"
    box.mkdir()
    (box / "某乡党委.txt").write_text("\n".join(_lines("某乡党委")), encoding="utf-8")
    first = review(box, box / "审核结果", log=lambda _msg: None)
    again = review(box, box / "审核结果", log=lambda _msg: None)
    assert [r.file for r in first.rows] == [r.file for r in again.rows] == ["某乡党委.txt"]
    assert not again.changed


def test_seven_units_sending_one_template_are_one_family_and_the_other_thirteen_are_untouched(tmp_path):
    """7 of 20 received files are the same template text (three encodings, other names): a
    passage many units share is the strongest finding, never a stock phrase."""
    import random

    from bench.similar_corpus import UNITS, stock_phrases
    from bench.similar_corpus import material_lines as distinct_lines

    box = tmp_path / "INBOX"
    box.mkdir()
    template = "\n".join(_lines("某乡党委"))
    copies = [f"第{n}单位.txt" for n in range(1, 8)]
    for n, name in enumerate(copies):
        encoding = ("utf-8", "gbk", "utf-8-sig")[n % 3]
        (box / name).write_bytes(template.replace("某乡党委", name[:-4]).encode(encoding))
    stock = stock_phrases()
    others = []
    for n in range(13):  # units writing their own material (no run of 13 characters in common)
        rng = random.Random(f"inbox:{n}")
        lines, _ = distinct_lines(rng, stock, UNITS[n % len(UNITS)], 2024)
        others.append(f"自写{n:02d}.txt")
        (box / others[-1]).write_text("\n".join(lines), encoding="utf-8")
    result = review(box, tmp_path / "OUT", log=lambda _msg: None)
    by = {r.file: r for r in result.rows}
    assert len(by) == 20
    for name in copies:
        row = by[name]
        assert row.conclusion == "需重写" and row.copied_share > 0.9, (name, row.copied_share)
        assert row.copied_from.startswith("7 份材料共有：")  # one family, naming the other six
        assert all(other[:-4] in row.copied_from for other in copies if other != name)
    for name in others:
        row = by[name]
        assert row.copied_share == 0 and row.copied_from == "" and "雷同" not in row.reason
        assert not any(f["rule"].startswith("content.copied") for f in row.findings)


def test_last_years_materials_fill_their_own_column_and_names_stay_text_in_the_xlsx(tmp_path):
    from openpyxl import load_workbook

    box, last = tmp_path / "INBOX", tmp_path / "上年"
    box.mkdir()
    last.mkdir()
    text = "\n".join(_lines("某乡党委"))
    (last / "某乡党委2024.txt").write_text(text, encoding="utf-8")
    (box / "某乡党委.txt").write_text(text, encoding="utf-8")  # the same problems as last year
    other = "\n".join(_lines("某街道党工委"))
    (box / "=SUM(1).txt").write_text(other.replace("某街道党工委", "=SUM(1)"), encoding="utf-8")
    (box / "某村.txt").write_text(other.replace("某街道党工委", "某村"), encoding="utf-8")
    result = review(box, tmp_path / "OUT", previous=last, log=lambda _msg: None)
    by = {r.file: r for r in result.rows}
    row = by["某乡党委.txt"]
    assert row.repeated_text.endswith("条问题（上年：某乡党委2024.txt）") and int(row.repeated_text.split(" ")[0]) >= 5
    assert row.copied_share == 0 and row.copied_from == "" and row.conclusion != "需重写"
    assert by["某村.txt"].repeated_text == "" and by["某村.txt"].copied_from.startswith("=SUM(1)")
    ws = load_workbook(result.xlsx).active
    header = [c.value for c in ws[1]]
    assert "与上年重复" in header and "疑似洗稿" in header
    cells = {ws.cell(r, 1).value: ws.cell(r, header.index("雷同来源") + 1) for r in range(2, ws.max_row + 1)}
    assert cells["某村.txt"].data_type == "s" and cells["某村.txt"].value.startswith("=SUM(1)")
    repeated = {ws.cell(r, 1).value: ws.cell(r, header.index("与上年重复") + 1).value for r in range(2, ws.max_row + 1)}
    assert repeated["某乡党委.txt"] == row.repeated_text
