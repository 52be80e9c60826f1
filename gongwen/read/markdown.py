"""Markdown materials: a folder (index.md + one file per 一级 section) or a single file.

Headings carry the structure and no numbers: in a section file `#` is the 一级
heading (一、), `##` 二级（（一）), `###` 三级 (1.), `####` 四级 (（1）). In index.md and
in a single-file material `#` is the title and every level moves down by one. A
point is a paragraph or list item that opens with a bold lead sentence
(`**理论学习不深不透。**对……`). Numbers an author typed anyway are recognised.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..diagnostics import Diagnostic, input_error
from ..mdtext import md_unescape
from ..model import Cell, Material, Node, Paragraph, Point, Row, Section, Table, TextLine
from ..numerals import split_number, split_point_number
from .budget import MAX_CHARS, MAX_DEPTH, RULE, over
from .common import blocks_from_text, find_examples
from .source import read_text, split_front_matter

BOLD_LEAD = re.compile(r"^(\*\*|__)(.+?)\1(.*)$", re.S)
DISABLE_NEXT = re.compile(r"<!--\s*gongwen-disable-next-line\s+([^>]*?)\s*-->")
HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s*")
HEADING_ATTRS = re.compile(r"\s*\{[^}]*\}\s*$")
META_KEYS = {"类型": "type", "年度": "year", "单位": "unit", "日期": "date", "标题": "title",
             "stage": "状态", "status": "状态", "classification": "密级"}
DISABLE_KEYS = ("gongwen-disable", "检查忽略")


_md = None


def _markdown_parser():
    # Imported on first use: files of only headings and paragraphs never need it.
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        # Only block tokens are used (type, map, and the content of inline tokens, which the
        # block parser sets): the inline pass and text_join would fill children never read.
        _md = MarkdownIt("commonmark", {"html": True}).enable("table").disable(["inline", "text_join"])
    return _md


class _Token:
    """The few fields of a markdown-it block token that the parser reads."""

    __slots__ = ("content", "map", "tag", "type", "rows")

    def __init__(self, type: str, tag: str = "", map: list[int] | None = None, content: str = ""):
        self.type, self.tag, self.map, self.content = type, tag, map, content
        self.rows = None  # table_open of the fast path: line -> split_row() of it, not split again


# First characters of a line that may open some block other than a paragraph in CommonMark
# with tables (indented code, quote, list, rule, setext underline, fence, HTML, table
# delimiter row, link reference, ordered list); `#` and `*` are looked at more closely.
_OTHER_BLOCK_START = frozenset(" \t>-+_=`~<|:[0123456789")
# What markdown-it strips around heading and paragraph text (its mdTrim; the markdown_it
# package is not imported for this, tests/test_parse_fastpath.py holds the two equal).
_TRIM = "".join(chr(c) for c in sorted({0x9, 0xA, 0xB, 0xC, 0xD, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000,
                                         *range(0x2000, 0x200B), 0x2028, 0x2029}))
_PARAGRAPH = 7


def _line_kind(raw: str) -> int:
    """What a line can be in CommonMark: 0 blank, 1-6 an ATX heading of that level,
    _PARAGRAPH only paragraph text, -1 anything else (markdown-it decides)."""
    c = raw[:1]
    if c == "#":
        level = len(raw) - len(raw.lstrip("#"))
        return -1 if level > 6 or (level < len(raw) and raw[level] not in " \t") else level
    if c == "*":  # **bold lead: neither a list item (needs "* ") nor a rule (only * and spaces)
        return _PARAGRAPH if len(raw) > 2 and raw[1] == "*" and raw[2] not in "* \t" else -1
    if not c:
        return 0
    if c in _OTHER_BLOCK_START or c.isspace():
        return -1 if raw.strip(" \t") else 0
    return _PARAGRAPH


def _simple_tokens(lines: list[str]) -> list[_Token] | None:
    """The block tokens markdown-it gives a file of nothing but ATX headings and paragraphs
    (most materials; closing tokens left out, as nothing reads them), about 20x faster; None
    as soon as a line might be anything else, and then markdown-it parses the file.
    tests/test_parse_fastpath.py holds the two equal."""
    tokens: list[_Token] = []
    n = len(lines)
    i = 0
    while i < n:
        raw = lines[i]
        kind = _line_kind(raw)
        if kind == _PARAGRAPH:
            j = i + 1
            while j < n:
                nxt = _line_kind(lines[j])
                if nxt != _PARAGRAPH:
                    if nxt < 0:
                        return None
                    break  # a blank line or a heading ends the paragraph
                j += 1
            where = [i, j]
            tokens += [_Token("paragraph_open", "p", where), _Token("inline", "", where, "\n".join(lines[i:j]).strip(_TRIM))]
            i = j
        elif kind > 0:
            # As markdown-it: drop trailing spaces, then a closing run of # after a space.
            end = kind + len(raw[kind:].rstrip(" \t"))
            cut = kind + len(raw[kind:end].rstrip("#"))
            if cut > kind and raw[cut - 1] in " \t":
                end = cut
            where = [i, i + 1]
            tokens += [_Token("heading_open", f"h{kind}", where), _Token("inline", "", where, raw[kind:end].strip(_TRIM))]
            i += 1
        elif kind == 0:
            i += 1
        elif raw[:1] == "|":
            end = _simple_table(lines, i, tokens)
            if end is None:
                return None
            i = end
        else:
            return None
    return tokens


_DELIMITER_CHARS = frozenset("|-: \t")
_TABLE_TOKENS = frozenset({"thead_open", "thead_close", "tbody_open", "tbody_close", "tr_open", "tr_close", "th_open",
                           "th_close", "td_open", "td_close", "inline", "table_close"})
_ALIGN_CELL = re.compile(r"^:?-+:?$")


def _escaped_split(text: str) -> list[str]:
    """markdown-it's escapedSplit: cells split at pipes, `\\|` a pipe in the cell."""
    if "\\" not in text:
        return text.split("|")
    result, current, last, escaped = [], "", 0, False
    for pos, ch in enumerate(text):
        if ch == "|":
            if not escaped:
                result.append(current + text[last:pos])
                current, last = "", pos + 1
            else:
                current += text[last:pos - 1]
                last = pos
        escaped = ch == "\\"
    result.append(current + text[last:])
    return result


