"""`gongwen check` as a user runs it: the acceptance criteria of issue 3, output formats, exit codes,
and use from pre-commit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from .conftest import CLEAN, REPO, SEED_DIR, SEED_TXT, make_docx, write_material

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>错误|警告|提示) (?P<rule>\S+) (?P<msg>.+)$")


def gongwen(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gongwen.cli", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or REPO, check=False)


def parsed(out: str) -> list[dict]:
    rows = []
    for line in out.splitlines():
        m = LINE.match(line)
        assert m, f"不是 path:line:col 格式：{line}"
        rows.append(m.groupdict())
    return rows


def as_json(*args) -> tuple[int, list[dict]]:
    res = gongwen(*args, "--format", "json")
    return res.returncode, json.loads(res.stdout)


def test_seed_text_acceptance():
    res = gongwen(SEED_TXT)
    assert res.returncode == 1
    rows = parsed(res.stdout)
    assert any(r["rule"] == "meta.type" and "2023年主题教育" in r["msg"] and "领导班子" in r["msg"] for r in rows)
    assert [int(r["line"]) for r in rows if r["rule"] == "content.residue"] == [8, 23]
    assert "##paidbegin##" in next(r["msg"] for r in rows if r["rule"] == "content.residue")
    stars = Counter(int(r["line"]) for r in rows if r["rule"] == "content.placeholder")
    assert stars == {6: 4, 7: 1, 9: 1, 10: 1}  # every * of the seed, and nothing else
    assert not [r for r in rows if r["rule"].startswith("structure.")]
    # Sorted by file and line.
    assert [int(r["line"]) for r in rows] == sorted(int(r["line"]) for r in rows)


def test_same_text_as_docx_gives_the_same_findings(tmp_path):
    lines = SEED_TXT.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline is not a paragraph
    docx = make_docx(lines, tmp_path / "2023-zhuti-jiaoyu-banzi.docx")
    _, from_txt = as_json(SEED_TXT)
    code, from_docx = as_json(docx)
    assert code == 1
    key = lambda d: (d["rule"], d["line"], d["column"], d["severity"], d["message"])
    assert sorted(map(key, from_docx)) == sorted(map(key, from_txt))
    assert {(d["rule"], d["line"]) for d in from_docx if d["rule"] == "content.residue"} == {
        ("content.residue", 8), ("content.residue", 23)}


def test_gbk_markdown_is_one_clear_error_exit_2(tmp_path):
    path = tmp_path / "对照检查材料.md"
    text = "---\ntype: 2023-zhuti-jiaoyu-banzi\n状态: 草稿\n---\n\n# 2023年主题教育专题民主生活会对照检查材料\n\n现对照检查如下：\n"
    path.write_bytes(text.encode("gbk"))
    res = gongwen(path)
    assert res.returncode == 2
    out = res.stdout.strip().splitlines()
    assert len(out) == 1
    assert "编码" in out[0] and "GBK" in out[0] and "iconv" in out[0] and "UTF-8" in out[0]
    assert "无法读取" in res.stderr


def test_gbk_section_file_in_a_folder_material_is_exit_2(tmp_path):
    folder = write_material(tmp_path)
    (folder / "02-原因剖析.md").write_bytes(CLEAN["02-原因剖析.md"].encode("gbk"))
    res = gongwen(folder)
    assert res.returncode == 2
    assert len(res.stdout.strip().splitlines()) == 1 and "02-原因剖析.md" in res.stdout


def test_gbk_text_is_read_with_a_note(tmp_path):
    path = tmp_path / "来文.txt"
    path.write_bytes(SEED_TXT.read_text(encoding="utf-8").encode("gb18030"))
    code, diags = as_json(path)
    assert code == 1
    notes = [d for d in diags if d["rule"] == "input.encoding"]
    assert len(notes) == 1 and notes[0]["severity"] == "info" and "GBK" in notes[0]["message"]
    assert sorted(d["line"] for d in diags if d["rule"] == "content.residue") == [8, 23]


def test_json_output_shape(tmp_path):
    code, diags = as_json(SEED_TXT)
    assert code == 1 and isinstance(diags, list) and diags
    for d in diags:
        assert {"path", "line", "column", "rule", "severity", "message"} <= set(d)
        assert d["severity"] in {"error", "warning", "info"}
        assert isinstance(d["line"], int) and isinstance(d["column"], int)


def test_exit_codes(tmp_path):
    assert gongwen(write_material(tmp_path / "clean")).returncode == 0
    # The seed draft has only notes (its * are info in a 草稿) …
    draft = gongwen(SEED_DIR)
    assert draft.returncode == 0 and "提示 content.placeholder" in draft.stdout
    # … and fails when checked as a 定稿.
    assert gongwen(SEED_DIR, "--stage", "定稿").returncode == 1
    warned = write_material(tmp_path / "warn", {"02-原因剖析.md": CLEAN["02-原因剖析.md"].replace("是到位的，", "是到位的,")})
    assert gongwen(warned).returncode == 1
    assert gongwen(tmp_path / "不存在.txt").returncode == 2
    assert gongwen(SEED_TXT, "--stage", "送审稿").returncode == 2
    (tmp_path / "empty").mkdir()
    assert gongwen(tmp_path / "empty").returncode == 2


def test_type_option_overrides_detection():
    code, diags = as_json(SEED_TXT, "--type", "2023-minzhu-shenghuohui-banzi")
    assert code == 1
    assert any(d["rule"].startswith("structure.aspect") and d["severity"] == "error" for d in diags)
    assert not any(d["rule"] == "meta.type" for d in diags)


def test_files_of_a_folder_material_check_the_material_once(tmp_path):
    # What pre-commit passes when two section files of a material changed.
    folder = write_material(tmp_path, {"02-原因剖析.md": CLEAN["02-原因剖析.md"].replace("是到位的，", "是到位的,")})
    res = gongwen(folder / "02-原因剖析.md", folder / "index.md", folder / "03-整改措施.md")
    assert res.returncode == 1
    assert "检查了 1 份材料" in res.stderr
    rows = parsed(res.stdout)
    assert [(Path(r["path"]).name, r["rule"]) for r in rows] == [("02-原因剖析.md", "typography.halfwidth-punct")]


def test_markdown_that_is_not_a_material_is_skipped(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# 使用说明\n\n运行 gongwen check docs/ 检查全部材料。\n", encoding="utf-8")
    res = gongwen(readme, REPO / "docs" / "index.md")
    assert res.returncode == 0
    assert [r["rule"] for r in parsed(res.stdout)] == ["meta.field", "meta.field"]
    assert "不是材料" in res.stdout


def test_single_file_material_with_front_matter_is_checked(tmp_path):
    path = tmp_path / "个人对照检查材料.md"
    path.write_text("---\ntype: 2023-zhuti-jiaoyu-geren\nyear: 2023\nunit: 某镇\n密级: 内部\n状态: 定稿\n---\n\n"
                    "# 张三同志2023年主题教育专题民主生活会个人对照检查材料\n\n现对照检查如下：\n\n## 存在的问题\n\n"
                    "### 在理论学习方面\n\n**理论学习不深不透。**如，全年自学仅8次。\n", encoding="utf-8")
    code, diags = as_json(path)
    assert code == 1
    assert any(d["rule"] == "structure.section" and "原因剖析" in d["message"] for d in diags)


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "gongwen-check")
    assert hook["entry"] == "gongwen check"
    assert hook.get("pass_filenames", True) is True and hook["require_serial"] is True
    pattern = re.compile(hook["files"])
    for name in ("docs/材料/01-存在的问题.md", "来文/对照检查.txt", "来文/对照检查.docx"):
        assert pattern.search(name)
    assert not pattern.search("mkdocs.yml") and not pattern.search("材料.doc")


def test_output_piped_into_a_reader_that_stops_early_is_no_traceback():
    # `gongwen check docs --format json | head`: head exits before gongwen writes.
    proc = subprocess.Popen([sys.executable, "-m", "gongwen.cli", "check", str(REPO / "docs"), "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err
