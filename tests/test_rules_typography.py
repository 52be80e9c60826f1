"""typography.*: reported at the right column, and never on Markdown syntax, numbers or URLs."""

from __future__ import annotations

from .conftest import CLEAN, check_path, of_rule, write_material

CAUSES = CLEAN["02-原因剖析.md"]
MEASURES = CLEAN["03-整改措施.md"]


def line_col(diags, rule):
    return [(d.line, d.column, d.message) for d in of_rule(diags, rule)]


def write_txt(tmp_path, body):
    path = tmp_path / "材料.txt"
    path.write_text("2023年主题教育专题民主生活会领导班子对照检查材料\n" + body, encoding="utf-8")
    return path


def test_halfwidth_punctuation_between_chinese(tmp_path):
    diags = check_path(write_txt(tmp_path, "领导班子规范党内政治生活还不够,落实\"三会一课\"制度不够有力.有时存在(形式主义)倾向;\n"))
    assert line_col(diags, "typography.halfwidth-punct") == [
        (2, 16, "中文中使用了半角标点“,”，应为全角“，”"),
        (2, 19, "中文中使用了半角引号“\"”，应为全角““”"),
        (2, 24, "中文中使用了半角引号“\"”，应为全角“””"),
        (2, 31, "中文中使用了半角句号“.”，应为全角“。”"),
        (2, 36, "中文中使用了半角标点“(”，应为全角“（”"),
        (2, 41, "中文中使用了半角标点“)”，应为全角“）”"),
        (2, 44, "中文中使用了半角标点“;”，应为全角“；”"),
    ]


def test_halfwidth_not_on_numbers_urls_files_or_markdown(tmp_path):
    extra = ("\n## 提升工作效能\n\n**压缩文件数量。**全年发文数量压减3.5%，会议时间控制在8:30—10:00，"
             "详见[整改台账](https://oa.example.gov.cn/tz?id=3&p=1)和附件 zhenggai-v1.2.docx，"
             "网址 http://intranet.example/a.b,c 也不算。运行 `gongwen check docs/` 即可。\n\n"
             "1. 第一项措施。\n2. 第二项措施。\n\n!!! note \"整改要求\"\n\n> 引用：\\*号是转义的字符。\n")
    diags = check_path(write_material(tmp_path, {"03-整改措施.md": MEASURES + extra}))
    assert of_rule(diags, "typography") == []


def test_ellipsis_and_mixed_width_parentheses(tmp_path):
    diags = check_path(write_txt(tmp_path, "存在以会代学、以文件落实文件等问题...全年发文（2023)共86件。\n"))
    assert [m for _, _, m in line_col(diags, "typography.halfwidth-punct")] == [
        "中文中使用了半角省略号“...”，应为全角“……”", "中文中使用了半角标点“)”，应为全角“）”"]
    # The mixed pair is a width problem, not an unpaired bracket.
    assert of_rule(diags, "typography.quote-pair") == []


def test_space_between_chinese_characters(tmp_path):
    diags = check_path(write_txt(tmp_path, "班子成员 对一些深层次的改革发展问题，主动思考、主动谋划　不够。\n"))
    assert line_col(diags, "typography.cjk-space") == [
        (2, 5, "汉字之间有空格：“班子成员 对一些深”"), (2, 29, "汉字之间有全角空格：“主动谋划　不够。”")]


def test_no_space_finding_for_markdown_or_latin(tmp_path):
    body = CLEAN["01-存在的问题.md"].replace("**理论学习不深不透。**对", "**理论学习不深不透。** 对").replace(
        "如，今年理论学习", "如，2023 年理论学习使用 OA 系统，")
    diags = check_path(write_material(tmp_path, {"01-存在的问题.md": body}))
    assert of_rule(diags, "typography.cjk-space") == []


def test_quotes_reversed_unclosed_and_stray(tmp_path):
    diags = check_path(write_txt(tmp_path, (
        "不善于把学习课题转为破解难题的”金钥匙“。\n"
        "始终有一种“抱着金碗要饭的思想窘境。\n"
        "认真学习《中国共产党章程》和党纪党规】。\n")))
    assert line_col(diags, "typography.quote-pair") == [
        (2, 16, "引号左右颠倒：先出现了右引号“””，后出现左引号““”"),
        (3, 6, "左引号““”没有对应的右引号“””"),
        (4, 19, "右括号“】”没有对应的左括号“【”"),
    ]


def test_quotes_paired_across_lines_of_one_paragraph_and_nested(tmp_path):
    causes = CAUSES.replace("坚决做到“两个维护”", "坚决做到“两个\n维护”，树牢“增强‘四个意识’、\n坚定‘四个自信’”的自觉")
    diags = check_path(write_material(tmp_path, {"02-原因剖析.md": causes}))
    assert of_rule(diags, "typography") == []


def test_list_numbers_with_a_closing_parenthesis_are_not_unpaired(tmp_path):
    diags = check_path(write_txt(tmp_path, "1）严格落实“三会一课”制度。\n2）每季度开展1次谈心谈话。\n"))
    assert of_rule(diags, "typography.quote-pair") == []


def test_typography_is_info_in_a_draft(tmp_path):
    folder = write_material(tmp_path, {"02-原因剖析.md": CAUSES.replace("是到位的，但在", "是到位的,但在")}, stage="草稿")
    assert [d.severity for d in of_rule(check_path(folder), "typography")] == ["info"]
