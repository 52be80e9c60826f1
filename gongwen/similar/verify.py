"""Exact verification of a candidate pair: which runs of at least min_run normalised
characters the two units share (in the same order within a run; runs may be reordered),
less stock phrases, and the share of each unit they cover."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .grams import cover, runs
from .normalize import Normalised


@dataclass
class Prepared:
    """A unit's text ready for matching: normalised, its min_run-gram hashes, stock mask."""

    norm: Normalised
    cp: np.ndarray  # code points of norm.text
    grams: np.ndarray  # hash of norm.text[i:i+min_run]
    formula: np.ndarray  # bool per normalised char: inside a shipped formula
    stock: np.ndarray | None = None  # formula | inside a frequent run (set per corpus)
    stock_version: int = -1  # the set of frequent runs `stock` was worked out for

    _set: frozenset | None = None

    @property
    def gramset(self) -> frozenset:
        if self._set is None:
            self._set = frozenset(self.grams.tolist())
        return self._set

    @property
    def size(self) -> int:
        return len(self.norm.text)


def shared(a: Prepared, b: Prepared, k: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The kept runs in a and in b: windows of k found in the other text, less stock, ≥ k long."""
    if not len(a.grams) or not len(b.grams):
        return [], []
    common = a.gramset & b.gramset  # most candidate pairs share no run at all: a set test is cheapest
    if not common:
        return [], []
    both = np.fromiter(common, dtype=np.uint64, count=len(common))
    in_b = np.isin(a.grams, both)
    in_a = np.isin(b.grams, both)
    ca = cover(np.flatnonzero(in_b), k, a.size) & ~a.stock
    cb = cover(np.flatnonzero(in_a), k, b.size) & ~b.stock
    return runs(ca, k), runs(cb, k)


def share_of(spans: list[tuple[int, int]], size: int) -> float:
    return sum(e - s for s, e in spans) / size if size else 0.0
