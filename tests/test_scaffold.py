"""Structure before errors: `gongwen new TYPE DIR` writes the type's skeleton, `gongwen types
TYPE` prints its structure, and the rules page lists 方面 one per line."""

from __future__ import annotations

import subprocess
import sys

from gongwen.read import load
from gongwen.check.rules.docs import rules_page_markdown
from gongwen.schema import find_schema

from .conftest import check_path, of_rule

GONGWEN = [sys.executable, "-m", "gongwen.cli"]
TYPE = "2025-minzhu-shenghuohui-banzi"
ASPECTS_2025 = ["在带头强化政治忠诚、提高政治能力方面", "在带头固本培元、增强党性方面",
                "在带头敬畏人民、敬畏组织、敬畏法纪方面", "在带头干事创业、担当作为方面", "在带头坚决扛起管党治党责任方面"]


def _run(*args):
    return subprocess.run(GONGWEN + list(args), capture_output=True, text=True, check=False)


def test_new_writes_every_required_section_and_aspect_of_the_year(tmp_path):
    folder = tmp_path / "某镇党委"
    done = _run("new", TYPE, str(folder), "--unit", "某镇党委")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-存在的问题.md", "02-典型案例剖析.md", "03-原因剖析.md", "04-整改措施.md", "05-整改清单.md", "index.md"]
    mat = load(folder)
    assert mat.meta["type"] == TYPE and mat.meta["year"] == 2025 and mat.meta["unit"] == "某镇党委"
    assert mat.meta["状态"] == "草稿" and mat.meta["密级"] == "内部" and mat.meta.get("date")
    assert mat.title == "某镇党委2025年度民主生活会领导班子对照检查材料"
    assert [s.title for s in mat.sections] == ["存在的问题", "典型案例剖析", "原因剖析", "整改措施", "整改清单"]
    assert [c.title for c in mat.sections[0].children] == ASPECTS_2025
    # Headings only (and the ledger's header): the text is the writer's.
    assert [b for s in mat.walk() for b in s.blocks if s is not mat.sections[-1]] == []
    (table,) = mat.sections[-1].tables()
    assert [c.text for c in table.header] == ["序号", "问题", "整改措施", "责任领导", "责任人", "完成时限", "状态"]
    diags = check_path(folder)
    # Nothing about structure: no missing section or 方面 to learn from an error, no broken ledger.
    assert of_rule(diags, "structure.section") == [] and of_rule(diags, "structure.aspect") == []
    assert of_rule(diags, "ledger.columns") == [] and of_rule(diags, "meta") == []
    assert [d for d in diags if d.severity != "info"] == []


def test_new_refuses_a_folder_with_files_and_an_unknown_type(tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "笔记.md").write_text("已有的文件\n", encoding="utf-8")
    refused = _run("new", TYPE, str(folder))
    assert refused.returncode == 2 and "不是空文件夹" in refused.stderr and "Traceback" not in refused.stderr
    assert [p.name for p in folder.iterdir()] == ["笔记.md"]
    unknown = _run("new", "2026-xx", str(tmp_path / "新"))
    assert unknown.returncode == 2 and "未知的材料类型“2026-xx”" in unknown.stderr and TYPE in unknown.stderr
    assert not (tmp_path / "新").exists()


def test_types_prints_the_structure_one_item_a_line():
    out = _run("types", TYPE)
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    for n, aspect in zip("一二三四五", ASPECTS_2025):
        assert f"（{n}）{aspect}" in [line.strip() for line in lines]
    order = [line.strip().split("（")[0].split("；")[0] for line in lines if line.strip()[:2] in {f"{i}." for i in range(1, 10)}]
    assert order == ["1. 上年度整改落实情况", "2. 存在的问题", "3. 典型案例剖析", "4. 个人有关事项", "5. 原因剖析",
                     "6. 整改措施", "7. 整改清单"]
    assert "表格列：序号 | 问题 | 整改措施" in out.stdout
    by_name = _run("types", find_schema(TYPE).name)
    assert by_name.stdout == out.stdout


def test_rules_page_lists_aspects_one_per_line():
    page = rules_page_markdown()
    row = next(line for line in page.splitlines() if line.startswith("| `2024-minzhu-shenghuohui-banzi`"))
    aspects = row.split(" | ")[2].split("<br>")
    assert len(aspects) == len(find_schema("2024-minzhu-shenghuohui-banzi").aspects) > 1
    assert aspects[0].startswith("（一）") and aspects[1].startswith("（二）")
