"""The paragraph marks of the preview panel: a finding's tooltip never breaks the paragraph it marks."""

import markdown

from gongwen.diagnostics import Diagnostic
from gongwen.site.catalogue import mark_blocks


def test_a_tooltip_with_markdown_characters_stays_an_attribute():
    md = "**二是认识不足。**有*个村级党组织、_下划线_和`代码`。\n"
    diag = Diagnostic("x.md", 1, 20, "content.placeholder", "info", "占位符“*”尚未填写 [见] <b> {x}")
    out, marked = mark_blocks(md, [diag, diag])
    html = markdown.markdown(out, extensions=["attr_list"])
    assert marked == {1: "gw-L1"} and "{:" not in html and 'id="gw-L1"' in html
    assert 'title="提示 content.placeholder：占位符“＊”尚未填写 ［见］ ＜b＞ ｛x｝' in html