def _table_cells(line: str) -> list[str]:
    cells = _escaped_split(line.strip(_TRIM))
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _simple_table(lines: list[str], i: int, tokens: list[_Token]) -> int | None:
    """The table_open token markdown-it gives a GFM table starting at line i whose every
    line starts with `|` and which ends at a blank line or the end of the file (how ledgers
    are written); None for anything else, and then markdown-it parses the file.
    Returns the line after the table."""
    n = len(lines)
    if i + 1 >= n:
        return None
    delim = lines[i + 1]
    if delim[:1] not in ("|", "-", ":") or len(delim) < 2 or not _DELIMITER_CHARS.issuperset(delim):
        return None
    if delim[0] == "-" and delim[1] in " \t":
        return None
    parts = delim.split("|")
    aligns = 0
    for k, part in enumerate(parts):
        t = part.strip(_TRIM)
        if not t:
            if k == 0 or k == len(parts) - 1:
                continue
            return None
        if not _ALIGN_CELL.match(t):
            return None
        aligns += 1
    # Rows without a backslash split as split_row() does (positions too, kept for _table);
    # with one, as markdown-it's escapedSplit (and _table splits them again).
    split = {} if "\\" not in lines[i] else None
    if split is not None:
        split[i] = split_row(lines[i])
        header = [text for _, text in split[i]]
    else:
        header = _table_cells(lines[i])
    if not header or len(header) != aligns:
        return None
    end = i + 2
    while end < n and lines[end].strip(_TRIM):
        if lines[end][:1] != "|":
            return None  # markdown-it may take it as a row or end the table: let it decide
        end += 1
    if end < n and lines[end] != "" and lines[end].strip(" \t") != "":
        return None
    # Only the table's own token: the parser reads the rows from the lines (_table), never
    # from per-cell tokens, so none are made.
    table = _Token("table_open", "table", [i, end])
    tokens.append(table)
    for r in range(i + 2, end) if split is not None else ():
        if "\\" in lines[r]:
            split = None  # _table splits the rows itself
            break
        split[r] = split_row(lines[r])
    table.rows = split
    return end


