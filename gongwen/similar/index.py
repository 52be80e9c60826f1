"""The candidate stage: an exact inverted index of k-gram hashes -> units.

Two units that share a run of at least k normalised characters share every k-gram of it, so
looking each of a unit's k-grams up here finds every such unit: nothing is missed by chance
(unlike MinHash LSH, which only finds pairs that are similar overall). A k-gram found in more
than `cap` units (a passage many units share) answers with `cap` of them, the same ones for
every unit asking, so a family of copies costs linear, not quadratic, time; the caller learns
how many units hold it.

Kept as sorted numpy arrays (hash, unit id), plus a small overlay for units added since the
arrays were last sorted, so an edit in a long `mkdocs serve` does not re-sort the corpus."""

from __future__ import annotations

import numpy as np

_EMPTY_H = np.zeros(0, dtype=np.uint64)
_EMPTY_U = np.zeros(0, dtype=np.int64)


def _sorted(keys: dict[int, np.ndarray], uids) -> tuple[np.ndarray, np.ndarray]:
    uids = [u for u in uids if len(keys[u])]
    if not uids:
        return _EMPTY_H, _EMPTY_U
    h = np.concatenate([keys[u] for u in uids])
    u = np.repeat(np.asarray(uids, dtype=np.int64), [len(keys[x]) for x in uids])
    order = np.lexsort((u, h))
    return h[order], u[order]


def _hits(h: np.ndarray, u: np.ndarray, keys: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query position, owner) for the first `cap` owners of each key, and each key's owner count."""
    if not len(h) or not len(keys):
        return _EMPTY_U, _EMPTY_U, np.zeros(len(keys), dtype=np.int64)
    order = np.argsort(keys, kind="stable")  # sorted queries: searchsorted walks the array once
    lo = np.empty(len(keys), dtype=np.int64)
    hi = np.empty(len(keys), dtype=np.int64)
    lo[order] = np.searchsorted(h, keys[order], "left")
    hi[order] = np.searchsorted(h, keys[order], "right")
    count = hi - lo
    take = np.minimum(count, cap)
    total = int(take.sum())
    if not total:
        return _EMPTY_U, _EMPTY_U, count
    q = np.repeat(np.arange(len(keys)), take)
    first = np.repeat(np.cumsum(take) - take, take)
    return q, u[np.repeat(lo, take) + (np.arange(total) - first)], count


def _group_pairs(h: np.ndarray, u: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
    """Every pair of units sharing a key (each member of a group larger than cap paired with
    its first cap members), and the units of such groups with the group's size."""
    if len(h) < 2:
        return _EMPTY_U, _EMPTY_U, {}
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.append(starts, len(h)))
    two = starts[sizes == 2]
    left, right = [u[two]], [u[two + 1]]
    crowd: dict[int, int] = {}
    seen: set[bytes] = set()
    for s, n in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist()):
        members = u[s:s + n]
        sig = members.tobytes()
        if sig in seen:  # the next k-gram of the same shared passage: the same units
            continue
        seen.add(sig)
        head = members[:cap]
        a = np.repeat(head, n)
        b = np.tile(members, len(head))
        keep = a < b
        left.append(a[keep])
        right.append(b[keep])
        if n > cap:
            for x in members.tolist():
                crowd[x] = max(crowd.get(x, 0), n)
    return np.concatenate(left), np.concatenate(right), crowd


class GramIndex:
    def __init__(self, cap: int):
        self.cap = cap
        self._keys: dict[int, np.ndarray] = {}  # unit id -> its unique k-gram hashes (stock left out)
        self._base: tuple[np.ndarray, np.ndarray] = (_EMPTY_H, _EMPTY_U)
        self._in_base: set[int] = set()
        self._gone: set[int] = set()  # in the base arrays but removed since
        self._added: set[int] = set()  # not in the base arrays
        self._overlay: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, uid: int, keys: np.ndarray) -> None:
        self._keys[uid] = keys
        self._added.add(uid)
        self._overlay = None

    def remove(self, uid: int) -> None:
        if self._keys.pop(uid, None) is None:
            return
        if uid in self._in_base:
            self._gone.add(uid)
        self._added.discard(uid)
        self._overlay = None

    def _ready(self, everything: bool = False) -> None:
        # Re-sort everything once the changes are a fair part of it (first build: all of it).
        if everything or len(self._added) + len(self._gone) > max(200, len(self._in_base) // 5):
            self._base = _sorted(self._keys, sorted(self._keys))
            self._in_base = set(self._keys)
            self._added, self._gone = set(), set()
            self._overlay = None
        if self._overlay is None:
            self._overlay = _sorted(self._keys, sorted(self._added))

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For these k-gram hashes: (query position, owner unit) pairs and each key's owner count
        (at most `cap` owners per key come back; the count is the true one)."""
        self._ready()
        q1, o1, c1 = _hits(*self._base, keys, self.cap)
        if self._gone and len(o1):
            live = ~np.isin(o1, np.fromiter(self._gone, dtype=np.int64))
            q1, o1 = q1[live], o1[live]
        q2, o2, c2 = _hits(*self._overlay, keys, self.cap)
        return np.concatenate((q1, q2)), np.concatenate((o1, o2)), c1 + c2

    def pairs(self) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
        """All candidate pairs (unit, unit) of the whole index at once (a first build), and the
        units of groups over the cap with their size."""
        self._ready(everything=True)
        return _group_pairs(*self._base, self.cap)

    def has(self, uid: int) -> bool:
        return uid in self._keys

    def keys_of(self, uid: int) -> np.ndarray:
        return self._keys[uid]
