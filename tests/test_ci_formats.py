"""CI formats: GitLab Code Quality and SARIF 2.1.0 validated against their schemas, and the
GitLab CI template run job by job (each job's script lines in order, in a copy of the project)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from gongwen.cli import main

from .conftest import REPO, copy_project, write_material
from .review_files import SOFFICE, convert, make_docx, material_lines

SCHEMAS = REPO / "tests" / "fixtures" / "ci"


def _run_check(capsys, monkeypatch, cwd: Path, *args: str) -> tuple[int, object, str]:
    monkeypatch.chdir(cwd)
    code = main(["check", *args])
    cap = capsys.readouterr()
    return code, json.loads(cap.out), cap.err


def _faulty(root: Path) -> Path:
    return write_material(root, {"01-存在的问题.md": None,
                                 "03-整改措施.md": "# 整改措施\n\n## 持续强化理论武装\n\n2024年开展专题学习XX次,每次形成清单。\n"},
                          name="某镇")


def test_codeclimate_report_is_valid_and_lists_each_problem_once(tmp_path, capsys, monkeypatch):
    folder = _faulty(tmp_path)
    code, report, _ = _run_check(capsys, monkeypatch, tmp_path, "某镇", "--format", "codeclimate")
    assert code == 1
    jsonschema.validate(report, json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text(encoding="utf-8")))
    _, plain, _ = _run_check(capsys, monkeypatch, tmp_path, "某镇", "--format", "json")
    assert len(report) == len([d for d in plain if d["severity"] != "info"]) > 0
    assert len({i["fingerprint"] for i in report}) == len(report)
    by_rule = {i["check_name"]: i for i in report}
    ph = by_rule["content.placeholder"]
    assert ph["location"]["path"] == "某镇/03-整改措施.md" and ph["location"]["lines"]["begin"] == 5
    assert ph["severity"] == "major" and "XX" in ph["description"]
    assert by_rule["typography.halfwidth-punct"]["severity"] in ("major", "minor")
    assert "structure.section" in by_rule  # the missing 存在的问题
    assert folder.is_dir()


def test_sarif_report_is_valid_sarif_2_1_0(tmp_path, capsys, monkeypatch):
    _faulty(tmp_path)
    code, log, _ = _run_check(capsys, monkeypatch, tmp_path, "某镇", "--format", "sarif")
    assert code == 1
    schema = json.loads((SCHEMAS / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    _, plain, _ = _run_check(capsys, monkeypatch, tmp_path, "某镇", "--format", "json")
    assert len(run["results"]) == len(plain)
    for result in run["results"]:
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    (ph,) = [r for r in run["results"] if r["ruleId"] == "content.placeholder"]
    loc = ph["locations"][0]["physicalLocation"]
    assert loc["region"]["startLine"] == 5 and ph["level"] == "error"
    # URIs are percent-encoded and relative to %SRCROOT%, the working directory.
    assert loc["artifactLocation"]["uri"].startswith("%E6%9F%90%E9%95%87/")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_findings_carry_page_and_line_in_both_reports(tmp_path, capsys, monkeypatch):
    lines = material_lines(tmp_path)
    lines[4] = lines[4].replace("如，", "如，XX同志", 1)
    pdf = convert(make_docx(lines, tmp_path / "来文.docx"), "pdf", tmp_path)
    _, log, _ = _run_check(capsys, monkeypatch, tmp_path, pdf.name, "--format", "sarif")
    jsonschema.Draft4Validator(json.loads((SCHEMAS / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))).validate(log)
    (ph,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "content.placeholder" and "XX" in r["message"]["text"]]
    assert re.search(r"（第1页第\d+行）", ph["message"]["text"])
    _, report, _ = _run_check(capsys, monkeypatch, tmp_path, pdf.name, "--format", "codeclimate")
    assert any(re.search(r"第1页第\d+行", i["description"]) for i in report)


# --- the GitLab CI template --------------------------------------------------------------

VAR = re.compile(r'\$(\w+)|"([^"]*)"')


def _rule_holds(expr: str, env: dict) -> bool:
    """GitLab `rules: if:` as the template uses it: `$A == "text"` or `$A == $B`."""
    left, right = (s.strip() for s in expr.split("=="))

    def value(side: str) -> str:
        m = VAR.fullmatch(side)
        return env.get(m.group(1), "") if m.group(1) else m.group(2)

    return value(left) == value(right)


def _jobs_for(ci: dict, env: dict) -> list[tuple[str, dict]]:
    stages = ci["stages"]
    jobs = [(name, job) for name, job in ci.items() if isinstance(job, dict) and "script" in job]
    jobs = [(n, j) for n, j in jobs if any(_rule_holds(r["if"], env) for r in j.get("rules", [{"if": '"a" == "a"'}]))]
    return sorted(jobs, key=lambda nj: stages.index(nj[1]["stage"]))


def _run_job(ci: dict, job: dict, project: Path, env: dict) -> subprocess.CompletedProcess:
    lines = ci.get("default", {}).get("before_script", []) + job["script"]
    job_env = {**os.environ, **{k: str(v) for k, v in ci.get("variables", {}).items()},
               **{k: str(v) for k, v in job.get("variables", {}).items()}, **env}
    # As GitLab's shell executor: the lines in order in one shell, stopping at the first failure.
    return subprocess.run(["bash", "-e", "-c", "\n".join(lines)], cwd=project, env=job_env,
                          capture_output=True, text=True, timeout=600, check=False)


def _ci_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    docs = tmp_path / "docs-src"
    docs.mkdir()
    shutil.copy2(REPO / "docs" / "index.md", docs / "index.md")
    shutil.copytree(REPO / "docs" / "示例-2024-青禾镇党委", docs / "示例-2024-青禾镇党委")
    copy_project(project, docs)
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(REPO / name, project / name)
        # The .venv below is the project's own, set up already: `make setup` has nothing to do.
        stamp = (REPO / ".venv" / ".stamp").stat().st_mtime
        os.utime(project / name, (stamp - 1, stamp - 1))
    shutil.copytree(REPO / "deploy", project / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "deploy" / "gitlab-ci.yml", project / ".gitlab-ci.yml")
    (project / ".venv").symlink_to(REPO / ".venv")
    (project / ".gitignore").write_text(".venv\nsite/\ngl-code-quality-report.json\n", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "materials"], cwd=project, check=True)
    return project


@pytest.mark.slow
def test_gitlab_ci_template_jobs_run_in_order(tmp_path):
    if not (REPO / ".venv" / ".stamp").is_file():
        pytest.skip("needs the project's .venv (make setup)")
    ci = yaml.safe_load((REPO / "deploy" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    project = _ci_project(tmp_path)
    base = {"CI": "true", "CI_DEFAULT_BRANCH": "main", "CI_PROJECT_DIR": str(project), "PUBLISH_PUSH": "0"}

    # A merge request: check (with the code-quality report), then the strict build.
    mr = {**base, "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_ID": "7"}
    jobs = _jobs_for(ci, mr)
    assert [n for n, _ in jobs] == ["check", "build"]
    for name, job in jobs:
        done = _run_job(ci, job, project, mr)
        assert done.returncode == 0, f"{name}: {done.stdout}\n{done.stderr}"
    report = json.loads((project / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text(encoding="utf-8")))
    assert report == []  # the example material is clean
    assert (project / "site" / "index.html").is_file()

    # A merge request that brings a placeholder: check fails, and its report says where.
    idx = project / "docs" / "示例-2024-青禾镇党委" / "02-存在的问题.md"
    idx.write_text(idx.read_text(encoding="utf-8").replace("如，", "如，XX", 1), encoding="utf-8")
    done = _run_job(ci, ci["check"], project, mr)
    assert done.returncode == 1
    report = json.loads((project / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [i["check_name"] for i in report] == ["content.placeholder"]
    assert report[0]["location"]["path"] == "docs/示例-2024-青禾镇党委/02-存在的问题.md"
    assert _run_job(ci, ci["build"], project, mr).returncode != 0  # strict build fails too
    subprocess.run(["git", "checkout", "--", "."], cwd=project, check=True)

    # The default branch: strict build, then publish with mike onto site-pages.
    main_env = {**base, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main",
                "PUBLISH_VERSION": "2025-01", "PUBLISH_TITLE": "定稿"}
    jobs = _jobs_for(ci, main_env)
    assert [n for n, _ in jobs] == ["build", "publish"]
    for name, job in jobs:
        done = _run_job(ci, job, project, main_env)
        assert done.returncode == 0, f"{name}: {done.stdout}\n{done.stderr}"
    versions = json.loads(subprocess.run(["git", "show", "site-pages:versions.json"], cwd=project, check=True,
                                         capture_output=True, text=True).stdout)
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [("2025-01", "定稿", ["latest"])]
