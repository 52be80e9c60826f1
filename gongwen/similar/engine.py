"""The comparison: units prepared once (cached by text), stock phrases marked, an exact k-gram
index proposing every pair of units that shares a run of min_run characters (index.py), each
pair verified exactly (verify.py), and the reports worked out from the copier's side: a unit is
reported when runs from one source, or from several together, cover min_share of it.

Problem points are also compared word by word (paraphrase.py): a point rewritten in other
words is reported at its own level (洗稿), never mixed with the exact copies.

`Engine.update(materials, references)` is incremental: a material whose units are unchanged
keeps its place in the indexes and its verified pairs; only units of changed materials are
looked up again, so a site rebuild after one edit costs about one material's work."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

import numpy as np

from .config import SimilarConfig
from .grams import codepoints, gram_hashes
from .index import GramIndex
from .match import EXACT, PARAPHRASE, Match, Side
from .normalize import normalise_many
from .paraphrase import align, clause_keys, sentences_of
from .stock import formula_pattern, stock_grams, stock_mask
from .units import Unit
from .verify import KeyIds, Prepared, share_of, shared

_MASK64 = (1 << 64) - 1
_MASK32 = (1 << 32) - 1
_BATCH = 512  # exact candidate pairs verified together (a first build)


@dataclass
class _Material:
    key: str
    units: list[Unit]
    reference: bool
    previous: bool
    prepared: list[Prepared]
    uids: list[int]
    stamp: tuple
    size: int = 0  # normalised characters of all its units


class Engine:
    def __init__(self, config: SimilarConfig | None = None, *, stock_texts: list[str] = (), progress: bool = False,
                 once: bool = False):
        self.config = config or SimilarConfig()
        # once: one corpus compared once (a full build, the CLI), never updated: the indexes go as
        # soon as the candidate pairs are known, each unit's overlaps once its reports are made.
        self.once = once
        self.progress = progress
        self._formulas = formula_pattern() if self.config.stock_phrases else None
        self._stock = stock_grams(list(stock_texts), self.config.min_run)
        self._prepared: dict[str, Prepared] = {}  # unit text -> prepared (shared by equal texts)
        self._materials: dict[str, _Material] = {}
        self._owner: dict[int, tuple[str, int]] = {}  # unit id -> (material key, unit index)
        self._next_uid = 0
        self._runs = GramIndex(self.config.max_family)  # k-grams -> units
        self._words = GramIndex(self.config.max_family)  # sentence word-set keys -> problem points
        self._crowd: dict[int, int] = {}  # unit id -> units holding its most shared k-gram, when over the cap
        self._pairs: dict[tuple[str, str], list[tuple]] = {}  # sorted material keys -> verified overlaps
        # unit id pairs (a << 32 | b) each covering the other for min_share, word for word
        self._copied: set[int] = set()
        self._of_unit: dict[tuple[str, int], list[tuple]] = {}  # unit -> the verified overlaps it is in
        self._reports: dict[tuple[str, int], list[Match]] = {}  # unit -> its reports, worked out …
        self._dirty: set[tuple[str, int]] = set()  # … again for these only (an edit touches a few)
        self._sorted: list[Match] = []
        self.stats = {"units": 0, "candidates": 0, "verified": 0, "queried": 0}
        # While cleared, an update running in a thread waits at its next step: the preview
        # clears it while it rebuilds, so a page is never slowed by the first comparison.
        self.gate: threading.Event | None = None

    # ------------------------------------------------------------------ preparing

    def _prepare(self, texts: list[str]) -> list[Prepared]:
        """Prepared units for these texts: cached ones as they are, the others in one batch."""
        k = self.config.min_run
        todo = list(dict.fromkeys(t for t in texts if t not in self._prepared))
        for text, norm in zip(todo, normalise_many(todo)):
            grams = gram_hashes(codepoints(norm.text), k)
            stock = stock_mask(norm.text, grams, k, self._formulas, self._stock)
            free = grams
            if stock.any() and len(grams):  # a window touching a stock phrase says nothing about copying
                c = np.concatenate(([0], np.cumsum(stock, dtype=np.int32)))
                free = grams[(c[k:] - c[:-k]) == 0]
            self._prepared[text] = Prepared(norm, grams, stock, np.unique(free))
        return [self._prepared[t] for t in texts]

    def _sentences(self, p: Prepared, text: str):
        if p.sentences is None:
            p.sentences = sentences_of(text, self.config.synonyms)
        return p.sentences

    def _clause_keys(self, text: str) -> np.ndarray:
        keys = [hash(c) & _MASK64 for c in clause_keys(text, self.config.para_clause, self.config.synonyms)]
        return np.unique(np.asarray(keys, dtype=np.uint64))

    # ------------------------------------------------------------------ updating

    def update(self, materials: dict[str, list[Unit]], references: dict[str, list[Unit]] | None = None,
               previous: dict[str, list[Unit]] | None = None) -> set[str]:
        """Make the engine hold exactly these materials, references and last year's materials
        (key -> units). Returns the keys whose matches may have changed."""
        wanted = {k: (u, False, False) for k, u in materials.items()}
        wanted.update({k: (u, True, False) for k, u in (references or {}).items()})
        wanted.update({k: (u, True, True) for k, u in (previous or {}).items()})
        changed: set[str] = set()
        for key in list(self._materials):
            if key not in wanted:
                self._drop(key)
                changed.add(key)
        for key, (units, ref, prev) in wanted.items():
            self._wait_gate()
            stamp = (ref, prev, tuple((u.text, u.kind, u.path, u.line) for u in units))
            old = self._materials.get(key)
            if old is not None and old.stamp == stamp:
                continue
            if old is not None:
                self._drop(key)
            self._add(key, units, ref, prev, stamp)
            changed.add(key)
        self._log(f"雷同检测：{len(self._materials)} 份材料，{sum(len(m.units) for m in self._materials.values())} 个比对单元")
        self._forget(changed)
        self._copied = {p for p in self._copied if p >> 32 in self._owner and p & _MASK32 in self._owner}
        if changed and changed >= set(self._materials):  # a first build: every pair at once
            self._all_pairs()
        else:
            done: set[tuple] = set()
            for key in sorted(changed):
                self._wait_gate()
                if key in self._materials:
                    self._query(self._materials[key], done)
        if changed:  # forget prepared texts no material holds any more (edits in a long serve)
            used = {u.text for m in self._materials.values() for u in m.units}
            if len(used) < len(self._prepared):
                self._prepared = {t: p for t, p in self._prepared.items() if t in used}
        self.stats["units"] = len(self._owner)
        return changed

    def _add(self, key: str, units: list[Unit], ref: bool, prev: bool, stamp: tuple) -> None:
        cfg = self.config
        prepared = self._prepare([u.text for u in units])
        uids = []
        for i, (u, p) in enumerate(zip(units, prepared)):
            uid, self._next_uid = self._next_uid, self._next_uid + 1
            self._owner[uid] = (key, i)
            uids.append(uid)
            if p.size >= cfg.min_chars and len(p.keys):
                self._runs.add(uid, p.keys)
            if cfg.paraphrase and u.kind == "point":
                clauses = self._clause_keys(u.text)
                if len(clauses):
                    self._words.add(uid, clauses)
        self._materials[key] = _Material(key, units, ref, prev, prepared, uids, stamp, sum(p.size for p in prepared))

    def _drop(self, key: str) -> None:
        m = self._materials.pop(key)
        for uid in m.uids:
            self._runs.remove(uid)
            self._words.remove(uid)
            self._owner.pop(uid, None)
            self._crowd.pop(uid, None)

    def _all_pairs(self) -> None:
        """Verify every candidate pair of the whole corpus (the indexes' groups of equal keys)."""
        for level, index in ((EXACT, self._runs), (PARAPHRASE, self._words)):
            left, right, crowd = index.pairs(once=level == EXACT)
            if level == EXACT:
                self._crowd.update(crowd)
                self.stats["queried"] += len(index)
                common = index.shared_keys()
            if self.once:
                index.clear()
            width = self._next_uid + 1
            codes, shared_keys = np.unique(np.minimum(left, right) * width + np.maximum(left, right), return_counts=True)
            del left, right, crowd
            codes = self._enough(level, codes, shared_keys)
            del shared_keys
            self._log(f"雷同检测：核对 {len(codes)} 对{'（洗稿）' if level == PARAPHRASE else ''}")
            ranks = None
            if level == EXACT:  # the units of the pairs, and the keys they may share, ranked
                units = [self._owner[uid] for uid in {uid for code in codes for uid in divmod(code, width)}]
                ranks = KeyIds([self._materials[k].prepared[i] for k, i in units], common)
                del common, units
            batch: list[tuple] = []
            for n, code in enumerate(codes):
                if n % 1000 == 0:
                    self._wait_gate()
                x, y = (self._owner[uid] for uid in divmod(code, width))
                if x[0] != y[0] and not (self._materials[x[0]].reference and self._materials[y[0]].reference):
                    self.stats["candidates"] += 1
                    if ranks is None:
                        self._verify(level, x, y)
                        continue
                    batch.append((x, y))
                    if len(batch) == _BATCH:
                        self._verify_exact(batch, ranks)
                        batch = []
            if batch:
                self._verify_exact(batch, ranks)
            del ranks

    def _enough(self, level: str, codes: np.ndarray, shared_keys: np.ndarray) -> list[int]:
        """Candidate pairs worth verifying: any shared k-gram; at the paraphrase level, at least
        para_clauses shared clauses (one clause in common is what unrelated points often have)."""
        if level == PARAPHRASE:
            codes = codes[shared_keys >= self.config.para_clauses]
        return codes.tolist()

    def _query(self, m: _Material, done: set[tuple]) -> None:
        """Look up every indexed unit of m; verify each pair not verified yet."""
        for level, index in ((EXACT, self._runs), (PARAPHRASE, self._words)):
            mine = [n for n, uid in enumerate(m.uids) if index.has(uid)]
            if not mine:
                continue
            if level == EXACT:
                self.stats["queried"] += len(mine)
            keys = [index.keys_of(m.uids[n]) for n in mine]
            unit_of = np.repeat(np.asarray(mine, dtype=np.int64), [len(k) for k in keys])
            q, owners, count = index.lookup(np.concatenate(keys))
            if level == EXACT and (count > self.config.max_family).any():
                crowded = count > self.config.max_family
                for n in np.unique(unit_of[crowded]).tolist():
                    self._crowd[m.uids[n]] = int(count[crowded & (unit_of == n)].max())
            width = self._next_uid + 1
            codes, shared_keys = np.unique(unit_of[q] * width + owners, return_counts=True)
            for code in self._enough(level, codes, shared_keys):
                n, ob = divmod(code, width)
                okey, oi = self._owner[ob]
                if okey == m.key or (m.reference and self._materials[okey].reference):
                    continue
                pair = (level, *sorted(((m.key, n), (okey, oi))))
                if pair in done:
                    continue
                done.add(pair)
                self.stats["candidates"] += 1
                self._verify(level, pair[1], pair[2])

    def _wait_gate(self) -> None:
        if self.gate is not None:
            self.gate.wait(5)  # never held for good, should a rebuild end without saying so

    def _verify(self, level: str, x: tuple[str, int], y: tuple[str, int]) -> None:
        (ka, ia), (kb, ib) = x, y
        ma, mb = self._materials[ka], self._materials[kb]
        pa, pb = ma.prepared[ia], mb.prepared[ib]
        self.stats["verified"] += 1
        if level == EXACT:
            ra, rb = shared(pa, pb, self.config.min_run)
            # packed: a corpus where every unit shares a sentence with many holds millions of these
            found = (_pack(ra), _pack(rb)) if ra and rb else None
            if found and min(share_of(ra, pa.size), share_of(rb, pb.size)) >= self.config.min_share:
                ua, ub = ma.uids[ia], mb.uids[ib]
                self._copied.update((ua << 32 | ub, ub << 32 | ua))
        elif ma.uids[ia] << 32 | mb.uids[ib] in self._copied:  # copied word for word both ways: no paraphrase to find
            return
        else:
            al = align(self._sentences(pa, ma.units[ia].text), self._sentences(pb, mb.units[ib].text),
                       self.config.para_sentence, self.config.para_words)
            found = (al,) if al else None
        if found:
            self._record((level, ka, ia, kb, ib, *found), x, y)

    def _verify_exact(self, batch: list[tuple], ranks: KeyIds) -> None:
        """_verify(EXACT, x, y) of each pair of the batch, the runs found for all of them at once."""
        prepared = [(self._materials[ka].prepared[ia], self._materials[kb].prepared[ib]) for (ka, ia), (kb, ib) in batch]
        for (x, y), found in zip(batch, ranks.shared_many(prepared, self.config.min_run)):
            self.stats["verified"] += 1
            if found is None:
                continue
            packed_a, packed_b, share_a, share_b = found
            (ka, ia), (kb, ib) = x, y
            if min(share_a, share_b) >= self.config.min_share:
                ua, ub = self._materials[ka].uids[ia], self._materials[kb].uids[ib]
                self._copied.update((ua << 32 | ub, ub << 32 | ua))
            self._record((EXACT, ka, ia, kb, ib, packed_a, packed_b), x, y)

    def _record(self, record: tuple, x: tuple[str, int], y: tuple[str, int]) -> None:
        if not self.once:  # kept by material pair for an edit to forget (a full build has none)
            self._pairs.setdefault(tuple(sorted((record[1], record[3]))), []).append(record)
        for unit in (x, y):
            self._of_unit.setdefault(unit, []).append(record)
            self._dirty.add(unit)

    def _forget(self, changed: set[str]) -> None:
        """Drop the overlaps of changed materials; their units and partners are reported anew."""
        gone: dict[tuple[str, int], set[int]] = {}
        for pair in [p for p in self._pairs if p[0] in changed or p[1] in changed]:
            for record in self._pairs.pop(pair):
                for unit in ((record[1], record[2]), (record[3], record[4])):
                    gone.setdefault(unit, set()).add(id(record))
        for unit, ids in gone.items():
            kept = [r for r in self._of_unit.get(unit, ()) if id(r) not in ids]
            if kept:
                self._of_unit[unit] = kept
            else:
                self._of_unit.pop(unit, None)
            self._dirty.add(unit)
        self._dirty.update(u for u in self._reports if u[0] in changed)

    # ------------------------------------------------------------------ results

    def matches(self) -> list[Match]:
        """Every report, exact copies first, largest share first. Only units whose overlaps
        changed since the last call are worked out again (once: each unit's overlaps go as its
        reports are made, so the reports need not share the memory with all of them)."""
        last = self.once
        if last:
            self._pairs.clear()
            self._copied.clear()
        if self._dirty:
            for unit in self._dirty:
                self._reports.pop(unit, None)
                m = self._materials.get(unit[0])
                if m is None or m.reference or unit not in self._of_unit:
                    continue
                exact, para = [], []
                for level, ka, ia, kb, ib, *found in (self._of_unit.pop(unit) if last else self._of_unit[unit]):
                    mine = (ka, ia) == unit
                    if level == EXACT:
                        ra, rb = map(_unpack, found)
                        exact.append((kb, ib, ra, rb) if mine else (ka, ia, rb, ra))
                    else:
                        (al,) = found
                        para.append((kb, ib, al) if mine else (ka, ia, [(j, i, s) for i, j, s in al]))
                # units copied word for word are not reported again as paraphrased
                reports = self._exact_reports(unit, exact) if exact else []
                if not reports and para:
                    reports = self._paraphrase_reports(unit, para)
                if reports:
                    self._reports[unit] = reports
            self._dirty.clear()
            if last:
                self._of_unit.clear()  # those of references (never reported) too
            self._sorted = sorted((m for ms in self._reports.values() for m in ms),
                                  key=lambda m: (m.level != EXACT, -m.share, m.a.material, m.a.index, m.b.material,
                                                 m.b.index))
        return list(self._sorted)

    def _exact_reports(self, unit: tuple[str, int], overlaps: list) -> list[Match]:
        """The unit's reports when its sources together cover min_share of it: the sources that
        cover min_part of it (a point stitched from two templates; a family member holding the
        same half as its source; a stray shared phrase is not a source), at most max_sources of
        them: first those adding most to what is already covered, then the largest. A passage
        a thousand materials share is named with a few sources, not a thousand."""
        cfg = self.config
        ma = self._materials[unit[0]]
        pa = ma.prepared[unit[1]]
        size = pa.size
        if not size:
            return []
        kept, masks = [], []
        for kb, ib, ra, rb in sorted(overlaps, key=lambda o: (-sum(e - s for s, e in o[2]), o[0], o[1])):
            mask = np.zeros(size, dtype=bool)
            for s, e in ra:
                mask[s:e] = True
            n = int(mask.sum())
            share = n / size
            if share >= cfg.min_share or n >= max(cfg.min_run, cfg.min_part * size):
                kept.append((kb, ib, ra, rb, share))
                masks.append(mask)
        if not kept:
            return []
        masks = np.stack(masks)
        covered = masks.any(axis=0)
        combined = float(covered.sum()) / size
        if combined < cfg.min_share:
            return []
        family = 1 + len({kb for kb, _, _, _, share in kept if share >= cfg.min_share and not self._materials[kb].reference})
        family = max(family, self._crowd.get(ma.uids[unit[1]], 0))
        out = []
        for n in _pick(masks, cfg.max_sources):
            kb, ib, ra, rb, share = kept[n]
            mb = self._materials[kb]
            pb = mb.prepared[ib]
            out.append(Match(_side(ma, unit[1], pa, ra), _side(mb, ib, pb, rb), share,
                             _passages(ma.units[unit[1]].text, pa, ra), share_of(rb, pb.size), EXACT, combined, family))
        return out

    def _paraphrase_reports(self, unit: tuple[str, int], found: list) -> list[Match]:
        ma = self._materials[unit[0]]
        ta = ma.units[unit[1]].text
        sa = ma.prepared[unit[1]].sentences
        out = []
        for kb, ib, al in found:
            mb = self._materials[kb]
            tb = mb.units[ib].text
            sb = mb.prepared[ib].sentences
            share = sum(sa.sizes[i] for i, _, _ in al) / sa.total if sa.total else 0.0
            if share < self.config.para_share:
                continue
            b_share = sum(sb.sizes[j] for _, j, _ in al) / sb.total if sb.total else 0.0
            span_a = tuple(sa.spans[i] for i, _, _ in al)
            span_b = tuple(sb.spans[j] for _, j, _ in al)
            aligned = tuple((ta[slice(*sa.spans[i])], tb[slice(*sb.spans[j])], round(score)) for i, j, score in al)
            side_a = _side(ma, unit[1], ma.prepared[unit[1]], [], span_a)
            side_b = _side(mb, ib, mb.prepared[ib], [], span_b)
            out.append(Match(side_a, side_b, share, [a for a, _, _ in aligned], b_share, PARAPHRASE, share, 0, aligned))
        return out

    def _log(self, text: str) -> None:
        if self.progress:
            print(text, file=sys.stderr)


def _pack(spans: list[tuple[int, int]]) -> bytes:
    return np.asarray(spans, dtype=np.int32).tobytes()


def _unpack(packed: bytes) -> list[list[int]]:
    return np.frombuffer(packed, dtype=np.int32).reshape(-1, 2).tolist()


def _pick(masks: np.ndarray, limit: int) -> list[int]:
    """Rows of `masks` (largest first) to name, at most `limit`: greedily the row adding most
    not yet covered, while one adds any; the rest of the places go to the largest. In order."""
    if len(masks) <= limit:
        return list(range(len(masks)))
    chosen: list[int] = []
    covered = np.zeros(masks.shape[1], dtype=bool)
    while len(chosen) < limit:
        gain = (masks & ~covered).sum(axis=1)
        gain[chosen] = 0
        best = int(gain.argmax())  # the first (largest) row of the best gain
        if not gain[best]:
            break
        chosen.append(best)
        covered |= masks[best]
    rest = [n for n in range(len(masks)) if n not in chosen]
    return sorted(chosen + rest[:limit - len(chosen)])


def _side(m: _Material, i: int, p: Prepared, spans: list[tuple[int, int]], raw: tuple = ()) -> Side:
    u = m.units[i]
    return Side(u.material, u.title, u.path, u.line, u.kind, u.index, u.text,
                raw or tuple(p.norm.span(s, e) for s, e in spans), m.reference, m.previous, p.size, m.size)


def _passages(text: str, p: Prepared, spans: list[tuple[int, int]]) -> list[str]:
    return [p.norm.original(text, s, e) for s, e in spans]
