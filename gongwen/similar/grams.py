"""Hashes of every run of k normalised characters (numpy, one vector pass per k)."""

from __future__ import annotations

import numpy as np

_P = np.uint64(0x100000001B3)  # an odd multiplier; arithmetic wraps modulo 2**64
EMPTY = np.zeros(0, dtype=np.uint64)


def codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def gram_hashes(cp: np.ndarray, k: int) -> np.ndarray:
    """h[i] identifies text[i:i+k] (collisions are negligible at 64 bits)."""
    n = len(cp) - k + 1
    if n <= 0:
        return EMPTY
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _P + cp[j:j + n]
    return h


def cover(starts: np.ndarray, k: int, length: int) -> np.ndarray:
    """Positions of a text of `length` covered by windows of k starting at `starts`."""
    d = np.zeros(length + 1, dtype=np.int32)
    np.add.at(d, starts, 1)
    np.add.at(d, starts + k, -1)
    return np.cumsum(d[:length]) > 0


def runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """Maximal runs of True in mask at least min_len long, as (start, end)."""
    if not mask.any():
        return []
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(s), int(e)) for s, e in zip(edges[::2], edges[1::2]) if e - s >= min_len]
