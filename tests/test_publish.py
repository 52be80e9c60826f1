"""`make publish`: strict build first, then mike on the site branch; the 草稿 and 密级 gates."""

from __future__ import annotations

import json
import subprocess

import pytest

from .conftest import REPO
from .publishing import (
    BRANCH,
    DATES,
    EXAMPLE,
    PROBLEMS,
    SEED,
    TITLES,
    branch_file,
    copy_repo,
    edit,
    git,
    publish,
    two_versions,
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return two_versions(tmp_path_factory)


def test_two_publishes_list_both_versions_and_move_latest(repo):
    versions = json.loads(branch_file(repo, "versions.json"))
    assert versions == [
        {"version": "v2", "title": TITLES["v2"], "aliases": ["latest"]},
        {"version": "v1", "title": TITLES["v1"], "aliases": []},
    ]
    # mike's alias is a symlink to the version folder, and the root redirects to the alias.
    tree = git(repo, "ls-tree", BRANCH).splitlines()
    assert any(line.startswith("120000 ") and line.endswith("\tlatest") for line in tree), tree
    assert branch_file(repo, "latest") == "v2"
    assert 'url=latest/"' in branch_file(repo, "index.html")
    # One commit per version, plus the one that set the default.
    assert len(git(repo, "log", "--format=%s", BRANCH).splitlines()) == 3
    snap = json.loads(branch_file(repo, "v2/_gongwen/snapshot.json"))
    assert (snap["version"], snap["previous"], snap["date"]) == ("v2", "v1", DATES["v2"])
    assert [c["rel"] for c in snap["changes"]] == [EXAMPLE]


def test_publish_leaves_drafts_out_but_build_keeps_them(repo, built_site):
    files = git(repo, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", BRANCH).splitlines()
    assert not [f for f in files if f"/{SEED}/" in f], "a 草稿 was published"
    assert f"v2/{EXAMPLE}/index.html" in files
    home = branch_file(repo, "v2/index.html")
    assert "2023年第二批主题教育" not in home and SEED not in home
    assert "青禾镇党委领导班子2024年度民主生活会对照检查材料（示例）" in home
    # `make build` (and serve) still show the draft.
    assert (built_site / SEED / "index.html").is_file()
    assert SEED in (built_site / "index.html").read_text(encoding="utf-8")


def test_failed_build_leaves_the_branch_untouched(repo, tmp_path):
    work = copy_repo(repo, tmp_path / "repo")
    head = git(work, "rev-parse", BRANCH)
    # A placeholder left in a 定稿 is an error, so the strict build fails.
    edit(work, PROBLEMS, [("集体学习12次", "集体学习XX次")])
    p = publish(work, "v3", "定稿", "--force")  # uncommitted: as FORCE=1, so the build runs
    assert p.returncode == 1, p.stdout + p.stderr
    assert "content.placeholder" in p.stderr
    assert "没有发布" in p.stderr and f"分支 {BRANCH} 保持不变" in p.stderr
    assert git(work, "rev-parse", BRANCH) == head
    assert [v["version"] for v in json.loads(branch_file(work, "versions.json"))] == ["v2", "v1"]


def test_classified_material_stops_the_publish(repo, tmp_path):
    work = copy_repo(repo, tmp_path / "repo")
    head = git(work, "rev-parse", BRANCH)
    index = work / "docs" / EXAMPLE / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("密级: 内部", "密级: 机密"), encoding="utf-8")
    p = publish(work, "v3", "定稿", "--force")
    assert p.returncode == 1
    assert "security.classified" in p.stderr and f"{EXAMPLE}/index.md" in p.stderr
    assert git(work, "rev-parse", BRANCH) == head


def test_raw_html_is_an_error_in_a_publish(repo, tmp_path):
    from gongwen.check.rules import RULES

    if "security.raw-html" not in RULES:
        pytest.skip("security.raw-html is not registered yet (checker rules in progress)")
    work = copy_repo(repo, tmp_path / "repo")
    head = git(work, "rev-parse", BRANCH)
    edit(work, PROBLEMS, [("力度不够。", '力度不够。<img src="x" onerror="alert(1)">')])
    p = publish(work, "v3", "定稿", "--force")
    assert p.returncode == 1
    assert "security.raw-html" in p.stderr
    assert git(work, "rev-parse", BRANCH) == head


def test_drafts_flag_publishes_drafts_marked_on_every_page_and_push(repo, tmp_path):
    work = copy_repo(repo, tmp_path / "repo")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(work, "remote", "add", "origin", str(remote))
    p = publish(work, "v3", "定稿（含草稿）", "--drafts", "--push")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "【1/3】" in p.stdout and "发布完成" in p.stdout
    assert git(remote, "rev-parse", BRANCH) == git(work, "rev-parse", BRANCH)
    files = git(work, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", BRANCH).splitlines()
    draft_pages = [f for f in files if f.startswith(f"v3/{SEED}/") and f.endswith(".html")]
    assert len(draft_pages) == 4  # index + three sections
    for f in draft_pages:
        assert "草稿，仅供内部审阅" in branch_file(work, f), f
    assert "草稿，仅供内部审阅" not in branch_file(work, f"v3/{EXAMPLE}/index.html")
    assert SEED in branch_file(work, "v3/index.html")
    assert json.loads(branch_file(work, "versions.json"))[0] == {"version": "v3", "title": "定稿（含草稿）", "aliases": ["latest"]}


def test_uncommitted_docs_are_refused_unless_forced(repo, tmp_path):
    """Issue 24: the record names the source commit, so a version of uncommitted files is refused
    (exit 2, nothing built, branch unchanged); FORCE=1 publishes and says so in the record."""
    work = copy_repo(repo, tmp_path / "repo")
    head = git(work, "rev-parse", BRANCH)
    edit(work, PROBLEMS, [("集体学习12次", "集体学习14次")])
    p = publish(work, "v3", "定稿")
    assert p.returncode == 2, p.stdout + p.stderr
    assert "未提交的修改，没有发布" in p.stderr and f"docs/{EXAMPLE}/02-存在的问题.md" in p.stderr
    assert "FORCE=1" in p.stderr and "【1/3】" not in p.stdout
    assert git(work, "rev-parse", BRANCH) == head
    p = publish(work, "v3", "定稿", "--force")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "另含未提交的修改" in git(work, "log", "-1", "--format=%s", BRANCH)


def test_bad_version_id_is_refused(repo, tmp_path):
    p = publish(repo, "latest", "x")
    assert p.returncode == 2 and "保留名" in p.stderr
    p = publish(repo, "v 3/..", "x")
    assert p.returncode == 2


def test_make_targets_pass_the_variables():
    def dry(*args):
        return subprocess.run(["make", "-n", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout

    out = dry("publish", "VERSION=v9", "TITLE=定稿", "DRAFTS=1", "PUSH=1", "SITE_URL=http://gongwen.example/")
    assert '-m deploy.publish "v9" --title "定稿" --drafts --push --site-url "http://gongwen.example/"' in out
    out = dry("publish", "VERSION=v9")
    assert '-m deploy.publish "v9" --title "v9"' in out and "--drafts" not in out and "--push" not in out
    assert "--force" not in out
    assert "--force" in dry("publish", "VERSION=v9", "FORCE=1").split("deploy.publish")[1]
    assert '-m deploy.offline --output "/tmp/x.zip"' in dry("offline", "OUT=/tmp/x.zip")