def section_files(folder: Path) -> list[Path]:
    """The files of a folder material in reading (and nav) order: index.md first, then by name."""
    # As folder.glob("*.md") (any entry whose name ends in .md, hidden ones too), but without
    # matching a pattern and making a path for every entry.
    try:
        names = sorted(e.name for e in os.scandir(folder)) if folder.is_dir() else []
    except PermissionError:
        names = []
    files = [folder / name for name in names if name.endswith(".md") and name != "index.md"]
    index = folder / "index.md"
    return ([index] if index.exists() else []) + files


def normalise_meta(data: dict) -> dict:
    return {META_KEYS.get(str(k), str(k)): v for k, v in data.items()}


def read_meta(path: str | Path) -> dict:
    """Only the front matter of one file (cheap: for listings)."""
    return normalise_meta(split_front_matter(read_text(path)).data)


def parse_markdown(path: str | Path) -> Material:
    path = Path(path)
    if path.is_dir():
        files = section_files(path)
        if not files:
            raise input_error(path, "文件夹中没有 Markdown 文件", "一份材料是一个文件夹：index.md 加每个一级标题一个 .md 文件", rule="input.read")
    else:
        files = [path]
    mat = Material(path=str(path), format="md")
    stack: list[Section] = []
    for f in files:
        offset = 1 if (f.name == "index.md" or len(files) == 1) else 0
        _parse_file(mat, f, offset, stack)
    return mat


# One level of nesting at the start of a line: a quote marker or a list marker.
_NEST_MARK = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")


def nesting_depth(raw: str) -> int:
    """How deep a line is nested: its quote and list markers, and its indentation (two
    spaces a level), counted without parsing, so a hostile file costs one pass."""
    if not raw or raw[0] not in " \t>-+*0123456789":
        return 0
    indent = len(raw) - len(raw.lstrip(" \t"))
    depth, pos = 0, 0
    while m := _NEST_MARK.match(raw, pos):
        depth, pos = depth + 1, m.end()
    return indent // 2 + depth


def flatten_deep(lines: list[str]) -> list[str]:
    """The lines with every one nested past the budget read as plain text (its markers dropped),
    so no parser or renderer recurses into it."""
    out = []
    for raw in lines:
        if nesting_depth(raw) > MAX_DEPTH:
            pos = 0
            while m := _NEST_MARK.match(raw, pos):
                pos = m.end()
            raw = raw[pos:].lstrip(" \t")
        out.append(raw)
    return out


