"""`gongwen review` killed with SIGKILL mid-run, then run again: OUT is complete and
consistent -- the same as a review that was never interrupted, with nothing half-written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from .conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "review"
FILES = 60


def _inbox(box: Path) -> Path:
    box.mkdir()
    clean = sorted(FIXTURES.glob("*.txt"))
    for i in range(FILES):  # each file its own text (a number in the lead), so each is imported
        src = clean[i % len(clean)].read_text(encoding="utf-8").split("\n")
        src[1] = src[1].replace("现对照检查如下", f"（第{i}份）现对照检查如下")
        (box / f"单位{i:02d}.txt").write_text("\n".join(src), encoding="utf-8")
    return box


def _review(box: Path, out: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gongwen.cli", "review", str(box), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kwargs)


def _state(out: Path) -> dict[str, str]:
    """Every file of OUT (the workbook by its cell values: its zip carries a timestamp)."""
    found = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            rel = p.relative_to(out).as_posix()
            if p.suffix == ".xlsx":
                rows = [list(r) for r in openpyxl.load_workbook(p).active.iter_rows(values_only=True)]
                found[rel] = json.dumps(rows, ensure_ascii=False, default=str)
            else:
                found[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kill")
    box = _inbox(tmp / "INBOX")
    out = tmp / "REF"
    proc = _review(box, out)
    start = time.monotonic()
    assert proc.wait(timeout=300) == 1, proc.stderr.read()
    return box, _state(out), time.monotonic() - start


@pytest.mark.parametrize("at", ["读取 [25/", "检查 [25/", "检查 [50/", 0.35, 0.8, 0.95])
def test_killed_review_then_rerun_gives_the_uninterrupted_out(at, reference, tmp_path):
    box, expected, took = reference
    out = tmp_path / "OUT"
    proc = _review(box, out, start_new_session=True)
    if isinstance(at, str):  # a step of the run, as its progress line announces it
        for line in proc.stderr:
            if at in line:
                break
    else:  # a moment of the run, as a share of its uninterrupted duration
        time.sleep(took * at)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    # A step's kill lands mid-run; a moment's may come after the end on a fast machine.
    assert proc.returncode == -signal.SIGKILL or (not isinstance(at, str) and proc.returncode == 1)
    left = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} if out.is_dir() else set()
    assert isinstance(at, float) or left != set(expected)  # the kill left OUT unfinished

    again = _review(box, out)
    err = again.stderr.read()
    assert again.wait(timeout=300) == 1 and "Traceback" not in err, err
    assert _state(out) == expected
    assert not [p for p in out.rglob(".gongwen-tmp-*")]


def test_a_second_run_after_a_complete_one_rewrites_nothing(reference, tmp_path):
    box, expected, _ = reference
    out = tmp_path / "OUT"
    assert _review(box, out).wait(timeout=300) == 1
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert _review(box, out).wait(timeout=300) == 1
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    shutil.rmtree(out)
