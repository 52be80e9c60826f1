"""The one document model: Material > Section (一级 … 四级) > Point > Example; tables too.

Every input format (Markdown folder or file, legacy .txt, .docx) is parsed into it,
and every output (check, numbering, export) is produced from it. Each node keeps the
file and line it came from, so diagnostics point at the author's source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass
class Node:
    path: str
    line: int
    column: int = 1


@dataclass
class Example(Node):
    """A concrete example inside a problem point (如，…/比如…/例如…)."""

    text: str = ""


@dataclass
class Paragraph(Node):
    text: str = ""


@dataclass
class Point(Node):
    """A point (一是……) inside a section: a lead sentence and the text after it."""

    lead: str = ""
    body: str = ""
    number: str | None = None  # the number an author typed (一是), if any
    number_column: int | None = None  # where that typed number starts in the source line
    examples: list[Example] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.lead + self.body


@dataclass
class Cell(Node):
    """One table cell: its text as a reader sees it (line breaks written <br> become \\n)."""

    text: str = ""


@dataclass
class Row(Node):
    cells: list[Cell] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Table(Node):
    """A Markdown (GFM) table: header cells and body rows, each with its source line.

    Most tables are plain content; a 整改清单 is read as a ledger (gongwen/ledger/).
    Rows always have as many cells as the header (GFM pads or cuts them)."""

    header: list[Cell] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def text(self) -> str:
        # For consumers that read any block's text (search, prose rules): cells, row by row.
        rows = (self.header, *(r.cells for r in self.rows))
        return "\n".join("\t".join(c.text.replace("\n", " ") for c in r) for r in rows)


Block = Union[Paragraph, Point, Table]


@dataclass
class Section(Node):
    """A heading at 公文 level 1-4 (一、（一）1.（1）) and everything under it.

    An aspect (方面) is a level-2 section of the section that holds them.
    """

    level: int = 1
    title: str = ""
    number: str | None = None  # the number an author typed, if any
    title_end: str = ""  # punctuation closing a run-in title (（一）标题。正文…)
    blocks: list[Block] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def points(self) -> Iterator[Point]:
        for block in self.blocks:
            if isinstance(block, Point):
                yield block

    def tables(self) -> Iterator[Table]:
        for block in self.blocks:
            if isinstance(block, Table):
                yield block

    def has_content(self) -> bool:
        return bool(self.blocks) or any(c.has_content() for c in self.children)


@dataclass
class TextLine:
    """One line of running text, for rules that look at characters (punctuation, terms …)."""

    path: str
    line: int
    text: str
    column: int = 1  # column of text[0] in the source line


@dataclass
class Material:
    path: str  # the folder, .md, .txt or .docx given
    format: str  # md | txt | docx
    title: str = ""
    title_node: Node | None = None
    meta: dict = field(default_factory=dict)
    meta_node: Node | None = None  # where the front matter is
    lead: list[Paragraph] = field(default_factory=list)  # 导语
    sections: list[Section] = field(default_factory=list)  # level 1
    closing: list[Paragraph] = field(default_factory=list)  # unit name and date at the end
    lines: list[TextLine] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # source files in reading order
    # rule ids disabled per (path, line) by <!-- gongwen-disable-next-line … -->
    suppressed: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    notes: list = field(default_factory=list)  # diagnostics from reading (e.g. GBK note)

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def points(self) -> Iterator[Point]:
        for section in self.walk():
            yield from section.points()

    @property
    def stage(self) -> str | None:
        value = self.meta.get("状态")
        return str(value) if value else None
