"""The ledger read from the model: tables in the model, deadlines, problem references,
states, summaries; and that numbering and the exports keep a material's table."""

from __future__ import annotations

import datetime

import pytest

from gongwen.check.run import resolve_schema
from gongwen.ledger import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    STANDING,
    conventions,
    parse_deadline,
    read_ledger,
    summarise,
)
from gongwen.model import Table
from gongwen.numbering import number_source, to_markdown, to_text
from gongwen.read import load
from gongwen.schema import GENERIC, load_schema

from .conftest import CLEAN, REPO, write_material

REPO_DOCS = REPO / "docs"
from .test_rules_cases import LEDGER, LEDGER_HEAD, LEDGER_ROWS

CONV = conventions(GENERIC)
D = datetime.date


def _material(tmp_path, ledger: str = LEDGER, name: str = "04-整改清单.md", **files):
    folder = write_material(tmp_path, {name: ledger, **files})
    mat = load(folder)
    schema, _ = resolve_schema(mat)
    return mat, schema


def test_table_is_a_block_with_cells_and_lines(tmp_path):
    mat, _ = _material(tmp_path)
    section = mat.sections[-1]
    assert section.title == "整改清单"
    table = section.blocks[0]
    assert isinstance(table, Table)
    assert [c.text for c in table.header] == ["问题", "整改措施", "责任领导", "责任人", "完成时限", "状态"]
    assert len(table.rows) == len(LEDGER_ROWS)
    first = table.rows[0]
    assert first.line == 5 and first.cells[0].text == "（一）一是"
    # The column points at the cell's text in the source line.
    raw = (tmp_path / "material" / "04-整改清单.md").read_text(encoding="utf-8").split("\n")[4]
    assert raw[first.cells[3].column - 1:].startswith("党政办主任陈某")


def test_cell_text_is_what_a_reader_sees(tmp_path):
    ledger = LEDGER_HEAD + "| （一）一是 | 建立**学习**制度 \\| 每月一次 | 党委书记 | 陈某<br>刘某 | 2024年底前 | 推进中 |\n"
    mat, _ = _material(tmp_path, ledger)
    cells = mat.sections[-1].blocks[0].rows[0].cells
    assert cells[1].text == "建立学习制度 | 每月一次"
    assert cells[3].text == "陈某\n刘某"


@pytest.mark.parametrize("text,year,kind,date,form", [
    ("2025年6月30日", None, "date", D(2025, 6, 30), "日"),
    ("2025-06-30", None, "date", D(2025, 6, 30), "日"),
    ("2025/6/30前", None, "date", D(2025, 6, 30), "日"),
    ("2025年3月底前", None, "date", D(2025, 3, 31), "月底"),
    ("2025年3月底", None, "date", D(2025, 3, 31), "月底"),
    ("2024年2月底前完成", None, "date", D(2024, 2, 29), "月底"),
    ("3月底前", 2025, "date", D(2025, 3, 31), "月底"),
    ("2025年底前", None, "date", D(2025, 12, 31), "年底"),
    ("年底前", 2024, "date", D(2024, 12, 31), "年底"),
    ("2025年上半年", None, "date", D(2025, 6, 30), "上半年"),
    ("长期坚持", None, "standing", None, "长期坚持"),
    ("立行立改", None, "standing", None, "立行立改"),
    ("持续推进", None, "standing", None, "持续推进"),
    ("尽快", 2025, "unknown", None, ""),
    ("近期", 2025, "unknown", None, ""),
    ("3月底前", None, "unknown", None, ""),  # no year to place it in
    ("2025年2月30日", None, "unknown", None, ""),
    ("", 2025, "missing", None, ""),
])
def test_deadline_forms(text, year, kind, date, form):
    d = parse_deadline(text, year, CONV)
    assert (d.kind, d.date, d.form) == (kind, date, form)
    assert d.text == text


