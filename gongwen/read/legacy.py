"""Legacy materials: plain text (.txt) and Word (.docx), one paragraph a line.

Numbers are typed in these files (一、（一）1.（1）一是), so the structure is read
from them; the numbers are kept on the nodes for the numbering check.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import input_error
from ..model import Material, Node, Paragraph, Section, TextLine
from ..numerals import split_number
from .budget import MAX_CHARS, MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, over
from .common import blocks_from_text, split_run_in
from .package import check_budgets, check_package
from .source import read_text

# A manual line break (a title set on two lines) joins Chinese text without a space.
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])[\n\x0b]+(?=[^\x00-\x7f])")


def _join_breaks(text: str) -> str:
    return _CJK_BREAK.sub("", text).replace("\n", " ").replace("\x0b", " ")


DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日\s*$")


def within_budget(path: str, content: list[tuple[int, str]]) -> None:
    """Refuse a text past the paragraph budgets before anything is built from it."""
    if len(content) > MAX_PARAGRAPHS:
        raise over(path, "paragraphs", line=content[MAX_PARAGRAPHS][0])
    total = 0
    for n, text in content:
        if len(text) > MAX_PARAGRAPH_CHARS:
            raise over(path, "chars", line=n, where=f"第 {n} 行有 {len(text):,} 字")
        total += len(text)
        if total > MAX_CHARS:
            raise over(path, "text", line=n)


def parse_lines(path: str, lines: list[str], fmt: str) -> Material:
    """Build a Material from numbered lines (line i+1 is lines[i])."""
    mat = Material(path=path, format=fmt, files=[path])
    numbered = [(i + 1, raw) for i, raw in enumerate(lines)]
    content = [(n, t) for n, t in numbered if t.strip()]
    within_budget(path, content)
    for n, t in content:
        stripped = t.lstrip()
        mat.lines.append(TextLine(path, n, t.strip(), len(t) - len(stripped) + 1))
    if not content:
        return mat

    # Trailing signature: unit name and date, both short lines after the body.
    closing: list[tuple[int, str]] = []
    if DATE_LINE.match(content[-1][1]):
        closing.insert(0, content.pop())
        if content and len(content[-1][1].strip()) <= 30 and not split_number(content[-1][1].strip())[0] \
                and not content[-1][1].strip().endswith(("。", "：", ":")):
            closing.insert(0, content.pop())
    mat.closing = [Paragraph(path, n, 1, text=t.strip()) for n, t in closing]

    first_n, first_t = content[0]
    if split_number(first_t.strip())[0] != 1:
        mat.title = first_t.strip()
        mat.title_node = Node(path, first_n)
        content = content[1:]

    stack: list[Section] = []
    for n, raw in content:
        text = raw.strip()
        col = len(raw) - len(raw.lstrip()) + 1
        level, label, rest = split_number(text)
        if level is not None and (level == 1 or stack):
            title, end, body = split_run_in(rest) if level > 1 else (rest.rstrip("。"), "", "")
            sec = Section(path, n, col, level=level, title=title.strip(), number=label, title_end=end)
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].children if stack else mat.sections).append(sec)
            stack.append(sec)
            if body.strip():
                body_col = col + len(text) - len(body)
                sec.blocks.extend(blocks_from_text(body, path, n, body_col))
            continue
        if not stack:
            mat.lead.append(Paragraph(path, n, col, text=text))
        else:
            stack[-1].blocks.extend(blocks_from_text(text, path, n, col))
    return mat


def parse_txt(path: str | Path) -> Material:
    src = read_text(path, legacy=True)
    mat = parse_lines(str(path), src.lines, "txt")
    mat.notes.extend(src.notes)
    return mat


def parse_docx(path: str | Path) -> Material:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_package(path, "Word 文件")  # the zip itself: truncated, a bomb, a DOCTYPE
    check_budgets(path)  # streamed first: python-docx would build the whole tree of a hostile file
    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise input_error(path, "无法打开 Word 文件：不是有效的 .docx（可能是旧版 .doc 或文件已损坏）",
                          "用 Word 或 WPS 另存为 .docx 后再检查", rule="input.read") from exc
    except OSError as exc:
        raise input_error(path, f"无法读取文件：{exc}", "请检查路径和读取权限", rule="input.read") from exc
    # Lines count paragraphs of the body, in order, so line N is the N-th paragraph.
    lines = [_join_breaks(p.text) for p in doc.paragraphs]
    return parse_lines(str(path), lines, "docx")
