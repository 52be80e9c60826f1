"""The engine: the project runs on ProperDocs (`make build/serve/publish/offline`), and plain
MkDocs 1.6 still builds the same site, so a user on MkDocs is not stranded. Each build is
checked for which engine really ran (the generator tag Material writes into every page)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_project

GENERATOR = re.compile(r'<meta name="generator" content="([^"]+)">')
SEED_PAGE = "2023-zhuti-jiaoyu-banzi/01-存在的问题/index.html"


def _build(project: Path, engine: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGWEN_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", "mkdocs.yml"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("engine, generator", [("properdocs", "mkdocs-ProperDocs 1.6.7"), ("mkdocs", "mkdocs-1.6.1")])
def test_each_engine_builds_the_site(tmp_path, engine, generator):
    project = copy_project(tmp_path)
    run = _build(project, engine)
    assert run.returncode == 0, run.stderr[-3000:]
    site = project / "site"
    page = (site / SEED_PAGE).read_text(encoding="utf-8")
    assert GENERATOR.search(page).group(1).startswith(generator + ",")
    # The hooks ran: numbering across files, the listing, the Word download, the rules page.
    text = re.sub(r"<[^>]+>", "", page)
    assert "一、存在的问题" in text and "一是理论学习不深不透" in text
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count("<tr><td><a href=") == 2
    assert len(list((site / "2023-zhuti-jiaoyu-banzi").glob("*.docx"))) == 1
    assert "content.placeholder" in (site / "rules" / "index.html").read_text(encoding="utf-8")
    # mkdocs.yml is named explicitly: no notice about ProperDocs' own config file name.
    assert "properdocs.yml" not in run.stderr


def test_tests_build_with_the_project_engine(built_site):
    """conftest.build_site (used by the site tests) runs ProperDocs, as `make build` does."""
    page = (built_site / SEED_PAGE).read_text(encoding="utf-8")
    assert GENERATOR.search(page).group(1).startswith("mkdocs-ProperDocs ")


def test_make_targets_call_properdocs():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    assert "ENGINE := $(BIN)/properdocs" in makefile
    for target in ("serve", "build"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
        assert "$(ENGINE) " + target + " -f mkdocs.yml" in recipe
