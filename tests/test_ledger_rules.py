"""ledger.* rules on realistic ledgers: where each finding points, what it says, and
`gongwen check --today`."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys

from .conftest import CLEAN, FRONT, check_path, of_rule, write_material
from .test_rules_cases import LEDGER, LEDGER_HEAD, LEDGER_ROWS, _ledger_with

D = datetime.date


def _diags(tmp_path, ledger: str, **kwargs):
    folder = write_material(tmp_path, {"04-整改清单.md": ledger})
    return folder, check_path(folder, **kwargs)


def test_complete_ledger_has_no_ledger_findings(tmp_path):
    _, diags = _diags(tmp_path, LEDGER, today=D(2026, 1, 1))
    assert of_rule(diags, "ledger") == []


def test_unmatched_problem_reported_at_its_line(tmp_path):
    folder, diags = _diags(tmp_path, _ledger_with(6, None))
    found = of_rule(diags, "ledger.unmatched")
    assert len(found) == 1
    d = found[0]
    assert d.path.endswith("01-存在的问题.md") and d.line == 27 and d.severity == "warning"
    assert "（六）一是" in d.message and "落实“一岗双责”有温差" in d.message
    assert (folder / "01-存在的问题.md").read_text(encoding="utf-8").split("\n")[26].startswith("**落实“一岗双责”")


def test_unknown_problem_names_what_exists_and_the_closest(tmp_path):
    bad = "| 学用结合得不紧密 | 2个调研课题形成具体措施 | 党委副书记 | 组织委员刘某 | 2024年6月底前 | 已完成 |"
    _, diags = _diags(tmp_path, _ledger_with(1, bad))
    found = of_rule(diags, "ledger.unknown-problem")
    assert len(found) == 1
    d = found[0]
    assert d.path.endswith("04-整改清单.md") and d.line == 6 and d.column == 3
    assert "学用结合得不紧密" in d.message
    assert "（一）一是～（六）一是" in d.hint and "（一）二是“学用结合不够紧密。”" in d.hint
    # The problem it failed to name is now unanswered too.
    assert [x.line for x in of_rule(diags, "ledger.unmatched")] == [7]


def test_ambiguous_short_number_asks_for_the_full_one(tmp_path):
    # Points directly under two 一级 sections: 整改措施 gets a point too, so 一是 alone is
    # ambiguous there, but the short form means 存在的问题 first and resolves.
    measures = "# 整改措施\n\n**加强学习。**每月集中学习一次。\n"
    problems = "# 存在的问题\n\n**理论学习不深不透。**如，全年集中学习仅3次。\n\n**学用结合不够紧密。**如，2个调研课题没有形成措施。\n"
    rows = LEDGER_HEAD + "| 一是 | a | 党委书记 | 陈某 | 2024年底前 | 已完成 |\n| 三一是 | b | 党委书记 | 陈某 | 2024年底前 | 已完成 |\n" \
        "| 理论学习 | c | 党委书记 | 陈某 | 2024年底前 | 已完成 |\n"
    folder = write_material(tmp_path, {"01-存在的问题.md": problems, "03-整改措施.md": measures, "04-整改清单.md": rows},
                            type="zhenggai-fangan")
    diags = check_path(folder, type_name="2023-zhuti-jiaoyu-banzi")
    found = of_rule(diags, "ledger.unknown-problem")
    # 一是 -> 存在的问题's first point; 三一是 -> 整改措施's point (full form); 理论学习 is a prefix of one lead only.
    assert found == [], [d.format() for d in found]
    rows2 = LEDGER_HEAD + "| 学用结合不够紧密 | a | 党委书记 | 陈某 | 2024年底前 | 已完成 |\n"
    problems2 = problems + "\n**学用结合不够紧密。**如，另有1个课题没有结题。\n"
    folder = write_material(tmp_path / "b", {"01-存在的问题.md": problems2, "03-整改措施.md": measures, "04-整改清单.md": rows2})
    found = of_rule(check_path(folder), "ledger.unknown-problem")
    assert [d.rule for d in found] == ["ledger.unknown-problem.ambiguous"]
    assert "一、二是" in found[0].hint and "一、三是" in found[0].hint


def test_owner_missing_and_unit_only(tmp_path):
    rows = list(LEDGER_ROWS)
    rows[3] = "| （三）一是 | 建立项目包联制度 |  |  | 2024年底前 | 已完成 |"
    rows[4] = "| （四）一是 | 形成加装电梯协调方案 |  | 城建办 | 2024-04-30 | 已完成 |"
    _, diags = _diags(tmp_path, LEDGER_HEAD + "\n".join(rows) + "\n")
    found = of_rule(diags, "ledger.owner")
    assert [(d.line, d.rule, d.severity) for d in found] == [
        (8, "ledger.owner", "warning"), (9, "ledger.owner.unit", "info")]
    assert "城建办" in found[1].message and "没有到人" in found[1].message


def test_deadline_not_understood_points_at_the_cell(tmp_path):
    row = "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 近期 | 推进中 |"
    folder, diags = _diags(tmp_path, _ledger_with(3, row))
    (d,) = of_rule(diags, "ledger.deadline")
    assert d.line == 8 and "近期" in d.message and "2025年3月底前" in d.hint
    line = (folder / "04-整改清单.md").read_text(encoding="utf-8").split("\n")[7]
    assert line[d.column - 1:].startswith("近期")


def test_status_unknown_word(tmp_path):
    row = "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 2024年底前 | 基本完成吧 |"
    _, diags = _diags(tmp_path, _ledger_with(3, row))
    (d,) = of_rule(diags, "ledger.status")
    assert "基本完成吧" in d.message and d.severity == "warning"


def test_overdue_depends_on_today_and_state(tmp_path):
    row = "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 2024年6月底前 | 正在整改 |"
    folder, _ = _diags(tmp_path, _ledger_with(3, row))
    assert of_rule(check_path(folder, today=D(2024, 6, 30)), "ledger.overdue") == []
    (d,) = of_rule(check_path(folder, today=D(2024, 7, 1)), "ledger.overdue")
    assert "2024年6月底前" in d.message and "2024-07-01" in d.message and d.severity == "warning"
    # Without a date given: today, long after 2024.
    assert len(of_rule(check_path(folder), "ledger.overdue")) == 1
    # A site build notes it only (time passing must not break a strict build).
    (site,) = of_rule(check_path(folder, today=D(2024, 7, 1), for_site=True), "ledger.overdue")
    assert site.severity == "info"
    # Done and standing rows are never overdue; 长期坚持 as a deadline neither.
    _, diags = _diags(tmp_path / "b", LEDGER, today=D(2030, 1, 1))
    assert of_rule(diags, "ledger.overdue") == []


def test_check_today_option_on_the_command_line(tmp_path):
    row = "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 2024年6月底前 | 推进中 |"
    folder, _ = _diags(tmp_path, _ledger_with(3, row))
    cmd = [sys.executable, "-m", "gongwen.cli", "check", str(folder), "--format", "json"]
    early = subprocess.run(cmd + ["--today", "2024-06-01"], capture_output=True, text=True)
    late = subprocess.run(cmd + ["--today", "2024-07-01"], capture_output=True, text=True)
    assert early.returncode == 0, early.stdout + early.stderr
    assert late.returncode == 1
    assert [d["rule"] for d in json.loads(late.stdout)] == ["ledger.overdue"]
    bad = subprocess.run(cmd + ["--today", "2024年7月1日"], capture_output=True, text=True)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


PREV_ROWS = LEDGER_HEAD + "\n".join([
    "| （一）一是 | 中心组每月专题研讨一次 | 党委书记 | 陈某 | 2023年12月31日 | 推进中 |",
    "| （一）二是 | 调研课题形成具体措施 | 党委副书记 | 刘某 | 2023年6月底前 | 已完成 |",
    "| （五）一是 | 调研必须入户 | 党委书记 | 班子成员 | 长期坚持 | 长期坚持 |",
]) + "\n"
REVIEW = "# 上年度整改落实情况\n\n上年度查摆的问题已整改完成大部分。{extra}\n"


def _with_previous(tmp_path, review_extra: str = "", ledger: str | None = None, previous: str = "2023-某镇"):
    write_material(tmp_path, {"04-整改清单.md": PREV_ROWS}, name="2023-某镇")
    index = FRONT.format(type="2023-zhuti-jiaoyu-banzi", stage="定稿").replace(
        "状态: 定稿\n", f"状态: 定稿\nprevious: {previous}\n") + CLEAN["index.md"]
    files = {"index.md": index, "00-上年度整改落实情况.md": REVIEW.format(extra=review_extra)}
    if ledger:
        files["04-整改清单.md"] = ledger
    folder = write_material(tmp_path, files, name="2024-某镇", front=False)
    return check_path(folder)


def test_previous_lists_open_measures_not_accounted_for(tmp_path):
    found = of_rule(_with_previous(tmp_path), "ledger.previous")
    assert len(found) == 2  # （一）一是 推进中 and （五）一是 长期坚持; the 已完成 one needs nothing
    assert all(d.path.endswith("00-上年度整改落实情况.md") and d.line == 1 for d in found)
    text = " ".join(d.message for d in found)
    assert "理论学习不深不透" in text and "调查研究不够深入" in text and "学用结合" not in text


def test_previous_accounted_by_text_or_by_a_row(tmp_path):
    told = "针对理论学习不深不透的问题，中心组坚持每月专题研讨；针对调查研究不够深入的问题，调研必须入户。"
    assert of_rule(_with_previous(tmp_path / "a", told), "ledger.previous") == []
    rows = LEDGER + ""
    found = of_rule(_with_previous(tmp_path / "b", "针对调查研究不够深入的问题，调研必须入户。", rows), "ledger.previous")
    assert found == []  # 理论学习不深不透 has a row of this year's ledger


def test_previous_folder_missing(tmp_path):
    (d,) = of_rule(_with_previous(tmp_path, previous="2022-不存在"), "ledger.previous")
    assert "2022-不存在" in d.message and "不存在" in d.message


PLAN = """---
type: zhenggai-fangan
year: 2024
unit: 某镇党委
密级: 内部
状态: 定稿
---

