"""Word export in GB/T 9704-2012 layout (党政机关公文格式), from the numbered model.

Everything visible is carried by named Word styles (正文 = Normal, 标题 = Title,
标题 1-4 = Heading 1-4, 要点, 落款, 页码, 版头标注, 表格文字, 表格标题行), so a user restyles
the whole document in Word or WPS by changing a style, never run by run. A 整改清单 is set in
a landscape section of its own, as offices hand it in; its page numbers, in a turned text box,
sit on the sheet where the portrait pages' do (GB/T 9704 §10.2).

The grid follows what was measured with LibreOffice as the renderer (DESIGN §4): a
`lines` document grid of 579 twips gives 22 lines a page; −5 twips character spacing on
the body lets 28 full-width 16 pt characters fit the 156 mm line; the East-Asian language
zh-CN in the defaults keeps line breaking from losing characters; widow control is off so
every full page holds 22 lines. Measured since: LibreOffice drops a closing mark that would
hang past the margin of a justified line, hence overflowPunct (see BODY_PPR).
"""

from __future__ import annotations

import hashlib
import os
from copy import deepcopy
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Twips
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from ..files import write_bytes_atomic
from ..model import Material, Section, Table
from ..numbering import numbered_blocks
from ..schema import Schema
from .layout import column_widths, marking, signature, split_title

# --- figures (GB/T 9704-2012 §5, and DESIGN §4) ----------------------------------------

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
HEADER_DISTANCE = Mm(20)  # marking line well inside the 37 mm top margin
# GB/T 9704: the dashes of the page number sit 7 mm below the type area. Measured with the
# 4号 line in LibreOffice: footer distance 23 mm put them 9.1 mm below, hence 25 mm.
FOOTER_DISTANCE = Mm(25)
LINE_PITCH = 579  # twips: 22 lines in the 225 mm type area
CHAR_SPACING = -5  # twips on the body style: 28 × 16 pt otherwise overflows 442.2 pt
BODY_PT, TITLE_PT, PAGE_NO_PT = 16, 22, 14  # 3号, 2号, 4号
# Table cells: 小四 仿宋, as offices set a 整改清单 (3号 left about 3 characters a line in a
# 7-column ledger); 4号 would leave the 整改措施 column under 12 characters on landscape A4.
CELL_PT = 12
CELL_PADDING = 108  # twips each side: Word's default cell margin, as the table keeps it
# The ledger's landscape pages: the portrait margins turned with the sheet, so the binding
# edge (left, 28 mm) is the top of the landscape page and its right edge the portrait top.
LANDSCAPE_MARGINS = (Mm(28), Mm(26), Mm(35), Mm(37))  # top, bottom, left, right
# GB/T 9704 §10.2: a landscape table's page number sits where the portrait pages' do on the
# sheet. Its footer holds only the anchor of that turned number, kept clear of the table.
LANDSCAPE_FOOTER_DISTANCE = Mm(10)

FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE_NO = "宋体"

# fontTable entries: Word and WPS look for altName when a font is missing; charset 86
# (GB2312) steers any further substitution to a Chinese font.
FONT_TABLE = {
    FONT_BODY: ("仿宋,FangSong,FangSong_GB2312", "modern", "fixed"),
    FONT_TITLE: ("方正小标宋_GBK,FZXiaoBiaoSong-B05S,宋体,SimSun", "roman", "variable"),
    FONT_H1: ("SimHei", "modern", "fixed"),
    FONT_H2: ("楷体,KaiTi,KaiTi_GB2312", "modern", "fixed"),
    FONT_PAGE_NO: ("SimSun", "auto", "variable"),
}

STYLE_POINT_LEAD = "要点"
STYLE_SIGNATURE = "落款"
STYLE_PAGE_ODD = "页码（单页）"
STYLE_PAGE_EVEN = "页码（双页）"
STYLE_MARKING = "版头标注"
STYLE_CELL = "表格文字"
STYLE_CELL_HEAD = "表格标题行"
HEADING_STYLES = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3", 4: "Heading 4"}
HEADING_FONTS = {1: FONT_H1, 2: FONT_H2, 3: FONT_BODY, 4: FONT_BODY}

