"""From a returned copy's anchors to edits of the Markdown sources.

An anchor names the source position of the text export put inside it (file, line, column,
and the cell of a table row). Its original text (the copy with every change rejected) must
still be what export writes for that position today; otherwise the source changed since
export and the anchor's edits are a conflict. Each change is then placed in the source by
walking the Markdown from the anchor's position, matching the text character by character
and stepping over only Markdown markup (the bold marks of a lead, escapes, line breaks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..export.docx import ANCHOR_PREFIX, file_tag
from ..mdtext import md_escape, md_paragraph
from ..numbering import md_cell
from ..numerals import split_point_number
from .ooxml import Anchor, Copy, NewParagraph, Piece

SKIPPABLE = frozenset(" \t\n*_\\`")  # markup a Markdown paragraph may hold between its characters
LINE_MARKUP = SKIPPABLE | frozenset("#>-+")  # what may stand beside a block on its lines (heading, quote, list marks)
BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Characters the source writes as entities (gongwen.mdtext.md_escape; the reader decodes them).
ENTITY_OF = {"&": "&amp;", "<": "&lt;"}
NAME = re.compile(rf"^{re.escape(ANCHOR_PREFIX)}([0-9a-f]{{6}})_(\d+)_(\d+)(?:_(\d+))?$")


@dataclass
class Edit:
    """One change to one source file: text[start:end] becomes `text` (Markdown)."""

    path: str
    start: int
    end: int
    text: str
    line: int  # the source line, for messages
    old: str  # what a reader sees removed
    new: str  # what a reader sees put in
    kind: str  # 修改 | 删除段落 | 新增段落
    authors: tuple[str, ...] = ()
    date: str = ""
    copy: str = ""
    seq: int = 0  # order within a copy, for insertions at the same place

    def who(self) -> str:
        return "、".join(a for a in self.authors if a) or "未署名"

    def same_change(self, other: Edit) -> bool:
        return (self.path, self.start, self.end, self.text) == (other.path, other.start, other.end, other.text)

    def overlaps(self, other: Edit) -> bool:
        if self.path != other.path:
            return False
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


@dataclass
class Conflict:
    path: str
    line: int
    reason: str
    edits: list[Edit] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # for edits that could not be placed


@dataclass
class Place:
    """Where an anchor of a copy is in today's sources."""

    path: str
    line: int
    cell: bool
    offset: int  # of the anchor's first character in the file text


def short_date(value: str) -> str:
    return value[:10] if value else ""


class Sources:
    """The material's files as text (newlines normalised) and today's export of each anchor."""

    def __init__(self, files: list[str], texts: dict[str, str], current: dict[str, str]):
        self.by_tag = {file_tag(f): f for f in files}
        self.texts = texts
        self.current = current

    def place(self, name: str) -> Place | None:
        m = NAME.match(name)
        if not m or m.group(1) not in self.by_tag:
            return None
        path = self.by_tag[m.group(1)]
        line, col = int(m.group(2)), int(m.group(3))
        text = self.texts[path]
        offset = _line_offset(text, line)
        if offset is None:
            return None
        return Place(path, line, m.group(4) is not None, offset + col - 1)

    def resolve(self, anchor: Anchor) -> str | None:
        """Today's anchor for a copy's anchor: the same name if its text is unchanged, else
        the one anchor of the same file whose text is the copy's original (lines moved)."""
        original = anchor.original()
        if self.current.get(anchor.name) == original:
            return anchor.name
        m = NAME.match(anchor.name)
        if not m:
            return None
        prefix = f"{ANCHOR_PREFIX}{m.group(1)}_"
        cell = m.group(4) is not None
        found = [n for n, t in self.current.items()
                 if n.startswith(prefix) and t == original and (NAME.match(n).group(4) is not None) == cell]
        return found[0] if len(found) == 1 else None


def _line_offset(text: str, line: int) -> int | None:
    offset = 0
    for _ in range(line - 1):
        nl = text.find("\n", offset)
        if nl < 0:
            return None
        offset = nl + 1
    return offset


def align(src: str, start: int, text: str) -> list[int] | None:
    """The offset in src of each character of text, reading from start and stepping over
    Markdown markup only; None when the text is not there."""
    pos: list[int] = []
    j = start
    n = len(src)
    for ch in text:
        if ch == "\n":  # a line break: <br> in a cell; in the title, nothing (export broke it)
            m = BR.match(src, j)
            pos.append(j)
            j = m.end() if m else j
            continue
        entity = ENTITY_OF.get(ch)
        while j < n and src[j] != ch and not (entity and src.startswith(entity, j)):
            if src[j] not in SKIPPABLE:
                return None
            j += 1
        if j >= n:
            return None
        pos.append(j)
        j += _width(src, j, ch)
    return pos


