"""Finding 密级 marks of state secrets (秘密, 机密, 绝密) in any file, before anything is built
or imported. This gate has no suppression: one mark anywhere stops the build or the import.

Two kinds of mark are recognised:
- a field: `密级` (or `classification`) in the front matter of a Markdown file, with an ASCII or
  full-width colon, whether or not the rest of the front matter is valid YAML;
- a GB/T 9704 mark: a line of its own among the first lines of a document, such as `秘密★1年`,
  `机密★`, `绝密`, `秘  密` (the 1999 edition spaced the two characters), possibly dressed
  as Markdown (`**机密★10年**`) or followed by the urgency (`机密★1年 特急`).
Words in running text (保守秘密, 机密文件管理) are not marks.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# The three levels of state secrets (保守国家秘密法 第十三条). 工作秘密 and 内部 are not among them.
SECRET_LEVELS = ("秘密", "机密", "绝密")
HEAD_LINES = 6  # GB/T 9704 sets 份号, 密级 and 紧急程度 above the title: the first few lines

_LEVEL = r"(?:绝\s*密|机\s*密|秘\s*密)"
_PERIOD = r"(?:[★☆*＊]\s*(?:\d+\s*(?:年|个月|月)|长期)?)"
MARK = re.compile(rf"^(?P<level>{_LEVEL})\s*{_PERIOD}?\s*(?:[　\s]+(?:特急|加急|特提|平急))?$")
# Markdown dressing around a line: heading marks, emphasis, quotes, list bullets, escapes.
_DRESSING = re.compile(r"^[\s#>*_\-+`\\]+|[\s*_`\\]+$")
FIELD = re.compile(r"^\s*['\"]?(?:密级|classification)['\"]?\s*[:：]\s*(?P<value>.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SecretMark:
    path: str
    line: int
    text: str  # the mark or the field as written
    level: str  # 秘密 | 机密 | 绝密

    def message(self) -> str:
        what = "文件头密级" if self.text.lstrip("'\"").lower().startswith(("密级", "classification")) else "密级标志"
        return f"{what}“{self.text}”：属于国家秘密（{self.level}），不得构建、发布或导入"


HINT = "将该文件移出本仓库或收件文件夹，按保密规定在涉密设备上处理；此检查不能忽略"


def level_of(value) -> str:
    """The state-secret level a 密级 value names (机密★5年 -> 机密), or ''."""
    text = re.sub(r"\s+", "", str(value or "")).strip("'\"")
    for level in SECRET_LEVELS:
        if text.startswith(level):
            return level
    return ""


def mark_level(line: str) -> str:
    """The level of a GB/T 9704 mark when the whole line is one, else ''."""
    m = MARK.match(_DRESSING.sub("", line))
    return re.sub(r"\s+", "", m.group("level")) if m else ""


def marks_in_lines(path: str, lines: list[str], first_line: int = 1) -> list[SecretMark]:
    """Marks in the lines of one document: front matter fields, then a mark among the first
    non-empty lines of the body. `first_line` is the number of lines[0]."""
    found: list[SecretMark] = []
    body = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                body = i + 1
                break
            m = FIELD.match(lines[i])
            if m and (level := level_of(m.group("value"))):
                found.append(SecretMark(path, first_line + i, lines[i].strip(), level))
        else:
            body = len(lines)  # unclosed front matter: every line was looked at as a field
    seen = 0
    for i in range(body, len(lines)):
        if not lines[i].strip():
            continue
        if level := mark_level(lines[i]):
            found.append(SecretMark(path, first_line + i, lines[i].strip(), level))
        seen += 1
        if seen >= HEAD_LINES:
            break
    return found


def _text_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        except UnicodeDecodeError:
            continue
    return []


def _docx_lines(path: Path) -> tuple[list[str], list[str]]:
    """The body paragraphs of a Word file, and the paragraphs of its page headers (a mark may
    be set there instead)."""
    from docx import Document

    try:
        doc = Document(str(path))
    except Exception:  # noqa: BLE001 - not a readable .docx: the reader reports why
        return [], []
    return [p.text for p in doc.paragraphs], [p.text for s in doc.sections for p in s.header.paragraphs]


TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".csv", ".html", ".htm", ".yml", ".yaml"}
SCANNED_SUFFIXES = frozenset(TEXT_SUFFIXES | {".docx"})


def marks_in_file(path: str | Path) -> list[SecretMark]:
    """Marks in one file of any kind this project reads (Markdown, text, Word); other files
    (images, stylesheets) hold no text a reader sees as a document and are skipped."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            return marks_in_lines(str(path), _text_lines(path))
        if suffix == ".docx":
            body, header = _docx_lines(path)
            return marks_in_lines(str(path), body) + [
                SecretMark(str(path), 1, text.strip(), level) for text in header if (level := mark_level(text))]
    except OSError:
        return []
    return []


class TreeScan:
    """Every file under a folder, scanned for marks; a file is read again only when its
    (mtime, size) changed, so a preview rebuild costs one stat per file."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._cache: dict[str, tuple[tuple[int, int], list[SecretMark]]] = {}

    def scan(self) -> list[SecretMark]:
        found: list[SecretMark] = []
        cache: dict[str, tuple[tuple[int, int], list[SecretMark]]] = {}
        # Depth first in name order, as os.walk; symbolic links to folders are followed, as
        # the site engine follows them when it collects the pages (each real folder once).
        stack, seen = [str(self.root)], set()
        while stack:
            folder = stack.pop()
            real = os.path.realpath(folder)
            if real in seen:
                continue
            seen.add(real)
            try:
                with os.scandir(folder) as it:
                    items = sorted(it, key=lambda e: e.name)
            except OSError:
                continue
            subdirs = []
            for e in items:
                name = e.name
                if name.startswith("."):
                    continue
                try:
                    if e.is_dir():
                        subdirs.append(e.path)
                        continue
                except OSError:
                    continue
                if os.path.splitext(name)[1].lower() not in SCANNED_SUFFIXES:
                    continue
                try:
                    st = e.stat()
                except OSError:
                    continue
                stamp = (st.st_mtime_ns, st.st_size)
                old = self._cache.get(e.path)
                marks = old[1] if old and old[0] == stamp else marks_in_file(e.path)
                cache[e.path] = (stamp, marks)
                found += marks
            stack.extend(reversed(subdirs))
        self._cache = cache
        return found