W = nsdecls("w")


def _fonts(name: str) -> str:
    # All four slots, so quotes and dashes (ambiguous width) are drawn full-width by the
    # Chinese font too, and hint=eastAsia for Word's own choice of slot.
    return (f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" '
            f'w:hint="eastAsia"/>')


def _rpr(font: str, pt: float, *, plain: bool = False, tracking: int | None = 0) -> str:
    """Run properties in schema order (rFonts, b, i, color, spacing, kern, sz): Word rejects
    a file whose elements are out of order."""
    half = round(pt * 2)
    return (_fonts(font)
            + ('<w:b w:val="0"/><w:bCs w:val="0"/><w:i w:val="0"/><w:color w:val="000000"/>' if plain else "")
            + (f'<w:spacing w:val="{tracking}"/>' if tracking is not None else "")
            + f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')


# Paragraph and run properties of each managed style, as WordprocessingML (the parts
# python-docx has no API for: East-Asian fonts, character-unit indents, grid snapping).
# Paragraph properties too are written in schema order (keepNext, keepLines, widowControl,
# overflowPunct, snapToGrid, spacing, ind, jc, outlineLvl).
SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
INDENT_2 = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0" w:left="0" w:leftChars="0"/>'
OFF_GRID = '<w:snapToGrid w:val="0"/>'  # header and footer lines keep their own height
# overflowPunct="1" is Word's default (a closing mark may hang past the margin), written out
# because LibreOffice reads the flag inverted (writerfilter: hanging = value == 0) and, in
# justified text, drops the hanging mark from the page: 13 marks of the seed vanished.
# With it, LibreOffice moves the last character down instead (a 27-character line).
# Word's and LibreOffice's default spacing between Chinese and digits stays on: LibreOffice
# ignores autoSpaceDE/DN, so turning it off would only make Word differ from the PDF.
BODY_PPR = f'<w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>{SINGLE}{INDENT_2}<w:jc w:val="both"/>'


def _page_no_ind(side: str) -> str:
    # One 4号 character in from the edge of the type area (twips).
    return f'<w:ind w:firstLineChars="0" w:firstLine="0" w:{side}="{PAGE_NO_PT * 20}"/>'


PARAGRAPH_STYLES: dict[str, tuple[str, str]] = {
    "Normal": (BODY_PPR, _rpr(FONT_BODY, BODY_PT, tracking=CHAR_SPACING)),
    "Title": (f'<w:keepNext/>{SINGLE}{NO_INDENT}<w:jc w:val="center"/><w:outlineLvl w:val="9"/>',
              _rpr(FONT_TITLE, TITLE_PT, plain=True)),
    STYLE_SIGNATURE: (f'<w:keepNext/><w:keepLines/>{NO_INDENT}<w:jc w:val="right"/>', ""),
    STYLE_PAGE_ODD: (f'{OFF_GRID}{SINGLE}{_page_no_ind("right")}<w:jc w:val="right"/>',
                     _rpr(FONT_PAGE_NO, PAGE_NO_PT)),
    STYLE_PAGE_EVEN: (f'{OFF_GRID}{SINGLE}{_page_no_ind("left")}<w:jc w:val="left"/>',
                      _rpr(FONT_PAGE_NO, PAGE_NO_PT)),
    STYLE_MARKING: (f'{OFF_GRID}{SINGLE}{NO_INDENT}<w:jc w:val="left"/>', _rpr(FONT_H1, BODY_PT)),
    # Cells: their own style, not Normal with a direct firstLine="0" (Normal's firstLineChars
    # wins over that in Word): left-aligned, no indent, off the 22-line grid (a 10 mm line).
    STYLE_CELL: (f'{OFF_GRID}{SINGLE}{NO_INDENT}<w:jc w:val="left"/>', _rpr(FONT_BODY, CELL_PT)),
    STYLE_CELL_HEAD: (f'<w:keepNext/>{OFF_GRID}{SINGLE}{NO_INDENT}<w:jc w:val="center"/>',
                      "<w:b/><w:bCs/>" + _rpr(FONT_BODY, CELL_PT)),
}
STANDALONE_STYLES = {STYLE_CELL}  # based on no other style: nothing inherited to fight
for _level, _style in HEADING_STYLES.items():
    PARAGRAPH_STYLES[_style] = (
        f'<w:keepNext/><w:spacing w:before="0" w:after="0"/>{INDENT_2}<w:outlineLvl w:val="{_level - 1}"/>',
        _rpr(HEADING_FONTS[_level], BODY_PT, plain=True, tracking=None))

CHARACTER_STYLES: dict[str, str] = {
    # Lead sentence of a point (一是……。), bold as in the Markdown source.
    STYLE_POINT_LEAD: "<w:b/><w:bCs/>",
}
for _level in HEADING_STYLES:
    # Run-in headings ((一)标题。正文…) keep their level's face inside a body paragraph.
    CHARACTER_STYLES[f"Heading {_level} Char"] = _rpr(HEADING_FONTS[_level], BODY_PT, plain=True, tracking=None)


def _set_props(style_el, tag: str, inner: str) -> None:
    old = style_el.find(qn(tag))
    if old is not None:
        style_el.remove(old)
    if not inner:
        return
    el = parse_xml(f"<{tag} {W}>{inner}</{tag}>")
    # Schema order: … pPr, rPr, tblPr …; appending pPr before an existing rPr keeps it valid.
    rpr = style_el.find(qn("w:rPr"))
    if tag == "w:pPr" and rpr is not None:
        rpr.addprevious(el)
    else:
        style_el.append(el)


def _style(doc, name: str, kind):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if name == STYLE_CELL_HEAD:
            style.base_style = doc.styles[STYLE_CELL]
        elif kind == 1 and name not in STANDALONE_STYLES:
            style.base_style = doc.styles["Normal"]
        style.quick_style = True
        return style


def _setup_styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, parse_xml(
        f'<w:docDefaults {W}><w:rPrDefault><w:rPr>{_rpr(FONT_BODY, BODY_PT, tracking=None)}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        '</w:pPr></w:pPrDefault></w:docDefaults>'))
    for name, (ppr, rpr) in PARAGRAPH_STYLES.items():
        el = _style(doc, name, WD_STYLE_TYPE.PARAGRAPH).element
        _set_props(el, "w:rPr", rpr)
        _set_props(el, "w:pPr", ppr)
    for name, rpr in CHARACTER_STYLES.items():
        el = _style(doc, name, WD_STYLE_TYPE.CHARACTER).element
        _set_props(el, "w:rPr", rpr)
    # Only the styles a material uses: the template's 150 table and list styles make every
    # style lookup (an XPath over styles.xml) slow, and Word keeps its built-ins anyway.
    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer", "HeaderChar",
            "FooterChar"} | {doc.styles[n].style_id for n in (*PARAGRAPH_STYLES, *CHARACTER_STYLES)}
    keep |= {link.get(qn("w:val")) for el in styles_el.findall(qn("w:style"))
             if el.get(qn("w:styleId")) in keep for link in el.findall(qn("w:link"))}
    for el in styles_el.findall(qn("w:style")):
        if el.get(qn("w:styleId")) not in keep:
            styles_el.remove(el)
    # Word 2010's copy of the styles would otherwise show the template's blue headings.
    _drop_part(doc, "/word/stylesWithEffects.xml")
    _drop_part(doc, "/docProps/thumbnail.jpeg")


def _drop_part(doc, partname: str) -> None:
    for owner in (doc.part, doc.part.package):
        for rid, rel in list(owner.rels.items()):
            if not rel.is_external and rel.target_part.partname == partname:
                owner.rels.pop(rid)


def _setup_fonts(doc) -> None:
    # python-docx keeps fontTable.xml as an opaque part; its bytes are the only handle.
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = parse_xml(part.blob)
    for name, (alt, family, pitch) in FONT_TABLE.items():
        root.append(parse_xml(
            f'<w:font {W} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_settings(doc) -> None:
    settings = doc.settings
    settings.odd_and_even_pages_header_footer = True
    el = settings.element
    lang = el.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_section(doc) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.top_margin, sec.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    sec.left_margin, sec.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    sec.header_distance, sec.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    sec.gutter = Twips(0)
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = parse_xml(f"<w:docGrid {W}/>")
        sec._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


@lru_cache(maxsize=1)
def _template() -> bytes:
    """The styled empty document, built once per process (styles are the costly part)."""
    doc = Document()
    _setup_styles(doc)
    _setup_fonts(doc)
    _setup_settings(doc)
    _setup_section(doc)
    _footers(doc)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- content ---------------------------------------------------------------------------

def _page_number(paragraph) -> None:
    """— N — with a PAGE field (a complex field: Word, WPS and LibreOffice all update it)."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {W} w:fldCharType="begin"/>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:instrText {W} xml:space="preserve"> PAGE </w:instrText>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {W} w:fldCharType="separate"/>'))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {W} w:fldCharType="end"/>'))
    paragraph.add_run(" —")


def _footers(doc) -> None:
    # The same in every material: part of the cached template.
    sec = doc.sections[0]
    for footer, style in ((sec.footer, STYLE_PAGE_ODD), (sec.even_page_footer, STYLE_PAGE_EVEN)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles[style]
        _page_number(p)


def _turned_page_number(doc, style: str, shape_id: int):
    """A run holding a text box anchored to the landscape page, its text turned 90° clockwise
    (vert): the portrait footer's line, as the sheet shows it when turned back to portrait.
    Word prints a landscape page with its top at the sheet's left (binding) edge, so the
    box spans the landscape top and bottom margins as the portrait line spans the left and
    right ones, and its bottom (anchor b: the box's left side) is FOOTER_DISTANCE from the
    landscape page's left edge, the sheet's bottom. The portrait style places the number
    (odd right = landscape bottom, even left = landscape top, one character in)."""
    x, y = FOOTER_DISTANCE, MARGIN_LEFT  # EMU, as Length values are
    cx, cy = Mm(8), PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # one 4号 line by the type width (EMU)
    run = parse_xml(
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="页码 {shape_id}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="{doc.styles[style].style_id}"/></w:pPr></w:p>'
        '</w:txbxContent></wps:txbx>'
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" '
        'anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
        '</w:drawing></w:r>')
    _page_number(Paragraph(run.find(".//" + qn("w:p")), None))
    return run


def _number_footers(doc, landscape: bool) -> None:
    """The last section's footers: the first section's pair for a portrait one (else a
    portrait section after the ledger would inherit the turned numbers), and one shared
    pair with turned numbers for every landscape one."""
    sec = doc.sections[-1]
    same = next((s for s in list(doc.sections)[:-1] if (s.page_width > s.page_height) == landscape
                 and s._sectPr.xpath("w:footerReference")), None)
    if same is not None:
        for ref in same._sectPr.xpath("w:footerReference"):
            sec._sectPr.insert(0, deepcopy(ref))
        return
    for shape_id, (footer, style) in enumerate(
            ((sec.footer, STYLE_PAGE_ODD), (sec.even_page_footer, STYLE_PAGE_EVEN)), 1):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles[style]
        p._p.append(_turned_page_number(doc, style, shape_id))


def _headers(doc, mark: str) -> None:
    if mark:
        sec = doc.sections[0]
        for header in (sec.header, sec.even_page_header):
            header.is_linked_to_previous = False
            p = header.paragraphs[0]
            p.style = doc.styles[STYLE_MARKING]
            p.add_run(mark)


# --- source anchors ---------------------------------------------------------------------
# Every paragraph (and table cell) that carries source text is wrapped in a hidden bookmark
# (a name starting with "_" is hidden in Word's and WPS's bookmark list) naming its source
# file and position, so `gongwen revisions` can map a returned copy's tracked changes and
# comments back to the Markdown. The bookmark holds only the source's text: numbers, the
# title page's blank line and the signature lie outside every bookmark, so edits to them
# are never taken for source edits. Bookmarks survive LibreOffice's .doc round trip.
ANCHOR_PREFIX = "_GW_"
BOOKMARK_START, BOOKMARK_END, W_ID, W_NAME = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:id"), qn("w:name")


@lru_cache(maxsize=4096)
def file_tag(path: str) -> str:
    """Six hex digits naming a source file by its material folder's name and its own (bookmark
    names hold at most 40 characters, and Word allows only letters, digits and underscores in
    them); not by the whole path, which depends on where the export ran."""
    p = Path(path)
    return hashlib.sha1(f"{p.parent.name}/{p.name}".encode()).hexdigest()[:6]


def anchor_name(path: str, line: int, column: int, cell: int | None = None) -> str:
    name = f"{ANCHOR_PREFIX}{file_tag(path)}_{line}_{column}"
    return name if cell is None else f"{name}_{cell}"


class _Writer:
    """Paragraphs and runs written straight into the body XML. python-docx resolves a style
    given by name with an XPath over styles.xml and sets run text character by character;
    done for every paragraph of 1000 materials that was most of the export. Style ids are
    looked up once per document here; the XML written is the same."""

    def __init__(self, doc):
        self.doc = doc
        self.ids: dict[str, str] = {}
        self.last = None  # the last body paragraph written (not in a table)
        self.anchors = 0

    def open_anchor(self, p, name: str) -> str:
        """Start a bookmark at the end of p; returns its id for close_anchor."""
        self.anchors += 1
        ident = str(self.anchors)
        # SubElement, not parse_xml: one per paragraph, parsing a string each time cost 10 %.
        SubElement(p._p, BOOKMARK_START, {W_ID: ident, W_NAME: name})
        return ident

    def close_anchor(self, p, ident: str) -> None:
        SubElement(p._p, BOOKMARK_END, {W_ID: ident})

    def anchored(self, p, node, text: str, style: str | None = None) -> None:
        """text as one run inside a bookmark naming node's source position."""
        if node is None or not getattr(node, "path", ""):
            self.run(p, text, style)
            return
        ident = self.open_anchor(p, anchor_name(node.path, node.line, node.column))
        self.run(p, text, style)
        self.close_anchor(p, ident)

    def style_id(self, name: str) -> str:
        if name not in self.ids:
            self.ids[name] = self.doc.styles[name].style_id
        return self.ids[name]

    def paragraph(self, text: str = "", style: str | None = None):
        p = self.last = self.doc.add_paragraph()
        if style is not None:
            p._p.style = self.style_id(style)
        if text:
            self.run(p, text)
        return p

    def run(self, p, text: str, style: str | None = None):
        r = p._p.add_r()
        if style is not None:
            r.style = self.style_id(style)
        if "\t" in text or "\n" in text or "\r" in text:
            r.text = text  # tabs and breaks become <w:tab/> and <w:br/>
        elif text:
            r.add_t(text)
        return r


def _title(w: _Writer, text: str, node=None) -> None:
    p = w.paragraph(style="Title")
    ident = w.open_anchor(p, anchor_name(node.path, node.line, node.column)) if node is not None else None
    for i, line in enumerate(split_title(text)):
        if i:
            p.add_run().add_break(WD_BREAK.LINE)
        w.run(p, line)
    if ident:
        w.close_anchor(p, ident)
    w.paragraph()  # GB/T 9704: one blank line between title and text


def _signature(w: _Writer, last, lines: list[tuple[str, float]], also=()) -> None:
    # GB/T 9704 7.3.5: the signature never stands alone on a page, so the last line of the
    # text keeps with it (the one paragraph property set directly: it belongs to no style);
    # after a table, every cell of its last row does (Word keeps a row with the next paragraph).
    for p in (last, *also):
        if p is not None:
            p.paragraph_format.keep_with_next = True
    w.paragraph(style=STYLE_SIGNATURE)  # 正文下空一行 (keeps with the signature)
    for text, right_chars in lines:
        p = w.paragraph(text, STYLE_SIGNATURE)
        p.paragraph_format.right_indent = Twips(round(right_chars * BODY_PT * 20))


def _type_width(doc) -> int:
    """Twips between the margins of the section being written (portrait or landscape)."""
    sec = doc.sections[-1]
    return sec.page_width.twips - sec.left_margin.twips - sec.right_margin.twips


def _table(doc, table: Table, w: _Writer) -> list:
    """A Markdown table as a Word table with single borders (the template keeps no table
    styles): columns as wide as their content needs (layout.column_widths), header row
    repeated on each page, no row split across pages, cells in the cell styles.
    Returns the paragraphs of the last row (the signature keeps with them)."""
    cells = [table.header, *(r.cells for r in table.rows)]  # each with its source place
    rows = [[c.text for c in r] for r in cells]
    cols = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=cols)
    t.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    t._tbl.tblPr.append(borders)
    em = CELL_PT * 20
    total = _type_width(doc)
    widths = [round(x * em) + 2 * CELL_PADDING
              for x in column_widths(rows, (total - 2 * CELL_PADDING * cols) / em)]
    t._tbl.tblPr.append(parse_xml(f'<w:tblLayout {W} w:type="fixed"/>'))
    for col, width in zip(t._tbl.tblGrid.gridCol_lst, widths):
        col.w = Twips(width)
    ids = {name: w.style_id(name) for name in (STYLE_CELL, STYLE_CELL_HEAD)}
    last = []
    for i in range(len(rows)):
        tr = t.rows[i]._tr
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f"<w:cantSplit {W}/>"))  # a row is read whole: never split across pages
        if i == 0:
            tr_pr.append(parse_xml(f"<w:tblHeader {W}/>"))
        for k, (cell, value, width) in enumerate(zip(t.rows[i].cells, cells[i], widths)):
            cell.width = Twips(width)
            p = cell.paragraphs[0]
            p._p.style = ids[STYLE_CELL_HEAD if i == 0 else STYLE_CELL]
            ident = w.open_anchor(p, anchor_name(value.path, value.line, value.column, k))
            w.run(p, value.text)
            w.close_anchor(p, ident)
            if i == len(rows) - 1:
                last.append(p)
    return last


