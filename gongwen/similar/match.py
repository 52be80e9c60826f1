"""What a comparison reports: pairs of units and the runs they share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
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
    previous: bool = False  # last year's material (front matter previous:, --previous)
    size: int = 0  # normalised characters of the unit
    material_size: int = 0  # normalised characters of all units of its material


EXACT, PARAPHRASE = "exact", "paraphrase"


@dataclass(frozen=True, slots=True)
class Match:
    """Unit `a` (of a material) is covered by runs shared with unit `b` for `share` of its
    characters (normalised, stock phrases not counted); `combined` is the part covered by all
    its sources together (a point stitched from two templates). At the paraphrase level (洗稿)
    `share` is the part of a in sentences aligned with sentences of b, listed in `aligned`."""

    a: Side
    b: Side
    share: float
    passages: list[str]  # the shared runs as written in a (paraphrase: a's aligned sentences)
    b_share: float = 0.0  # the part of b covered by the same runs
    level: str = EXACT
    combined: float = 0.0  # the part of a covered by runs from all its sources
    family: int = 0  # materials whose unit alone covers a (a's own included): 7 share this passage
    aligned: tuple[tuple[str, str, int], ...] = ()  # paraphrase: (sentence of a, sentence of b, score)

    @property
    def repeated(self) -> bool:
        """Repeated from the unit's own material of last year (问题年年一样), not copied."""
        return self.b.previous
