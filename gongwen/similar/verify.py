"""Exact verification of a candidate pair: which runs of at least min_run normalised
characters the two units share (in the same order within a run; runs may be reordered),
less stock phrases, and the share of each unit they cover."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .normalize import Normalised


@dataclass
class Prepared:
    """A unit's text ready for matching: normalised, its min_run-gram hashes, stock mask."""

    norm: Normalised
    grams: np.ndarray  # hash of norm.text[i:i+min_run]
    formula: np.ndarray  # bool per normalised char: inside a shipped formula
    stock: np.ndarray | None = None  # formula | inside a frequent run (set per corpus)
    stock_version: int = -1  # the set of frequent runs `stock` was worked out for

    _set: frozenset | None = None
    _list: list | None = None
    stock_spans: tuple = ()  # stock as sorted (start, end) spans, set with stock

    @property
    def gramset(self) -> frozenset:
        if self._set is None:
            self._set = frozenset(self.glist)
        return self._set

    @property
    def glist(self) -> list:
        if self._list is None:
            self._list = self.grams.tolist()
        return self._list

    @property
    def size(self) -> int:
        return len(self.norm.starts)


def shared(a: Prepared, b: Prepared, k: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The kept runs in a and in b: windows of k found in the other text, less stock, ≥ k long.
    Plain Python: units are a few hundred characters, where numpy's cost per call dominates."""
    if not len(a.grams) or not len(b.grams):
        return [], []
    common = a.gramset & b.gramset  # most candidate pairs share no run at all: a set test is cheapest
    if not common:
        return [], []
    return _runs(a, common, k), _runs(b, common, k)


def _runs(p: Prepared, common: frozenset, k: int) -> list[tuple[int, int]]:
    hits = [i for i, g in enumerate(p.glist) if g in common]
    covered: list[list[int]] = []
    for i in hits:
        if covered and i <= covered[-1][1]:
            covered[-1][1] = i + k
        else:
            covered.append([i, i + k])
    out = []
    stock = p.stock_spans
    for start, end in covered:
        for s, e in stock:  # cut the stock phrases out of the run
            if e <= start or s >= end:
                continue
            if s - start >= k:
                out.append((start, s))
            start = max(start, e)
            if start >= end:
                break
        if end - start >= k:
            out.append((start, end))
    return out


def share_of(spans: list[tuple[int, int]], size: int) -> float:
    return sum(e - s for s, e in spans) / size if size else 0.0