def _section_break(doc, w: _Writer, *, landscape: bool) -> None:
    """End the section written so far on its last paragraph (no blank line is added) and go
    on in a new one, portrait or landscape. The new section inherits the headers and
    continues the page numbers; its footers set them where GB/T 9704 puts them on the sheet
    (a landscape page's turned, §10.2)."""
    body = doc.element.body
    sentinel = body.get_or_add_sectPr()
    last = sentinel.getprevious()
    if last is None or last.tag != qn("w:p") or last.pPr is not None and last.pPr.sectPr is not None:
        last = w.paragraph()._p
    last.set_sectPr(sentinel.clone())
    for ref in sentinel.xpath("w:headerReference|w:footerReference"):
        sentinel.remove(ref)
    sec = doc.sections[-1]
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    margins = LANDSCAPE_MARGINS if landscape else (MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = margins
    sec.footer_distance = LANDSCAPE_FOOTER_DISTANCE if landscape else FOOTER_DISTANCE
    _number_footers(doc, landscape)


def _ledger_spans(material: Material, schema: Schema, blocks) -> dict[int, int]:
    """Block index where a 整改清单 section starts -> index where it ends: set landscape."""
    from ..ledger import conventions, ledger_sections

    sections = {id(s) for s in ledger_sections(material, schema, conventions(schema))}
    spans: dict[int, int] = {}
    start = level = None
    for i, b in enumerate(blocks):
        if b.kind in ("heading", "closing") and start is not None and (b.kind == "closing" or b.level <= level):
            spans[start], start = i, None
        if b.kind == "heading" and start is None and id(b.node) in sections:
            start, level = i, b.level
    if start is not None:
        spans[start] = len(blocks)
    return spans


def build_document(material: Material, schema: Schema):
    """The python-docx Document of a material (for callers that want to add to it)."""
    doc = Document(BytesIO(_template()))
    props = doc.core_properties
    props.title = material.title or ""
    props.subject = schema.name
    props.author = str(material.meta.get("unit") or "")
    props.last_modified_by = "gongwen"
    props.keywords = "GB/T 9704-2012"
    props.comments = "gongwen 导出（GB/T 9704—2012 版式）"
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    _headers(doc, marking(material.meta))

    w = _Writer(doc)
    blocks = numbered_blocks(material, schema)
    landscape = _ledger_spans(material, schema, blocks)
    ends: set[int] = set()
    last_row: list = []  # the paragraphs of the last table's last row, when a table ends the text
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if i in ends and any(x.kind != "closing" for x in blocks[i:]):
            _section_break(doc, w, landscape=False)
        if i in landscape:
            _section_break(doc, w, landscape=True)
            ends.add(landscape[i])
        if b.kind != "closing":
            last_row = []
        if b.kind == "title":
            _title(w, b.text, b.node)
        elif b.kind == "heading":
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            end = b.node.title_end if isinstance(b.node, Section) else ""
            if b.run_in and end and nxt is not None and nxt.kind == "paragraph" and b.level > 1:
                # The source sets this heading run-in: （一）标题。正文… in one paragraph.
                p = w.paragraph()
                style = f"Heading {b.level} Char"
                w.run(p, b.label, style)
                w.anchored(p, b.node, f"{b.text}{end}", style)
                w.anchored(p, nxt.node, nxt.text)
                i += 2
                continue
            p = w.paragraph(style=HEADING_STYLES.get(b.level, "Heading 4"))
            w.run(p, b.label)
            w.anchored(p, b.node, b.text)
        elif b.kind == "point":
            p = w.paragraph()
            lead = b.lead if b.lead and b.text.startswith(b.lead) else ""
            w.run(p, b.label, STYLE_POINT_LEAD if lead else None)
            ident = w.open_anchor(p, anchor_name(b.node.path, b.node.line, b.node.column)) if b.node else None
            if lead:
                w.run(p, lead, STYLE_POINT_LEAD)
            w.run(p, b.text[len(lead):])
            if ident:
                w.close_anchor(p, ident)
        elif b.kind in ("lead", "paragraph"):
            p = w.paragraph()
            w.anchored(p, b.node, b.text)
        elif b.kind == "table" and isinstance(b.node, Table):
            last_row = _table(doc, b.node, w)
        # closing blocks are the signature, set below from the same data
        i += 1
    lines = signature(material)
    if lines:
        _signature(w, last_row[-1] if last_row else w.last, lines, last_row[:-1])
    return doc


def write_docx(material: Material, schema: Schema, out_path: str | os.PathLike) -> None:
    """Write the material as a GB/T 9704 Word file; readers never see a half-written file."""
    buf = BytesIO()
    build_document(material, schema).save(buf)
    write_bytes_atomic(Path(out_path), buf.getvalue())


__all__ = ["ANCHOR_PREFIX", "anchor_name", "build_document", "file_tag", "write_docx"]
