"""What `gongwen revisions` tells the writer: the changes with their authors and dates, the
conflicts, the comments, and a commit message to use (all in Chinese: the writer reads it)."""

from __future__ import annotations

from pathlib import Path

from ..read.comments import COMMENTS_FILE
from . import Revisions
from .mapping import Edit

SHOWN = 40  # characters of a changed text shown in a line of the summary


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SHOWN else text[:SHOWN] + "……"


def describe(e: Edit) -> str:
    if e.kind == "删除段落":
        what = f"删除整段“{_short(e.old)}”"
    elif e.kind == "新增段落":
        what = f"新增一段“{_short(e.new)}”"
    elif not e.old:
        what = f"插入“{_short(e.new)}”"
    elif not e.new:
        what = f"删除“{_short(e.old)}”"
    else:
        what = f"“{_short(e.old)}”改为“{_short(e.new)}”"
    return f"{Path(e.path).name} 第 {e.line} 行：{e.who()}（{e.date or '日期不详'}）{what}"


def summary(rev: Revisions) -> list[str]:
    out: list[str] = []
    if rev.edits:
        out.append(f"修订 {len(rev.edits)} 处：")
        out += [f"  {describe(e)}" for e in sorted(rev.edits, key=lambda e: (e.path, e.start))]
    else:
        out.append("没有可以采纳的修订。")
    if rev.conflicts:
        out.append(f"冲突 {len(rev.conflicts)} 处（未采纳，请对照 Word 稿手工处理）：")
        for c in rev.conflicts:
            where = f"{Path(c.path).name} 第 {c.line} 行" if c.path else "位置不详"
            detail = "；".join([*(describe(e).split("：", 1)[1] for e in c.edits), *c.texts])
            out.append(f"  {where}：{c.reason}：{detail}")
    if rev.comments:
        out.append(f"批注 {len(rev.comments)} 条（--apply 时记入 {COMMENTS_FILE}）：")
        out += [f"  {c.file} 第 {c.line} 行：{c.author or '未署名'}（{c.date or '日期不详'}）：{_short(c.text)}"
                for c in rev.comments]
    if rev.ignored:
        out.append(f"未采纳 {len(rev.ignored)} 处对系统生成的文字（编号、落款）的修改：")
        out += [f"  {x}" for x in rev.ignored]
    return out


def commit_message(rev: Revisions) -> str:
    """A commit message that records who changed what, for `git commit -F`."""
    people = list(dict.fromkeys(a for e in rev.edits for a in e.authors if a))
    people += [c.author for c in rev.comments if c.author and c.author not in people]
    title = rev.material.title or rev.folder.name
    lines = [f"吸收领导修改意见：{title}" + (f"（{'、'.join(people)}）" if people else ""), ""]
    lines += [f"- {describe(e)}" for e in sorted(rev.edits, key=lambda e: (e.path, e.start))]
    if rev.comments:
        lines.append(f"- 批注 {len(rev.comments)} 条记入 {COMMENTS_FILE}（"
                     + "、".join(dict.fromkeys(c.author or "未署名" for c in rev.comments)) + "）")
    if rev.conflicts:
        lines.append(f"- 另有 {len(rev.conflicts)} 处冲突未采纳")
    return "\n".join(lines) + "\n"


__all__ = ["commit_message", "describe", "summary"]
