"""Ledger references that cannot drift: a 方面 inserted above numbers written alone re-points
them; ledger.stale-reference says so (in every stage, naming both leads) and `gongwen fmt
--write` rewrites them into 编号：首句 for the problems they meant."""

from __future__ import annotations

import subprocess
import sys

from .conftest import CLEAN, check_path, of_rule, write_material

GONGWEN = [sys.executable, "-m", "gongwen.cli"]
POLITICS = ("## 在政治素质方面\n\n**执行民主集中制不够严格。**个别“三重一大”事项会前酝酿不充分。"
            "如，6月研究农贸市场改造项目时，会议材料会前1天才送达班子成员。\n\n")
HEAD = "# 整改清单\n\n| 问题 | 整改措施 | 责任领导 | 责任人 | 完成时限 | 状态 |\n| --- | --- | --- | --- | --- | --- |\n"
ROWS = [
    "| （一）一是 | 中心组每月专题研讨一次 | 党委书记 | 党政办主任陈某 | 2024年12月31日 | 已完成 |",
    "| 学用结合不够紧密 | 2个调研课题形成具体措施 | 党委副书记 | 组织委员刘某 | 2024年6月底前 | 已完成 |",
    "| （二）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 2024年底前 | 已完成 |",
    "| （三）一是 | 形成加装电梯协调方案 | 分管副镇长 | 城建办主任郑某 | 2024-04-30 | 已完成 |",
    "| （四）一是 | 调研必须入户，每次留调研记录 | 党委书记 | 班子成员 | 长期坚持 | 长期坚持 |",
    "| （五）一是 | 每半年到联系村开展1次廉政谈话 | 纪委书记 | 纪委副书记钱某 | 持续推进 | 推进中 |",
]
# What rows 3-6 meant when they were written (the 方面 政治素质 was still missing).
MEANT = {3: "破解发展难题的能力不强。", 4: "直面矛盾的担当不够。", 5: "调查研究不够深入。", 6: "落实“一岗双责”有温差。"}


def _material(tmp_path, stage="草稿", project=True):
    if project:  # a git work tree: where the memory lives
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    without = CLEAN["01-存在的问题.md"].replace(POLITICS, "")
    assert without != CLEAN["01-存在的问题.md"]
    return write_material(tmp_path, {"01-存在的问题.md": without, "04-整改清单.md": HEAD + "\n".join(ROWS) + "\n"},
                          stage=stage)


def _insert_the_missing_aspect(folder):
    (folder / "01-存在的问题.md").write_text(CLEAN["01-存在的问题.md"], encoding="utf-8")


def test_inserting_an_aspect_reports_every_row_that_re_pointed(tmp_path):
    folder = _material(tmp_path)
    assert of_rule(check_path(folder), "ledger.stale-reference") == []  # first check: remembered, nothing to say
    _insert_the_missing_aspect(folder)
    for stage in ("草稿", "征求意见稿", "定稿"):
        found = of_rule(check_path(folder, stage=stage), "ledger.stale-reference")
        # Table line numbers: header on 3, delimiter 4, rows from 5 (row n of ROWS on 4 + n).
        assert {d.line: d.severity for d in found} == {4 + n: "warning" for n in MEANT}, stage
        for d in found:
            old = MEANT[d.line - 4]
            assert f"上次检查时指“{old}”" in d.message
            assert "04-整改清单.md" in d.path
        # Both leads: what （二）一是 meant, and what it names now.
        (second,) = [d for d in found if d.line == 7]
        assert "现在指“执行民主集中制不够严格。”" in second.message
        assert "原来的问题现在是 （三）一是：破解发展难题的能力不强" in second.hint
    # Reading does not forget: the warning stays until the cell is fixed.
    assert len(of_rule(check_path(folder), "ledger.stale-reference")) == 4


