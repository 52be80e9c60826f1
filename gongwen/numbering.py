"""Numbering: computes every heading and point number from the model.

Sources stay unnumbered; numbers are computed per material, continuing across its
section files. Numbers an author typed are recognised by the parser and replaced
here, never doubled; disagreements are reported by the `numbering` rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .mdtext import md_escape, md_paragraph
from .model import Material, Node, Point, Section, Table
from .numerals import format_label, number_label, point_label
from .schema import GENERIC, Schema


@dataclass
class NumberedBlock:
    """One block of the numbered material, in reading order (what exporters consume)."""

    kind: str  # title | lead | heading | paragraph | point | table | closing
    text: str  # without number
    label: str = ""  # 一、 （一） 1. （1） 一是
    level: int = 0  # 公文 level of a heading; of a block: level of its section
    node: Node | None = None
    run_in: bool = False  # heading whose first text follows on the same line in plain text
    lead: str = ""  # for points: the lead sentence (bold in Markdown, part of text)


def section_labels(mat: Material, schema: Schema = GENERIC) -> dict[int, str]:
    """id(section) -> computed label, numbering per parent in order, in the schema's style."""
    styles = schema.numbering.get("levels") or []
    labels: dict[int, str] = {}

    def visit(sections: list[Section]) -> None:
        for i, sec in enumerate(sections, 1):
            style = styles[sec.level - 1] if len(styles) >= sec.level else None
            labels[id(sec)] = format_label(style, i) if style else number_label(sec.level, i)
            visit(sec.children)

    visit(mat.sections)
    return labels


def point_labels(section: Section, schema: Schema = GENERIC) -> dict[int, str]:
    style = schema.numbering.get("points")
    return {id(p): format_label(style, i) if style else point_label(i) for i, p in enumerate(section.points(), 1)}


def numbered_blocks(mat: Material, schema: Schema = GENERIC) -> list[NumberedBlock]:
    out: list[NumberedBlock] = []
    if mat.title:
        out.append(NumberedBlock("title", mat.title, node=mat.title_node))
    out.extend(NumberedBlock("lead", p.text, node=p) for p in mat.lead)
    labels = section_labels(mat, schema)
    run_in = schema.run_in_levels

    def emit(sec: Section) -> None:
        out.append(NumberedBlock("heading", sec.title, labels[id(sec)], sec.level, sec,
                                 run_in=sec.level in run_in and bool(sec.blocks)))
        plabels = point_labels(sec, schema)
        for block in sec.blocks:
            if isinstance(block, Point):
                out.append(NumberedBlock("point", block.text, plabels[id(block)], sec.level, block, lead=block.lead))
            elif isinstance(block, Table):
                out.append(NumberedBlock("table", block.text, "", sec.level, block))
            else:
                out.append(NumberedBlock("paragraph", block.text, "", sec.level, block))
        for child in sec.children:
            emit(child)

    for sec in mat.sections:
        emit(sec)
    out.extend(NumberedBlock("closing", p.text, node=p) for p in mat.closing)
    return out


def to_text(mat: Material, schema: Schema = GENERIC) -> str:
    """Numbered plain text: title, 导语, body one paragraph a line, run-in headings as in the seed."""
    lines: list[str] = []
    # What the current line still takes in: "heading" (a bare run-in heading: points or one
    # paragraph), "points" (a run-in heading with points: more points), or nothing.
    taking = ""
    for b in numbered_blocks(mat, schema):
        if b.kind == "heading":
            head = f"{b.label}{b.text}"
            if b.run_in:
                lines.append(head + (b.node.title_end if isinstance(b.node, Section) and b.node.title_end else "。"))
                taking = "heading"
            else:
                lines.append(head)
                taking = ""
        elif b.kind == "point" and taking:
            lines[-1] += f"{b.label}{b.text}"
            taking = "points"
        elif b.kind == "table":
            lines.extend(b.text.split("\n"))  # a row a line, cells separated by tabs
            taking = ""
        elif b.kind == "paragraph" and taking == "heading":
            lines[-1] += b.text
            taking = ""
        else:
            lines.append(f"{b.label}{b.text}")
            taking = ""
    return "\n".join(lines) + "\n"


