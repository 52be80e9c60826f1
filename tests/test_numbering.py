"""Numbering: computed numbers, typed numbers recognised and replaced (never doubled), fmt."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongwen.numbering import number_source, to_markdown, to_text
from gongwen.numerals import from_cn, number_label, to_cn
from gongwen.read import load
from gongwen.read.markdown import parse_markdown

from .conftest import SEED_DIR

GONGWEN = [sys.executable, "-m", "gongwen.cli"]


def test_chinese_numerals_up_to_ninety_nine():
    assert [to_cn(n) for n in (1, 10, 11, 20, 21, 99)] == ["一", "十", "十一", "二十", "二十一", "九十九"]
    assert all(from_cn(to_cn(n)) == n for n in range(1, 120))
    assert [number_label(lv, 12) for lv in (1, 2, 3, 4)] == ["十二、", "（十二）", "12.", "（12）"]


def test_seed_is_numbered_in_order_across_section_files():
    text = to_text(load(SEED_DIR))
    lines = text.splitlines()
    heads = [ln[:12] for ln in lines if re.match(r"^[一二三]、", ln)]
    assert heads == ["一、存在的问题", "二、原因剖析", "三、整改措施"]
    assert lines[3].startswith("（一）在理论学习方面。一是理论学习不深不透。")
    assert "二是指导实践力度有待提升。" in lines[3]
    assert lines[8].startswith("（六）在廉洁自律方面。一是落实全面从严治党主体责任不够严格。")
    assert lines[10].startswith("（一）政治站位不够高。有时存在")


def write_material(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


INDEX = "---\ntype: 2023-zhuti-jiaoyu-banzi\n状态: 草稿\n---\n\n# 某镇领导班子对照检查材料\n\n现对照检查如下：\n"


@pytest.mark.parametrize("typed_heading, typed_point", [
    ("（一）", "一是"), ("(一)", "一是，"), ("（一）、", "一是："),
])
def test_typed_numbers_are_replaced_not_doubled(tmp_path, typed_heading, typed_point):
    mat_dir = write_material(tmp_path / "m", {
        "index.md": INDEX,
        "1.md": f"# 一、存在的问题\n\n## {typed_heading}在理论学习方面\n\n{typed_point}**学习不深。**如，全年只学了3次。\n\n"
                "**二是学风不实。**例如，调研报告照抄照搬。\n",
        "2.md": "# 原因剖析\n\n## 1、政治站位不够高\n\n有时存在“事务”心理。\n\n### （1）学习不够\n\n正文。\n",
    })
    mat = load(mat_dir)
    out = to_text(mat)
    assert "一、存在的问题" in out and "一、一、" not in out
    assert "（一）在理论学习方面。一是学习不深。" in out
    assert "（一）（一）" not in out and "一是一是" not in out and "一是，" not in out
    # The second point's bold lead held a typed 二是 inside the bold: it must not double either.
    assert out.count("二是") == 1
    assert "二、原因剖析" in out and "（一）政治站位不够高" in out and "1、" not in out
    # Rendering a source file for the site replaces typed numbers the same way.
    f1 = str(mat_dir / "1.md")
    rendered = number_source((mat_dir / "1.md").read_text(encoding="utf-8"), f1, mat, slugify=lambda s: "x")
    assert rendered.startswith("# 一、存在的问题 {#x}")
    assert "## （一）在理论学习方面 {#x}" in rendered
    assert "一是**学习不深。**" in rendered and "一是一是" not in rendered


@pytest.mark.parametrize("style", ["一、", "（一）", "1.", "1、", "（1）", "一是"])
def test_each_manual_style_is_recognised_once(tmp_path, style):
    heading_levels = {"一、": 1, "（一）": 2, "1.": 3, "1、": 3, "（1）": 4}
    if style == "一是":
        body = "# 存在的问题\n\n## 在理论学习方面\n\n一是学习不深。如，全年只学了3次。\n"
    else:
        level = heading_levels[style]
        parents = "".join(f"{'#' * lv} 上级{lv}\n\n" for lv in range(1, level))
        body = f"{parents}{'#' * level} {style}标题甲\n\n正文。\n"
    mat = load(write_material(tmp_path / "m", {"index.md": INDEX, "1.md": body}))
    md = to_markdown(mat)
    label = style if style != "1、" else "1."
    assert md.count(label + ("学习不深" if style == "一是" else "标题甲")) == 1 or \
        md.count(f"{label}**学习不深。**") == 1
    assert (style * 2) not in md


def test_number_is_idempotent_on_seed(tmp_path):
    once = subprocess.run(GONGWEN + ["number", str(SEED_DIR)], capture_output=True, text=True, check=True).stdout
    (tmp_path / "n.md").write_text(once, encoding="utf-8")
    twice = subprocess.run(GONGWEN + ["number", str(tmp_path / "n.md")], capture_output=True, text=True, check=True).stdout
    assert once == twice
    assert "## 一、存在的问题" in once and "### （一）在理论学习方面" in once
    assert "一是**理论学习不深不透。**" in once
    assert "乡镇\\*个村级党组织" in once  # the redaction star survives as a star


def test_fmt_removes_typed_numbers_and_nothing_else(tmp_path):
    original = ("---\n状态: 草稿\n---\n\n# 三、整改措施\n\n## （一）强化理论武装\n\n"
                "一是**坚持学习。**每月集中学习1次，全年不少于12次。\n\n**落实制度。**严格执行“三会一课”。\n")
    folder = write_material(tmp_path / "m", {"index.md": INDEX, "3.md": original.replace("\n", "\r\n")})
    check = subprocess.run(GONGWEN + ["fmt", "--check", str(folder)], capture_output=True, text=True)
    assert check.returncode == 1 and "3.md" in check.stderr
    assert (folder / "3.md").read_bytes() == original.replace("\n", "\r\n").encode()  # --check writes nothing
    subprocess.run(GONGWEN + ["fmt", "--write", str(folder)], capture_output=True, text=True, check=True)
    expected = original.replace("# 三、整改措施", "# 整改措施").replace("## （一）强化", "## 强化") \
        .replace("一是**坚持", "**坚持")
    assert (folder / "3.md").read_bytes() == expected.replace("\n", "\r\n").encode()
    again = subprocess.run(GONGWEN + ["fmt", "--check", str(folder)], capture_output=True, text=True)
    assert again.returncode == 0
    # Content is otherwise untouched, and numbering still produces the same numbered text.
    assert "一、整改措施" in to_text(parse_markdown(folder))


def test_label_style_comes_from_the_schema(tmp_path):
    from dataclasses import replace

    from gongwen.schema import load_schema

    mat = load(write_material(tmp_path / "m", {
        "index.md": INDEX,
        "1.md": "# 存在的问题\n\n## 在理论学习方面\n\n### 学习不深\n\n**学得不深。**如，全年只学了3次。\n\n"
                "**学得不实。**如，笔记照抄。\n\n### 学用脱节\n\n正文。\n",
    }))
    base = load_schema("2023-zhuti-jiaoyu-banzi")
    assert "1.学习不深" in to_text(mat, base) and "一是学得不深。" in to_text(mat, base)
    styled = replace(base, numbering={**base.numbering, "levels": ["一、", "（一）", "1、", "（1）"], "points": "第一是"})
    out = to_text(mat, styled)
    assert "1、学习不深" in out and "2、学用脱节" in out
    assert "第一是学得不深。" in out and "第二是学得不实。" in out


def test_numbers_reach_the_search_index(built_site):
    from gongwen.site.search_shards import load_built

    built = load_built(built_site)
    index = built["titles"] + "\n" + built["text"]
    assert "一、存在的问题" in index and "（一）在理论学习方面" in index
    assert "一是理论学习不深不透。" in index
