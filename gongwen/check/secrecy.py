"""Finding 密级 marks of state secrets (秘密, 机密, 绝密) in any file, before anything is built
or imported. This gate has no suppression: one mark anywhere stops the build or the import.

Two kinds of mark are recognised:
- a field: `密级` (or `classification`) in the front matter of a Markdown file, with an ASCII or
  full-width colon, whether or not the rest of the front matter is valid YAML;
- a GB/T 9704 mark: a line of its own such as `秘密★1年`, `机密★`, `绝密`, `秘  密` (the 1999
  edition spaced the two characters), possibly dressed as Markdown (`**机密★10年**`), followed
  by the urgency (`机密★1年 特急`), or in one of the spellings units send (`密级：秘密★1年`,
  `【秘密】`, `机密级`, `秘密▲1年`: data/secret_marks.yaml lists them); a line that opens with a
  level and its ★ is a mark whatever follows.
Zero-width and other format characters are removed first, and full-width forms folded.
Where: in a Markdown file, among the first lines of the body (a writer's own file); in a
received file (.txt, .docx, .odt, the .docx made of a .doc/.wps, a PDF's text) every line of
every part: body, tables, text boxes, headers and footers, notes, comments, properties.
Words in running text (保守秘密, 机密文件管理) are not marks.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

# The three levels of state secrets (保守国家秘密法 第十三条). 工作秘密 and 内部 are not among them.
SECRET_LEVELS = ("秘密", "机密", "绝密")
HEAD_LINES = 6  # GB/T 9704 sets 份号, 密级 and 紧急程度 above the title: the first few lines
SPELLINGS = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "secret_marks.yaml").read_text(encoding="utf-8"))


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _patterns(sp: dict) -> tuple[re.Pattern, re.Pattern]:
    level = "|".join(r"\s*".join(map(re.escape, w)) for w in sp["levels"])
    seps = "".join(re.escape(c) for c in sp["separators"])
    period = rf"(?:[{seps}]\s*(?:[{sp['numerals']}]+\s*(?:{_alternatives(sp['units'])})|{_alternatives(sp['period_words'])})?\s*[{seps}]?)"
    body = rf"(?P<level>{level})\s*(?:{_alternatives(sp['suffixes'])})?\s*{period}?"
    bracketed = "|".join(rf"{re.escape(b[0])}\s*{body.replace('?P<level>', '')}\s*{re.escape(b[1])}" for b in sp["brackets"])
    prefix = rf"(?:(?:{_alternatives(sp['prefixes'])})\s*[:：]?\s*)?"
    urgency = rf"(?:\s+(?:{_alternatives(sp['urgency'])}))?"
    whole = re.compile(rf"^{prefix}(?:{body}|(?P<bracketed>{bracketed})){urgency}$")
    # A level with its ★ (or after 密级：) opens a mark whatever follows on the line.
    opening = re.compile(rf"^(?:(?:{_alternatives(sp['prefixes'])})\s*[:：]\s*(?P<level>{level})|"
                         rf"[{''.join(re.escape(b[0]) for b in sp['brackets'])}]?\s*(?P<starred>{level})\s*[{seps}])")
    return whole, opening


MARK, OPENING = _patterns(SPELLINGS)
_VARIANTS = str.maketrans(SPELLINGS["variants"])
_LEVEL_CHARS = re.compile(r"[秘机绝]\s*密")
# Markdown dressing around a line: heading marks, emphasis, quotes, list bullets, escapes.
_DRESSING = re.compile(r"^[\s#>*_\-+`\\]+|[\s*_`\\]+$")
FIELD = re.compile(r"^\s*['\"]?(?:密级|classification)['\"]?\s*[:：]\s*(?P<value>.*?)\s*$", re.IGNORECASE)
# Characters that show nothing: removed before a line is read, so 秘\u200b密 is 秘密.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U000e0000-\U000e0fff]")


def visible(text: str) -> str:
    """The text as a reader sees it: invisible and format characters removed, full-width and
    compatibility forms folded (＊ -> *, ： stays), variant characters of the levels folded."""
    text = _INVISIBLE.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_VARIANTS)
    return text


@dataclass(frozen=True)
class SecretMark:
    path: str
    line: int
    text: str  # the mark or the field as written
    level: str  # 秘密 | 机密 | 绝密
    place: str = ""  # in a Word file: 正文, 页眉, 脚注, 文档属性 …

    def message(self) -> str:
        what = "文件头密级" if self.text.lstrip("'\"").lower().startswith(("密级", "classification")) and not self.place \
            else "密级标志"
        where = f"（位于{self.place}）" if self.place and self.place != "正文" else ""
        return f"{what}“{visible(self.text)}”{where}：属于国家秘密（{self.level}），不得构建、发布或导入"


HINT = "将该文件移出本仓库或收件文件夹，按保密规定在涉密设备上处理；此检查不能忽略"


def level_of(value) -> str:
    """The state-secret level a 密级 value names (机密★5年 -> 机密), or ''."""
    text = re.sub(r"\s+", "", visible(str(value or ""))).strip("'\"")
    for level in SECRET_LEVELS:
        if text.startswith(level):
            return level
    return ""


def mark_level(line: str) -> str:
    """The level of a 密级 mark when the line is one (or opens with a level and its ★), else ''."""
    if "密" not in line:
        return ""  # most lines: no regex needed
    text = _DRESSING.sub("", visible(line))
    m = MARK.match(text) or OPENING.match(text)
    return re.sub(r"\s+", "", _LEVEL_CHARS.search(m.group(0)).group(0)) if m else ""


def marks_in_lines(path: str, lines: list[str], first_line: int = 1) -> list[SecretMark]:
    """Marks in the lines of a Markdown file: front matter fields, then a mark among the first
    non-empty lines of the body. `first_line` is the number of lines[0]."""
    found: list[SecretMark] = []
    body = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                body = i + 1
                break
            m = FIELD.match(visible(lines[i]))
            if m and (level := level_of(m.group("value"))):
                found.append(SecretMark(path, first_line + i, lines[i].strip(), level))
        else:
            body = len(lines)  # unclosed front matter: every line was looked at as a field
    seen = 0
    for i in range(body, len(lines)):
        if not visible(lines[i]).strip():
            continue  # blank, or only invisible characters
        if level := mark_level(lines[i]):
            found.append(SecretMark(path, first_line + i, lines[i].strip(), level))
        seen += 1
        if seen >= HEAD_LINES:
            break
    return found


def marks_anywhere(path: str, lines, first_line: int = 1, place: str = "") -> list[SecretMark]:
    """Marks on any line of a received document (a unit's file has no "first lines" in its
    text boxes, headers or notes, and a mark pushed down the page is still a mark)."""
    return [SecretMark(path, first_line + i, line.strip(), level, place)
            for i, line in enumerate(lines) if (level := mark_level(line))]


def _text_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        except UnicodeDecodeError:
            continue
    return []


def marks_in_package(path: str | Path, name: str | None = None) -> list[SecretMark]:
    """Marks in every part of a .docx/.odt package (reported under `name`, the received file,
    when `path` is a conversion of it). A package that cannot be read, or is over a budget,
    gives what was found before: its reader refuses it anyway."""
    from ..diagnostics import InputError
    from ..read.package import package_lines

    found: list[SecretMark] = []
    try:
        for pl in package_lines(path):
            if level := mark_level(pl.text):
                found.append(SecretMark(str(name or path), pl.line, pl.text.strip(), level, pl.place))
    except InputError:
        pass
    return found


TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".csv", ".html", ".htm", ".yml", ".yaml"}
PACKAGE_SUFFIXES = {".docx", ".docm", ".dotx", ".odt", ".ott"}
SCANNED_SUFFIXES = frozenset(TEXT_SUFFIXES | PACKAGE_SUFFIXES)


def marks_in_file(path: str | Path) -> list[SecretMark]:
    """Marks in one file of any kind this project reads (Markdown, text, Word, OpenDocument);
    other files (images, stylesheets) hold no text a reader sees as a document and are skipped."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".md", ".markdown"):
            return marks_in_lines(str(path), _text_lines(path))
        if suffix in TEXT_SUFFIXES:
            lines = _text_lines(path)
            # Front matter fields as in Markdown, then every line.
            return _unique(marks_in_lines(str(path), lines) + marks_anywhere(str(path), lines))
        if suffix in PACKAGE_SUFFIXES:
            return marks_in_package(path)
    except OSError:
        return []
    return []


def _unique(marks: list[SecretMark]) -> list[SecretMark]:
    seen, out = set(), []
    for m in marks:
        if (m.path, m.line) not in seen:
            seen.add((m.path, m.line))
            out.append(m)
    return out


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
