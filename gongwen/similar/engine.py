"""The comparison: units prepared once (cached by text), stock phrases marked, MinHash LSH
proposing candidate pairs, exact verification of each candidate pair.

`Engine.update(materials, references)` is incremental: a unit whose text and stock mask are
unchanged keeps its MinHash and its place in the LSH index; only units of changed materials
are queried again, so a site rebuild after one edit costs about one material's work."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field

import numpy as np

from .config import SimilarConfig
from .grams import codepoints, cover, gram_hashes, runs
from .match import Match, Side
from .normalize import normalise_many
from .stock import df_cut, formula_mask, formula_pattern, frequent_grams
from .units import Unit
from .verify import Prepared, share_of, shared

_CHUNK = 200_000  # shingles hashed at once: 200,000 x 128 permutations x 4 bytes = 100 MB


@dataclass
class _Material:
    key: str
    units: list[Unit]
    reference: bool
    prepared: list[Prepared] = field(default_factory=list)
    grams: np.ndarray | None = None  # unique gram hashes of all its units (for document frequency)
    stamp: tuple = ()

    size: int = 0  # normalised characters of all its units


class Engine:
    def __init__(self, config: SimilarConfig | None = None, *, storage_config: dict | None = None,
                 progress: bool = False):
        self.config = config or SimilarConfig()
        self.storage_config = storage_config or {"type": "dict"}
        self.progress = progress
        self._formulas = formula_pattern() if self.config.stock_phrases else None
        self._prepared: dict[str, Prepared] = {}  # unit text -> prepared (shared by equal texts)
        self._materials: dict[str, _Material] = {}
        self._frequent = np.zeros(0, dtype=np.uint64)  # sorted hashes of runs in many materials
        self._version = 0  # bumped when _frequent changes
        self._perm = None  # MinHash permutations, made once
        self._index = None  # the MinHash LSH index, made on first use (see _lsh)
        self._indexed: dict[str, tuple] = {}  # LSH key -> (material key, unit index, stock bytes)
        self._pairs: dict[tuple[str, str], list[Match]] = {}  # sorted material keys -> matches
        self.stats = {"units": 0, "candidates": 0, "verified": 0, "queried": 0}
        # While cleared, an update running in a thread waits at its next step: the preview
        # clears it while it rebuilds, so a page is never slowed by the first comparison.
        self.gate: threading.Event | None = None

    # ------------------------------------------------------------------ preparing

    def _prepare(self, texts: list[str]) -> list[Prepared]:
        """Prepared units for these texts: cached ones as they are, the others in one batch."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._prepared))
        for text, norm in zip(todo, normalise_many(todo)):
            self._prepared[text] = Prepared(norm, gram_hashes(codepoints(norm.text), self.config.min_run),
                                            formula_mask(norm.text, self._formulas))
        return [self._prepared[t] for t in texts]

    def _stock(self, p: Prepared) -> np.ndarray:
        """Formula characters, and characters inside a run found in many materials
        (worked out once per unit text and set of frequent runs)."""
        if p.stock is not None and p.stock_version == self._version:
            return p.stock
        stock = p.formula
        freq = self._frequent
        if len(freq) and len(p.grams):
            idx = np.minimum(np.searchsorted(freq, p.grams), len(freq) - 1)
            hits = np.flatnonzero(freq[idx] == p.grams)
            if len(hits):
                stock = p.formula | cover(hits, self.config.min_run, p.size)
        p.stock, p.stock_version = stock, self._version
        p.stock_spans = tuple(runs(stock, 1))
        return stock

    def _minhashes(self, units: list[tuple[Prepared, np.ndarray]]) -> list:
        """MinHash of each unit's shingles (those touching no stock phrase), all units of a
        batch in one vector pass; None for a unit that cannot hold a run of min_run characters."""
        from datasketch import MinHash  # imported when comparing: it takes about a second

        cfg, k = self.config, self.config.shingle
        if self._perm is None:
            self._perm = MinHash(num_perm=cfg.num_perm, hashfunc=int, scheme="affine32").permutations
        a, b = self._perm
        shingles, owners = [], []
        for n, (p, stock) in enumerate(units):
            if p.size < cfg.min_chars or p.size - int(stock.sum()) < cfg.min_run:
                continue
            h = gram_hashes(codepoints(p.norm.text), k)
            if stock.any():  # shingles touching a stock phrase say nothing about copying
                touched = np.convolve(stock.astype(np.int8), np.ones(k, dtype=np.int8), "valid") > 0
                h = h[~touched]
            if len(h):
                shingles.append(_fmix32((h >> np.uint64(32)).astype(np.uint32)))
                owners.append(n)
        out: list = [None] * len(units)
        start = 0
        while start < len(shingles):
            # Units in chunks of at most _CHUNK shingles (a unit is never split: the reader's
            # paragraph budget bounds it), so the matrix below stays within about 100 MB
            # however long the material (a 20 MB text has millions of shingles).
            end, total = start + 1, len(shingles[start])
            while end < len(shingles) and total + len(shingles[end]) <= _CHUNK:
                total, end = total + len(shingles[end]), end + 1
            part = shingles[start:end]
            offsets = np.cumsum([0] + [len(s) for s in part[:-1]])
            hv = np.concatenate(part)
            # affine permutations a*h + b mod 2**32 (datasketch's "affine32" scheme), min per unit
            phv = hv[:, None] * a[None, :] + b[None, :]
            mins = np.minimum.reduceat(phv, offsets, axis=0)
            for row, n in enumerate(owners[start:end]):
                out[n] = MinHash(num_perm=cfg.num_perm, hashvalues=mins[row], permutations=self._perm,
                                 scheme="affine32")
            start = end
        return out

    # ------------------------------------------------------------------ updating

    def update(self, materials: dict[str, list[Unit]], references: dict[str, list[Unit]] | None = None) -> set[str]:
        """Make the engine hold exactly these materials and references (key -> units).
        Returns the keys whose matches may have changed."""
        cfg = self.config
        wanted = {k: (u, False) for k, u in materials.items()}
        wanted.update({k: (u, True) for k, u in (references or {}).items()})
        changed: set[str] = set()
        for key in list(self._materials):
            if key not in wanted:
                self._drop(key)
                changed.add(key)
        for key, (units, ref) in wanted.items():
            self._wait_gate()
            stamp = (ref, tuple(u.text for u in units), tuple((u.path, u.line) for u in units))
            old = self._materials.get(key)
            if old is not None and old.stamp == stamp:
                continue
            if old is not None:
                self._drop(key)
            prepared = self._prepare([u.text for u in units])
            grams = np.unique(np.concatenate([p.grams for p in prepared])) if prepared else np.zeros(0, np.uint64)
            self._materials[key] = _Material(key, units, ref, prepared, grams, stamp, sum(p.size for p in prepared))
            changed.add(key)
        self._log(f"雷同检测：{len(self._materials)} 份材料，{sum(len(m.units) for m in self._materials.values())} 个比对单元")

        # Stock runs by document frequency (over materials, not references).
        mats = [m for m in self._materials.values() if not m.reference]
        cut = df_cut(len(mats), cfg.df_share, cfg.df_min)
        frequent = frequent_grams([m.grams for m in mats], cut)
        if not np.array_equal(frequent, self._frequent):
            flipped = np.setxor1d(frequent, self._frequent, assume_unique=True)
            self._frequent = frequent
            self._version += 1
            for m in self._materials.values():
                if m.key not in changed and len(flipped) and np.isin(m.grams, flipped).any():
                    changed.add(m.key)

        # Index: (re)insert the units of changed materials.
        queries: list[tuple] = []
        for key in changed:
            self._wait_gate()
            m = self._materials.get(key)
            if m is None:
                continue
            hashes = self._minhashes([(p, self._stock(p)) for p in m.prepared])
            for i, mh in enumerate(hashes):
                lkey = f"{key}\x00{i}"
                if lkey in self._indexed:
                    self._lsh.remove(lkey)
                    del self._indexed[lkey]
                if mh is not None:
                    self._lsh.insert(lkey, mh)
                    self._indexed[lkey] = (key, i, mh)
                    queries.append((key, i, mh))
        # Forget pairs involving changed materials, then verify their candidates again.
        for pair in [p for p in self._pairs if p[0] in changed or p[1] in changed]:
            del self._pairs[pair]
        done: set[tuple[str, int, str, int]] = set()
        limit_found, limit_tried = self.config.max_sources, self.config.max_candidates
        for n, (key, i, mh) in enumerate(queries):
            self._wait_gate()
            if self.progress and n and n % 20000 == 0:
                self._log(f"雷同检测：已查询 {n}/{len(queries)} 个单元")
            pairs, sigs = [], []
            for other in self._lsh.query(mh):
                got = self._indexed.get(other)
                if got is None:  # a shared (Redis) index may hold keys of other runs
                    continue
                okey, oi, omh = got
                if okey == key:
                    continue
                pair_id = (key, i, okey, oi) if (key, i) < (okey, oi) else (okey, oi, key, i)
                if pair_id not in done:
                    pairs.append(pair_id)
                    sigs.append(omh.hashvalues)
            if not pairs:
                continue
            # Most similar first (MinHash estimate); a unit copied by many stops after a few
            # sources are found, so a cluster of copies costs about linear, not quadratic, time.
            agree = (np.stack(sigs) == mh.hashvalues).sum(axis=1)
            floor = self.config.min_jaccard * self.config.num_perm
            found = tried = 0
            for j in np.argsort(-agree, kind="stable"):
                if agree[j] < floor:  # LSH lets some dissimilar pairs through: not worth verifying
                    break
                pair_id = pairs[j]
                if found >= limit_found or tried >= limit_tried:
                    break
                done.add(pair_id)
                tried += 1  # noqa: SIM113 - counts verified pairs, not candidates looked at
                self.stats["candidates"] += 1
                found += self._verify(*pair_id)
        if changed:  # forget prepared texts no material holds any more (edits in a long serve)
            used = {u.text for m in self._materials.values() for u in m.units}
            if len(used) < len(self._prepared):
                self._prepared = {t: p for t, p in self._prepared.items() if t in used}
        self.stats["queried"] += len(queries)
        self.stats["units"] = len(self._indexed)
        return changed

    @property
    def _lsh(self):
        # datasketch takes about a second to import: the preview's first page does not wait for
        # it, the comparison (in a thread) makes the index.
        if self._index is None:
            from datasketch import MinHashLSH

            self._index = MinHashLSH(threshold=self.config.lsh_threshold, num_perm=self.config.num_perm,
                                     storage_config=self.storage_config)
        return self._index

    def _wait_gate(self) -> None:
        if self.gate is not None:
            self.gate.wait(5)  # never held for good, should a rebuild end without saying so

    def _drop(self, key: str) -> None:
        m = self._materials.pop(key)
        for i in range(len(m.units)):
            lkey = f"{key}\x00{i}"
            if lkey in self._indexed:
                self._lsh.remove(lkey)
                del self._indexed[lkey]

    def _verify(self, ka: str, ia: int, kb: str, ib: int) -> int:
        ma, mb = self._materials[ka], self._materials[kb]
        if ma.reference and mb.reference:
            return 0
        pa, pb = ma.prepared[ia], mb.prepared[ib]
        self._stock(pa), self._stock(pb)
        self.stats["verified"] += 1
        ra, rb = shared(pa, pb, self.config.min_run)
        if not ra:
            return 0
        sa, sb = share_of(ra, pa.size), share_of(rb, pb.size)
        ok_a = sa >= self.config.min_share and not ma.reference
        ok_b = sb >= self.config.min_share and not mb.reference
        if not (ok_a or ok_b):
            return 0
        found = []
        side_a = _side(ma, ia, pa, ra)
        side_b = _side(mb, ib, pb, rb)
        if ok_a:
            found.append(Match(side_a, side_b, sa, _passages(ma.units[ia].text, pa, ra), sb))
        if ok_b:
            found.append(Match(side_b, side_a, sb, _passages(mb.units[ib].text, pb, rb), sa))
        if found:
            self._pairs.setdefault(tuple(sorted((ka, kb))), []).extend(found)
        return len(found)

    # ------------------------------------------------------------------ results

    def matches(self) -> list[Match]:
        out = [m for ms in self._pairs.values() for m in ms]
        out.sort(key=lambda m: (-m.share, m.a.material, m.a.index, m.b.material, m.b.index))
        return out

    def _log(self, text: str) -> None:
        if self.progress:
            print(text, file=sys.stderr)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads the bits of each 32-bit hash (uint32 arithmetic wraps)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _side(m: _Material, i: int, p: Prepared, spans: list[tuple[int, int]]) -> Side:
    u = m.units[i]
    return Side(u.material, u.title, u.path, u.line, u.kind, u.index, u.text,
                tuple(p.norm.span(s, e) for s, e in spans), m.reference, p.size, m.size)


def _passages(text: str, p: Prepared, spans: list[tuple[int, int]]) -> list[str]:
    return [p.norm.original(text, s, e) for s, e in spans]
