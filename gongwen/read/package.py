"""A received .docx/.xlsx is a zip of XML parts: looked at before any XML parser sees it.

Refused, each with a Chinese message: a truncated or damaged zip, a member that inflates
past a bound (a zip bomb: the readers would hold it in memory), and an XML part that
declares a DOCTYPE (Word, WPS and Excel never write one; it is how external entities and
billion-laughs expansions get in). Only the zip's directory and each XML part's first bytes
are read, so the check costs milliseconds whatever the file claims to hold.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from ..diagnostics import input_error

MAX_XML_PART = 64 << 20  # inflated; a 2000-page document.xml is about 20 MB
MAX_TOTAL = 1 << 30  # all members inflated (pictures included)
MAX_RATIO = 200  # inflated/compressed for a member past 8 MB: text XML deflates ~10x, zeros ~1000x
RATIO_FLOOR = 8 << 20
_HEAD = 4096  # a DOCTYPE must come before the root element
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
HINT = "请报送单位用 Word、WPS 或 Excel 重新保存后再报送；本工具不读取这样的文件"


def check_package(path: str | Path, kind: str) -> None:
    """Raise InputError unless `path` is a whole zip of sane size without DOCTYPE declarations.
    `kind` names the file for the message (Word 文件, Excel 文件)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                xml = info.filename.lower().endswith((".xml", ".rels"))
                if (xml and info.file_size > MAX_XML_PART) or total > MAX_TOTAL or (
                        info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                    raise input_error(path, f"无法读取 {kind}：解压后过大（其中 {info.filename} 达 "
                                      f"{_mb(info.file_size)}），疑似“压缩炸弹”，已拒绝", HINT, rule="input.package")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")) and not info.is_dir():
                    with zf.open(info) as fh:
                        head = fh.read(_HEAD)
                    if _DOCTYPE.search(head):
                        raise input_error(path, f"无法读取 {kind}：{info.filename} 中含有 DOCTYPE/实体声明"
                                          "（可用来读取本机文件或耗尽内存），已拒绝", HINT, rule="input.package")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise input_error(path, f"无法读取 {kind}：不是完整的 zip 包（{_zip_reason(exc)}）",
                          "可能是改了扩展名的旧格式文件，或文件已损坏、没有传完；请报送单位用 Word、WPS 或 Excel "
                          "另存后重新发送", rule="input.read") from None
    except (NotImplementedError, RuntimeError, ValueError) as exc:  # encrypted, unknown compression
        raise input_error(path, f"无法读取 {kind}：无法解压（{type(exc).__name__}）", HINT, rule="input.read") from None


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


def _zip_reason(exc: Exception) -> str:
    return "不是 zip 格式" if "not a zip file" in str(exc).lower() else "zip 结构损坏或被截断"
