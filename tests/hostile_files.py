"""Hostile files a reviewing office may receive, made in the test (and by bench/hostile_bench.py
and bench/budget_bench.py): script and formula names, XML entities, zip bombs, truncated zips,
`../` member names; and small files that used to take a run down: a Word body written as raw XML
(many paragraphs, cells, merged cells, deep tables, inflated whitespace), a text PDF of many
pages, an .xlsx whose one merged range covers the whole sheet."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from .conftest import make_docx

# A file name that is an HTML tag, a title ending in a script, a name that is a formula.
SCRIPT_NAME = "<img src=x onerror=alert(1)>.txt"
SCRIPT_TITLE_TAIL = "<script>alert(2)</script>"
FORMULA_NAME = "=cmd.txt"
HYPERLINK_TITLE = '=HYPERLINK("http://example.invalid/","点我")'
# Cell values a spreadsheet would evaluate when typed (OWASP CSV injection's list).
FORMULA_TEXTS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", HYPERLINK_TITLE]

XXE = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<!DOCTYPE w:document [<!ENTITY a "ha!ha!ha!ha!ha!ha!ha!ha!ha!ha!">'
          + b"".join(b'<!ENTITY ' + bytes([98 + i]) + b' "' + (b"&" + bytes([97 + i]) + b";") * 10 + b'">'
                     for i in range(8))
          + b"]>")  # &i; is 10**9 times "ha!"


def hostile_txt(clean: Path, dest: Path, *, title_tail: str = "", title: str | None = None) -> Path:
    """A copy of a clean .txt material whose first line (the title) is changed."""
    lines = clean.read_text(encoding="utf-8").splitlines()
    lines[0] = (title if title is not None else lines[0]) + title_tail
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def _rewrite(src: Path, dest: Path, change) -> Path:
    """Copy a zip package member by member, `change(name, data) -> (name, data)`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = change(info.filename, zin.read(info))
            zout.writestr(name, data)
    return dest


def _with_doctype(data: bytes, doctype: bytes, ref: bytes) -> bytes:
    """The XML part with a DOCTYPE after its declaration and `ref` in its first text."""
    decl_end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
    data = data[:decl_end] + doctype + data[decl_end:]
    return data.replace(b"<w:t>", b"<w:t>" + ref, 1) if b"<w:t>" in data else data


def docx_with_entity(lines: list[str], dest: Path, *, laughs: bool = False) -> Path:
    """A .docx whose document.xml declares an external entity (or billion laughs) and uses it."""
    plain = make_docx(lines, dest.with_name("_plain_" + dest.name))
    doctype, ref = (LAUGHS, b"&i;") if laughs else (XXE, b"&x;")
    out = _rewrite(plain, dest, lambda n, d: (n, _with_doctype(d, doctype, ref) if n == "word/document.xml" else d))
    plain.unlink()
    return out


XLSX_SHEET = "xl/worksheets/sheet1.xml"  # openpyxl writes the strings into the sheet itself


def xlsx_ledger(dest: Path) -> Path:
    """A small 整改清单 workbook as a unit makes it."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["问题", "整改措施", "责任领导", "责任人", "完成时限", "状态"])
    ws.append(["（一）一是", "中心组专题学习不少于10次", "党委书记", "陈某", "2025年12月31日", "推进中"])
    wb.save(dest)
    return dest


def xlsx_with_entity(dest: Path, *, laughs: bool = False) -> Path:
    plain = xlsx_ledger(dest.with_name("_plain_" + dest.name))
    doctype = (LAUGHS if laughs else XXE).replace(b"w:document", b"worksheet")
    ref = b"&i;" if laughs else b"&x;"

    def change(name: str, data: bytes):
        if name == XLSX_SHEET:
            data = _with_doctype(data, doctype, b"").replace("陈某".encode(), "陈某".encode() + ref, 1)
        return name, data

    out = _rewrite(plain, dest, change)
    plain.unlink()
    return out


def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes and its CRC-32, made from one compressed chunk
    repeated (a full flush makes each chunk's blocks independent), so a gigabyte costs ~0.1 s."""
    chunk = 16 << 20
    assert size % chunk == 0
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b"\0" * chunk) + c.flush(zlib.Z_FULL_FLUSH)
    crc_chunk = zlib.crc32(b"\0" * chunk)
    crc = 0
    for _ in range(size // chunk):  # crc32 has no combine in Python: run it on the chunk's zeros
        crc = zlib.crc32(b"\0" * chunk, crc) if crc else crc_chunk
    return block * (size // chunk) + c.flush(), crc


def zip_bomb(src: Path, dest: Path, member: str, size: int = 2 << 30) -> Path:
    """A copy of a .docx/.xlsx package whose `member` inflates to `size` bytes (zeros): a valid
    zip whose member is a real deflate stream of that length."""
    raw, crc = _zeros_deflated(size)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info))
        big = zipfile.ZipInfo(member)
        big.compress_type = zipfile.ZIP_DEFLATED
        big.file_size, big.compress_size, big.CRC = size, len(raw), crc
        big.header_offset = zout.fp.tell()
        zout.fp.write(big.FileHeader(zip64=True))
        zout.fp.write(raw)
        zout.filelist.append(big)
        zout.NameToInfo[member] = big
        zout.start_dir = zout.fp.tell()
    return dest


def truncated(src: Path, dest: Path) -> Path:
    """The first half of a zip package (a download cut short)."""
    data = src.read_bytes()
    dest.write_bytes(data[: len(data) // 2])
    return dest


def with_member(src: Path, dest: Path, name: str, data: bytes = b"escaped") -> Path:
    """A copy of a zip package with one more member named `name` (e.g. ../../evil.txt)."""
    buf = io.BytesIO(src.read_bytes())
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr(name, data)
    dest.write_bytes(buf.getvalue())
    return dest


_PEAK = ("import resource, subprocess, sys\n"
         "p = subprocess.run(sys.argv[1:], capture_output=True)\n"
         "sys.stdout.buffer.write(p.stdout); sys.stderr.buffer.write(p.stderr)\n"
         "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
         "sys.exit(p.returncode)\n")


def run_measured(cmd: list[str], timeout: float = 120, **kwargs):
    """Run a command; (CompletedProcess with text stdout/stderr, peak resident memory in MB of
    the command and its children)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, timeout=timeout,
                          **kwargs)
    head, _, peak = proc.stderr.rpartition("PEAK_KB ")
    proc.stderr = head
    return proc, int(peak.strip() or 0) / 1024


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
