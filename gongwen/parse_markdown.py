"""Markdown materials: a folder (index.md + one file per 一级 section) or a single file.

Headings carry the structure and no numbers: in a section file `#` is the 一级
heading (一、), `##` 二级（（一）), `###` 三级 (1.), `####` 四级 (（1）). In index.md and
in a single-file material `#` is the title and every level moves down by one. A
point is a paragraph or list item that opens with a bold lead sentence
(`**理论学习不深不透。**对……`). Numbers an author typed anyway are recognised.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from .diagnostics import input_error
from .mdtext import md_unescape
from .model import Material, Node, Paragraph, Point, Section, TextLine
from .numerals import split_number, split_point_number
from .parse_common import blocks_from_text, find_examples, split_lead
from .source import read_text, split_front_matter

_md = MarkdownIt("commonmark", {"html": True}).enable("table")
BOLD_LEAD = re.compile(r"^(\*\*|__)(.+?)\1(.*)$", re.S)
DISABLE_NEXT = re.compile(r"<!--\s*gongwen-disable-next-line\s+([^>]*?)\s*-->")
HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s*")
HEADING_ATTRS = re.compile(r"\s*\{[^}]*\}\s*$")
META_KEYS = {"类型": "type", "年度": "year", "单位": "unit", "日期": "date", "标题": "title",
             "stage": "状态", "status": "状态", "classification": "密级"}
DISABLE_KEYS = ("gongwen-disable", "检查忽略")


def section_files(folder: Path) -> list[Path]:
    """The files of a folder material in reading (and nav) order: index.md first, then by name."""
    files = sorted(p for p in folder.glob("*.md") if p.name != "index.md")
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


def _parse_file(mat: Material, f: Path, offset: int, stack: list[Section]) -> None:
    path = str(f)
    src = read_text(f)
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
    body = "\n".join([""] * (fm.end_line) + lines[fm.end_line:])
    for i, raw in enumerate(lines):
        m = DISABLE_NEXT.search(raw)
        if m:
            target = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if target is not None:
                mat.suppressed.setdefault((path, target + 1), set()).update(m.group(1).split())

    tokens = _md.parse(body)
    in_list = 0
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            line = tok.map[0] + 1
            raw = lines[line - 1]
            text = md_unescape(HEADING_ATTRS.sub("", inline.content).strip())
            col = len(HEADING_MARK.match(raw).group(0)) + 1 if HEADING_MARK.match(raw) else 1
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
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
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
        elif tok.type in ("html_block", "fence", "code_block"):
            continue


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


__all__ = ["parse_markdown", "read_meta", "section_files", "split_lead"]