def _width(src: str, at: int, ch: str) -> int:
    """How many source characters the shown character ch at `at` takes: an entity's length."""
    entity = ENTITY_OF.get(ch)
    return len(entity) if entity and src.startswith(entity, at) else 1


@dataclass
class _Op:
    start: int
    end: int
    text: str
    author: str
    date: str
    lead: bool


def _ops(pieces: list[Piece]) -> tuple[list[_Op], list[bool]]:
    """Changes in the original text's coordinates, a deletion followed by an insertion being
    one replacement; and which original characters lie in the bold lead."""
    ops: list[_Op] = []
    lead: list[bool] = []
    o = 0
    for p in pieces:
        if p.change == "ins":
            prev = ops[-1] if ops else None
            if prev and prev.end == o and prev.author == p.author and (prev.text or prev.start < prev.end):
                prev.text += p.text
                prev.lead = p.lead if prev.start == prev.end else prev.lead
            else:
                ops.append(_Op(o, o, p.text, p.author, p.date, p.lead))
            continue
        lead.extend([p.lead] * len(p.text))
        if p.change == "del":
            prev = ops[-1] if ops else None
            if prev and prev.end == o and not prev.text and prev.author == p.author and prev.lead == p.lead:
                prev.end += len(p.text)
            else:
                ops.append(_Op(o, o + len(p.text), "", p.author, p.date, p.lead))
        o += len(p.text)
    return ops, lead


def _escape(text: str, cell: bool, line_start: bool = False) -> str:
    # Inserted words are the reviewer's: they never become Markdown syntax or HTML (md_escape
    # writes every < and & as an entity), nor, at the start of a line, a heading, quote or list marker.
    if cell:
        return md_cell(text)
    return md_paragraph(text) if line_start and text == text.strip() else md_escape(text)


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl


def edits_of_anchor(anchor: Anchor, place: Place, original: str, src: str, copy: str) -> list[Edit] | str:
    """The source edits of one changed anchor, or the reason they cannot be placed."""
    pos = align(src, place.offset, original)
    if pos is None or not pos:
        return "在源文件中找不到这段文字的位置（可能含链接等 Markdown 写法）"
    revised = anchor.revised()
    ops, lead = _ops(anchor.pieces)
    authors = tuple(dict.fromkeys(op.author for op in ops))
    date = max((op.date for op in ops), default="")
    # Where each character ends in src: a line break is a <br> in a cell, nothing in the title.
    ends = [m.end() if ch == "\n" and (m := BR.match(src, at)) else at + (ch != "\n") * _width(src, at, ch)
            for at, ch in zip(pos, original)]
    start = src.rfind("\n", 0, pos[0]) + 1
    end = _line_end(src, pos[-1])
    alone = LINE_MARKUP.issuperset(src[start:pos[0]] + src[ends[-1]:end])  # no other block on its lines
    if not revised.strip() and not place.cell and alone:
        # The whole paragraph went: its lines go, with the blank line that separated it.
        end = end + 1 if end < len(src) else end
        if src.startswith("\n", end):
            end += 1
        elif start >= 2 and src[start - 2:start] == "\n\n" and end == len(src):
            start -= 1
        return [Edit(place.path, start, end, "", place.line, original, "", "删除段落", authors, short_date(date), copy)]
    out: list[Edit] = []
    n = len(original)
    matched = set(pos)

    def own_escape(at: int) -> int:
        # A character written escaped (\*) starts at its backslash: a change there takes both.
        return at - 1 if at > 0 and src[at - 1] == "\\" and at - 1 not in matched else at

    for op in ops:
        if op.start == op.end:
            k = op.start
            if k >= n:
                at = ends[-1]
            elif k == 0:
                at = own_escape(pos[0])
            elif op.lead == lead[k - 1] and op.lead != lead[k]:
                at = ends[k - 1]  # stays inside the markup of the run it was typed in
            else:
                at = own_escape(pos[k])
            start = end = at
        else:
            start, end = own_escape(pos[op.start]), ends[op.end - 1]
            if not op.text and src[start - 2:start] == "**" and src[end:end + 2] == "**" and all(
                    lead[op.start:op.end]) and (op.start == 0 or not lead[op.start - 1]) and (
                    op.end == n or not lead[op.end]):
                start, end = start - 2, end + 2  # the whole lead went: its bold marks too
        at_line_start = start == 0 or src[start - 1] == "\n"
        text = _escape(op.text, place.cell, at_line_start)
        out.append(Edit(place.path, start, end, text, place.line, original[op.start:op.end], op.text, "修改",
                        (op.author,), short_date(op.date), copy))
    return out


