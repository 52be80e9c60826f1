"""The core's shape: no import cycle, and no import from a lower layer into a higher one.

A newcomer reads the pipeline in the folder list (read -> check -> number -> export / site, the
reviewer's half on top); this test keeps the code honest to that picture. Layers are data: a
module belongs to the longest prefix listed; a module may import its own package and any lower
layer. Modules of one layer (e.g. `export` and `similar`) do not import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gongwen"

# Lowest first. Each entry is one layer: the module prefixes that stand on it.
LAYERS: list[tuple[str, ...]] = [
    ("gongwen.model", "gongwen.diagnostics", "gongwen.numerals", "gongwen.textpatterns",
     "gongwen.mdtext", "gongwen.files", "gongwen.untrusted"),         # the floor
    ("gongwen.read",),                                                 # bytes -> model
    ("gongwen.schema",),                                               # document types (YAML)
    ("gongwen.numbering",),                                            # model -> numbers
    ("gongwen.ledger",),                                               # ledger tables in the model
    ("gongwen.check",),                                                # rules -> diagnostics
    ("gongwen.export", "gongwen.intake", "gongwen.similar",            # Word out; units' files in; copies;
     "gongwen.scaffold"),                                              # a new material's skeleton
    ("gongwen.site", "gongwen.review", "gongwen.revisions"),           # what the hooks, the review batch call; Word comes back
    ("gongwen.cli",),                                                  # the command line
]
ROOT_MODULE = "gongwen"  # gongwen/__init__.py: the version only; anyone may import it


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every gongwen module this one imports, at any depth of the file (lazy imports count)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports only a type checker reads (`if TYPE_CHECKING:`) run never: no cycle, no layer.
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _is_type_checking(block.test)
                   for stmt in block.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "gongwen")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "gongwen":
                continue
            for alias in node.names:  # `from pkg import module` imports the module
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    found.discard(name)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _layer(name: str) -> tuple[int, str]:
    best = (-1, "")
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > len(best[1]):
                best = (i, prefix)
    return best


MODULES = _modules()
GRAPH = {name: _imports(name, path, set(MODULES)) for name, path in MODULES.items()}


def test_every_module_has_a_layer():
    unplaced = [m for m in MODULES if m != ROOT_MODULE and _layer(m)[0] < 0]
    assert not unplaced, f"modules in no layer (add them to LAYERS): {unplaced}"


def test_no_import_runs_upward_or_sideways():
    wrong = []
    for name, targets in GRAPH.items():
        if name == ROOT_MODULE:
            continue
        level, group = _layer(name)
        for target in targets:
            if target == ROOT_MODULE:
                continue
            t_level, t_group = _layer(target)
            if t_level > level or (t_level == level and t_group != group):
                wrong.append(f"{name} (layer {level}) imports {target} (layer {t_level})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    # Tarjan's strongly connected components over the module graph.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in MODULES:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in MODULES:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_top_level_stays_small():
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(flat) <= 8, f"gongwen/ holds {len(flat)} flat modules: {flat}"


@pytest.mark.parametrize("cycle", [("gongwen.a", "gongwen.b")])
def test_the_cycle_finder_finds_a_cycle(cycle, monkeypatch):
    # The guard must be able to fail: a two-module cycle is reported.
    a, b = cycle
    monkeypatch.setitem(MODULES, a, Path("a.py"))
    monkeypatch.setitem(MODULES, b, Path("b.py"))
    monkeypatch.setitem(GRAPH, a, {b})
    monkeypatch.setitem(GRAPH, b, {a})
    with pytest.raises(AssertionError, match="import cycles"):
        test_no_import_cycle()
