"""The split build (deploy/split.py, the build-part and join jobs of deploy/gitlab-ci.yml): a
corpus of three years run job by job as GitLab would (each matrix job's script lines in
order), the joined root served by Debian's nginx, a second version joined beside the
first, a join missing a part refused with the old root kept, and the top page escaped."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml

from bench.generate import HOME, LISTING_MARK, load_corpus, material_files
from bench.search_bench import SearchBox
from deploy import split

from .conftest import REPO, copy_project
from .test_ci_formats import _rule_holds, _run_job
from .test_nginx import NGINX, get, nginx

pytestmark = pytest.mark.slow

# Seed 0: 2023 (one of them a draft), 2024 and 2025, two published materials each.
PICK = [1, 2, 3, 4, 6, 7, 8]
YEARS = ["2023", "2024", "2025"]


def _runs(job: dict, env: dict) -> bool:
    """GitLab's `rules:`: the first rule whose `if` holds decides; `when: never` drops the job."""
    for rule in job.get("rules", [{"if": '"a" == "a"'}]):
        if _rule_holds(rule["if"], env):
            return rule.get("when", "on_success") != "never"
    return False


def _pipeline(ci: dict, env: dict) -> list[tuple[str, dict, dict]]:
    """(name, job, matrix variables) of every job instance the pipeline runs, stage by stage."""
    jobs = [(n, j) for n, j in ci.items() if isinstance(j, dict) and "script" in j and _runs(j, {**ci["variables"], **env})]
    jobs.sort(key=lambda nj: ci["stages"].index(nj[1]["stage"]))
    out = []
    for name, job in jobs:
        matrix = (job.get("parallel") or {}).get("matrix") or [{}]
        for row in matrix:
            keys = list(row)
            combos = [{}]
            for k in keys:
                values = row[k] if isinstance(row[k], list) else [row[k]]
                combos = [{**c, k: str(v)} for c in combos for v in values]
            out += [(name, job, c) for c in combos]
    return out


def _run(ci: dict, project: Path, env: dict) -> list[str]:
    names = []
    for name, job, matrix in _pipeline(ci, env):
        done = _run_job(ci, job, project, {**env, **matrix})
        assert done.returncode == 0, f"{name} {matrix}: {done.stdout}\n{done.stderr}"
        names.append(f"{name} {matrix.get('PART', '')}".strip())
    return names


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    if not (REPO / ".venv" / ".stamp").is_file():
        pytest.skip("needs the project's .venv (make setup)")
    tmp = tmp_path_factory.mktemp("split")
    docs = tmp / "docs-src"
    docs.mkdir()
    corpus = load_corpus()
    for i in PICK:
        name, files = material_files(corpus, 0, i)
        (docs / name).mkdir()
        for fname, text in files.items():
            (docs / name / fname).write_text(text, encoding="utf-8")
    (docs / "index.md").write_text(HOME.format(mark=LISTING_MARK), encoding="utf-8")
    project = tmp / "project"
    project.mkdir()
    copy_project(project, docs)
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(REPO / name, project / name)
        stamp = (REPO / ".venv" / ".stamp").stat().st_mtime
        os.utime(project / name, (stamp - 1, stamp - 1))  # `make setup` has nothing to do
    shutil.copytree(REPO / "deploy", project / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "deploy" / "gitlab-ci.yml", project / ".gitlab-ci.yml")
    (project / ".venv").symlink_to(REPO / ".venv")
    return project


def _ci() -> dict:
    return yaml.safe_load((REPO / "deploy" / "gitlab-ci.yml").read_text(encoding="utf-8"))


def _base(project: Path) -> dict:
    return {"CI": "true", "CI_DEFAULT_BRANCH": "main", "CI_PROJECT_DIR": str(project), "GONGWEN_SPLIT": "1",
            "CI_PIPELINE_CREATED_AT": "2025-01-20T08:00:00Z"}


def _main_env(project: Path, root: Path, version: str, title: str) -> dict:
    return {**_base(project), "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main",
            "SPLIT_ROOT": str(root), "PUBLISH_VERSION": version, "PUBLISH_TITLE": title}


def _published(project: Path) -> dict[str, list[split.Material]]:
    by_year: dict[str, list[split.Material]] = {}
    for m in split.materials(project / "docs"):
        by_year.setdefault(m.year, []).append(m)
    return by_year