def test_bare_month_takes_the_year_of_the_material(tmp_path):
    row = "| （一）一是 | 专题研讨 | 党委书记 | 陈某 | 3月底前 | 推进中 |\n"
    mat, schema = _material(tmp_path, LEDGER_HEAD + row)  # year: 2023 in the front matter
    assert read_ledger(mat, schema).rows[0].deadline.date == D(2023, 3, 31)
    index = "---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: 2023\nunit: 某镇\n密级: 内部\n状态: 定稿\ndate: 2024-01-05\n---\n\n"
    mat = load(write_material(tmp_path / "b", {"04-整改清单.md": LEDGER_HEAD + row, "index.md": index + CLEAN["index.md"]},
                              front=False))
    schema, _ = resolve_schema(mat)
    assert read_ledger(mat, schema).rows[0].deadline.date == D(2024, 3, 31)  # the 成文日期 decides


@pytest.mark.parametrize("word,state", [
    ("", NOT_STARTED), ("未开始", NOT_STARTED), ("推进中", IN_PROGRESS), ("正在推进", IN_PROGRESS),
    ("持续推进", IN_PROGRESS), ("正在整改", IN_PROGRESS), ("部分整改", IN_PROGRESS), ("延期整改", IN_PROGRESS),
    ("已完成", DONE), ("已整改", DONE), ("已整改到位", DONE), ("已整改销号", DONE), ("立行立改", DONE),
    ("长期坚持", STANDING),
])
def test_status_words_map_to_four_states_and_keep_the_word(tmp_path, word, state):
    row = f"| （一）一是 | 专题研讨 | 党委书记 | 陈某 | 2024年底前 | {word} |\n"
    mat, schema = _material(tmp_path, LEDGER_HEAD + row)
    r = read_ledger(mat, schema).rows[0]
    assert (r.state, r.status_word, r.status_known) == (state, word, True)


def test_references_by_number_full_number_lead_and_several(tmp_path):
    rows = [
        "| （一）二是 | a | 党委书记 | 陈某 | 2024年底前 | 已完成 |",
        "| 一（一）二是 | b | 党委书记 | 陈某 | 2024年底前 | 已完成 |",
        "| 学用结合，不够 紧密 | c | 党委书记 | 陈某 | 2024年底前 | 已完成 |",  # punctuation and spaces ignored
        "| （二）一是；落实“一岗双责”有温差 | d | 党委书记 | 陈某 | 2024年底前 | 已完成 |",
        "| （一）二是：学用结合不够紧密 | e | 党委书记 | 陈某 | 2024年底前 | 已完成 |",  # as the xlsx writes it
    ]
    mat, schema = _material(tmp_path, LEDGER_HEAD + "\n".join(rows) + "\n")
    ledger = read_ledger(mat, schema)
    leads = [[p.lead for p in r.problems] for r in ledger.rows]
    assert leads[:3] == [["学用结合不够紧密。"]] * 3
    assert leads[3] == ["执行民主集中制不够严格。", "落实“一岗双责”有温差。"]
    assert leads[4] == ["学用结合不够紧密。"]
    assert all(p.error == "" for r in ledger.rows for p in r.problems)
    assert ledger.rows[3].problems[0].label == "（二）一是" and ledger.rows[3].problems[0].full_label == "一（二）一是"


def test_short_number_prefers_the_problems_and_full_number_reaches_other_sections(tmp_path):
    # 整改措施 with its own aspects and points: （一）一是 there too. The short form means 存在的问题.
    measures = CLEAN["03-整改措施.md"].replace(
        "坚持把学习", "**加强学习。**坚持把学习")
    rows = ["| （一）一是 | a | 党委书记 | 陈某 | 2024年底前 | 已完成 |",
            "| 三（一）一是 | b | 党委书记 | 陈某 | 2024年底前 | 已完成 |"]
    mat, schema = _material(tmp_path, LEDGER_HEAD + "\n".join(rows) + "\n", **{"03-整改措施.md": measures})
    ledger = read_ledger(mat, schema)
    assert ledger.rows[0].problems[0].lead == "理论学习不深不透。"
    assert ledger.rows[1].problems[0].lead == "加强学习。"


