"""content.* rules: what the text says (placeholders, paste residue, terms, examples)."""

from __future__ import annotations

import re

from ..textpatterns import RESIDUE
from .registry import Context, Finding, rule

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:XX+|xx+|ＸＸ+)(?![A-Za-z])|[×✕╳]{2,}|20[0-9][XxＸ×]|【待补[^】]*】|【[^】]{0,6}待[填补定][^】]{0,6}】|（略）|\(略\)"
    r"|(?<![*\\])\\?\*(?!\*)"
)


@rule("content.placeholder", "warning", "未填写的占位符",
      "材料中留有 XX、××、202X、【待补】、（略）或代替数字、名称的 *，说明还有内容没有填写。"
      "草稿中为提示，征求意见稿中为警告，定稿中为错误。",
      bad="乡镇*个村级党组织中，一直有*个村是整顿后进党组织", good="乡镇12个村级党组织中，一直有2个村是整顿后进党组织",
      stages={"草稿": "info", "征求意见稿": "warning", "定稿": "error"})
def placeholder(ctx: Context):
    for tl in ctx.text_lines():
        for m in PLACEHOLDER.finditer(tl.text):
            shown = m.group(0).lstrip("\\")
            yield Finding(tl, f"占位符“{shown}”尚未填写", "填写实际的数字、名称或日期",
                          column=tl.column + m.start())


@rule("content.residue", "error", "网页残留",
      "从网页复制粘贴带入的残留文字，如 ##paidbegin##、##paidend##、浏览量、发布时间、下载等。",
      bad="一是意识形态##paidbegin##责任制落实不到位。", good="一是意识形态工作责任制落实不到位。")
def residue(ctx: Context):
    for tl in ctx.text_lines():
        for m in RESIDUE.finditer(tl.text):
            yield Finding(tl, f"疑似网页残留“{m.group(0)}”", "删除这段从网页带入的文字",
                          column=tl.column + m.start())