def _parse_file(mat: Material, f: Path, offset: int, stack: list[Section]) -> None:
    path = str(f)
    src = read_text(f)
    if len(src.text) > MAX_CHARS:
        raise over(path, "text")
    fm = split_front_matter(src)
    lines = src.lines
    mat.files.append(path)
    if fm.data or fm.end_line:
        data = normalise_meta(fm.data)
        if f.name == "index.md" or not mat.meta_node:
            mat.meta.update({k: v for k, v in data.items() if k not in DISABLE_KEYS})
            mat.meta_node = mat.meta_node or Node(path, 1)
        for key in DISABLE_KEYS:
            rules = data.get(key)
            if rules:
                rules = [rules] if isinstance(rules, str) else rules
                mat.suppressed.setdefault((path, 0), set()).update(str(r) for r in rules)
    # Blank out the front matter so token line numbers stay those of the file.
    body_lines = [""] * (fm.end_line) + lines[fm.end_line:]
    for i, raw in enumerate(lines if "<!--" in src.text else ()):
        m = DISABLE_NEXT.search(raw)
        if m:
            target = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if target is not None:
                mat.suppressed.setdefault((path, target + 1), set()).update(m.group(1).split())

    tokens = _simple_tokens(body_lines) if "\0" not in src.text else None
    if tokens is None:
        deep = next((i for i, raw in enumerate(body_lines) if nesting_depth(raw) > MAX_DEPTH), None)
        if deep is not None:  # a finding, and the over-deep lines read as plain text
            mat.notes.append(Diagnostic(path, deep + 1, 1, RULE, "error", f"列表或引用嵌套超过预算 {MAX_DEPTH} 层，超出部分按普通文字读取",
                                        "材料不需要这么深的层次：按一、（一）1.（1）四级标题和要点组织内容"))
            body_lines = flatten_deep(body_lines)
        tokens = _markdown_parser().parse("\n".join(body_lines))
    in_list = 0
    in_table = False  # the tokens inside a table were read by _table: skip them
    for i, tok in enumerate(tokens):
        kind = tok.type
        if in_table:
            if kind in _TABLE_TOKENS:
                in_table = kind != "table_close"
                continue
            in_table = False
        if kind == "inline":
            if tokens[i - 1].type == "paragraph_open":
                _paragraph(mat, tok, lines, path, in_list, stack)
        elif kind == "heading_open":
            inline = tokens[i + 1]
            line = tok.map[0] + 1
            raw = lines[line - 1]
            content = HEADING_ATTRS.sub("", inline.content) if "{" in inline.content else inline.content
            text = md_unescape(content.strip())
            mark = HEADING_MARK.match(raw)
            col = len(mark.group(0)) + 1 if mark else 1
            mat.lines.append(TextLine(path, line, text, col))
            level = int(tok.tag[1]) - offset
            if level <= 0:
                if not mat.title:
                    mat.title, mat.title_node = text, Node(path, line, col)
                continue
            level = min(level, 4)
            lv, label, rest = split_number(text)
            title = rest if lv is not None else text
            end = "。" if title.endswith("。") else ""
            sec = Section(path, line, col, level=level, title=title.rstrip("。").strip(), number=label, title_end=end)
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].children if stack else mat.sections).append(sec)
            stack.append(sec)
        elif kind == "table_open":
            _table(mat, tokens, i, lines, path, stack)
            in_table = True
        elif kind in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1


def _paragraph(mat: Material, tok, lines: list[str], path: str, in_list: int, stack: list[Section]) -> None:
    """The text lines and blocks (paragraph or point) of one paragraph."""
    first = tok.map[0] + 1
    for k in range(tok.map[0], tok.map[1]):
        raw = lines[k]
        stripped = raw.strip()
        if stripped:
            mat.lines.append(TextLine(path, k + 1, stripped, len(raw) - len(raw.lstrip()) + 1))
    raw_first = lines[first - 1]
    col = len(raw_first) - len(raw_first.lstrip()) + 1
    if in_list:
        col += len(re.match(r"^\s*(?:[-*+]|\d+[.)])\s+", raw_first.lstrip()).group(0)) if re.match(r"^\s*(?:[-*+]|\d+[.)])\s+", raw_first.lstrip()) else 0
    blocks = _blocks(tok.content.replace("\n", ""), path, first, col)
    for b in blocks:
        _unescape(b)
    if stack:
        stack[-1].blocks.extend(blocks)
    else:
        mat.lead.extend(Paragraph(b.path, b.line, b.column, text=b.text) for b in blocks)


_BR = re.compile(r"<br\s*/?>", re.I)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


_PIPE = re.compile(r"(?<!\\)\|")