def test_ambiguous_and_unknown_references(tmp_path):
    # Two problem sections' worth of the same short number: a problem point directly under
    # 存在的问题 and one in a second 一级 section with problems is unusual; the realistic
    # ambiguity is the same lead sentence twice.
    problems = CLEAN["01-存在的问题.md"].replace("**调查研究不够深入。**", "**理论学习不深不透。**")
    rows = ["| 理论学习不深不透 | a | 党委书记 | 陈某 | 2024年底前 | 已完成 |",
            "| 理论学习不够深入 | b | 党委书记 | 陈某 | 2024年底前 | 已完成 |",
            "| （一）二是：执行民主集中制 | c | 党委书记 | 陈某 | 2024年底前 | 已完成 |"]
    mat, schema = _material(tmp_path, LEDGER_HEAD + "\n".join(rows) + "\n", **{"01-存在的问题.md": problems})
    ledger = read_ledger(mat, schema)
    amb, unknown, mismatch = (r.problems[0] for r in ledger.rows)
    assert amb.error == "ambiguous" and "（一）一是" in amb.hint and "（五）一是" in amb.hint
    assert unknown.error == "unknown" and "理论学习不深不透" in unknown.hint
    assert mismatch.error == "mismatch" and "学用结合不够紧密" in mismatch.hint


def test_blank_problem_cell_repeats_the_one_above(tmp_path):
    rows = ["| （一）一是 | a | 党委书记 | 陈某 | 2024年底前 | 已完成 |",
            "|  | b | 党委书记 | 陈某 | 2024年底前 | 已完成 |"]
    mat, schema = _material(tmp_path, LEDGER_HEAD + "\n".join(rows) + "\n")
    ledger = read_ledger(mat, schema)
    assert [r.problems[0].lead for r in ledger.rows] == ["理论学习不深不透。"] * 2


def test_ledger_as_a_second_level_heading_inside_measures(tmp_path):
    measures = CLEAN["03-整改措施.md"] + "\n## 整改台账\n\n" + LEDGER.split("\n", 2)[2]
    folder = write_material(tmp_path, {"03-整改措施.md": measures})
    mat = load(folder)
    schema, _ = resolve_schema(mat)
    assert len(read_ledger(mat, schema).rows) == len(LEDGER_ROWS)


def test_no_ledger_and_a_plain_table_elsewhere(tmp_path):
    causes = CLEAN["02-原因剖析.md"] + "\n| 原因 | 说明 |\n| --- | --- |\n| 学习 | 不够 |\n"
    folder = write_material(tmp_path, {"02-原因剖析.md": causes})
    mat = load(folder)
    schema, _ = resolve_schema(mat)
    assert read_ledger(mat, schema) is None
    s = summarise(mat, schema, D(2025, 1, 1))
    assert (s.has_ledger, s.problems, s.problems_without_measure, s.measures) == (False, 7, 7, 0)


def test_summary_counts(tmp_path):
    rows = list(LEDGER_ROWS)
    rows[3] = "| （三）一是 | 建立项目包联制度 | 镇长 |  | 2024年6月底前 | 推进中 |"  # overdue, owner ok (leader)
    rows[4] = "| （四）一是 | 形成协调方案 |  |  | 尽快 | 未开始 |"
    rows.pop(6)  # （六）一是 without a measure
    mat, schema = _material(tmp_path, LEDGER_HEAD + "\n".join(rows) + "\n")
    s = summarise(mat, schema, D(2025, 1, 1))
    assert s.has_ledger
    assert (s.problems, s.problems_without_measure, s.measures) == (7, 1, 6)
    assert (s.done, s.in_progress, s.not_started, s.standing) == (3, 1, 1, 1)
    assert (s.overdue, s.rows_missing_owner, s.rows_missing_deadline) == (1, 1, 1)


