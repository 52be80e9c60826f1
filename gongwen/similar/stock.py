"""Stock phrases: the shipped formula list (gongwen/data/stock_phrases.txt) and runs that
occur in many materials of the corpus (document frequency). Shared text inside them is
not counted as copied."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from .normalize import normalise

PHRASES = Path(__file__).resolve().parent.parent / "data" / "stock_phrases.txt"


@functools.lru_cache(maxsize=4)
def formula_pattern(path: str = str(PHRASES)) -> re.Pattern | None:
    """One regex over the normalised formulas, longest first (a scan per unit)."""
    phrases = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            norm = normalise(line).text
            if len(norm) >= 4:
                phrases.add(norm)
    if not phrases:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


def formula_mask(norm: str, pattern: re.Pattern | None) -> np.ndarray:
    mask = np.zeros(len(norm), dtype=bool)
    if pattern is not None:
        for m in pattern.finditer(norm):
            mask[m.start():m.end()] = True
    return mask


def frequent_grams(per_material: list[np.ndarray], cut: int) -> np.ndarray:
    """Gram hashes found in at least `cut` materials (each array: one material's unique grams)."""
    if not per_material or cut > len(per_material):
        return np.zeros(0, dtype=np.uint64)
    values, counts = np.unique(np.concatenate(per_material), return_counts=True)
    return values[counts >= cut]


def df_cut(n_materials: int, df_share: float, df_min: int) -> int:
    return max(df_min, int(np.ceil(df_share * n_materials)))
