"""Word files carrying a 密级 mark in each place Word, WPS or LibreOffice can show it, made in
the test with python-docx and lxml (issue 25): a text box, tables above the title, a footnote,
the document properties, headers of every kind, a content control, a comment."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

MARK = "秘密★1年"
TITLE = "某镇党委2023年主题教育专题民主生活会领导班子对照检查材料"
BODY = ["一、存在的问题", "（一）在理论学习方面。一是学习不深。如，全年集中学习3次。",
        "二、原因剖析", "（一）理想信念方面。一是放松了主观世界改造。", "三、整改措施", "（一）加强理论武装。一是坚持第一议题制度。"]
_V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _document(lines=None) -> Document:
    doc = Document()
    for line in [TITLE, *(BODY if lines is None else lines)]:
        doc.add_paragraph(line)
    return doc


def _before_title(doc: Document, xml: str) -> None:
    doc.element.body.insert(0, parse_xml(xml))


def text_box(doc: Document, mark: str = MARK) -> None:
    """A VML text box anchored in a paragraph above the title (Word and LibreOffice show it)."""
    _before_title(doc, f'<w:p {nsdecls("w")} {_V}><w:r><w:pict><v:shape style="width:200pt;height:30pt">'
                       f'<v:textbox><w:txbxContent><w:p><w:r><w:t>{mark}</w:t></w:r></w:p></w:txbxContent>'
                       f'</v:textbox></v:shape></w:pict></w:r></w:p>')


def table_one_cell(doc: Document, mark: str = MARK) -> None:
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).text = mark
    doc.element.body.remove(table._tbl)
    doc.element.body.insert(0, table._tbl)


def table_two_cells(doc: Document, mark: str = MARK) -> None:
    """份号 on the left, the mark on the right: the layout of GB/T 9704's 版头 set as a table."""
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "000123"
    table.cell(0, 1).text = mark
    doc.element.body.remove(table._tbl)
    doc.element.body.insert(0, table._tbl)


def _note(doc: Document, mark: str, kind: str) -> None:
    """A footnote or an endnote on the title holding the mark (its own part, related as Word does)."""
    tag = f"{kind}note"
    xml = (f'<w:{tag}s {nsdecls("w")}><w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           f'</w:{tag}><w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
           f'</w:p></w:{tag}><w:{tag} w:id="1"><w:p><w:r><w:{tag}Ref/></w:r><w:r><w:t xml:space="preserve"> {mark}'
           f'</w:t></w:r></w:p></w:{tag}></w:{tag}s>')
    content_type, rel = (CT.WML_FOOTNOTES, RT.FOOTNOTES) if kind == "foot" else (CT.WML_ENDNOTES, RT.ENDNOTES)
    part = Part(PackURI(f"/word/{tag}s.xml"), content_type, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, rel)
    doc.paragraphs[0]._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:{tag}Reference w:id="1"/></w:r>'))


def footnote(doc: Document, mark: str = MARK) -> None:
    _note(doc, mark, "foot")


def endnote(doc: Document, mark: str = MARK) -> None:
    _note(doc, mark, "end")


def core_title(doc: Document, mark: str = MARK) -> None:
    doc.core_properties.title = mark


def first_page_header(doc: Document, mark: str = MARK) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = mark


def even_page_header(doc: Document, mark: str = MARK) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    doc.sections[0].even_page_header.paragraphs[0].text = mark


def header_table(doc: Document, mark: str = MARK) -> None:
    from docx.shared import Cm

    header = doc.sections[0].header
    table = header.add_table(rows=1, cols=2, width=Cm(15))
    table.cell(0, 0).text = "某镇党委"
    table.cell(0, 1).text = mark


def content_control(doc: Document, mark: str = MARK) -> None:
    _before_title(doc, f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="密级"/><w:tag w:val="mj"/></w:sdtPr>'
                       f'<w:sdtContent><w:p><w:r><w:t>{mark}</w:t></w:r></w:p></w:sdtContent></w:sdt>')


def footer(doc: Document, mark: str = MARK) -> None:
    doc.sections[0].footer.paragraphs[0].text = mark


def comment(doc: Document, mark: str = MARK) -> None:
    doc.add_comment(doc.paragraphs[0].runs, text=mark, author="办公室")


PLACEMENTS = {
    "text-box": text_box, "table-one-cell": table_one_cell, "table-two-cells": table_two_cells,
    "footnote": footnote, "core-title": core_title, "first-page-header": first_page_header,
    "even-page-header": even_page_header, "header-table": header_table, "content-control": content_control,
    "footer": footer, "comment": comment, "endnote": endnote,
}
# The spellings, each as the first line of the body.
SPELLINGS = ["秘密★一年", "密级：秘密★1年", "【秘密】", "机密级", "秘密▲1年"]


def placed(where: str, path: Path, mark: str = MARK) -> Path:
    doc = _document()
    PLACEMENTS[where](doc, mark)
    doc.save(str(path))
    return path


def spelled(spelling: str, path: Path) -> Path:
    doc = _document()
    _before_title(doc, f'<w:p {nsdecls("w")}><w:r><w:t>{spelling}</w:t></w:r></w:p>')
    doc.save(str(path))
    return path


def after_invisible_lines(path: Path, lines: int = 6) -> Path:
    """The mark after six lines holding only a zero-width space: it looks like the first line."""
    doc = Document()
    for _ in range(lines):
        doc.add_paragraph("\u200b")
    for line in [MARK, TITLE, *BODY]:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def secret_inbox(folder: Path) -> list[Path]:
    """Every placement, every spelling and the invisible-lines case, as .docx files in folder."""
    for where in PLACEMENTS:
        placed(where, folder / f"{where}.docx")
    for i, spelling in enumerate(SPELLINGS):
        spelled(spelling, folder / f"spelling-{i}.docx")
    after_invisible_lines(folder / "invisible.docx")
    return sorted(folder.iterdir())
