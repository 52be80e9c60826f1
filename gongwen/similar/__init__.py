"""雷同检测 (copy detection): which units of a material were copied from another material or
from a reference text (a template, last year's material).

One entry point:

    compare(materials, references=(), config=None) -> list[Match]
    copied_share_by_material(matches) -> {material path: (share, source path)}

Units come from the one model (units.py), are normalised (normalize.py), stock phrases are
discounted (stock.py), MinHash LSH proposes candidate pairs (engine.py, datasketch) and each
candidate is verified exactly (verify.py). Reports for people: report.py; CLI: command.py.
This package reads the model only: it imports nothing from rules, check or site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Material
    from .config import SimilarConfig
    from .match import Match

# Names imported on first use: `gongwen` builds its parser with this package's command, and
# every other command should not pay for YAML, numpy or datasketch.
_LAZY = {"Engine": "engine", "Match": "match", "Side": "match", "SimilarConfig": "config", "load_config": "config",
         "Unit": "units", "units_of": "units"}

__all__ = ["Engine", "Match", "Side", "SimilarConfig", "Unit", "compare", "copied_share_by_material",
           "load_config", "material_keys", "units_of"]


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


def compare(materials: list[Material], references: list[Material] = (), config: SimilarConfig | None = None,
            *, storage_config: dict | None = None, progress: bool = False) -> list[Match]:
    """Every material against every other one and against each reference text.

    A Match is reported for a unit `a` of a material (never of a reference) whose
    characters are covered by runs shared with unit `b` (of another material or a reference)
    for at least config.min_share, each run at least config.min_run characters after
    normalising, stock phrases not counted. Sorted by share, largest first.
    storage_config: where the LSH index lives (datasketch: {"type": "dict"} by default,
    or {"type": "redis", "redis": {"host": …, "port": …}} to share it)."""
    from .engine import Engine  # numpy and datasketch: imported only when comparing
    from .units import units_of

    engine = Engine(config, storage_config=storage_config, progress=progress)
    mats = {k: units_of(m) for k, m in material_keys(materials).items()}
    refs = {f"ref:{k}": units_of(m) for k, m in material_keys(references).items()}
    engine.update(mats, refs)
    return engine.matches()


def copied_share_by_material(matches: Iterable[Match]) -> dict[str, tuple[float, str]]:
    """For each material with a match: the largest part of its text copied from one source,
    and that source's path (another material, or a reference text).

    The part is, over the material's units reported against that source, the characters each
    one has covered (its best match with that source) divided by all the material's
    characters (normalised, as Side.material_size)."""
    covered: dict[tuple[str, str], dict[int, float]] = {}
    sizes: dict[str, int] = {}
    for m in matches:
        sizes[m.a.material] = m.a.material_size
        per_unit = covered.setdefault((m.a.material, m.b.material), {})
        per_unit[m.a.index] = max(per_unit.get(m.a.index, 0.0), m.share * m.a.size)
    out: dict[str, tuple[float, str]] = {}
    for (mat, source), per_unit in sorted(covered.items()):
        share = sum(per_unit.values()) / sizes[mat] if sizes[mat] else 0.0
        if mat not in out or share > out[mat][0]:
            out[mat] = (round(share, 4), source)
    return out
