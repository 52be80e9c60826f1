"""What a comparison reports: pairs of units and the runs they share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """One side of a match: the unit, where it is, and which parts of it are shared."""

    material: str  # path of the material (folder or file)
    title: str  # the material's title
    path: str  # source file of the unit
    line: int
    kind: str  # "point" | "paragraph"
    index: int  # the unit's position in its material
    text: str  # the unit as written
    spans: tuple[tuple[int, int], ...] = ()  # shared runs as (start, end) offsets into text
    reference: bool = False  # a reference text (--against, the site's reference folder)
    size: int = 0  # normalised characters of the unit
    material_size: int = 0  # normalised characters of all units of its material


@dataclass(frozen=True)
class Match:
    """Unit `a` (of a material) is covered by runs shared with unit `b` for `share` of its
    characters (normalised, stock phrases not counted)."""

    a: Side
    b: Side
    share: float
    passages: list[str]  # the shared runs as written in a
    b_share: float = 0.0  # the part of b covered by the same runs
