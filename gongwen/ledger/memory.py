"""What each bare number in a ledger (（三）一是) named at the last check: a small JSON file per
material under `.cache/ledger-refs/` of the project holding it (the folder with mkdocs.yml or
.git), so `gongwen check`, `make serve` and `gongwen fmt` share it.

A number alone re-points silently when a 方面 or problem is inserted above it; comparing the lead
it names now with the one remembered is how ledger.stale-reference sees that."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from ..files import write_atomic
from ..model import Material
from .conventions import fold
from .types import Ledger, LedgerRow, ProblemRef

FOLDER = Path(".cache") / "ledger-refs"
_MAX_BYTES = 1 << 20  # a state file is a few hundred bytes; anything bigger is not ours


def state_file(mat: Material) -> Path | None:
    """Where the material's memory lives, or None outside a project (a file someone sent)."""
    if mat.format != "md":
        return None
    here = Path(mat.path).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() or (folder / ".git").exists():
            digest = hashlib.sha256(str(here).encode()).hexdigest()[:24]
            return folder / FOLDER / f"{digest}.json"
    return None


def recall(mat: Material) -> dict[str, str]:
    """(measure, bare number) key -> the lead it named at the last check ({} when never checked)."""
    path = state_file(mat)
    if path is None:
        return {}
    try:
        if path.stat().st_size > _MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no memory yet, or a damaged one: nothing is reported, the next check rewrites it
    refs = data.get("refs") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in refs.items()} if isinstance(refs, dict) else {}


def _key(row: LedgerRow, ref: ProblemRef) -> str:
    # The row's measure with the number: a writer who renumbers a cell by hand changes the key
    # (no warning, the new number is theirs); only a cell left as it was can have re-pointed.
    return fold(row.measure) + "\0" + ref.key


def meant(remembered: dict[str, str], row: LedgerRow, ref: ProblemRef) -> str | None:
    """The lead a bare number meant at the last check, when it now names another (or none)."""
    old = remembered.get(_key(row, ref)) if ref.key else None
    return old if old and (ref.point is None or fold(old) != fold(ref.lead)) else None


def stale(ledger: Ledger, remembered: dict[str, str]) -> list[tuple[int, ProblemRef, str]]:
    """(row index, reference, remembered lead) for every bare number that now names another lead."""
    return [(i, ref, old) for i, row in enumerate(ledger.rows) for ref in row.problems
            if (old := meant(remembered, row, ref))]


def updated(ledger: Ledger, remembered: dict[str, str]) -> dict[str, str]:
    """The memory after this check: a stale number keeps the lead it meant until the writer
    fixes the cell (so the warning stays); numbers no longer written alone are forgotten."""
    out: dict[str, str] = {}
    for row in ledger.rows:
        for ref in row.problems:
            if not ref.key:
                continue
            old = meant(remembered, row, ref)
            if old or ref.point is not None:
                out[_key(row, ref)] = old or ref.lead
    return out


def remember(mat: Material, refs: dict[str, str], before: dict[str, str]) -> None:
    """Write the memory when it changed (atomically: concurrent checks never see half a file)."""
    path = state_file(mat)
    if path is None or refs == before:
        return
    with contextlib.suppress(OSError):  # a read-only checkout still checks; it just cannot remember
        write_atomic(path, json.dumps({"material": str(Path(mat.path).resolve()), "refs": refs}, ensure_ascii=False))
