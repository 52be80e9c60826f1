"""Stock phrases: the shipped formula list (gongwen/data/stock_phrases.txt) and the stock texts
a reviewer names (the notice, last year's published materials). Shared text inside them is
not counted as copied. Never worked out from the materials being compared: a passage many of
them share is the strongest finding, not a formula."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from .grams import codepoints, cover, gram_hashes
from .normalize import normalise, normalise_many

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


def stock_grams(texts: list[str], k: int) -> np.ndarray:
    """Sorted hashes of every k-gram of the stock texts."""
    grams = [gram_hashes(codepoints(n.text), k) for n in normalise_many(texts)]
    return np.unique(np.concatenate(grams)) if grams else np.zeros(0, dtype=np.uint64)


def stock_mask(norm: str, grams: np.ndarray, k: int, pattern: re.Pattern | None, stock: np.ndarray) -> np.ndarray:
    """Characters inside a formula or inside a run of a stock text."""
    mask = np.zeros(len(norm), dtype=bool)
    if pattern is not None:
        for m in pattern.finditer(norm):
            mask[m.start():m.end()] = True
    if len(stock) and len(grams):
        idx = np.minimum(np.searchsorted(stock, grams), len(stock) - 1)
        hits = np.flatnonzero(stock[idx] == grams)
        if len(hits):
            mask |= cover(hits, k, len(norm))
    return mask
