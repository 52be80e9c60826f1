"""The note on a material's title page counting its open 批注 (review.comment findings)."""

from __future__ import annotations

import html

from ..diagnostics import Diagnostic
from ..read.comments import COMMENTS_FILE

RULE = "review.comment"


def comments_note(diags: list[Diagnostic]) -> str:
    """'' when the material has no open comment; else a line saying how many and where."""
    n = sum(d.rule == RULE for d in diags)
    if not n:
        return ""
    return (f'<p class="gongwen-comments-count" data-search-exclude>领导批注 {n} 条未处理'
            f"（见材料文件夹中的 {html.escape(COMMENTS_FILE)}，各条显示在所在页面顶部的检查结果中；处理后删除）</p>\n")


__all__ = ["RULE", "comments_note"]
