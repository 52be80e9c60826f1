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


class KeyIds:
    """The index keys of many prepared units as small integers (their rank among all the keys),
    so a pair is verified with two array lookups per side and the runs of a batch of pairs
    are merged together.

    For each unit: `ids`, the ranks of its keys, and `at`, for each of its grams the rank of the
    gram when it is one of the unit's own keys, else len(vocab) (a window touching a stock
    phrase whose text is free elsewhere in the unit counts, as in `shared`)."""

    CHUNK = 4096  # units ranked at a time (bounds the temporary arrays of a large corpus)

    def __init__(self, prepared: list[Prepared], vocab: np.ndarray):
        """prepared: the units of the pairs to verify; vocab: the sorted keys they may have in
        common (those two units or more hold; the others are left out)."""
        self.ids: dict[int, np.ndarray] = {}
        self.at: dict[int, np.ndarray] = {}
        todo = list({id(p): p for p in prepared if len(p.keys)}.values())
        self.vocab = vocab
        none = len(vocab)
        width = np.int64(none + 1)
        # stamp[rank] == n: the key is one of the partner's in the n-th pair looked at (none: never)
        self._stamp = np.zeros(none + 1, dtype=np.int64)
        self._n = 0
        for c in range(0, len(todo), self.CHUNK) if none else ():
            part = todo[c:c + self.CHUNK]
            unit = np.arange(len(part), dtype=np.int64)
            allk = np.concatenate([p.keys for p in part])
            kid = np.minimum(np.searchsorted(vocab, allk), none - 1)
            kin = vocab[kid] == allk
            klen = np.add.reduceat(kin, np.cumsum([0] + [len(p.keys) for p in part[:-1]]), dtype=np.int64)
            kid, kunit = kid[kin], np.repeat(unit, [len(p.keys) for p in part])[kin]
            del allk, kin
            glen = [len(p.grams) for p in part]
            allg = np.concatenate([p.grams for p in part])
            gid = np.minimum(np.searchsorted(vocab, allg), none - 1)
            known = vocab[gid] == allg
            del allg
            own = kunit * width + kid
            ask = np.repeat(unit, glen) * width + gid
            loc = np.minimum(np.searchsorted(own, ask), max(len(own) - 1, 0))
            gid = np.where(known & (own[loc] == ask), gid, none).astype(np.int32) if len(own) else \
                np.full(len(gid), none, dtype=np.int32)
            del own, ask, loc, known
            kid = kid.astype(np.int32)
            for p, ids, at in zip(part, np.split(kid, np.cumsum(klen)[:-1]), np.split(gid, np.cumsum(glen)[:-1])):
                self.ids[id(p)] = ids
                self.at[id(p)] = at
        if not none:
            for p in todo:
                self.ids[id(p)] = np.zeros(0, dtype=np.int32)
                self.at[id(p)] = np.full(len(p.grams), 0, dtype=np.int32)

    def shared_many(self, pairs: list[tuple[Prepared, Prepared]], k: int) -> list[tuple]:
        """`shared` of each pair, packed: (runs in a as int32 bytes, runs in b, share of a, share
        of b), or None for a pair sharing no run. The same runs as `shared`, pair by pair."""
        sa, oa, ca = self._side([p for p, _ in pairs], [q for _, q in pairs], k)
        sb, ob, cb = self._side([q for _, q in pairs], [p for p, _ in pairs], k)
        out = []
        for j, (pa, pb) in enumerate(pairs):
            if oa[j] == oa[j + 1] or ob[j] == ob[j + 1]:
                out.append(None)
                continue
            out.append((sa[oa[j]:oa[j + 1]].tobytes(), sb[ob[j]:ob[j + 1]].tobytes(),
                        ca[j] / pa.size if pa.size else 0.0, cb[j] / pb.size if pb.size else 0.0))
        return out

    def _side(self, mine: list[Prepared], other: list[Prepared], k: int):
        """Runs of each unit of `mine` shared with its partner in `other`: (spans int32 (n, 2),
        offsets of each pair's spans, characters covered per pair)."""
        stamp, ids, at = self._stamp, self.ids, self.at
        hits, lens = [], []
        flat = np.flatnonzero
        for p, q in zip(mine, other):
            self._n += 1
            stamp[ids[id(q)]] = self._n
            h = flat(stamp[at[id(p)]] == self._n)
            hits.append(h)
            lens.append(len(h))
        n = len(mine)
        hp = np.concatenate(hits)
        hj = np.repeat(np.arange(n, dtype=np.int64), lens)
        if not len(hp):
            return np.zeros((0, 2), dtype=np.int32), [0] * (n + 1), [0.0] * n
        new = np.ones(len(hp), dtype=bool)
        new[1:] = (hj[1:] != hj[:-1]) | (np.diff(hp) > k)
        first = np.flatnonzero(new)
        last = np.append(first[1:], len(hp)) - 1
        starts, ends, run_pair = hp[first], hp[last] + k, hj[first]
        spans = np.column_stack((starts, ends)).astype(np.int32)
        offsets = np.concatenate(([0], np.cumsum(np.bincount(run_pair, minlength=n))))
        covered = np.bincount(run_pair, weights=ends - starts, minlength=n)
        return spans, offsets.tolist(), covered.tolist()
