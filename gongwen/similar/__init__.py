"""雷同检测 (copy detection): which units of a material were copied from another material or
from a reference text (a template, last year's material).

One entry point:

    compare(materials, references=(), config=None, previous=(), stock=()) -> list[Match]
    copied_share_by_material(matches) -> {material path: (share, source path)}
    family_of_material(matches) -> {material path: (materials sharing its passage, those named)}
    repeated_by_material(matches) -> {material path: (problem points repeated, last year's path)}

Units come from the one model (units.py), are normalised (normalize.py), stock phrases (the
shipped list, the stock texts given) are left out (stock.py), an exact k-gram index proposes
every pair sharing a run (index.py), each pair is verified exactly (verify.py) and reported from
the copier's side (engine.py); problem points are also compared word by word (paraphrase.py,
the 洗稿 level). Reports for people: report.py; CLI: command.py. This package reads the model
only: it imports nothing from rules, check or site."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Material
    from .config import SimilarConfig
    from .match import Match

# Names imported on first use: `gongwen` builds its parser with this package's command, and
# every other command should not pay for YAML, numpy, jieba or rapidfuzz.
_LAZY = {"Engine": "engine", "Match": "match", "Side": "match", "SimilarConfig": "config", "load_config": "config",
         "Unit": "units", "units_of": "units"}

__all__ = ["Engine", "Match", "Side", "SimilarConfig", "Unit", "compare", "copied_share_by_material",
           "family_of_material", "load_config", "mark_previous", "material_keys", "previous_path",
           "repeated_by_material", "units_of"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)


def material_keys(materials: Iterable[Material]) -> dict[str, Material]:
    """Materials by their path (a repeated path gets #2, #3 …, so none is lost)."""
    out: dict[str, Material] = {}
    for mat in materials:
        key, n = str(mat.path), 1
        while key in out:
            n += 1
            key = f"{mat.path}#{n}"
        out[key] = mat
    return out


def previous_path(mat: Material) -> Path | None:
    """The material named by front matter `previous:` (last year's), relative to this one."""
    value = mat.meta.get("previous") if isinstance(mat.meta, dict) else None
    if not value or not isinstance(value, str):
        return None
    base = Path(mat.path)
    return (base if base.is_dir() else base.parent) / value


def mark_previous(matches: list[Match], previous_of: dict[str, str]) -> list[Match]:
    """Matches of a material with the one its front matter names as last year's are repeats
    (问题年年一样), not copies, whether that material is compared too or is a reference; and
    last year's material, when compared too, is not reported as copying its successor."""
    if not previous_of:
        return matches
    from dataclasses import replace

    def real(path: str) -> str:
        return os.path.realpath(path.split("#", 1)[0])

    last_year = {real(k): real(v) for k, v in previous_of.items()}
    out = []
    for m in matches:
        a, b = real(m.a.material), real(m.b.material)
        if last_year.get(b) == a:
            continue
        out.append(replace(m, b=replace(m.b, previous=True)) if last_year.get(a) == b else m)
    return out


def compare(materials: list[Material], references: list[Material] = (), config: SimilarConfig | None = None,
            *, previous: list[Material] = (), stock: list[Material] = (), follow_previous: bool = True,
            progress: bool = False) -> list[Match]:
    """Every material against every other one, each reference text and each of last year's
    materials (`previous`, and those front matter `previous:` names, read here).

    A Match is reported for a unit `a` of a material (never of a reference) whose characters
    are covered by runs shared with unit `b` (of another material or a reference), runs of at
    least config.min_run characters after normalising, stock phrases (the shipped list, the
    texts in `stock`) not counted, when all its sources together cover config.min_share of it;
    and, at the paraphrase level, for a problem point rewritten from b in other words. Exact
    copies first, largest share first. follow_previous=False: front matter `previous:` is not
    followed (what units send is untrusted: a path there must not make us read outside INBOX)."""
    from .engine import Engine  # numpy: imported only when comparing
    from .units import units_of

    mats = material_keys(materials)
    previous_of, extra = {}, []
    known = {os.path.realpath(str(m.path)) for m in list(materials) + list(references) + list(previous)}
    for key, mat in mats.items():
        path = previous_path(mat) if follow_previous else None
        if path is None:
            continue
        previous_of[key] = str(path)
        if os.path.realpath(path) not in known and path.exists():
            extra.append(_load_previous(path))
            known.add(os.path.realpath(path))
    stock_texts = [u.text for m in stock for u in units_of(m)]
    engine = Engine(config, stock_texts=stock_texts, progress=progress, once=True)
    refs = {f"ref:{k}": units_of(m) for k, m in material_keys(references).items()}
    prev = {f"prev:{k}": units_of(m) for k, m in material_keys(list(previous) + [m for m in extra if m]).items()}
    engine.update({k: units_of(m) for k, m in mats.items()}, refs, prev)
    return mark_previous(engine.matches(), previous_of)


def _load_previous(path: Path):
    """Last year's material named by front matter, or None: unreadable (meta.field says so) or
    classified (a state secret is never read into a comparison, nor quoted in its report)."""
    from ..check.secrecy import marks_in_file
    from ..diagnostics import InputError
    from ..read import load

    try:
        mat = load(path)
    except InputError:
        return None
    return None if any(marks_in_file(f) for f in mat.files) else mat


def _copies(matches: Iterable[Match]) -> Iterator[Match]:
    """Exact copies from other units or templates: not paraphrases, not last year's repeats."""
    from .match import EXACT

    return (m for m in matches if m.level == EXACT and not m.repeated)


def copied_share_by_material(matches: Iterable[Match]) -> dict[str, tuple[float, str]]:
    """For each material with an exact copy: the part of its text copied (each reported unit
    counted with all its sources together), and the source that covers most of it.

    The part is the characters of its reported units covered by all their sources divided by
    all the material's characters (normalised, as Side.material_size). Paraphrases (洗稿) and
    repeats of last year's material are not in it: they have their own counts."""
    units: dict[tuple[str, int], float] = {}
    sizes: dict[str, int] = {}
    by_source: dict[tuple[str, str], float] = {}
    for m in _copies(matches):
        sizes[m.a.material] = m.a.material_size
        units[(m.a.material, m.a.index)] = max(units.get((m.a.material, m.a.index), 0.0), m.combined * m.a.size)
        key = (m.a.material, m.b.material)
        by_source[key] = by_source.get(key, 0.0) + m.share * m.a.size
    # Summed per material in one pass each (not a scan of every unit per material).
    covered: dict[str, float] = {}
    for (mat, _), v in units.items():
        covered[mat] = covered.get(mat, 0.0) + v
    best: dict[str, tuple[float, str]] = {}
    for (mat, source), v in by_source.items():
        if mat not in best or (v, source) > best[mat]:
            best[mat] = (v, source)
    return {mat: (round(covered[mat] / size, 4) if size else 0.0, best[mat][1]) for mat, size in sorted(sizes.items())}


def family_of_material(matches: Iterable[Match]) -> dict[str, tuple[int, set[str]]]:
    """For each material holding a passage that at least three materials share (a family:
    many units downloading one template): how many share it, and the other materials named
    in its reports (at most config.max_sources per unit: those covering most of it)."""
    out: dict[str, tuple[int, set[str]]] = {}
    for m in _copies(matches):
        if m.family >= 3 and not m.b.reference:
            n, names = out.get(m.a.material, (0, set()))
            out[m.a.material] = (max(n, m.family), names | {m.b.material})
    return out


def repeated_by_material(matches: Iterable[Match]) -> dict[str, tuple[int, str]]:
    """For each material: how many of its problem points repeat last year's material (exactly
    or in other words), and that material's path."""
    points: dict[str, set[int]] = {}
    source: dict[str, str] = {}
    for m in matches:
        if m.repeated and m.a.kind == "point":
            points.setdefault(m.a.material, set()).add(m.a.index)
            source.setdefault(m.a.material, m.b.material)
    return {k: (len(v), source[k]) for k, v in sorted(points.items())}
