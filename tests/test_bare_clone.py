"""The repository stands alone: a clone with nothing beside it collects every test and passes
the fast unit tests, and no file names a path outside the repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .conftest import REPO

FAST = ["tests/test_roundtrip.py", "tests/test_rules_engine.py", "tests/test_rules_numbering.py",
        "tests/test_parse_fastpath.py"]


def test_a_bare_clone_collects_and_passes_the_unit_tests(tmp_path):
    clone = tmp_path / "gongwen"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)], check=True)
    assert [p.name for p in tmp_path.iterdir()] == ["gongwen"]  # nothing else beside the clone
    # The clone's own package, not the one installed from this checkout.
    env = dict(os.environ, PYTHONPATH=str(clone), PYTHONDONTWRITEBYTECODE="1")
    collect = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                             cwd=clone, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert collect.returncode == 0, collect.stdout[-3000:] + collect.stderr[-3000:]
    assert re.search(r"^\d+ tests collected", collect.stdout, re.M), collect.stdout[-500:]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FAST],
                         cwd=clone, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout and " failed" not in run.stdout


def test_no_file_names_a_path_outside_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split("\n")
    code = [f for f in tracked if (f.endswith((".py", ".sh", ".yml", ".yaml", ".toml", ".cfg")) or f in ("Makefile", ".ci/run"))
            and f != "tests/test_bare_clone.py"]  # this file spells the patterns out
    outside = re.compile(r"\.\./shared|/work/|/home/|parent\s*/\s*\"shared\"")
    found = [f"{f}:{i}" for f in code for i, line in enumerate((REPO / f).read_text(encoding="utf-8").split("\n"), 1)
             if outside.search(line)]
    assert found == []