def split_row(raw: str) -> list[tuple[int, str]]:
    """The cells of one GFM table row as (column, raw text): pipes split, `\\|` does not,
    an outer pipe on either side is optional."""
    cells: list[tuple[int, str]] = []
    start = 0
    for m in _PIPE.finditer(raw) if "\\" in raw else ():
        cells.append((start, raw[start:m.start()]))
        start = m.end()
    if "\\" not in raw:  # the common case: plain split, positions by running sum
        for part in raw.split("|"):
            cells.append((start, part))
            start += len(part) + 1
    else:
        cells.append((start, raw[start:]))
    if cells and not cells[0][1].strip(_TRIM) and raw.lstrip(_TRIM).startswith("|"):
        cells.pop(0)
    if cells and not cells[-1][1].strip(_TRIM) and raw.rstrip(_TRIM).endswith("|"):
        cells.pop()
    out = []
    for col, text in cells:
        stripped = text.strip(_TRIM)  # as markdown-it trims cells
        if stripped and text[0] != stripped[0]:
            col += text.index(stripped[0])
        out.append((col + 1, stripped))
    return out


_CELL_MARKUP = re.compile(r"[\\<*_&]")


def cell_text(raw: str) -> str:
    """What a reader sees in a cell: escapes resolved, bold marks gone, <br> a line break."""
    if _CELL_MARKUP.search(raw) is None:
        return raw  # most cells: plain text
    text = _BR.sub("\n", raw.replace("\\|", "|"))
    if "**" in text or "__" in text:
        text = _EMPHASIS.sub(r"\2", text)
    return md_unescape(text).strip()


def _table(mat: Material, tokens, start: int, lines: list[str], path: str, stack: list[Section]) -> None:
    """A table becomes a Table block of the current section. Its rows are not text lines: the
    prose rules read running text (as before tables were in the model; checking a ledger's
    rows with them cost more than the rest of the material), the ledger rules read the cells.
    Its lines are consecutive: header, delimiter row, body rows (the table token's map)."""
    first, end = tokens[start].map
    head = lines[first]
    table = Table(path, first + 1, len(head) - len(head.lstrip()) + 1)
    width = 0
    known = getattr(tokens[start], "rows", None) or {}
    for idx in (first, *range(first + 2, end)):
        raw = lines[idx]
        parts = known.get(idx) or split_row(raw)
        if idx == first:
            width = len(parts)
        elif len(parts) != width:  # GFM: a short row is padded, extra cells are dropped
            parts = (parts + [(len(raw) + 1, "")] * width)[:width]
        line = idx + 1
        cells = [Cell(path, line, col, text=cell_text(text) if text else "") for col, text in parts]
        if idx == first:
            table.header = cells
        else:
            table.rows.append(Row(path, line, cells[0].column if cells else 1, cells=cells))
    if stack:
        stack[-1].blocks.append(table)


def _unescape(block: Paragraph | Point) -> None:
    # Model text is what a reader sees: Markdown escapes (\\*) become the character.
    if isinstance(block, Point):
        block.lead, block.body = md_unescape(block.lead), md_unescape(block.body)
        for ex in block.examples:
            ex.text = md_unescape(ex.text)
    else:
        block.text = md_unescape(block.text)


def _blocks(text: str, path: str, line: int, col: int) -> list[Paragraph | Point]:
    number, rest = split_point_number(text)
    m = BOLD_LEAD.match(rest)
    if m:
        lead, body = m.group(2), m.group(3)
        body_col = col + (len(text) - len(rest)) + len(m.group(1)) * 2 + len(lead)
        number_col = col if number else None
        if not number:
            # A number typed inside the bold lead: **二是学风不实。**
            number, lead_rest = split_point_number(lead)
            if number:
                number_col = col + len(m.group(1)) + lead.index(number)
                lead = lead_rest
        point = Point(path, line, col, lead=lead, body=body, number=number, number_column=number_col,
                      examples=find_examples(body, path, line, body_col))
        return [point]
    if number:
        return blocks_from_text(text, path, line, col)
    return [Paragraph(path, line, col, text=text)] if text.strip() else []


__all__ = ["parse_markdown", "read_meta", "section_files"]
