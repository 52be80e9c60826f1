"""Exact verification of a candidate pair: which runs of at least min_run normalised
characters the two units share (in the same order within a run; runs may be reordered),
less stock phrases, and the share of each unit they cover."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .normalize import Normalised


@dataclass(slots=True)
class Prepared:
    """A unit's text ready for matching: normalised, its min_run-gram hashes, stock mask, and
    the index keys (its unique grams that touch no stock phrase)."""

    norm: Normalised
    grams: np.ndarray  # hash of norm.text[i:i+min_run]
    stock: np.ndarray  # bool per normalised char: a shipped formula or a stock text's run
    keys: np.ndarray  # sorted unique hashes of the grams lying wholly outside stock
    sentences: object = None  # paraphrase.Sentences of a problem point, made on first use

    @property
    def size(self) -> int:
        return len(self.norm.starts)


def shared(a: Prepared, b: Prepared, k: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The kept runs in a and in b: windows of k found in the other text, less stock, ≥ k long."""
    common = np.intersect1d(a.keys, b.keys, assume_unique=True)
    if not len(common):
        return [], []
    return _runs(a, common, k), _runs(b, common, k)


def _runs(p: Prepared, common: np.ndarray, k: int) -> list[tuple[int, int]]:
    """The windows of p whose gram is in `common` (sorted), merged where they touch or overlap.
    Such a window is free of stock (only stock-free grams are keys), so their union is too."""
    idx = np.minimum(np.searchsorted(common, p.grams), len(common) - 1)
    hits = np.flatnonzero(common[idx] == p.grams)
    if not len(hits):
        return []
    cut = np.flatnonzero(np.diff(hits) > k)
    starts = hits[np.concatenate(([0], cut + 1))]
    ends = hits[np.concatenate((cut, [len(hits) - 1]))] + k
    return list(zip(starts.tolist(), ends.tolist()))


def share_of(spans: list[tuple[int, int]], size: int) -> float:
    return sum(e - s for s, e in spans) / size if size else 0.0
