"""How findings become diagnostics: stages, suppression, schema severities, the seed and the rules page."""

from __future__ import annotations

from gongwen.check.rules.docs import rules_page_markdown
from gongwen.check.run import check
from gongwen.read import load

from .conftest import CLEAN, SEED_DIR, SEED_TXT, check_path, of_rule, write_material

PROBLEMS = CLEAN["01-存在的问题.md"]
STARRED = PROBLEMS.replace("全年签约项目5个", "全年签约项目\\*个").replace("只开展过1次", "只开展过\\*次")


def test_the_seed_draft_yields_only_info_even_in_a_site_build():
    diags = check(load(SEED_DIR), for_site=True)
    assert diags and {d.severity for d in diags} == {"info"}
    stars = [(d.line, d.column) for d in of_rule(diags, "content.placeholder")]
    assert [line for line, _ in stars] == [13, 13, 13, 13, 17, 31, 37]


def test_stage_from_front_matter_and_overridden_by_the_option(tmp_path):
    folder = write_material(tmp_path, {"01-存在的问题.md": STARRED}, stage="征求意见稿")
    assert {d.severity for d in of_rule(check_path(folder), "content.placeholder")} == {"warning"}
    assert {d.severity for d in of_rule(check_path(folder, stage="定稿"), "content.placeholder")} == {"error"}
    assert {d.severity for d in of_rule(check_path(folder, stage="草稿"), "content.placeholder")} == {"info"}


def test_a_file_without_a_stage_is_checked_as_final():
    assert {d.severity for d in of_rule(check_path(SEED_TXT), "content.placeholder")} == {"error"}
    assert {d.severity for d in of_rule(check_path(SEED_TXT, stage="草稿"), "content.placeholder")} == {"info"}


def test_disable_next_line_with_a_blank_line_between(tmp_path):
    body = STARRED.replace("**破解发展难题的能力不强。**",
                           "<!-- gongwen-disable-next-line content.placeholder typography -->\n\n**破解发展难题的能力不强。**")
    diags = check_path(write_material(tmp_path, {"01-存在的问题.md": body}))
    # The suppressed line's * is gone; the other one (in 廉洁自律) is still reported.
    assert [d.message for d in of_rule(diags, "content.placeholder")] == ["占位符“*”尚未填写"]
    assert of_rule(diags, "content.placeholder")[0].line == 29


def test_disable_applies_to_one_line_only(tmp_path):
    body = STARRED.replace("**破解发展难题的能力不强。**",
                           "<!-- gongwen-disable-next-line content.residue -->\n**破解发展难题的能力不强。**")
    diags = check_path(write_material(tmp_path, {"01-存在的问题.md": body}))
    assert len(of_rule(diags, "content.placeholder")) == 2


def test_front_matter_disable_list_covers_the_whole_folder(tmp_path):
    folder = write_material(tmp_path, {
        "index.md": "---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: 2023\nunit: 某镇党委\n密级: 内部\n状态: 定稿\n"
                    "gongwen-disable: [content.placeholder, structure.section]\n---\n\n" + CLEAN["index.md"],
        "01-存在的问题.md": STARRED, "02-原因剖析.md": None}, front=False)
    diags = check_path(folder)
    assert of_rule(diags, "content.placeholder") == [] and of_rule(diags, "structure.section") == []
    assert of_rule(check_path(write_material(tmp_path / "b", {"01-存在的问题.md": STARRED})), "content.placeholder")


def test_disabling_a_rule_disables_its_sub_ids(tmp_path):
    causes = CLEAN["02-原因剖析.md"].replace("# 原因剖析", "<!-- gongwen-disable-next-line structure.section -->\n# 原因分析")
    diags = check_path(write_material(tmp_path, {"02-原因剖析.md": causes}))
    assert of_rule(diags, "structure.section") == []


def test_schema_severity_map_2025_aspect_names_are_only_warnings(tmp_path):
    aspects = ["在带头强化政治忠诚、提高政治能力方面", "在带头固本培元、增强党性方面", "在带头敬畏人民、敬畏组织、敬畏法纪方面",
               "在带头干事创业、担当作为方面", "在带头扛起管党治党责任方面"]
    body = "# 存在的问题\n\n" + "".join(
        f"## {a}\n\n**落实要求还有差距。**如，全年专题研讨仅{i + 2}次。\n\n" for i, a in enumerate(aspects))
    case = "# 典型案例剖析\n\n## 案例基本情况\n\n2024年5月，县纪委通报了1起违规套取补贴案件。\n"
    folder = write_material(tmp_path, {"01-存在的问题.md": body, "015-典型案例剖析.md": case},
                            type="2025-minzhu-shenghuohui-banzi")
    found = of_rule(check_path(folder), "structure.aspect")
    assert [(d.severity, d.message) for d in found] == [
        ("warning", "方面名称“在带头扛起管党治党责任方面”与官方名称不符，应为“在带头坚决扛起管党治党责任方面”")]


def test_every_message_and_hint_is_chinese(tmp_path):
    from .test_rules_cases import CASES

    for i, case in enumerate(CASES):
        for d in case.run(tmp_path / str(i)):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in d.message), d
            assert d.severity in ("error", "warning", "info")


def test_rules_page_lists_every_rule_and_escapes_examples():
    page = rules_page_markdown()
    from gongwen.check.rules import RULES

    for rule_id in RULES:
        assert f"`{rule_id}`" in page
    assert "<script" not in page and "<a href" not in page
    assert "gongwen-disable-next-line" in page