def test_numbering_and_exports_keep_the_table(tmp_path):
    mat, schema = _material(tmp_path)
    md = to_markdown(mat, schema)
    assert "## 四、整改清单" in md
    assert "| （一）一是 | 中心组每月专题研讨一次 | 党委书记 | 党政办主任陈某 | 2024年12月31日 | 已完成 |" in md
    text = to_text(mat, schema)
    assert "（一）一是\t中心组每月专题研讨一次\t党委书记" in text
    # The site's numbered source: the heading gets its number, the table rows stay as written.
    path = str(tmp_path / "material" / "04-整改清单.md")
    src = (tmp_path / "material" / "04-整改清单.md").read_text(encoding="utf-8")
    numbered = number_source(src, path, mat, None, schema)
    assert numbered.split("\n")[0] == "# 四、整改清单"
    assert numbered.split("\n")[1:] == src.split("\n")[1:]


def test_word_export_holds_the_table(tmp_path):
    from docx import Document

    from gongwen.export.docx import write_docx

    mat, schema = _material(tmp_path)
    out = tmp_path / "m.docx"
    write_docx(mat, schema, out)
    tables = Document(str(out)).tables
    assert len(tables) == 1
    cells = [[c.text for c in r.cells] for r in tables[0].rows]
    assert cells[0] == ["问题", "整改措施", "责任领导", "责任人", "完成时限", "状态"]
    assert cells[1] == ["（一）一是", "中心组每月专题研讨一次", "党委书记", "党政办主任陈某", "2024年12月31日", "已完成"]


def test_schema_conventions_are_data():
    base = load_schema("ledger-base").ledger
    assert "责任单位（人）" in base["columns"]["person"]
    assert "已整改销号" in base["states"]["已完成"] and "延期整改" in base["states"]["推进中"]
    assert load_schema("zhenggai-fangan").ledger["expected"] is True
    # A child names only what it changes; the synonyms come from ledger-base.
    assert load_schema("zhenggai-fangan").ledger["columns"] == base["columns"]
    assert load_schema("2024-minzhu-shenghuohui-banzi").section_for("整改台账").ledger


# The parser's fast path now takes simple tables too (ledger files); it must give exactly the
# tokens markdown-it gives, or step aside (tests/test_parse_fastpath.py holds the rest).
TABLE_LINES = ["| 问题 | 整改措施 |", "|---|---|", "| --- | :-: |", "|:--|--:|", "| （一）一是 | 专题研讨 |", "| a \\| b | c |",
               "| 只有一格 |", "| 1 | 2 | 3 |", "|  | 空 |", "| 行尾没有竖线", "a | b", "", "# 整改清单", "正文。", "- 项",
               "|", "||", "| - |", "|\u3000|", "\u3000", "| x |\t", " | 缩进 |"]


def test_fast_path_tables_equal_markdown_it():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from .test_parse_fastpath import fast, tokens_of

    taken = []

    @settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(TABLE_LINES), max_size=10))
    def check(lines):
        body = "\n".join(lines)
        got = fast(body)
        if got is not None:
            assert got == tokens_of(body), body
            if any(t[0] == "table_open" for t in got):
                taken.append(body)

    check()
    assert taken  # the fast path did take tables


def test_ledger_files_take_the_fast_path(tmp_path):
    from .test_parse_fastpath import fast, tokens_of

    body = LEDGER
    assert fast(body) is not None and fast(body) == tokens_of(body)
    sample = (REPO_DOCS / "示例-2024-青禾镇党委" / "06-整改清单.md").read_text(encoding="utf-8")
    assert fast(sample) == tokens_of(sample)


def test_text_after_a_table_inside_a_list_is_read_as_before(tmp_path):
    # markdown-it parses this file (a list): the table's tokens are skipped, the list's are not.
    body = ("# 整改措施\n\n## 加强学习\n\n- 学习安排：\n\n  | 月份 | 内容 |\n  | --- | --- |\n  | 1月 | 党章 |\n\n"
            "**严格落实制度。**每月集中学习一次。\n")
    folder = write_material(tmp_path, {"03-整改措施.md": body})
    mat = load(folder)
    sec = mat.sections[-1].children[0]
    table, point = sec.blocks[1], sec.blocks[2]
    assert isinstance(table, Table) and [c.text for c in table.rows[0].cells] == ["1月", "党章"]
    assert point.lead == "严格落实制度。" and point.line == 11 and point.column == 1