# 某镇党委关于2023年度民主生活会查摆问题的整改方案

为抓好查摆问题的整改落实，制定本方案。
"""
TASKS = "# 整改任务\n\n## 加强理论武装\n\n制定班子年度学习计划，责任人：党委书记，完成时限：2024年1月底前。\n"


def test_plan_without_ledger_is_noted_only(tmp_path):
    folder = tmp_path / "方案"
    folder.mkdir()
    (folder / "index.md").write_text(PLAN, encoding="utf-8")
    (folder / "01-整改任务.md").write_text(TASKS, encoding="utf-8")
    (d,) = of_rule(check_path(folder), "ledger")
    assert d.rule == "ledger.unmatched.none" and d.severity == "info"
    assert of_rule(check_path(folder, stage="草稿"), "ledger") == []
    # With a ledger whose problem cells are free text (a plan has no problem points to name).
    (folder / "02-整改清单.md").write_text(
        "# 整改清单\n\n| 问题 | 整改任务 | 责任领导 | 责任单位（人） | 整改时限 | 进展 |\n| --- | --- | --- | --- | --- | --- |\n"
        "| 理论学习不深不透 | 制定年度学习计划 | 党委书记 | 党政办陈某 | 2024年1月底前 | 已整改销号 |\n", encoding="utf-8")
    diags = check_path(folder, today=D(2025, 1, 1))
    assert of_rule(diags, "ledger") == [], [d.format() for d in diags]
    assert of_rule(diags, "structure.section") == []


def test_findings_name_the_row_by_its_number_and_quote_the_whole_measure(tmp_path):
    """Issue 24: a ledger's findings say 序号 (what the writer sees in the table), not only the
    source line, and an overdue message quotes the measure whole, not cut mid-phrase."""
    long = "围绕党的二十届三中全会精神开展理论学习中心组专题学习不少于10次，每次学习后形成结合本镇实际的落实清单"
    head = "# 整改清单\n\n| 序号 | 问题 | 整改措施 | 责任领导 | 责任人 | 完成时限 | 状态 |\n| --- | --- | --- | --- | --- | --- | --- |\n"
    rows = ["| 1 | （一）一是 | 中心组每月专题研讨一次 | 党委书记 | 党政办主任陈某 | 2024年12月31日 | 已完成 |",
            f"| 2 | （二）一是 | {long} | 党委书记 | 党政办主任陈某 | 2024年3月底前 | 推进中 |",
            "| 3 | （三）一是 | 建立项目包联制度 |  |  | 2024年底前 | 已完成 |",
            "| 4 | （四）一是 | 形成加装电梯协调方案 | 分管副镇长 | 城建办主任郑某 | 尽快 | 已完成 |"]
    _, diags = _diags(tmp_path, head + "\n".join(rows) + "\n", today=D(2024, 7, 1))
    (late,) = of_rule(diags, "ledger.overdue")
    assert late.message.startswith(f"序号 2 的整改措施“{long}”已逾期：完成时限2024年3月底前")
    (owner,) = of_rule(diags, "ledger.owner")
    assert owner.message == "序号 3 的整改措施“建立项目包联制度”没有写责任领导或责任人"
    (vague,) = of_rule(diags, "ledger.deadline")
    assert vague.message == "序号 4 的完成时限“尽快”不明确"
