"""structure.*: what a writer reads when a 一级 section or a 方面 is missing, misnamed, misplaced."""

from __future__ import annotations

from .conftest import CLEAN, check_path, of_rule, write_material

PROBLEMS = CLEAN["01-存在的问题.md"]
CAUSES = CLEAN["02-原因剖析.md"]


def messages(diags, rule):
    return [(d.line, d.severity, d.message) for d in of_rule(diags, rule)]


def test_misnamed_aspect_names_the_official_one(tmp_path):
    folder = write_material(tmp_path, {"01-存在的问题.md": PROBLEMS.replace("在政治素质方面", "在政治素养方面")})
    found = messages(check_path(folder), "structure.aspect")
    assert found == [(9, "error", "方面名称“在政治素养方面”与官方名称不符，应为“在政治素质方面”")]


def test_aspects_out_of_order_missing_and_extra(tmp_path):
    swapped = (PROBLEMS.replace("## 在能力本领方面", "## 在@@方面")
               .replace("## 在担当作为方面", "## 在能力本领方面").replace("## 在@@方面", "## 在担当作为方面"))
    no_clean = swapped[: swapped.index("## 在廉洁自律方面")] + "## 在意识形态方面\n\n**意识形态工作责任制落实不到位。**如，网上舆情处置滞后2天。\n"
    diags = check_path(write_material(tmp_path, {"01-存在的问题.md": no_clean}))
    found = [m for _, _, m in messages(diags, "structure.aspect")]
    assert "缺少方面“在廉洁自律方面”（应在“在工作作风方面”之后）" in found
    assert "方面“在意识形态方面”不是本类材料的官方方面" in found
    # One swap is one finding, not two.
    assert [m for m in found if "顺序不对" in m] == ["方面“在能力本领方面”顺序不对，应在“在政治素质方面”之后、“在担当作为方面”之前"]


def test_wrong_material_type_gives_one_finding_not_six(tmp_path):
    folder = write_material(tmp_path, type="2023-minzhu-shenghuohui-banzi")
    found = messages(check_path(folder), "structure.aspect")
    assert len(found) == 1 and "都不相符" in found[0][2]


def test_aspect_punctuation_differs_from_the_notice(tmp_path):
    # 2023年度民主生活会: “践行宗旨、服务人民” written with a comma.
    aspects = ["学习贯彻习近平新时代中国特色社会主义思想", "维护党中央权威和集中统一领导", "践行宗旨，服务人民",
               "求真务实、狠抓落实", "以身作则、廉洁自律", "履行全面从严治党政治责任"]
    body = "# 存在的问题\n\n" + "".join(
        f"## {a}\n\n**落实要求还有差距。**如，全年专题研讨仅{i + 2}次。\n\n" for i, a in enumerate(aspects))
    folder = write_material(tmp_path, {"01-存在的问题.md": body}, type="2023-minzhu-shenghuohui-banzi")
    found = of_rule(check_path(folder), "structure.aspect")
    assert [(d.rule, d.severity) for d in found] == [("structure.aspect.punct", "warning")]
    assert "应为“践行宗旨、服务人民”" in found[0].message


def test_section_missing_order_duplicate_extra(tmp_path):
    folder = write_material(tmp_path, {
        "02-原因剖析.md": None,
        "04-原因剖析.md": CAUSES,
        "05-整改措施.md": "# 整改措施\n\n## 巩固整改成果\n\n每季度通报一次整改进展。\n",
        "06-工作成效.md": "# 工作成效\n\n全年完成各项目标任务。\n",
    })
    found = {(d.rule, d.severity, d.message) for d in of_rule(check_path(folder), "structure.section")}
    assert ("structure.section", "error", "一级标题“原因剖析”顺序不对，应在“存在的问题”之后、“整改措施”之前") in found
    assert ("structure.section", "error", "一级标题“整改措施”重复（03-整改措施.md 第 1 行已有）") in found
    assert ("structure.section.extra", "warning", "一级标题“工作成效”不属于本类材料的结构") in found

    missing = write_material(tmp_path / "b", {"02-原因剖析.md": None})
    assert [d.message for d in of_rule(check_path(missing), "structure.section")] == [
        "缺少一级标题“原因剖析”（应在“存在的问题”之后、“整改措施”之前）"]


def test_alias_is_accepted_and_the_canonical_name_noted(tmp_path):
    folder = write_material(tmp_path, {"02-原因剖析.md": CAUSES.replace("# 原因剖析", "# 原因分析")})
    found = of_rule(check_path(folder), "structure")
    assert [(d.rule, d.severity) for d in found] == [("structure.section.alias", "info")]
    assert "规范名称为“原因剖析”" in found[0].message


def test_near_miss_section_title_is_a_warning_naming_the_section(tmp_path):
    folder = write_material(tmp_path, {"02-原因剖析.md": CAUSES.replace("# 原因剖析", "# 原因的剖析")})
    found = of_rule(check_path(folder), "structure.section")
    assert [(d.rule, d.severity) for d in found] == [("structure.section.name", "warning")]
    assert "疑为“原因剖析”" in found[0].message


def test_level_skips_and_misplaced_headings(tmp_path):
    folder = write_material(tmp_path, {
        "02-原因剖析.md": CAUSES.replace("## 理论武装还不够深入", "### 理论武装还不够深入")
        + "\n##### 层级太深的标题\n\n正文。\n",
        "index.md": CLEAN["index.md"] + "\n## 工作开展情况\n\n全年召开班子会议24次。\n",
    })
    found = [(d.line, d.message) for d in of_rule(check_path(folder), "structure.level")]
    assert (3, "标题层级跳级：一级标题“原因剖析”下直接出现三级标题“理论武装还不够深入”") in found
    assert any("层级过深" in m for _, m in found)
    assert any("写在了 index.md 中" in m for _, m in found)


def test_section_file_starting_with_a_second_level_heading(tmp_path):
    folder = write_material(tmp_path, {"02-原因剖析.md": CAUSES.replace("# 原因剖析\n\n", "")})
    found = [d.message for d in of_rule(check_path(folder), "structure.level")]
    assert found == ["文件以二级标题“理论武装还不够深入”开始，缺少一级标题（“#”）"]


def test_empty_aspect_is_info_in_a_draft_and_warning_in_a_final(tmp_path):
    body = PROBLEMS[: PROBLEMS.index("**落实“一岗双责”")]
    final = of_rule(check_path(write_material(tmp_path / "a", {"01-存在的问题.md": body})), "structure.empty")
    draft = of_rule(check_path(write_material(tmp_path / "b", {"01-存在的问题.md": body}, stage="草稿")),
                    "structure.empty")
    assert [(d.severity, d.message) for d in final] == [("warning", "方面“在廉洁自律方面”下没有内容")]
    assert [d.severity for d in draft] == ["info"]


def test_material_with_only_a_title(tmp_path):
    path = tmp_path / "只有标题.txt"
    path.write_text("某镇党委2023年度民主生活会领导班子对照检查材料\n", encoding="utf-8")
    assert [d.message for d in of_rule(check_path(path), "structure.empty")] == ["材料没有正文内容"]
