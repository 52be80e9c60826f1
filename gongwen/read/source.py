"""Reading source files: encodings, line endings and front matter.

Markdown must be UTF-8 (a BOM is allowed); legacy .txt may also be GB18030/GBK, the
usual Windows encodings, and is then reported as info rather than rejected.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic, input_error
from .budget import MAX_BYTES  # a material is a few dozen KB; anything this big is not one


@dataclass
class SourceText:
    path: str
    text: str  # normalised: no BOM, LF line endings
    encoding: str = "utf-8"
    notes: list[Diagnostic] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def guess_encoding(data: bytes) -> str:
    from charset_normalizer import from_bytes  # only for unreadable files: it is slow to import

    best = from_bytes(data[:65536]).best()
    if best is None:
        return "未知"
    name = best.encoding.replace("_", "-").upper()
    # charset-normalizer names GBK-family text by its superset; users know it as GBK.
    return "GBK/GB18030" if name in {"GB2312", "GBK", "GB18030", "HZ"} else name


def _read_bytes(path: Path) -> tuple[bytes, tuple[int, int]]:
    """The bytes of a file and its stamp (mtime, size) as stat saw it before reading."""
    try:
        st = os.stat(path)
        size = st.st_size
        if size > MAX_BYTES:
            raise input_error(path, f"文件过大（{size // 1024 // 1024} MB），不像一份材料", "请确认路径是否正确，材料文件通常只有几十 KB", rule="input.size")
        with open(path, "rb") as fh:
            return fh.read(), (st.st_mtime_ns, size)
    except OSError as exc:
        raise input_error(path, f"无法读取文件：{exc.strerror or exc}", "请检查路径和读取权限", rule="input.read") from exc


# The last few UTF-8 files read, by (path, stamp): rules that look at source lines again
# (rules._files) find them here instead of reading the file a second time.
_RECENT: dict[tuple[str, tuple[int, int]], str] = {}
_RECENT_MAX = 64


def recent_text(path: str, stamp: tuple[int, int]) -> str | None:
    return _RECENT.get((path, stamp))


def _normalise(text: str) -> str:
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_text(path: str | Path, *, legacy: bool = False) -> SourceText:
    """Read a text file. `legacy` accepts GB18030 (a superset of GBK and GB2312) too."""
    path = path if isinstance(path, Path) else Path(path)
    data, stamp = _read_bytes(path)
    try:
        text = _normalise(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        if legacy:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:
                note = Diagnostic(str(path), 1, 1, "input.encoding", "info",
                                  "编码：文件为 GBK/GB18030 编码，已按该编码读取",
                                  f"如需转为 UTF-8：iconv -f GB18030 -t UTF-8 '{path.name}' -o '{path.stem}.utf8{path.suffix}'")
                return SourceText(str(path), _normalise(text), "gb18030", [note])
        line = data[: exc.start].count(b"\n") + 1
        guess = guess_encoding(data)
        src = "GB18030" if guess.startswith("GBK") else (guess if guess != "未知" else "GB18030")
        raise input_error(
            path,
            f"编码：文件不是 UTF-8（第 {line} 行起无法解码，疑似 {guess} 编码）",
            f"转换命令：iconv -f {src} -t UTF-8 '{path}' -o '{path}.utf8' && mv '{path}.utf8' '{path}'",
            line=line,
        ) from exc
    if len(_RECENT) >= _RECENT_MAX:
        del _RECENT[next(iter(_RECENT))]
    _RECENT[(str(path), stamp)] = text
    return SourceText(str(path), text)


# Characters on which libyaml and PyYAML are known to disagree: libyaml accepts tabs inside
# plain scalars and reads a bare `!` tag as "", where PyYAML rejects or gives None.
_LIBYAML_UNSAFE = re.compile("[\t!\ufeff\x85\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CSafeLoader = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str):
    """yaml.safe_load, through libyaml (about 10x faster) when the text has none of the
    characters on which the two differ. Anything libyaml rejects is loaded again by
    PyYAML, so errors (message, line) are PyYAML's as before."""
    if _CSafeLoader is not None and not _LIBYAML_UNSAFE.search(text):
        with contextlib.suppress(Exception):  # PyYAML below raises the error users see
            return yaml.load(text, Loader=_CSafeLoader)
    return yaml.safe_load(text)


@dataclass
class FrontMatter:
    data: dict
    body_start: int  # 1-based line number of the first body line
    end_line: int  # line of the closing '---' (0 when there is no front matter)


def split_front_matter(src: SourceText) -> FrontMatter:
    lines = src.lines
    if not lines or lines[0].strip() != "---":
        return FrontMatter({}, 1, 0)
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "\n".join(lines[1:i])
            try:
                data = safe_load(block) if block.strip() else {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = (mark.line + 2) if mark else 1
                raise input_error(src.path, f"文件头（front matter）不是合法的 YAML：{getattr(exc, 'problem', '') or exc}",
                                  "检查冒号后是否有空格、引号是否成对，例如：状态: 草稿", line=line, rule="meta.field") from exc
            if not isinstance(data, dict):
                raise input_error(src.path, "文件头（front matter）应为“键: 值”的列表", "例如：状态: 草稿", line=2, rule="meta.field")
            return FrontMatter(data, i + 2, i + 1)
    raise input_error(src.path, "文件头（front matter）没有结束标记 ---", "在文件头最后一行之后加一行 ---", line=1, rule="meta.field")
