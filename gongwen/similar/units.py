"""Units of comparison, taken from the one model: each problem point (一是…, with its
examples) and, separately, each other paragraph (导语, reasons, measures …)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Material, Paragraph, Point


@dataclass(frozen=True, slots=True)
class Unit:
    material: str  # the material's path (folder or file) as loaded
    title: str  # the material's title
    path: str  # the source file holding the unit
    line: int
    kind: str  # "point" | "paragraph"
    index: int  # position among the material's units
    text: str  # as written (numbering typed by the author left out)


def units_of(mat: Material) -> list[Unit]:
    out: list[Unit] = []

    def add(block: Paragraph | Point) -> None:
        kind = "point" if isinstance(block, Point) else "paragraph"
        text = block.text
        if text.strip():
            out.append(Unit(str(mat.path), mat.title, str(block.path), block.line, kind, len(out), text))

    for para in mat.lead:
        add(para)
    for section in mat.walk():
        for block in section.blocks:
            add(block)
    return out
