"""numbering: typed numbers checked against the computed sequence; one slip, one finding."""

from __future__ import annotations

from .conftest import CLEAN, SEED_DIR, SEED_TXT, check_path, of_rule, write_material

TEXT = """2023年主题教育专题民主生活会领导班子对照检查材料
现对照检查如下：
一、存在的问题
（一）在理论学习方面。一是理论学习不深不透。如，今年集体学习仅4次。三是指导实践力度有待提升。如，2个调研课题没有结题。
（二）在政治素质方面。一是政治执行力还不够强。如，全年谈心谈话仅3次。一是对基层党建重视不够。如，3个村党组织软弱涣散。
（四）在能力本领方面。一是抓班子带队伍的能力不强。如，2名干部作风松散。
（三）在担当作为方面。一是开拓创新不够。如，全年引进项目1个。
(五)在工作作风方面。一是调查研究不深入。如，到村调研38次，一半只听汇报。
（六）在廉洁自律方面。一是制度执行不严格。如，健全的5项制度执行衰减。
二、原因剖析
1、政治站位不够高。有时存在“事务”心理。
2.理论武装不够深。学习不够系统。
三、整改措施
（一）强化理论武装。坚持每月集中学习一次。
"""


def test_skips_repeats_reversals_and_mixed_styles(tmp_path):
    path = tmp_path / "材料.txt"
    path.write_text(TEXT, encoding="utf-8")
    found = [(d.line, d.message) for d in of_rule(check_path(path), "numbering")]
    assert found == [
        (4, "要点编号跳号：“一是”之后是“三是”，缺少“二是”"),
        (5, "要点编号“一是”重复（上一个也是“一是”）"),
        (6, "编号跳号：“（二）”之后是“（四）”，缺少“（三）”"),
        (7, "编号“（三）”顺序颠倒（上一个是“（四）”）"),
        (8, "二级标题编号样式混用：“(五)”与“（一）”并存，规范样式为“（一）”"),
        (11, "三级标题编号样式混用：“1、”与“1.”并存，规范样式为“1.”"),
    ]
    # The half-width parentheses of (五) are reported once, by numbering, not again by typography.
    assert [d for d in check_path(path) if d.line == 8 and d.rule.startswith("typography")] == []


def test_one_consistent_non_standard_style_is_only_a_note(tmp_path):
    text = TEXT.replace("2.理论武装", "2、理论武装")
    path = tmp_path / "材料.txt"
    path.write_text(text, encoding="utf-8")
    found = [(d.line, d.severity) for d in of_rule(check_path(path), "numbering") if d.line in (11, 12)]
    assert found == [(11, "info"), (12, "info")]


def test_typed_numbers_in_markdown_headings_are_checked(tmp_path):
    body = (CLEAN["01-存在的问题.md"].replace("## 在理论学习方面", "## （一）在理论学习方面")
            .replace("## 在政治素质方面", "## （三）在政治素质方面"))
    found = of_rule(check_path(write_material(tmp_path, {"01-存在的问题.md": body})), "numbering")
    assert [(d.line, d.message) for d in found] == [(9, "编号跳号：“（一）”之后是“（三）”，缺少“（二）”")]
    assert "自动编号为“（二）”" in found[0].hint


def test_wrong_level_style_in_a_heading(tmp_path):
    body = CLEAN["01-存在的问题.md"].replace("## 在理论学习方面", "## 1.在理论学习方面")
    found = of_rule(check_path(write_material(tmp_path, {"01-存在的问题.md": body})), "numbering")
    assert [d.message for d in found] == ["二级标题编号“1.”不是本级样式，本级应为“（一）”"]


def test_the_seed_has_consistent_numbers():
    assert of_rule(check_path(SEED_TXT), "numbering") == []
    assert of_rule(check_path(SEED_DIR), "numbering") == []
