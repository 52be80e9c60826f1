"""What units send is untrusted: each hostile file made in the test, through the intake
(`gongwen check`, `gongwen ledger import`) and the review batch (`gongwen review`)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from gongwen.review import review

from .conftest import REPO
from .hostile_files import (
    XLSX_SHEET,
    docx_with_entity,
    make_docx,
    run_measured,
    truncated,
    with_member,
    xlsx_ledger,
    xlsx_with_entity,
    zip_bomb,
)
from .review_files import material_lines

FIXTURES = REPO / "tests" / "fixtures" / "review"
GONGWEN = str(Path(sys.executable).with_name("gongwen"))
MEMORY_MB = 500


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("plain")
    return {"docx": make_docx(material_lines(tmp), tmp / "plain.docx"), "xlsx": xlsx_ledger(tmp / "plain.xlsx")}


def _hostile(kind: str, case: str, plain: dict[str, Path], tmp: Path) -> Path:
    dest = tmp / f"{case}.{kind}"
    if case in ("entity", "laughs"):
        laughs = case == "laughs"
        return (docx_with_entity(material_lines(tmp), dest, laughs=laughs) if kind == "docx"
                else xlsx_with_entity(dest, laughs=laughs))
    if case == "bomb":
        return zip_bomb(plain[kind], dest, "word/document.xml" if kind == "docx" else XLSX_SHEET)
    return truncated(plain[kind], dest)


def _command(kind: str, path: Path, tmp: Path) -> list[str]:
    if kind == "docx":
        return [GONGWEN, "check", str(path)]
    return [GONGWEN, "ledger", "import", str(path), "-o", str(tmp / "清单.md")]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("case, words", [("entity", "DOCTYPE"), ("laughs", "DOCTYPE"), ("bomb", "压缩炸弹"),
                                         ("truncated", "不是完整的 zip 包")])
def test_hostile_package_is_refused_in_chinese_with_bounded_memory(kind, case, words, plain, tmp_path):
    path = _hostile(kind, case, plain, tmp_path)
    start = time.monotonic()
    proc, peak = run_measured(_command(kind, path, tmp_path))
    took = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert words in out and str(path) in out, out
    assert "Traceback" not in out and "root:" not in out  # no traceback, nothing of /etc/passwd
    assert not (tmp_path / "清单.md").exists()  # nothing half-written
    assert peak < MEMORY_MB and took < 30, (peak, took)


def test_plain_packages_still_read(plain, tmp_path):
    """The guard refuses only what is hostile: the same files made honestly are read."""
    proc, _ = run_measured(_command("docx", plain["docx"], tmp_path))
    assert proc.returncode in (0, 1) and "input." not in proc.stdout, proc.stdout + proc.stderr
    proc, _ = run_measured(_command("xlsx", plain["xlsx"], tmp_path))
    assert proc.returncode == 0 and "中心组专题学习" in (tmp_path / "清单.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_review(tmp_path_factory, plain):
    """One INBOX of everything hostile next to clean files, reviewed once."""
    tmp = tmp_path_factory.mktemp("hostile")
    box = tmp / "INBOX"
    box.mkdir()
    clean = sorted(FIXTURES.glob("*.txt"))
    shutil.copy2(clean[0], box / "甲镇党委.txt")
    shutil.copy2(clean[1], box / "甲镇党委 .txt")  # a space before the dot
    shutil.copy2(clean[2], box / "ABC.txt")
    shutil.copy2(clean[0], box / "ＡＢＣ.txt")  # full-width
    shutil.copy2(clean[1], box / "abc.txt")  # letter case
    for name in ("审核总览", "rules", "similar", "整改进度"):
        shutil.copy2(clean[2], box / f"{name}.txt")
    shutil.copy2(clean[0], box / "甲\n# 注入的标题\n乙.txt")  # a newline in the name
    outside = tmp / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text(clean[0].read_text(encoding="utf-8") + "OUTSIDE-MARK\n", encoding="utf-8")
    shutil.copy2(outside / "secret.txt", outside / "dir" / "x.txt")
    os.symlink(outside / "secret.txt", box / "link.txt")
    os.symlink(outside / "dir", box / "linkdir")
    (box / "链接材料").mkdir()  # a Markdown material folder with a link inside
    (box / "链接材料" / "index.md").write_text("---\ntype: x\n---\n\n# 标题\n", encoding="utf-8")
    os.symlink(outside / "secret.txt", box / "链接材料" / "01-问题.md")
    with_member(plain["docx"], box / "slip.docx", "../../../escaped.txt")
    docx_with_entity(material_lines(tmp), box / "entity.docx")
    zip_bomb(plain["docx"], box / "bomb.docx", "word/document.xml")
    truncated(plain["docx"], box / "cut.docx")
    before = {p for p in tmp.rglob("*")}
    out = tmp / "OUT"
    result = review(box, out, log=lambda _m: None)
    return {"tmp": tmp, "out": out, "rows": {r.file: r for r in result.rows}, "before": before}


def test_symlinks_are_listed_not_followed(hostile_review):
    rows, out = hostile_review["rows"], hostile_review["out"]
    for name in ("link.txt", "linkdir", "链接材料"):
        assert rows[name].status == "unreadable" and "符号链接" in rows[name].note and not rows[name].folder
    assert not any("OUTSIDE-MARK" in f.read_text(encoding="utf-8", errors="replace")
                   for f in (out / "docs").rglob("*.md"))
    assert "OUTSIDE-MARK" not in (out / "审核汇总.json").read_text(encoding="utf-8")


def test_names_that_meet_stay_two_materials_each_with_its_own_page(hostile_review):
    rows, out = hostile_review["rows"], hostile_review["out"]
    groups = [("甲镇党委.txt", "甲镇党委 .txt"), ("ABC.txt", "ＡＢＣ.txt", "abc.txt")]
    for group in groups:
        folders = [rows[f].folder for f in group]
        pages = [rows[f].page for f in group]
        assert len(set(folders)) == len(group) and len(set(pages)) == len(group), folders
        # no two differ only in case either: each survives a case-insensitive file system
        assert len({f.casefold() for f in folders}) == len(group)
        titles = {(out / "docs" / rows[f].folder / "index.md").read_text(encoding="utf-8").split("\n# ", 1)[1]
                  .split("\n", 1)[0] for f in group}
        assert len(titles) == len({rows[f].title for f in group})  # each folder holds its own file's text


def test_files_named_like_the_sites_own_pages_do_not_replace_them(hostile_review):
    rows = hostile_review["rows"]
    for name in ("审核总览", "rules", "similar", "整改进度"):
        assert rows[f"{name}.txt"].folder not in ("", name), rows[f"{name}.txt"].folder


def test_package_hostiles_become_rows_and_nothing_is_written_outside_out(hostile_review):
    rows, tmp = hostile_review["rows"], hostile_review["tmp"]
    assert "DOCTYPE" in rows["entity.docx"].note and rows["entity.docx"].status == "unreadable"
    assert "压缩炸弹" in rows["bomb.docx"].note
    assert "zip" in rows["cut.docx"].note
    assert rows["slip.docx"].status == "checked"  # a `../` member is never extracted anywhere
    new = {p for p in tmp.rglob("*")} - hostile_review["before"]
    assert new and all(p.is_relative_to(hostile_review["out"]) for p in new), sorted(new)[:5]
    assert not list(tmp.parent.rglob("escaped.txt"))


def test_newline_in_a_name_does_not_inject_a_heading(hostile_review):
    from gongwen.review.page import findings_markdown

    row = hostile_review["rows"]["甲\n# 注入的标题\n乙.txt"]
    text = findings_markdown(row, None, "../")
    assert [line for line in text.splitlines() if line.startswith("#")] == [line for line in text.splitlines()
                                                                              if line.startswith("# 审核意见")]
    assert "\\# 注入的标题" in text


def test_summary_json_and_rows_agree_after_the_hostile_batch(hostile_review):
    data = json.loads((hostile_review["out"] / "审核汇总.json").read_text(encoding="utf-8"))
    assert {r["file"] for r in data["rows"]} == set(hostile_review["rows"])
