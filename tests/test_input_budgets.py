"""Issue 25, items 3, 4 and 6: budgets stated and enforced while reading, numbering any count
of siblings, nesting past the budget as a finding, one bad file hiding no other's findings,
raw HTML judged after entity decoding, formula cells without a saved value reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from gongwen.cli import main as gongwen
from gongwen.diagnostics import InputError
from gongwen.numerals import from_cn, to_cn
from gongwen.read import load

from .conftest import CLEAN_TITLE, build_site, check_path, copy_project, of_rule, write_material
from .hostile_files import (
    BODIES,
    deep_markdown,
    docx_with_body,
    text_pdf,
    xlsx_merged_over_the_sheet,
)

LIMIT_WORDS = {"paragraphs": "段落数超过上限 20,000 段", "cells": "表格单元格数超过上限 100,000 格",
               "merged": "合并单元格区域数超过上限 5,000 处", "depth": "嵌套层数超过上限 32 层",
               "xml": "文字部分展开后的大小超过上限 33,554,432 字节", "chars": "单个段落的长度超过上限 100,000 字"}
OK_TXT = f"{CLEAN_TITLE}\n一、存在的问题\n（一）在理论学习方面。一是学习不深，如，全年集中学习3次。\n"


def _thousand_headings(path: Path) -> Path:
    path.write_text("\n".join([CLEAN_TITLE, *(f"{to_cn(i)}、问题{i}" for i in range(1, 1001))]), encoding="utf-8")
    return path


def test_numbers_past_a_thousand_are_written_and_read_back():
    assert [to_cn(n) for n in (1000, 1001, 1010, 1100, 10000, 12000)] == ["一千", "一千零一", "一千零一十", "一千一百", "一万", "一万二千"]
    assert all(from_cn(to_cn(n)) == n for n in range(1, 25000))


def test_a_thousand_headings_are_numbered_and_the_other_files_still_reported(tmp_path, capsys):
    big, ok = _thousand_headings(tmp_path / "千题.txt"), tmp_path / "正常.txt"
    ok.write_text(OK_TXT.replace("一是", "三是"), encoding="utf-8")  # a numbering slip: a finding to see
    assert gongwen(["check", str(big), str(ok)]) == 1
    out = capsys.readouterr()
    assert "千题.txt" in out.out and "正常.txt:3" in out.out and "无法读取" not in out.err
    assert gongwen(["number", str(big)]) == 0
    assert "一千、问题1000" in capsys.readouterr().out


@pytest.mark.parametrize("kind", BODIES)
def test_a_word_file_over_a_budget_is_refused_naming_the_limit(tmp_path, capsys, kind):
    bad = docx_with_body(tmp_path / "超限.docx", BODIES[kind]())
    with pytest.raises(InputError) as exc:
        load(bad)
    assert exc.value.diagnostic.rule == "input.budget" and LIMIT_WORDS[kind] in exc.value.diagnostic.message
    ok = tmp_path / "正常.txt"
    ok.write_text(OK_TXT, encoding="utf-8")
    assert gongwen(["check", str(bad), str(ok)]) == 2  # one bad file: the other is still checked
    out = capsys.readouterr()
    assert "超限.docx:1:1: 错误 input.budget" in out.out and "正常.txt" in out.out and "1 个输入无法读取" in out.err


def test_a_text_of_one_huge_line_and_a_huge_text_are_refused(tmp_path):
    line = tmp_path / "一行.txt"
    line.write_text(CLEAN_TITLE + "\n" + "字" * 3_500_000, encoding="utf-8")  # one 10 MB line
    with pytest.raises(InputError) as exc:
        load(line)
    assert exc.value.diagnostic.rule == "input.budget" and exc.value.diagnostic.line == 2
    big = tmp_path / "巨大.txt"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB without writing them
    with pytest.raises(InputError) as exc:
        load(big)
    assert "文件过大" in exc.value.diagnostic.message


def test_a_pdf_of_two_thousand_pages_is_refused_naming_the_limit(tmp_path):
    from gongwen import intake

    pdf = text_pdf(tmp_path / "长.pdf", 2000)
    with pytest.raises(InputError) as exc:
        intake.load(pdf)
    assert "PDF 页数超过上限 500 页" in exc.value.diagnostic.message
    assert intake.load(text_pdf(tmp_path / "短.pdf", 3)).lines  # a normal one is read


@pytest.mark.parametrize("kind", ["list", "quote"])
def test_nesting_past_the_budget_is_a_finding_not_a_crash(tmp_path, kind):
    path = tmp_path / "深.md"
    path.write_text(deep_markdown(10_000, kind), encoding="utf-8")
    found = of_rule(check_path(path), "input.budget")
    assert [(d.line, d.severity) for d in found] == [(10, "error")] and "32 层" in found[0].message


def test_review_and_its_workbench_survive_a_thousand_headings_and_deep_nesting(tmp_path):
    inbox = tmp_path / "INBOX"
    inbox.mkdir()
    _thousand_headings(inbox / "千题.txt")
    (inbox / "深.md").write_text(deep_markdown(3000) + "".join("  " * i + "- 项\n" for i in range(800)), encoding="utf-8")
    (inbox / "正常.txt").write_text(OK_TXT, encoding="utf-8")
    out = tmp_path / "OUT"
    assert gongwen(["review", str(inbox), "-o", str(out)]) in (0, 1)
    rows = {r["file"]: r for r in json.loads((out / "审核汇总.json").read_text(encoding="utf-8"))["rows"]}
    assert rows["千题.txt"]["status"] != "unreadable" and rows["正常.txt"]["status"] != "unreadable"
    assert any(f["rule"] == "input.budget" for f in rows["深.md"]["findings"])
    site = build_site(out, strict=False)
    assert "一千、" in (site / "千题" / "index.html").read_text(encoding="utf-8")
    assert (site / "深" / "index.html").is_file() and (site / "正常" / "index.html").is_file()


SPELLINGS = ["&lt;/title&gt;&lt;svg onload=alert(1)&gt;", "&#60;svg/onload=alert(1)&#62;",
             "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;", "&LT;img src=x onerror=alert(1)&GT;",
             "&amp;lt;svg onload=alert(1)&amp;gt;"]


@pytest.mark.parametrize("title", SPELLINGS)
def test_entity_encoded_html_is_raw_html_whatever_its_spelling(tmp_path, title):
    folder = write_material(tmp_path, {"index.md": f"# {title}\n\n导语。\n"})
    found = of_rule(check_path(folder, publish=True), "security.raw-html")
    assert [(d.line, d.severity) for d in found] == [(9, "error")]


def test_a_strict_build_refuses_an_imported_entity_encoded_title(tmp_path, caplog):
    (tmp_path / "site").mkdir()
    root = copy_project(tmp_path / "site")
    src = tmp_path / "来文.txt"
    src.write_text(f"{SPELLINGS[0]}\n{OK_TXT.split(chr(10), 1)[1]}", encoding="utf-8")
    assert gongwen(["import", str(src), "-o", str(root / "docs" / "来文")]) == 0
    with pytest.raises(Abort):
        build_site(root, strict=True)
    raw = [r.getMessage() for r in caplog.records if "security.raw-html" in r.getMessage()]
    assert raw and "来文/index.md" in raw[0] and "事件属性 onload=" in raw[0]


def test_a_merged_range_over_the_whole_sheet_is_refused_by_ledger_import(tmp_path, capsys):
    src = xlsx_merged_over_the_sheet(tmp_path / "台账.xlsx")
    assert os.path.getsize(src) < 10_000
    assert gongwen(["ledger", "import", str(src), "-o", str(tmp_path / "台账.md")]) == 2
    assert "合并单元格覆盖的格数超过上限 100,000 格" in capsys.readouterr().err
    assert not (tmp_path / "台账.md").exists()


def test_formula_cells_without_a_saved_value_are_reported(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["问题", "整改措施", "责任人", "完成时限"])
    ws.append(["学习不深", "每月集中学习一次", "张三", "2024-06-30"])
    ws.append(["调研不够", '=B2&"，并开展调研"', "李四", "2024-09-30"])  # openpyxl saves no computed value
    wb.save(tmp_path / "台账.xlsx")
    assert gongwen(["ledger", "import", str(tmp_path / "台账.xlsx"), "-o", str(tmp_path / "台账.md")]) == 1
    assert "B3：公式“=B2&\"，并开展调研\"”没有保存的计算结果" in capsys.readouterr().err


def test_a_text_past_the_total_budget_is_refused(tmp_path):
    lines = [CLEAN_TITLE, "一、存在的问题", *("（一）在理论学习方面。一是" + "学" * 300 + "。" for _ in range(7000))]
    big = tmp_path / "长文.txt"
    big.write_text("\n".join(lines), encoding="utf-8")  # 2.1 million characters in 7000 short paragraphs
    with pytest.raises(InputError) as exc:
        load(big)
    assert "文字总量超过上限 2,000,000 字" in exc.value.diagnostic.message
    md = tmp_path / "长文.md"
    md.write_text(f"# {CLEAN_TITLE}\n\n" + "学" * 2_000_001 + "\n", encoding="utf-8")
    with pytest.raises(InputError):
        load(md)
