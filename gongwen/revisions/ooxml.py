"""A returned Word copy as gongwen needs it: the text inside each source anchor (the hidden
bookmarks export writes) split into kept, inserted and deleted pieces with their authors,
the paragraphs a reviewer added, and the comments, each placed at an anchor.

What comes back is untrusted: the caller passes a returned file through the shared package
check first (read.package.check_package: no zip bomb, no DOCTYPE, a whole zip), and the XML
is parsed here without entities, DTDs or network access."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..diagnostics import input_error
from ..export.docx import ANCHOR_PREFIX, STYLE_POINT_LEAD

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_PARTS = 2000
LEAD_STYLE = STYLE_POINT_LEAD


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


INSERTED = {_w("ins"), _w("moveTo")}
DELETED = {_w("del"), _w("moveFrom")}
# A line break is "\n": a cell's <br> in the source; in the title (broken between words by
# export) it stands for nothing in the source, which align() allows.
TEXT = {_w("t"): None, _w("delText"): None, _w("tab"): "\t", _w("br"): "\n", _w("cr"): "\n",
        _w("noBreakHyphen"): "-"}


@dataclass
class Piece:
    """A stretch of text: kept (change ""), inserted ("ins") or deleted ("del")."""

    text: str
    change: str = ""
    author: str = ""
    date: str = ""
    lead: bool = False  # set in the point's bold lead style (or bold)


@dataclass
class Anchor:
    name: str
    pieces: list[Piece] = field(default_factory=list)

    def original(self) -> str:
        return "".join(p.text for p in self.pieces if p.change != "ins")

    def revised(self) -> str:
        return "".join(p.text for p in self.pieces if p.change != "del")

    def changed(self) -> bool:
        return any(p.change for p in self.pieces)


@dataclass
class NewParagraph:
    """A paragraph whose every character a reviewer inserted, after the anchor `after`."""

    after: str | None
    pieces: list[Piece]


@dataclass
class Comment:
    anchor: str | None
    author: str
    date: str
    text: str
    quote: str = ""


@dataclass
class Outside:
    """A tracked change outside every anchor (a number, the signature): never a source edit."""

    text: str
    change: str
    author: str


@dataclass
class Copy:
    path: str
    anchors: dict[str, Anchor] = field(default_factory=dict)  # in document order
    inserted: list[NewParagraph] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    outside: list[Outside] = field(default_factory=list)


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _part(z: zipfile.ZipFile, name: str, where: str):
    from lxml import etree

    if name not in z.namelist():
        return None
    try:
        return etree.fromstring(z.read(name), _parser())
    except etree.XMLSyntaxError as exc:
        raise input_error(where, f"Word 文件中的 {name} 已损坏：{exc}", "用 Word 或 WPS 打开后另存为 .docx 再试",
                          rule="input.read") from exc


def read_copy(source: str | Path | BinaryIO, where: str | None = None) -> Copy:
    """Read a .docx (a path or an open binary file). `where` names it in messages."""
    where = where or str(source)
    try:
        z = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise input_error(where, "不是有效的 .docx 文件（无法解压）", "用 Word 或 WPS 打开后另存为 .docx 再试",
                          rule="input.read") from exc
    with z:
        if len(z.infolist()) > MAX_PARTS:
            raise input_error(where, "Word 文件中的部件过多，不予读取", "请对方重新保存后发送", rule="input.read")
        document = _part(z, "word/document.xml", where)
        if document is None:
            raise input_error(where, "不是 Word 文件：缺少 word/document.xml", "用 Word 或 WPS 另存为 .docx 再试",
                              rule="input.read")
        styles = _part(z, "word/styles.xml", where)
        comments = _part(z, "word/comments.xml", where)
    copy = Copy(str(where))
    placed = _walk(document, _lead_styles(styles), copy)
    _attach_comments(comments, placed, copy)
    return copy


def _lead_styles(styles) -> set[str]:
    """Style ids named 要点: LibreOffice renames the id (Style10) on a .doc round trip."""
    if styles is None:
        return {LEAD_STYLE}
    found = {LEAD_STYLE}
    for st in styles.iter(_w("style")):
        name = st.find(_w("name"))
        if name is not None and name.get(_w("val")) == LEAD_STYLE:
            found.add(st.get(_w("styleId")))
    return found


def _is_lead(run, lead_ids: set[str]) -> bool:
    rpr = run.find(_w("rPr"))
    if rpr is None:
        return False
    style = rpr.find(_w("rStyle"))
    if style is not None and style.get(_w("val")) in lead_ids:
        return True
    bold = rpr.find(_w("b"))
    return bold is not None and bold.get(_w("val"), "true") not in ("0", "false", "off")


def _change_of(el, paragraph) -> tuple[str, str, str]:
    node = el.getparent()
    while node is not None and node is not paragraph:
        if node.tag in INSERTED:
            return "ins", node.get(_w("author"), ""), node.get(_w("date"), "")
        if node.tag in DELETED:
            return "del", node.get(_w("author"), ""), node.get(_w("date"), "")
        node = node.getparent()
    return "", "", ""


def _run_of(el, paragraph):
    node = el.getparent()
    while node is not None and node is not paragraph:
        if node.tag == _w("r"):
            return node
        node = node.getparent()
    return None


def _walk(document, lead_ids: set[str], copy: Copy) -> dict[str, str | None]:
    """Fill copy's anchors, inserted paragraphs and outside changes; returns where each
    comment starts (comment id -> anchor)."""
    body = document.find(_w("body"))
    if body is None:
        return {}
    open_ids: dict[str, str] = {}  # bookmark id -> anchor name, while open
    last: str | None = None  # the last anchor opened (in document order)
    pending: dict[str, str | None] = {}  # comment id -> anchor, placed at its range start
    waiting: list[str] = []  # comments starting before the first anchor of their paragraph
    for p in body.iter(_w("p")):
        # This paragraph's pieces, with the anchors open at each: assigned at its end, once it
        # is known whether a reviewer typed the whole paragraph (Word may carry the bookmark's
        # end into a paragraph typed after it).
        pieces: list[tuple[Piece, tuple[str, ...]]] = []
        any_anchor = False
        for el in p.iter():
            tag = el.tag
            if tag == _w("bookmarkStart"):
                name = el.get(_w("name"), "")
                if name.startswith(ANCHOR_PREFIX):
                    open_ids[el.get(_w("id"), "")] = name
                    copy.anchors.setdefault(name, Anchor(name))
                    last = name
                    any_anchor = True
                    for cid in waiting:
                        pending[cid] = name
                    waiting.clear()
            elif tag == _w("bookmarkEnd"):
                open_ids.pop(el.get(_w("id"), ""), None)
            elif tag in (_w("commentRangeStart"), _w("commentReference")):
                cid = el.get(_w("id"), "")
                if cid in pending or cid in waiting:
                    continue
                current = next(iter(open_ids.values()), None)
                if current is not None:
                    pending[cid] = current
                else:
                    waiting.append(cid)
            elif tag in TEXT:
                if _change_of(el, p)[0] == "" and tag == _w("delText"):
                    continue  # deleted text outside a w:del: nothing a reader sees
                text = TEXT[tag] if TEXT[tag] is not None else (el.text or "")
                if not text:
                    continue
                change, author, date = _change_of(el, p)
                run = _run_of(el, p)
                piece = Piece(text, change, author, date, run is not None and _is_lead(run, lead_ids))
                pieces.append((piece, tuple(open_ids.values())))
        # Comments on a paragraph with no anchor (the signature) belong to the anchor before it.
        for cid in waiting:
            pending[cid] = last
        waiting.clear()
        if not any_anchor and pieces and all(x.change == "ins" for x, _ in pieces):
            copy.inserted.append(NewParagraph(last, [x for x, _ in pieces]))
            continue
        for piece, names in pieces:
            for name in names:
                copy.anchors[name].pieces.append(piece)
            if not names and piece.change:
                copy.outside.append(Outside(piece.text, piece.change, piece.author))
    return pending


def _attach_comments(comments, placed: dict[str, str | None], copy: Copy) -> None:
    """Each comment with its author, date and text, at the anchor its range starts in."""
    if comments is None:
        return
    for c in comments.iter(_w("comment")):
        cid = c.get(_w("id"), "")
        paragraphs = ["".join(t.text or "" for t in p.iter(_w("t"))) for p in c.iter(_w("p"))]
        text = "\n".join(x for x in paragraphs if x.strip()).strip()
        if not text:
            continue
        copy.comments.append(Comment(placed.get(cid), c.get(_w("author"), ""), c.get(_w("date"), ""), text))


__all__ = ["Anchor", "Comment", "Copy", "NewParagraph", "Outside", "Piece", "read_copy"]
