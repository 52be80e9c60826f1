"""content.*: placeholders, paste residue, key terms, examples, problems that are not problems."""

from __future__ import annotations

import pytest

from .conftest import CLEAN, check_path, of_rule, write_material

PROBLEMS = CLEAN["01-存在的问题.md"]
CAUSES = CLEAN["02-原因剖析.md"]


def write_txt(tmp_path, text, name="材料.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("stage, severity", [("草稿", "info"), ("征求意见稿", "warning"), ("定稿", "error")])
def test_placeholder_severity_follows_the_stage(tmp_path, stage, severity):
    folder = write_material(tmp_path, {"01-存在的问题.md": PROBLEMS.replace("全年签约项目5个", "全年签约项目\\*个")},
                            stage=stage)
    found = of_rule(check_path(folder), "content.placeholder")
    assert [(d.line, d.severity, d.message) for d in found] == [(15, severity, "占位符“*”尚未填写")]
    # The column is that of the * in the source line (after the escaping backslash).
    line = (folder / "01-存在的问题.md").read_text(encoding="utf-8").splitlines()[14]
    assert line[found[0].column - 1] == "*"


def test_placeholder_forms(tmp_path):
    text = ("2023年主题教育专题民主生活会领导班子对照检查材料\n"
            "按照XX县委的部署，202X年×月召开专题民主生活会，参会人员○○同志【待补】，具体情况（略）。\n")
    found = [d.message for d in of_rule(check_path(write_txt(tmp_path, text)), "content.placeholder")]
    assert found == ["占位符“XX”尚未填写", "占位符“202X”尚未填写", "占位符“○○”尚未填写",
                     "占位符“【待补】”尚未填写", "占位符“（略）”尚未填写"]


def test_markdown_bold_bullets_and_words_are_not_placeholders(tmp_path):
    folder = write_material(tmp_path, {"03-整改措施.md": CLEAN["03-整改措施.md"] + (
        "\n## 强化制度执行\n\n* **健全制度。**2024年3月底前修订议事规则，落实 XXL 号文件要求。\n"
        "- **严格执行。**每季度通报一次，见 `*.md` 文件。\n")})
    assert of_rule(check_path(folder), "content.placeholder") == []


def test_residue_is_an_error_at_its_line(tmp_path):
    text = ("2023年主题教育专题民主生活会领导班子对照检查材料\n"
            "一、存在的问题\n"
            "（一）在理论学习方面。一是理论学习不深不透。如，今年集体学习12次。发布时间：2023-12-01\n"
            "##paidend##\n")
    found = [(d.line, d.severity, d.message) for d in of_rule(check_path(write_txt(tmp_path, text)), "content.residue")]
    assert found == [(3, "error", "疑似网页残留“发布时间：2023-12-01”"), (4, "error", "疑似网页残留“##paidend##”")]


def test_term_messages_give_the_right_term(tmp_path):
    text = ("2023年主题教育专题民主生活会领导班子对照检查材料\n"
            "班子深入学习习近平新世代中国特色社会主义思想，始终同以习近平同志为首的党中央保持高度一致，"
            "增强“五个意识”，做到「两个维护」，落实中央八条规定精神，坚决反对形式主意。\n")
    found = [d.message for d in of_rule(check_path(write_txt(tmp_path, text)), "content.term")]
    assert found == [
        "术语“习近平新世代中国特色社会主义思想”有误，应为“习近平新时代中国特色社会主义思想”",
        "术语“以习近平同志为首的党中央”有误，应为“以习近平同志为核心的党中央”",
        "提法“五个意识”数目有误，应为“四个意识”",
        "提法“两个维护”的引号应为中文双引号：现为「…」",
        "术语“中央八条规定”有误，应为“中央八项规定”",
        "术语“形式主意”有误，应为“形式主义”",
    ]


def test_term_is_a_warning_in_a_draft(tmp_path):
    folder = write_material(tmp_path, {"02-原因剖析.md": CAUSES.replace("新时代", "新世代")}, stage="草稿")
    assert {d.severity for d in of_rule(check_path(folder), "content.term")} == {"warning"}


def test_correct_terms_in_the_seed_are_not_reported():
    from .conftest import SEED_DIR, SEED_TXT

    assert of_rule(check_path(SEED_TXT), "content.term") == []
    assert of_rule(check_path(SEED_DIR), "content.term") == []


def test_no_example_names_the_problem_and_follows_the_stage(tmp_path):
    plain = PROBLEMS.replace("如，全年签约项目5个，落地开工的只有2个。", "对项目推进中的困难估计不足。")
    final = of_rule(check_path(write_material(tmp_path / "a", {"01-存在的问题.md": plain})), "content.no-example")
    draft = of_rule(check_path(write_material(tmp_path / "b", {"01-存在的问题.md": plain}, stage="草稿")),
                    "content.no-example")
    assert [(d.line, d.severity, d.message) for d in final] == [(15, "warning", "问题“破解发展难题的能力不强”没有具体事例")]
    assert [d.severity for d in draft] == ["info"]


def test_no_example_in_the_seed_text_points_at_the_two_theory_points():
    from .conftest import SEED_TXT

    found = [(d.line, d.column, d.message) for d in of_rule(check_path(SEED_TXT), "content.no-example")]
    assert found == [(5, 12, "问题“理论学习不深不透”没有具体事例"), (5, 236, "问题“指导实践力度有待提升”没有具体事例")]


def test_example_introduced_by_zai_zhong(tmp_path):
    # “在……中，……” introduces an example as well as “如，”.
    body = PROBLEMS.replace("如，6月研究农贸市场改造项目时，", "在研究农贸市场改造项目中，")
    assert of_rule(check_path(write_material(tmp_path, {"01-存在的问题.md": body})), "content.no-example") == []


def test_not_problem_flags_measures_and_achievements_only(tmp_path):
    body = (PROBLEMS.replace("**理论学习不深不透。**", "**进一步加强理论学习。**")
            .replace("**学用结合不够紧密。**", "**理论学习取得明显成效。**"))
    found = [(d.line, d.message) for d in of_rule(check_path(write_material(tmp_path, {"01-存在的问题.md": body})),
                                                  "content.not-problem")]
    assert found == [(5, "“进一步加强理论学习。”读来是成绩、希望或措施（“进一步”），不是问题"),
                     (7, "“理论学习取得明显成效。”读来是成绩、希望或措施（“取得”），不是问题")]


PLAN = """某镇党委关于2023年主题教育专题民主生活会查摆问题的整改方案
一、整改任务
（一）加强理论武装。一是制定班子年度学习计划。每月集中学习一次。责任人：党委书记；完成时限：2024年1月底前。二是开展专题研讨。每季度围绕乡村振兴研讨一次。责任人：党委副书记。三是建立问题整改台账。立行立改。
"""


def test_owner_and_deadline_in_a_rectification_plan(tmp_path):
    diags = check_path(write_txt(tmp_path, PLAN, "整改方案.txt"))
    found = [(d.line, d.column, d.message) for d in of_rule(diags, "content.owner-deadline")]
    assert found == [(3, 57, "整改任务“开展专题研讨”没有写明时限"), (3, 90, "整改任务“建立问题整改台账”没有写明责任人")]


def test_owner_and_deadline_per_heading_when_tasks_are_paragraphs(tmp_path):
    text = ("某镇党委整改方案\n一、整改任务\n（一）强化理论武装。由党委书记牵头，2024年3月底前完成。\n"
            "（二）压实管党治党责任。定期开展谈话提醒。\n")
    found = [(d.line, d.message) for d in of_rule(check_path(write_txt(tmp_path, text)), "content.owner-deadline")]
    assert found == [(4, "整改任务“压实管党治党责任”没有写明责任人和时限")]


def test_quoted_lists_and_nested_quotes_of_slogans_are_right(tmp_path):
    text = ("2023年主题教育专题民主生活会领导班子对照检查材料\n"
            "切实增强“四个意识、四个自信”，坚决做到“两个确立”“两个维护”，树牢“增强‘四个意识’”的自觉。\n")
    assert of_rule(check_path(write_txt(tmp_path, text)), "content.term") == []


def test_problems_written_as_paragraphs_count_their_example(tmp_path):
    body = PROBLEMS.replace("**理论学习不深不透。**", "理论学习不深不透。").replace("**学用结合不够紧密。**", "学用结合不够紧密。")
    # The 理论学习 aspect now has paragraphs, not points; it carries its examples (如，…).
    diags = check_path(write_material(tmp_path, {"01-存在的问题.md": body}))
    assert of_rule(diags, "content.no-example") == []