def test_split_off_leaves_the_pipeline_as_it_was_and_on_replaces_build_and_publish(project):
    ci = _ci()
    env = {"CI_DEFAULT_BRANCH": "main", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"}
    assert [n for n, _, _ in _pipeline(ci, env)] == ["build", "publish"]
    mr = {"CI_DEFAULT_BRANCH": "main", "CI_PIPELINE_SOURCE": "merge_request_event", "GONGWEN_SPLIT": "1"}
    assert [(n, m.get("PART")) for n, _, m in _pipeline(ci, mr)] == [
        ("check", None), *(("build-part", y) for y in YEARS), ("join", None)]
    by_year = _published(project)
    assert sorted(by_year) == YEARS and all(len([m for m in ms if not m.draft]) == 2 for ms in by_year.values())
    assert sum(m.draft for ms in by_year.values() for m in ms) == 1


@pytest.mark.browser
@pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian nginx not installed")
def test_parts_built_by_the_matrix_are_joined_and_served_by_nginx(project, tmp_path, browser):
    ci = _ci()
    root = tmp_path / "www" / "site"
    env = _main_env(project, root, "2025-01", "初稿")
    assert _run(ci, project, env) == ["build-part 2023", "build-part 2024", "build-part 2025", "join"]
    assert root.is_symlink() and os.readlink(root / "latest") == "2025-01"
    # One version list for the whole archive, at the root.
    assert [p.relative_to(root.resolve()).as_posix() for p in root.resolve().rglob("versions.json")] == ["versions.json"]
    by_year = _published(project)
    with nginx(tmp_path, root) as base:
        status, headers, body = get(base + "/versions.json")
        assert status == 200 and headers.get("Cache-Control") == "no-cache"
        assert json.loads(body) == [{"version": "2025-01", "title": "初稿", "aliases": ["latest"]}]
        status, _, top = get(base + "/latest/")
        assert status == 200
        top = top.decode()
        for year in YEARS:
            others = [f"../{y}/" for y in YEARS if y != year]
            status, _, peers = get(f"{base}/2025-01/{year}/search/peers.json")
            assert status == 200 and json.loads(peers) == {"v": 1, "peers": others}
            status, _, home = get(f"{base}/2025-01/{year}/")
            assert status == 200 and "各部分总目录" in home.decode()
            # Each part is a full site with its own search index.
            assert get(f"{base}/2025-01/{year}/search/gongwen_meta.bin.gz")[0] == 200
            for m in by_year[year]:
                page = get(f"{base}/2025-01/{year}/{quote(m.rel)}/")
                if m.draft:  # a draft is not published, in its part or on the top page
                    assert page[0] == 404 and m.title not in top
                    continue
                assert page[0] == 200 and m.title in page[2].decode()
                assert m.title in home.decode()  # the part's own listing
                assert f'href="{year}/{quote(m.rel)}/"' in top and m.title in top
            for y in YEARS:
                if y != year:
                    assert not any(m.title in home.decode() for m in by_year[y])
        status, _, peers = get(base + "/2025-01/search/peers.json")
        assert json.loads(peers) == {"v": 1, "peers": [f"{y}/" for y in YEARS]}
        assert get(base + "/2025-01/2024/_gongwen/part.json")[0] == 404  # for the join, not for readers
        # One search spans the parts: from a 2023 page, a 2025 material's title finds it.
        page = browser.new_page()
        page.goto(f"{base}/2025-01/2023/")
        box = SearchBox(page)
        box.open()
        box.wait_ready()
        m = next(m for m in by_year["2025"] if not m.draft)
        hits = [unquote(urlsplit(h).path) for h in box.ask(m.title)]
        assert f"/2025-01/2025/{m.rel}/" in hits, hits
        mine = next(m for m in by_year["2023"] if not m.draft)
        hits = [unquote(urlsplit(h).path) for h in box.ask(mine.title)]
        assert hits[0] == f"/2025-01/2023/{mine.rel}/", hits  # its own part's page, the title hit
        page.close()

    # A second version joins beside the first: both listed, latest moved, the first kept.
    first = os.readlink(root)
    env2 = _main_env(project, root, "2025-02", "征求意见稿")
    _run(ci, project, env2)
    assert os.readlink(root) != first and not (root.parent / first).exists()  # the old tree is gone
    with nginx(tmp_path, root) as base:
        versions = json.loads(get(base + "/versions.json")[2])
        assert [(v["version"], v["aliases"]) for v in versions] == [("2025-02", ["latest"]), ("2025-01", [])]
        m = next(m for m in by_year["2024"] if not m.draft)
        assert get(f"{base}/2025-01/2024/{quote(m.rel)}/")[0] == 200
        assert get(f"{base}/latest/2024/{quote(m.rel)}/")[0] == 200
        assert "初稿" in get(base + "/latest/")[2].decode()  # the other version, on the top page

    # A part missing from the matrix (its build left out): the join refuses, the root stays.
    aside = tmp_path / "2025-aside"
    shutil.move(project / "parts" / "2025", aside)
    before = os.readlink(root), (root / "versions.json").read_text(encoding="utf-8")
    done = _run_job(ci, ci["join"], project, {**env2, "PUBLISH_TITLE": "不全"})
    assert done.returncode == 1
    assert all(m.rel in done.stderr for m in by_year["2025"] if not m.draft) and "PART" in done.stderr
    assert (os.readlink(root), (root / "versions.json").read_text(encoding="utf-8")) == before
    assert sorted(p.name for p in root.parent.iterdir()) == sorted(["site", before[0]])
    shutil.move(aside, project / "parts" / "2025")


def test_a_join_that_fails_midway_leaves_the_old_root(project, tmp_path, monkeypatch):
    parts = project / "parts"
    if not all((parts / y / split.MANIFEST).is_file() for y in YEARS):
        env = {**_main_env(project, tmp_path / "unused", "2025-01", "初稿"), "GONGWEN_SPLIT": "1"}
        for name, job, matrix in _pipeline(_ci(), env):
            if name == "build-part":
                assert _run_job(_ci(), job, project, {**env, **matrix}).returncode == 0
    version = json.loads((parts / "2023" / split.MANIFEST).read_text(encoding="utf-8"))["version"]
    dest = tmp_path / "www" / "site"
    kw = {"version": None, "docs": project / "docs", "config_file": project / "mkdocs.yml"}
    split.join(parts, dest, title="第一次", **kw)
    before = os.readlink(dest), (dest / "versions.json").read_bytes()

    def broken(tree, versions):
        raise OSError("磁盘已满")

    monkeypatch.setattr(split, "write_versions", broken)
    with pytest.raises(OSError):
        split.join(parts, dest, title="第二次", **kw)
    assert (os.readlink(dest), (dest / "versions.json").read_bytes()) == before
    assert json.loads(before[1])[0]["title"] == "第一次" and (dest / version / "2024" / "index.html").is_file()
    assert sorted(p.name for p in dest.parent.iterdir()) == sorted(["site", before[0]])  # no half-written tree


def test_top_page_escapes_titles_and_units():
    parts = {"2024": {"title": "2024年", "materials": [
        {"rel": 'a"b', "title": "<img src=x onerror=alert(1)>", "unit": "<b>某镇</b>&", "year": "2024"}]}}
    page = split.top_page("材料库 <i>", "v1", "定稿<script>", parts, [{"version": "v1", "title": "x"}])
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>" not in page and "&lt;b&gt;某镇&lt;/b&gt;&amp;" in page
    assert "<script>" not in page and "<i>" not in page
    assert 'href="2024/a%22b/"' in page


def test_part_names_and_versions_are_checked():
    for bad in ("latest", "assets", "../x", "a b", ""):
        with pytest.raises(split.SplitError):
            split.check_part(bad)
    assert split.check_part(" 2024 ") == "2024"
    with pytest.raises(split.SplitError):
        split.check_version("latest")


def test_parts_by_unit_group(tmp_path, capsys):
    docs = tmp_path / "docs"
    for rel, unit in (("a", "青禾镇党委"), ("b", "某县财政局党组"), ("c", "无人认领的单位")):
        (docs / rel).mkdir(parents=True)
        (docs / rel / "index.md").write_text(f"---\nyear: 2024\nunit: {unit}\n---\n\n# 材料{rel}\n", encoding="utf-8")
    groups_file = tmp_path / "分组.yml"
    groups_file.write_text("parts:\n  xiangzhen:\n    title: 乡镇\n    units: [青禾镇党委]\n"
                           "  bumen:\n    title: 县直部门\n    units: [某县财政局党组]\n", encoding="utf-8")
    groups = split.load_groups(groups_file)
    assert {m.rel: split.part_of(m, groups) for m in split.materials(docs)} == {"a": "xiangzhen", "b": "bumen", "c": ""}
    assert split.part_title("xiangzhen", groups) == "乡镇" and split.part_title("2024", None) == "2024年"
    assert split.main(["list", "--docs", str(docs), "--groups", str(groups_file)]) == 0
    assert "（无法确定）\t1 份" in capsys.readouterr().out
    # A join would name the material no group holds.
    parts = {"xiangzhen": {"version": "v1", "materials": [{"rel": "a"}]}, "bumen": {"version": "v1", "materials": [{"rel": "b"}]}}
    with pytest.raises(split.SplitError, match="c（应属部分：无法确定）"):
        split.check_coverage(parts, docs, groups)
