"""Editing an exported .docx as Word does with 修订 (Track Changes) on: real w:ins / w:del
elements with w:author and w:date, deleted text in w:delText, a deleted or inserted paragraph
mark in the paragraph's w:rPr, and comments as comments.xml plus commentRangeStart / End and a
commentReference run in the text (ECMA-376 Part 1, 17.13.5 and 17.13.4)."""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

W = nsdecls("w")
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


class WordEdit:
    """One reviewer's session on a document: every change carries their name and the date."""

    def __init__(self, path: Path, author: str, date: str = "2025-01-10T09:30:00Z"):
        self.doc = Document(str(path))
        self.author, self.date = author, date
        self.next_id = 900
        self.comments: list[tuple[int, str]] = []

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _mark(self, tag: str) -> str:
        return f'<w:{tag} {W} w:id="{self._id()}" w:author="{self.author}" w:date="{self.date}"/>'

    def paragraph(self, needle: str):
        found = [p for p in self.doc.element.body.iter(qn("w:p")) if needle in _text(p)]
        assert len(found) == 1, f"{len(found)} paragraphs hold {needle!r}"
        return found[0]

    @staticmethod
    def _run(rpr, text: str, deleted: bool = False):
        tag = "w:delText" if deleted else "w:t"
        r = parse_xml(f'<w:r {W}><{tag} xml:space="preserve"/></w:r>')
        r[0].text = text  # set, not formatted into the XML: the text may hold < or &
        if rpr is not None:
            r.insert(0, copy.deepcopy(rpr))
        return r

    def replace(self, old: str, new: str, where: str | None = None) -> None:
        """Select `old` inside one run of the paragraph holding `where` (default: old) and
        type `new` over it: a deletion then an insertion; new == "" only deletes."""
        self._change(self.paragraph(where or old), old, old, new)

    def insert(self, before: str, new: str, where: str | None = None) -> None:
        """Put the cursor after `before` and type `new`: an insertion."""
        self._change(self.paragraph(where or before), before, "", new)

    def _change(self, p, key: str, old: str, new: str) -> None:
        for r in p.iter(qn("w:r")):
            t = r.find(qn("w:t"))
            if t is None or not t.text or key not in t.text:
                continue
            rpr = r.find(qn("w:rPr"))
            text = t.text
            i = text.index(key) + (0 if old else len(key))
            t.text = text[:i]
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            at = r
            if old:
                d = parse_xml(self._mark("del"))
                d.append(self._run(rpr, old, deleted=True))
                at.addnext(d)
                at = d
            if new:
                ins = parse_xml(self._mark("ins"))
                ins.append(self._run(rpr, new))
                at.addnext(ins)
                at = ins
            at.addnext(self._run(rpr, text[i + len(old):]))
            return
        raise AssertionError(f"no single run holds {key!r}")

    def delete_paragraph(self, needle: str) -> None:
        """Select a whole paragraph with its mark and press Delete."""
        p = self.paragraph(needle)
        for r in list(p.findall(qn("w:r"))):
            for t in r.findall(qn("w:t")):
                t.tag = qn("w:delText")
            d = parse_xml(self._mark("del"))
            r.addprevious(d)
            d.append(r)
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = parse_xml(f"<w:pPr {W}/>")
            p.insert(0, ppr)
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = parse_xml(f"<w:rPr {W}/>")
            ppr.append(rpr)
        rpr.append(parse_xml(self._mark("del")))

    def insert_paragraph_after(self, needle: str, runs: list[tuple[str, str | None]]) -> None:
        """Press Enter at the end of a paragraph and type: the new paragraph mark and every run
        are insertions. runs: (text, character style id or None)."""
        p = self.paragraph(needle)
        new = parse_xml(f'<w:p {W}><w:pPr><w:rPr>{self._mark("ins")}</w:rPr></w:pPr></w:p>')
        ins = parse_xml(self._mark("ins"))
        for text, style in runs:
            rpr = parse_xml(f'<w:rPr {W}><w:rStyle w:val="{style}"/></w:rPr>') if style else None
            ins.append(self._run(rpr, text))
        new.append(ins)
        p.addnext(new)

    def comment(self, needle: str, text: str) -> None:
        """Select a paragraph's text and add a comment."""
        p = self.paragraph(needle)
        cid = len(self.comments)
        runs = p.findall(qn("w:r"))
        runs[0].addprevious(parse_xml(f'<w:commentRangeStart {W} w:id="{cid}"/>'))
        runs[-1].addnext(parse_xml(f'<w:commentRangeEnd {W} w:id="{cid}"/>'))
        p.append(parse_xml(f'<w:r {W}><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                           f'<w:commentReference w:id="{cid}"/></w:r>'))
        self.comments.append((cid, text))

    def save(self, path: Path) -> Path:
        if self.comments:
            root = etree.fromstring(f"<w:comments {W}/>".encode())
            for cid, text in self.comments:
                c = parse_xml(f'<w:comment {W} w:id="{cid}" w:author="{self.author}" w:date="{self.date}" '
                              f'w:initials="{self.author[:1]}"><w:p><w:r><w:t/></w:r></w:p></w:comment>')
                c.find(".//" + qn("w:t")).text = text
                root.append(c)
            blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            part = Part(PackURI("/word/comments.xml"), COMMENTS_CT, blob, self.doc.part.package)
            self.doc.part.relate_to(part, RT.COMMENTS)
        self.doc.save(str(path))
        return path
