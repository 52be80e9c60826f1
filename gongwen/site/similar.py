"""Copy detection for a site (pure, no mkdocs): the materials of the Catalogue compared with
each other and with a reference folder, incrementally across `mkdocs serve` rebuilds, and the
content.copied diagnostics put on each entry. The hooks only call this and render pages."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import numpy as np

from ..check.run import check
from ..check.secrecy import marks_in_file
from ..diagnostics import InputError
from ..read import load
from ..similar import (
    Engine,
    Match,
    Side,
    SimilarConfig,
    load_config,
    mark_previous,
    previous_path,
    units_of,
)
from ..similar.inputs import reference_inputs
from ..similar.match import EXACT, PARAPHRASE
from .catalogue import Entry, code_version, read_cache, write_cache

RULE = "content.copied"


class SiteSimilarity:
    def __init__(self, config: SimilarConfig | None = None, reference: str | Path | None = None):
        self.config = config or load_config()
        self.reference = Path(reference) if reference else None
        self.engine: Engine | None = Engine(self.config)  # None after a full build (see update)
        self._refs: dict[str, tuple[tuple, object]] = {}  # path -> (stamp, Material or None)
        self._applied: dict[str, tuple] = {}  # rel -> (entry, reports) last put on that entry
        self._units: dict[str, tuple] = {}  # material path -> (Material, its units)
        self.notes: list[str] = []  # reference files that could not be read
        self.matches: list[Match] = []
        self.last_signature: tuple | None = None  # of the pairs the 雷同比对 page last showed
        self._thread: threading.Thread | None = None
        self._gate = threading.Event()  # set: the comparison in the thread may run
        self._gate.set()
        self.ready = False  # the corpus has been compared once

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def pause(self) -> None:
        """Hold the comparison running in the thread at its next step (during a rebuild)."""
        self._gate.clear()

    def resume(self) -> None:
        self._gate.set()

    def start_background(self, entries: list[Entry], done: Callable[[], None]) -> None:
        """Compare the corpus in a thread (the first build of `mkdocs serve` need not wait for it):
        the engine is left warm, so the next update() only applies the reports. `done` is called
        at the end (the hook touches a watched file, which makes the server rebuild)."""
        mats = self._units_of({str(e.material.path): e for e in entries
                               if e.material is not None and not e.classified})
        refs = self._references()
        _, prev = self._previous({str(e.material.path): e for e in entries if e.material is not None and not e.classified})

        def work() -> None:
            try:
                self.engine.update(mats, refs, prev)
            finally:
                self.engine.gate = None
                self.ready = True
                done()

        if self.engine is None:
            self.engine = Engine(self.config)
        self.engine.gate = self._gate

        self._thread = threading.Thread(target=work, name="gongwen-similar", daemon=True)
        self._thread.start()

    def _load(self, path: Path):
        """A reference or last year's material, read again only when its files changed
        (a Material, or the message saying why it cannot be read)."""
        key = str(path)
        try:
            st = path.stat() if path.is_file() else max((p.stat() for p in path.glob("*.md")),
                                                         key=lambda s: s.st_mtime_ns)
            stamp = (st.st_mtime_ns, st.st_size)
        except (OSError, ValueError):
            stamp = None
        old = self._refs.get(key)
        if old is None or old[0] != stamp:
            try:
                mat = load(path)
            except InputError as exc:
                mat = exc.diagnostic.format()
            self._refs[key] = old = (stamp, mat)
        if isinstance(old[1], str):
            self.notes.append(old[1])
            return None
        return old[1]

    def _references(self) -> dict[str, list]:
        out: dict[str, list] = {}
        self.notes = []
        if self.reference is None or not self.reference.exists():
            return out
        for path in reference_inputs([str(self.reference)]):
            mat = self._load(path)
            if mat is not None and not any(marks_in_file(f) for f in mat.files):
                out[f"ref:{path}"] = units_of(mat)
        return out

    def _previous(self, by_path: dict[str, Entry]) -> tuple[dict[str, str], dict[str, list]]:
        """Last year's material each entry's front matter names (previous:): {entry path: that
        path}, and the units of those not in the site themselves."""
        previous_of: dict[str, str] = {}
        extra: dict[str, list] = {}
        inside = {os.path.realpath(p) for p in by_path}
        for path, e in by_path.items():
            prev = previous_path(e.material)
            if prev is None:
                continue
            previous_of[path] = str(prev)
            if os.path.realpath(prev) not in inside and prev.exists():
                mat = self._load(prev)
                # a classified file is never compared, nor quoted on the 雷同比对 page
                if mat is not None and not any(marks_in_file(f) for f in mat.files):
                    extra[f"prev:{prev}"] = units_of(mat)
        return previous_of, extra

    def _cached(self, by_path: dict[str, Entry], cache_dir: Path):
        """(cache file, the matches it holds for exactly these inputs or None, key). A build
        whose materials, references, thresholds and code are those of the last build reuses
        its comparison (about 15 s at 1000 materials) instead of redoing it."""
        h = hashlib.sha256(f"{code_version()}\0{self.config!r}\0".encode())
        for path in sorted(by_path):
            h.update(f"{path}\0{by_path[path].stamp!r}\0".encode())
        for path, (stamp, _) in sorted(self._refs.items()):
            h.update(f"ref:{path}\0{stamp!r}\0".encode())
        key = h.digest()
        path = Path(cache_dir) / "matches.pickle"
        return path, read_cache(path, key), key

    def _units_of(self, by_path: dict[str, Entry]) -> dict[str, list]:
        """Each material's units, worked out again only for a material read anew (a preview
        rebuild hands over the same Material object for every unchanged material)."""
        units = {}
        for path, e in by_path.items():
            known = self._units.get(path)
            if known is None or known[0] is not e.material:
                known = self._units[path] = (e.material, units_of(e.material))
            units[path] = known[1]
        for path in [p for p in self._units if p not in by_path]:
            del self._units[path]
        return units

    def update(self, entries: list[Entry], *, publish: bool = False, cache_dir: str | Path | None = None) -> set[str]:
        """Compare the entries (and the references); put content.copied on each entry.
        Returns the rels of entries whose content.copied diagnostics changed. With a
        cache_dir (full builds), an unchanged corpus reuses the last comparison."""
        if self.running:  # the first comparison is still under way: reports come with the next build
            return set()
        by_path = {str(e.material.path): e for e in entries if e.material is not None and not e.classified}
        self.ready = True
        refs = self._references()
        previous_of, prev = self._previous(by_path)
        cached = self._cached(by_path, cache_dir) if cache_dir is not None else None
        if cached is not None and cached[1] is not None:
            self.matches = _expand(cached[1])
        else:
            if self.engine is None or cached is not None:
                # A full build compares everything once, with an engine that lets go as it goes.
                self.engine = Engine(self.config, once=cached is not None)
            self.engine.update(self._units_of(by_path), refs, prev)
            self.matches = mark_previous(self.engine.matches(), previous_of)
            if cached is not None:
                # A full build compares once: its indexes and verified pairs (most of the
                # memory at thousands of materials) are dropped before the cache is written.
                self.engine = None
                self._units.clear()
                buf = io.BytesIO()  # the key and the pickle in one buffer, not copied into a second
                buf.write(cached[2])
                pickle.dump(_compact(self.matches), buf, protocol=pickle.HIGHEST_PROTOCOL)
                write_cache(cached[0], buf.getbuffer())
                del buf
        mine: dict[str, list[Match]] = {}
        for m in self.matches:
            mine.setdefault(m.a.material, []).append(m)
        changed: set[str] = set()
        for path, e in by_path.items():
            reports = tuple(mine.get(path, ()))
            old = self._applied.get(e.rel)
            if old is not None and old[0] is e and old[1] == reports:
                continue
            kept = [d for d in e.diagnostics if not (d.rule == RULE or d.rule.startswith(RULE + "."))]
            found = [d for d in check(e.material, for_site=True, publish=publish, rules=[RULE], copies=list(reports))
                     if d.rule == RULE or d.rule.startswith(RULE + ".")] if reports else []
            if found or len(kept) != len(e.diagnostics):
                changed.add(e.rel)
            e.diagnostics = sorted(kept + found, key=lambda d: (d.path, d.line, d.column, d.rule, d.message))
            self._applied[e.rel] = (e, reports)
        return changed


_SIDE = [f.name for f in fields(Side) if f.name != "spans"]
_SPANS_AT = [f.name for f in fields(Side)].index("spans")


def _compact(matches: list[Match]) -> dict:
    """The matches as the cache keeps them: each unit's fields once, numbers in columns, the
    spans in one array. A million Match objects pickled one by one cost gigabytes (the
    pickler's memo of every object) at 10,000 materials; this costs a few columns."""
    sides: dict[tuple, int] = {}
    cols: dict[str, list] = {k: [] for k in ("a", "b", "na", "nb", "share", "b_share", "combined", "family", "exact")}
    spans: list[int] = []
    passages, aligned = {}, {}
    for n, m in enumerate(matches):
        for name, side in (("a", m.a), ("b", m.b)):
            cols[name].append(sides.setdefault(tuple(getattr(side, f) for f in _SIDE), len(sides)))
            cols["n" + name].append(len(side.spans))
            spans.extend(x for span in side.spans for x in span)
        for name in ("share", "b_share", "combined", "family"):
            cols[name].append(getattr(m, name))
        cols["exact"].append(m.level == EXACT)
        if list(m.passages) != [m.a.text[s:e] for s, e in m.a.spans]:  # else made again from the spans
            passages[n] = list(m.passages)
        if m.aligned:
            aligned[n] = m.aligned
    types = {"share": np.float64, "b_share": np.float64, "combined": np.float64, "exact": bool}
    return {"sides": list(sides), "spans": np.asarray(spans, dtype=np.int32), "passages": passages, "aligned": aligned,
            **{k: np.asarray(v, dtype=types.get(k, np.int32)) for k, v in cols.items()}}


def _expand(data: dict) -> list[Match]:
    """The matches _compact kept, as they were."""
    sides = data["sides"]
    flat = data["spans"].tolist()
    pos = 0
    out = []
    columns = [data[k].tolist() for k in ("a", "b", "na", "nb", "share", "b_share", "combined", "family", "exact")]
    for n, (a, b, na, nb, share, b_share, combined, family, exact) in enumerate(zip(*columns)):
        made = []
        for index, count in ((a, na), (b, nb)):
            spans = tuple(zip(flat[pos:pos + 2 * count:2], flat[pos + 1:pos + 2 * count:2]))
            pos += 2 * count
            base = sides[index]
            made.append(Side(*base[:_SPANS_AT], spans, *base[_SPANS_AT:]))
        side_a = made[0]
        passages = data["passages"][n] if n in data["passages"] else [side_a.text[s:e] for s, e in side_a.spans]
        out.append(Match(side_a, made[1], share, passages, b_share, EXACT if exact else PARAPHRASE, combined, family,
                         data["aligned"].get(n, ())))
    return out


_instances: dict[tuple, SiteSimilarity] = {}


def similarity_for(docs_dir: str | Path, config: SimilarConfig, reference: str | Path | None) -> SiteSimilarity:
    """One per docs folder, config and reference folder, kept across `mkdocs serve` rebuilds."""
    key = (os.path.realpath(docs_dir), config, str(reference))
    if key not in _instances:
        _instances[key] = SiteSimilarity(config, reference)
    return _instances[key]