def new_paragraph(par: NewParagraph, after: Place, original: str, src: str, copy: str,
                  after_is_point: bool) -> Edit | str:
    """A paragraph a reviewer added: a new point (bold lead) when it is one, after the block
    it follows."""
    if after.cell:
        return "表格中新增的段落无法写回 Markdown 表格"
    pos = align(src, after.offset, original)
    if not pos:
        return "在源文件中找不到新增段落前一段的位置"
    text = "".join(p.text for p in par.pieces)
    bold = ""
    for p in par.pieces:  # the bold run(s) the paragraph opens with
        if not p.lead:
            break
        bold += p.text
    number, rest = split_point_number(text)
    cut = len(text) - len(rest) if number else 0  # a typed 三是 goes: numbers are computed
    lead, body = bold[cut:], text[max(cut, len(bold)):]
    if not lead and (number or after_is_point):
        end = body.find("。")
        if end >= 0:
            lead, body = body[:end + 1], body[end + 1:]
    body = body.strip()
    markdown = (f"**{_escape(lead.strip(), False)}**{_escape(body, False)}" if lead.strip()
                else _escape(body, False, line_start=True))
    at = _line_end(src, pos[-1])
    authors = tuple(dict.fromkeys(p.author for p in par.pieces))
    date = max((p.date for p in par.pieces), default="")
    return Edit(after.path, at, at, "\n\n" + markdown, after.line, "", (lead + body).strip(), "新增段落", authors,
                short_date(date), copy)


def map_copy(copy: Copy, sources: Sources, points: set[str]) -> tuple[list[Edit], list[Conflict]]:
    """Every change of one copy as source edits, or as conflicts when its text changed since
    export or it cannot be placed. `points`: today's anchors that are points (a paragraph
    added after one becomes a point)."""
    edits: list[Edit] = []
    conflicts: list[Conflict] = []
    seq = 0

    def where(name: str | None) -> tuple[str, int]:
        place = sources.place(name) if name else None
        return (place.path, place.line) if place else ("", 0)

    for anchor in copy.anchors.values():
        if not anchor.changed():
            continue
        texts = [_describe(anchor)]
        name = sources.resolve(anchor)
        place = sources.place(name) if name else None
        if place is None:
            path, line = where(anchor.name)
            conflicts.append(Conflict(path, line, "导出以后源文件中这段文字已经修改（行号为导出时的行号），无法确定领导的修改应放在哪里", texts=texts))
            continue
        found = edits_of_anchor(anchor, place, anchor.original(), sources.texts[place.path], copy.path)
        if isinstance(found, str):
            conflicts.append(Conflict(place.path, place.line, found, texts=texts))
            continue
        for e in found:
            e.seq = seq = seq + 1
        edits.extend(found)
    for par in copy.inserted:
        text = "".join(p.text for p in par.pieces)
        prev = copy.anchors.get(par.after) if par.after else None
        name = sources.resolve(prev) if prev else None
        place = sources.place(name) if name else None
        if place is None:
            path, line = where(par.after)
            conflicts.append(Conflict(path, line, "新增段落前面的文字在导出以后已经修改，无法确定新增段落的位置",
                                      texts=[f"新增：“{text}”"]))
            continue
        found = new_paragraph(par, place, prev.original(), sources.texts[place.path], copy.path, name in points)
        if isinstance(found, str):
            conflicts.append(Conflict(place.path, place.line, found, texts=[f"新增：“{text}”"]))
            continue
        found.seq = seq = seq + 1
        edits.append(found)
    return edits, conflicts


def _describe(anchor: Anchor) -> str:
    parts = []
    for p in anchor.pieces:
        if p.change == "del":
            parts.append(f"{p.author or '未署名'}删除“{p.text}”")
        elif p.change == "ins":
            parts.append(f"{p.author or '未署名'}插入“{p.text}”")
    return "；".join(parts)


__all__ = ["Conflict", "Edit", "Place", "Sources", "align", "map_copy", "short_date"]