def test_fmt_write_cites_the_problems_the_numbers_meant(tmp_path):
    folder = _material(tmp_path)
    check_path(folder)
    _insert_the_missing_aspect(folder)
    check = subprocess.run(GONGWEN + ["fmt", "--check", str(folder)], capture_output=True, text=True, check=False)
    assert check.returncode == 1 and "整改清单中只写编号的问题 5 处" in check.stderr
    subprocess.run(GONGWEN + ["fmt", "--write", str(folder)], capture_output=True, text=True, check=True)
    ledger = (folder / "04-整改清单.md").read_text(encoding="utf-8")
    assert "| （一）一是：理论学习不深不透 | 中心组每月专题研讨一次 |" in ledger
    assert "| 学用结合不够紧密 | 2个调研课题" in ledger  # a lead is left as written
    assert "| （三）一是：破解发展难题的能力不强 | 建立项目包联制度 |" in ledger
    assert "| （四）一是：直面矛盾的担当不够 | 形成加装电梯协调方案 |" in ledger
    assert "| （五）一是：调查研究不够深入 | 调研必须入户" in ledger
    assert "| （六）一是：落实“一岗双责”有温差 | 每半年到联系村" in ledger
    diags = check_path(folder)
    assert of_rule(diags, "ledger.stale-reference") == []
    assert of_rule(diags, "ledger.unknown-problem") == []
    # Only the inserted problem has no measure yet: the rows kept their meaning.
    assert [d.message for d in of_rule(diags, "ledger.unmatched")] == [
        "问题 （二）一是“执行民主集中制不够严格。”在整改清单中没有对应的整改措施"]
    # Inserting yet another problem above now changes nothing in the ledger's meaning.
    again = subprocess.run(GONGWEN + ["fmt", "--check", str(folder)], capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr


def test_site_ledger_page_shows_each_rows_lead_and_which_numbers_moved(tmp_path):
    """A real site build: the 整改台账 page writes each row's number with the lead it resolves to,
    and, after the 方面 is inserted, says beside the re-pointed rows that their number moved."""
    import shutil

    from .conftest import REPO, build_site, copy_project

    docs = tmp_path / "src"
    docs.mkdir()
    shutil.copy2(REPO / "docs" / "index.md", docs / "index.md")
    _material(docs, project=False)
    (tmp_path / "site").mkdir()
    project = copy_project(tmp_path / "site", docs)  # the memory goes beside its mkdocs.yml
    folder = project / "docs" / "material"
    page = project / "site" / "整改台账" / "material" / "index.html"

    build_site(project, strict=False)
    first = page.read_text(encoding="utf-8")
    assert "<td>（二）一是：破解发展难题的能力不强</td><td>建立项目包联制度</td>" in first
    assert "编号已变" not in first
    _insert_the_missing_aspect(folder)
    build_site(project, strict=False)
    moved = page.read_text(encoding="utf-8")
    assert moved.count('class="gongwen-stale-note"') == 4
    assert (project / ".cache" / "ledger-refs").is_dir() and not list((project / "docs").rglob(".cache"))
    assert "（二）一是：执行民主集中制不够严格<br><small" in moved  # what the number names now …
    assert "编号已变：问题“（二）一是”上次检查时指“破解发展难题的能力不强。”" in moved  # … and what it meant


def test_numbers_renumbered_by_hand_are_trusted(tmp_path):
    """A writer who inserts the 方面 and renumbers the ledger themselves gets no warning, and
    fmt --write cites what they wrote (it does not put back what the old numbers meant)."""
    folder = _material(tmp_path)
    check_path(folder)
    _insert_the_missing_aspect(folder)
    ledger = folder / "04-整改清单.md"
    text = ledger.read_text(encoding="utf-8")
    for old, new in (("（五）一是", "（六）一是"), ("（四）一是", "（五）一是"), ("（三）一是", "（四）一是"),
                     ("（二）一是", "（三）一是")):
        text = text.replace(f"| {old} |", f"| {new} |")
    ledger.write_text(text, encoding="utf-8")
    assert of_rule(check_path(folder), "ledger.stale-reference") == []
    subprocess.run(GONGWEN + ["fmt", "--write", str(folder)], capture_output=True, text=True, check=True)
    assert "| （三）一是：破解发展难题的能力不强 | 建立项目包联制度 |" in ledger.read_text(encoding="utf-8")
