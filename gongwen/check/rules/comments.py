"""review.comment: each 批注 a leader left in a returned Word copy, kept in the material's
批注.yaml (gongwen revisions --apply), is shown at its source line until the writer removes it."""

from __future__ import annotations

from pathlib import Path

from ...diagnostics import InputError
from ...model import Node
from ...read.comments import COMMENTS_FILE, read_comments
from .registry import Context, Finding, rule


@rule("review.comment", "info", "领导批注",
      f"领导在返回的 Word 稿中留下的批注（由 gongwen revisions --apply 记入材料文件夹中的 {COMMENTS_FILE}），"
      "在批注所在的段落或标题处显示作者、日期和内容，直到从该文件中删除这一条。"
      f"{COMMENTS_FILE} 无法读取时给出警告。",
      bad=f"{COMMENTS_FILE} 中：- 文件: 02-存在的问题.md，行: 5，作者: 张书记，批注: 事例再具体些",
      good=f"处理完批注后删除 {COMMENTS_FILE} 中的这一条")
def comments(ctx: Context):
    mat = ctx.material
    folder = Path(mat.path)
    if mat.format != "md" or not folder.is_dir():
        return
    try:
        entries = read_comments(folder)
    except InputError as exc:
        d = exc.diagnostic
        yield Finding(Node(d.path, d.line), d.message, d.hint, severity="warning")
        return
    for c in entries:
        who = "，".join(x for x in (c.author, c.date) if x)
        yield Finding(Node(str(folder / c.file), c.line), f"批注（{who or '未署名'}）：{c.text}",
                      f"处理后从 {COMMENTS_FILE} 中删除这一条")
