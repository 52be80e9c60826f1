"""Many inputs are checked in forked processes; the output must be the same as checked one by one."""

from __future__ import annotations

import os
import subprocess
import sys
from unittest import mock

import pytest

from gongwen.check import run as check_module
from gongwen.check.run import PARALLEL_MIN_INPUTS, check_inputs, expand_inputs

from .conftest import REPO, SEED_TXT, SLIPS, write_material


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Enough materials to go parallel, with findings of many kinds, a .txt and an unreadable one."""
    root = tmp_path_factory.mktemp("many")
    for i in range(PARALLEL_MIN_INPUTS + 8):
        write_material(root, SLIPS[i % len(SLIPS)], name=f"m{i:03d}", stage=["草稿", "定稿"][i % 2])
    (root / "m900.txt").write_text(SEED_TXT.read_text(encoding="utf-8"), encoding="utf-8")
    bad = write_material(root, name="m901")
    (bad / "01-存在的问题.md").write_bytes("# 存在的问题\n\n问题。\n".encode("gbk"))
    return root


def run(*args):
    return subprocess.run([sys.executable, "-m", "gongwen.cli", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_workers_give_the_same_output(many, fmt):
    one = run(many, "--format", fmt, "-j", "1")
    assert one.returncode == 2 and one.stdout  # the GBK file cannot be read
    for jobs in ("2", "3"):
        res = run(many, "--format", fmt, "-j", jobs)
        assert (res.returncode, res.stdout, res.stderr) == (one.returncode, one.stdout, one.stderr)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_failing_worker_means_checking_again_in_one_process(many):
    inputs, _ = expand_inputs([many])
    expected = check_inputs(inputs, jobs=1)
    real = check_module._check_one
    parent = os.getpid()

    def failing_in_children(path, *args):  # whatever else _check_one is given (stage, today …)
        if os.getpid() != parent:
            raise RuntimeError("worker fails")
        return real(path, *args)

    with mock.patch.object(check_module, "_check_one", failing_in_children):
        assert check_inputs(inputs, jobs=2) == expected
