"""Helpers for the publishing tests: a temporary git repository holding a copy of the project,
published with deploy/publish.py exactly as `make publish` runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, copy_project

EXAMPLE = "示例-2024-青禾镇党委"
SEED = "2023-zhuti-jiaoyu-banzi"
BRANCH = "site-pages"
PROBLEMS = f"docs/{EXAMPLE}/02-存在的问题.md"
# The change between v1 and v2: an insertion, a deletion and a replacement, in three paragraphs.
EDITS = [
    ("全年开展理论学习中心组学习12次", "全年开展理论学习中心组集体学习12次"),
    ("部分成员来不及深入调研", "部分成员来不及调研"),
    ("拖延4个多月才开工", "拖延5个多月才开工"),
]
INSERTED = ["集体", "5"]
DELETED = ["深入", "4"]
DATES = {"v1": "2025-01-06", "v2": "2025-01-20"}
TITLES = {"v1": "初稿", "v2": "征求意见稿"}

_cache: dict[str, Path] = {}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def make_repo(dest: Path) -> Path:
    """The project's site files and docs in a fresh repository with one commit. The author is
    set in the repository itself, since CI machines may have no global git identity."""
    copy_project(dest)
    shutil.copytree(REPO / "deploy", dest / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    git(dest, "init", "-q", "-b", "main")
    git(dest, "config", "user.name", "测试发布人")
    git(dest, "config", "user.email", "publisher@gongwen.invalid")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "材料")
    return dest


def publish(repo: Path, version: str, title: str, *args: str, date: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGWEN_", "MIKE_"))}
    if date:
        env["GONGWEN_PUBLISH_DATE"] = date
    return subprocess.run([sys.executable, "-m", "deploy.publish", version, "--title", title, *args],
                          cwd=repo, env=env, check=False, capture_output=True, text=True, timeout=300)


def edit(repo: Path, path: str, pairs: list[tuple[str, str]]) -> None:
    f = repo / path
    text = f.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, f"the test edit needs exactly one “{old}” in {path}"
        text = text.replace(old, new)
    f.write_text(text, encoding="utf-8")


def two_versions(tmp_path_factory) -> Path:
    """A repository with v1 (初稿) and v2 (征求意见稿, EDITS applied) published; built once
    per test session and shared read-only (copy it before changing anything)."""
    if "repo" not in _cache:
        repo = make_repo(tmp_path_factory.mktemp("published"))
        p = publish(repo, "v1", TITLES["v1"], date=DATES["v1"])
        assert p.returncode == 0, p.stdout + p.stderr
        edit(repo, PROBLEMS, EDITS)
        git(repo, "commit", "-q", "-am", "修改")
        p = publish(repo, "v2", TITLES["v2"], date=DATES["v2"])
        assert p.returncode == 0, p.stdout + p.stderr
        _cache["repo"] = repo
        _cache["log"] = p.stdout + p.stderr
    return _cache["repo"]


def copy_repo(repo: Path, dest: Path) -> Path:
    shutil.copytree(repo, dest, symlinks=True)
    return dest


def branch_file(repo: Path, path: str, branch: str = BRANCH) -> str:
    return git(repo, "show", f"{branch}:{path}")
