"""Hostile files a reviewing office may receive, made in the test (and by bench/hostile_bench.py):
script and formula names, XML entities, zip bombs, truncated zips, `../` member names."""

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
