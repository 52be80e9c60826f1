"""The candidate stage: an exact inverted index of k-gram hashes -> units.

Two units that share a run of at least k normalised characters share every k-gram of it, so
looking each of a unit's k-grams up here finds every such unit: nothing is missed by chance
(unlike MinHash LSH, which only finds pairs that are similar overall). A k-gram found in more
than `cap` units (a passage many units share) answers with the first two of them, the same for
every unit asking, so a family of copies costs linear, not quadratic, time: each member is
verified against those representatives (which hold the run, so its coverage is found
exactly), and the caller learns how many units hold it.

Kept as sorted numpy arrays (hash, unit id), plus a small overlay for units added since the
arrays were last sorted, so an edit in a long `mkdocs serve` does not re-sort the corpus."""

from __future__ import annotations

import numpy as np

REPRESENTATIVES = 2  # units of a group over the cap verified against its first two (one may share the asker's material)
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
    """(query position, owner) for the owners of each key (the first REPRESENTATIVES of a key of
    more than `cap`), and each key's owner count."""
    if not len(h) or not len(keys):
        return _EMPTY_U, _EMPTY_U, np.zeros(len(keys), dtype=np.int64)
    order = np.argsort(keys, kind="stable")  # sorted queries: searchsorted walks the array once
    lo = np.empty(len(keys), dtype=np.int64)
    hi = np.empty(len(keys), dtype=np.int64)
    lo[order] = np.searchsorted(h, keys[order], "left")
    hi[order] = np.searchsorted(h, keys[order], "right")
    count = hi - lo
    take = np.where(count > cap, REPRESENTATIVES, count)
    total = int(take.sum())
    if not total:
        return _EMPTY_U, _EMPTY_U, count
    q = np.repeat(np.arange(len(keys)), take)
    first = np.repeat(np.cumsum(take) - take, take)
    return q, u[np.repeat(lo, take) + (np.arange(total) - first)], count


def _group_pairs(h: np.ndarray, u: np.ndarray, cap: int, once: bool) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
    """Every pair of units sharing a key (a group larger than cap: each member paired with its
    first REPRESENTATIVES members, unless already paired with one of the group), and the units
    of such groups with the group's size. once: a pair comes once per set of units (else once
    per key they share, for counting)."""
    if len(h) < 2:
        return _EMPTY_U, _EMPTY_U, {}
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.append(starts, len(h)))
    two = starts[sizes == 2]
    left, right = [u[two]], [u[two + 1]]
    crowd: dict[int, int] = {}
    seen: set[bytes] = set()
    reps: dict[int, set[int]] = {}  # unit -> the representatives it is already verified against
    lone_left: list[int] = []
    lone_right: list[int] = []
    for s, n in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist()):
        members = u[s:s + n]
        sig = members.tobytes()
        if once and sig in seen:  # the next k-gram of the same shared passage: the same units
            continue
        seen.add(sig)
        if n <= cap:
            a, b = np.repeat(members, n), np.tile(members, n)
            keep = a < b
            left.append(a[keep])
            right.append(b[keep])
            continue
        # A crowd: each member against the first REPRESENTATIVES, unless it already is verified
        # against a unit of this group (that pair finds this run too).
        head = members[:REPRESENTATIVES].tolist()
        inside = set(members.tolist())
        for x in inside:
            crowd[x] = max(crowd.get(x, 0), n)
            mine = reps.setdefault(x, set())
            if not once or not (mine & inside):
                for r in head:
                    if r != x:
                        lone_left.append(min(r, x))
                        lone_right.append(max(r, x))
                        mine.add(r)
                        reps.setdefault(r, set()).add(x)
    left.append(np.asarray(lone_left, dtype=np.int64))
    right.append(np.asarray(lone_right, dtype=np.int64))
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
        (a key of more than `cap` owners gives its first REPRESENTATIVES; the count is the true one)."""
        self._ready()
        q1, o1, c1 = _hits(*self._base, keys, self.cap)
        if self._gone and len(o1):
            live = ~np.isin(o1, np.fromiter(self._gone, dtype=np.int64))
            q1, o1 = q1[live], o1[live]
        q2, o2, c2 = _hits(*self._overlay, keys, self.cap)
        return np.concatenate((q1, q2)), np.concatenate((o1, o2)), c1 + c2

    def pairs(self, once: bool = True) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
        """All candidate pairs (unit, unit) of the whole index at once (a first build), and the
        units of groups over the cap with their size; once=False: a pair per key shared."""
        self._ready(everything=True)
        return _group_pairs(*self._base, self.cap, once)

    def shared_keys(self) -> np.ndarray:
        """The distinct keys two units or more hold, sorted (those any pair can have in common)."""
        self._ready(everything=bool(self._added or self._gone))
        h = self._base[0]
        return np.unique(h[1:][h[1:] == h[:-1]]) if len(h) > 1 else _EMPTY_H

    def clear(self) -> None:
        """Forget every unit (an engine that compares once, once it has the pairs)."""
        self.__init__(self.cap)

    def __len__(self) -> int:
        return len(self._keys)

    def has(self, uid: int) -> bool:
        return uid in self._keys

    def keys_of(self, uid: int) -> np.ndarray:
        return self._keys[uid]