def to_markdown(mat: Material, schema: Schema = GENERIC) -> str:
    """The whole material as one numbered Markdown document (`gongwen number`)."""
    out: list[str] = []
    for b in numbered_blocks(mat, schema):
        if b.kind == "title":
            out.append(f"# {md_escape(b.text)}")
        elif b.kind == "heading":
            out.append(f"{'#' * (b.level + 1)} {b.label}{md_escape(b.text)}")
        elif b.kind == "point":
            out.append(f"{b.label}**{md_escape(b.lead)}**{md_escape(b.text[len(b.lead):])}")
        elif b.kind == "table" and isinstance(b.node, Table):
            out.append(table_markdown([c.text for c in b.node.header], [r.texts() for r in b.node.rows]))
        else:
            out.append(md_paragraph(b.text))
    return "\n\n".join(out) + "\n"


def md_cell(text: str) -> str:
    """A cell's text written back into a GFM table cell (pipes escaped, line breaks <br>)."""
    return md_escape(text).replace("|", "\\|").replace("\n", "<br>") if text else ""


def table_markdown(header: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(md_cell(c) for c in cells) + " |"

    return "\n".join([line(header), "| " + " | ".join("---" for _ in header) + " |", *(line(r) for r in rows)])


# --- numbering a Markdown source file for the site ---------------------------------

HEADING_LINE = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)(\s*\{[^}]*\})?\s*$")


def number_source(text: str, path: str, mat: Material, slugify: Callable[[str], str] | None = None,
                  schema: Schema = GENERIC) -> str:
    """Insert computed numbers into one Markdown file of `mat`, keeping anchors stable.

    Headings get `{#slug}` of their unnumbered title so links survive re-numbering.
    Typed numbers are replaced. Only lines of `path` are touched.
    """
    lines = text.split("\n")
    labels = section_labels(mat, schema)
    edits: dict[int, list[tuple[int, str | None, str]]] = {}
    for sec in mat.walk():
        if sec.path == path:
            edits.setdefault(sec.line, []).append((0, None, labels[id(sec)] + "\x00" + sec.title + "\x00" + sec.title_end))
        plabels = point_labels(sec, schema)
        for block in sec.blocks:
            if isinstance(block, Point) and block.path == path:
                col = block.number_column if block.number else block.column
                edits.setdefault(block.line, []).append((col, block.number, plabels[id(block)]))
    for line_no, items in edits.items():
        i = line_no - 1
        if i >= len(lines):
            continue
        line = lines[i]
        heading = [it for it in items if it[1] is None and it[0] == 0]
        if heading:
            label, title, end = heading[0][2].split("\x00")
            m = HEADING_LINE.match(line)
            if m:
                anchor = f" {{#{slugify(title)}}}" if slugify else ""
                lines[i] = f"{m.group(1)}{label}{title}{end}{anchor}"
            continue
        # Points: apply right to left so earlier columns stay valid.
        for col, typed, label in sorted(items, key=lambda it: it[0], reverse=True):
            pos = col - 1
            if typed and line[pos:pos + len(typed)] == typed:
                rest = line[pos + len(typed):]
                rest = re.sub(r"^[，,：:]\s*", "", rest)
                lines[i] = line = line[:pos] + label + rest
            else:
                lines[i] = line = line[:pos] + label + line[pos:]
    return "\n".join(lines)


def strip_numbers(text: str, path: str, mat: Material) -> str:
    """`gongwen fmt`: remove typed numbers from one Markdown source, nothing else."""
    lines = text.split("\n")
    for sec in mat.walk():
        if sec.path == path and sec.number:
            i = sec.line - 1
            m = HEADING_LINE.match(lines[i])
            if m:
                body = m.group(2)
                pos = body.find(sec.number)
                if pos >= 0:
                    rest = re.sub(r"^[\s、.．]*", "", body[pos + len(sec.number):])
                    lines[i] = m.group(1) + body[:pos] + rest + (m.group(3) or "")
        points = sorted((p for p in sec.points() if p.path == path and p.number),
                        key=lambda p: (p.line, -(p.number_column or p.column)))
        for p in points:
            i, pos = p.line - 1, (p.number_column or p.column) - 1
            line = lines[i]
            if line[pos:pos + len(p.number)] == p.number:
                rest = re.sub(r"^[，,：:]\s*", "", line[pos + len(p.number):])
                lines[i] = line[:pos] + rest
    return "\n".join(lines)


__all__ = ["NumberedBlock", "md_cell", "numbered_blocks", "table_markdown", "number_source", "strip_numbers", "to_markdown", "to_text"]
