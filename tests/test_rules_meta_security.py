"""meta.field, security.classified, security.raw-html."""

from __future__ import annotations

import pytest

from .conftest import CLEAN, check_path, of_rule, write_material

INDEX = CLEAN["index.md"]
MEASURES = CLEAN["03-整改措施.md"]


def index_with(front: str) -> dict:
    return {"index.md": f"---\n{front}---\n\n{INDEX}"}


def test_invalid_fields_are_reported_at_their_lines(tmp_path):
    folder = write_material(tmp_path, index_with(
        "type: 2023-zhuti-jiaoyu-banzi\nyear: 二〇二三\nunit: ''\n密级: 保密\n状态: 送审稿\n"), front=False)
    found = [(d.line, d.message) for d in of_rule(check_path(folder), "meta.field")]
    assert found == [
        (3, "年度“二〇二三”无效，应为 2000—2100 之间的整数"),
        (4, "文件头缺少单位 unit"),
        (5, "密级“保密”无效，应为公开、内部、工作秘密、秘密、机密、绝密之一"),
        (6, "状态“送审稿”无效，应为草稿、征求意见稿、定稿之一（按定稿检查）"),
    ]


def test_missing_fields_and_chinese_keys(tmp_path):
    # 年度/单位 are accepted as keys; type is detected from the title, so only noted.
    folder = write_material(tmp_path, index_with("年度: 2024\n单位: 某镇党委\n"), front=False)
    found = [(d.line, d.severity, d.message) for d in of_rule(check_path(folder), "meta.field")]
    assert (1, "info", "文件头没有写类型 type，已根据标题识别为“2023年主题教育专题民主生活会领导班子对照检查材料”") in found
    assert (1, "warning", "文件头缺少密级") in found
    assert (1, "warning", "文件头缺少状态") in found
    assert (2, "warning", "文件头年度 2024 与标题中的 2023 不一致") in found


def test_no_front_matter(tmp_path):
    folder = write_material(tmp_path, front=False)
    found = of_rule(check_path(folder), "meta.field")
    assert [(d.path.endswith("index.md"), d.line, d.message) for d in found] == [
        (True, 1, "index.md 缺少文件头（front matter）")]


def test_meta_field_only_for_markdown(tmp_path):
    from .conftest import SEED_TXT

    assert of_rule(check_path(SEED_TXT), "meta.field") == []


@pytest.mark.parametrize("level, for_site, expected", [
    ("机密", True, ["error"]), ("绝密★长期", True, ["error"]), ("秘密★1年", False, ["error"]),
    ("内部", True, []), ("工作秘密", True, []),
])
def test_classified_material(tmp_path, level, for_site, expected):
    folder = write_material(tmp_path, index_with(
        f"type: 2023-zhuti-jiaoyu-banzi\nyear: 2023\nunit: 某镇党委\n密级: {level}\n状态: 定稿\n"), front=False)
    found = of_rule(check_path(folder, for_site=for_site), "security.classified")
    assert [d.severity for d in found] == expected
    if found:
        assert "属于国家秘密" in found[0].message


def test_classified_mark_in_a_word_style_text(tmp_path):
    path = tmp_path / "来文.txt"
    path.write_text("机密★5年\n某镇党委2023年度民主生活会领导班子对照检查材料\n一、存在的问题\n", encoding="utf-8")
    found = of_rule(check_path(path), "security.classified")
    assert [(d.line, d.severity) for d in found] == [(1, "error")]


def test_raw_html_in_blocks_attributes_and_links(tmp_path):
    extra = ("\n<script>alert('整改')</script>\n\n"
             "<iframe src=\"http://intranet.example/board\"></iframe>\n\n"
             "详见<span onmouseover=\"steal()\">整改台账</span>和[附件](javascript:alert(1))。\n")
    folder = write_material(tmp_path, {"03-整改措施.md": MEASURES + extra})
    found = [(d.line, d.column, d.message) for d in of_rule(check_path(folder), "security.raw-html")]
    assert found == [
        (11, 1, "材料中含有可执行的 HTML：<script>"),
        (13, 1, "材料中含有可执行的 HTML：<iframe>"),
        (15, 9, "材料中含有可执行的 HTML：事件属性 onmouseover="),
        (15, 48, "材料中含有可执行的 HTML：javascript: 链接"),
    ]


def test_raw_html_is_an_error_when_publishing(tmp_path):
    folder = write_material(tmp_path, {"03-整改措施.md": MEASURES + "\n<script>alert(1)</script>\n"})
    assert [d.severity for d in of_rule(check_path(folder), "security.raw-html")] == ["warning"]
    assert [d.severity for d in of_rule(check_path(folder, publish=True), "security.raw-html")] == ["error"]


def test_code_and_comments_are_not_raw_html(tmp_path):
    extra = ("\n网页中的 `<script>` 标签、`onclick=` 属性都会被删除。\n\n"
             "<!-- 审阅意见：<script> 不要写进材料 -->\n\n"
             "    <iframe src=x></iframe>\n\n"
             "```html\n<script>alert(1)</script>\n```\n")
    folder = write_material(tmp_path, {"03-整改措施.md": MEASURES + extra})
    assert of_rule(check_path(folder, publish=True), "security.raw-html") == []
