"""Small files that used to take a run down (issue 25, item 3), made in the test: a Word body
written as raw XML (many paragraphs, cells, merged cells, deep tables, inflated whitespace),
a text PDF of many pages, an .xlsx whose one merged range covers the whole sheet."""

from __future__ import annotations

import zipfile
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_body(path: Path, body: str) -> Path:
    """A .docx made by python-docx whose body is replaced by `body` (raw WordprocessingML)."""
    from docx import Document

    src = path.with_name(path.stem + ".src.docx")
    doc = Document()
    doc.add_paragraph("某镇党委2023年对照检查材料")
    doc.save(str(src))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "word/document.xml":
                data = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>'.encode()
            zout.writestr(name, data)
    src.unlink()
    return path


BODIES = {
    "paragraphs": lambda: "<w:p><w:r><w:t>段落</w:t></w:r></w:p>" * 20_001,
    "cells": lambda: "<w:tbl><w:tr>" + "<w:tc/>" * 100_001 + "</w:tr></w:tbl>",
    "merged": lambda: "<w:tbl><w:tr>" + '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr></w:tc>' * 5_001 + "</w:tr></w:tbl>",
    "depth": lambda: "<w:tbl><w:tr><w:tc>" * 40 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 40,
    # 33 MB of whitespace between bookmarks: it deflates to a few KB.
    "xml": lambda: "<w:p/>" + ('<w:bookmarkEnd w:id="0"/>' + " " * (1024 * 1024)) * 33,
    "chars": lambda: "<w:p><w:r><w:t>" + "字" * 100_001 + "</w:t></w:r></w:p>",
}


def text_pdf(path: Path, pages: int) -> Path:
    """A PDF with a text layer on every page, written directly (no PDF library needed)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for n in range(pages):
        stream = f"BT /F1 12 Tf 72 720 Td (Page {n + 1} text line) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def xlsx_merged_over_the_sheet(path: Path) -> Path:
    """A 5 KB ledger whose one merged range covers the whole sheet below its header (A3:XFD1048576).
    Made by editing the sheet's XML: openpyxl itself would build a cell object per merged cell."""
    from openpyxl import Workbook

    src = path.with_name(path.stem + ".src.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.append(["问题", "整改措施", "责任人", "完成时限"])
    ws.append(["学习不深", "每月集中学习一次", "张三", "2024-06-30"])
    ws.merge_cells("A3:B4")
    wb.save(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b'ref="A3:B4"', b'ref="A3:XFD1048576"')
            zout.writestr(name, data)
    src.unlink()
    return path


def deep_markdown(levels: int, kind: str = "list") -> str:
    """A material whose body nests a list (or quote) `levels` deep, in the fewest bytes."""
    line = "- " * levels + "正文" if kind == "list" else ">" * levels + " 正文"
    return ("---\ntype: 2023-zhuti-jiaoyu-banzi\n状态: 草稿\n---\n\n# 某镇党委2023年对照检查材料\n\n## 存在的问题\n\n"
            + line + "\n")
