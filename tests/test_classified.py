"""security.classified: a state-secret mark in any file stops every build and every import,
in every stage, with no way to suppress it; words in running text are not marks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from gongwen.check.secrecy import mark_level, marks_in_lines
from gongwen.cli import main as gongwen

from .conftest import (
    REPO,
    build_site,
    check_path,
    copy_project,
    free_port,
    make_docx,
    of_rule,
    wait_for,
    write_material,
)

TITLE = "某镇党委2023年主题教育专题民主生活会领导班子对照检查材料"
SECTION = "docs/seed-copy/01-存在的问题.md"


@pytest.mark.parametrize("line", ["秘密★1年", "机密★10年", "绝密", "秘密★6个月", "机密★", "绝密★长期", "秘　密",
                                  "**机密★5年**", "机密★1年　特急"])
def test_gbt9704_marks_are_recognised(line):
    assert mark_level(line) in ("秘密", "机密", "绝密")


@pytest.mark.parametrize("line", ["保守秘密", "机密文件管理", "严守党和国家秘密。", "秘密工作要求", "工作秘密", "密级：内部"])
def test_words_in_running_text_are_not_marks(line):
    assert mark_level(line) == ""


@pytest.mark.parametrize("field", ["密级: 秘密", "密级：机密", "密级：秘密★1年", "'密级': \"绝密\"", "classification: 机密",
                                   "Classification: 秘密★6个月"])
def test_front_matter_fields_in_any_spelling(field):
    found = marks_in_lines("a.md", ["---", "title: 某文件", field, "---", "", "正文"])
    assert [(m.line, m.text) for m in found] == [(3, field)]


def test_internal_and_work_secret_fields_are_not_state_secrets():
    for value in ("内部", "工作秘密", "公开", ""):
        assert marks_in_lines("a.md", ["---", f"密级: {value}", "---", "保守秘密是每个党员的义务。"]) == []


# --- the checker: every file of a material, every stage, no suppression ----------------------

@pytest.mark.parametrize("stage", ["草稿", "征求意见稿", "定稿"])
def test_a_section_file_field_is_an_error_in_every_stage(tmp_path, stage):
    from .conftest import CLEAN

    folder = write_material(tmp_path, {"02-原因剖析.md": "---\n密级: 秘密\n---\n\n" + CLEAN["02-原因剖析.md"]}, stage=stage)
    found = of_rule(check_path(folder), "security.classified")
    assert [(Path(d.path).name, d.line, d.severity) for d in found] == [("02-原因剖析.md", 2, "error")]


def test_suppression_does_not_hide_it(tmp_path):
    from .conftest import CLEAN

    folder = write_material(tmp_path, {
        "index.md": "# " + TITLE + "\n\n导语。\n",
        "03-整改措施.md": "<!-- gongwen-disable-next-line security.classified -->\n机密★\n\n" + CLEAN["03-整改措施.md"]})
    index = folder / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("状态: 定稿", "状态: 定稿\ngongwen-disable: [security, all]"),
                     encoding="utf-8")
    found = of_rule(check_path(folder), "security.classified")
    assert [(Path(d.path).name, d.line, d.severity) for d in found] == [("03-整改措施.md", 2, "error")]


def test_received_text_and_word_files(tmp_path):
    txt = tmp_path / "来文.txt"
    txt.write_bytes(f"机密★5年\n{TITLE}\n一、存在的问题\n".encode("gb18030"))
    assert [(d.line, d.severity) for d in of_rule(check_path(txt), "security.classified")] == [(1, "error")]
    body = make_docx(["000123", "绝密★长期", TITLE, "一、存在的问题"], tmp_path / "来文.docx")
    assert [d.line for d in of_rule(check_path(body), "security.classified")] == [2]
    from docx import Document

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "秘密★1年"
    doc.add_paragraph(TITLE)
    doc.save(tmp_path / "页眉.docx")
    assert of_rule(check_path(tmp_path / "页眉.docx"), "security.classified")
    clean = make_docx([TITLE, "一、存在的问题", "（一）在理论学习方面。一是保守秘密意识不强。如，机密文件管理有漏洞。"], tmp_path / "ok.docx")
    assert of_rule(check_path(clean), "security.classified") == []


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_import_writes_nothing_and_fails(tmp_path, capsys, suffix):
    lines = ["秘密★1年", TITLE, "一、存在的问题", "（一）在理论学习方面。一是学习不深。如，全年集中学习3次。"]
    src = tmp_path / f"来文{suffix}"
    if suffix == ".txt":
        src.write_text("\n".join(lines), encoding="utf-8")
    else:
        make_docx(lines, src)
    out = tmp_path / "out"
    assert gongwen(["import", str(src), "-o", str(out)]) == 2
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [src.name]
    err = capsys.readouterr().err
    assert "security.classified" in err and "未导入" in err and f"{src.name}:1:" in err


# --- the site: make build, make publish's and make offline's strict build, make serve -----------

def _site(tmp_path: Path) -> Path:
    """The project with its own docs plus a copy of the seed material to mark."""
    copy_project(tmp_path)
    import shutil

    shutil.copytree(REPO / "docs" / "2023-zhuti-jiaoyu-banzi", tmp_path / "docs" / "seed-copy")
    return tmp_path


def _prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


CASES = {
    # root page with front matter: (file, edit, line)
    "root-page": ("docs/通知.md", lambda p: p.write_text("---\n密级: 秘密\n---\n\n# 通知\n\n请各支部做好准备。\n", encoding="utf-8"), 2),
    "section-front-matter": (SECTION, lambda p: _prepend(p, "---\n密级：秘密\n---\n\n"), 2),
    "mark-1-year": (SECTION, lambda p: _prepend(p, "秘密★1年\n\n"), 1),
    "mark-10-years": ("docs/seed-copy/index.md", lambda p: p.write_text(
        p.read_text(encoding="utf-8").replace("---\n\n#", "---\n\n机密★10年\n\n#", 1), encoding="utf-8"), None),
    "mark-bare": ("docs/附件.txt", lambda p: p.write_text("绝密\n\n某县关于……的通报\n", encoding="utf-8"), 1),
    "mark-6-months": (SECTION, lambda p: _prepend(p, "**秘密★6个月**\n\n"), 1),
    "mark-no-period": (SECTION, lambda p: _prepend(p, "机密★\n\n"), 1),
}


@pytest.mark.parametrize("case", CASES)
def test_every_case_stops_the_build(tmp_path, caplog, case):
    root = _site(tmp_path)
    rel, edit, line = CASES[case]
    edit(root / rel)
    with pytest.raises(Abort):
        build_site(root, strict=False)
    messages = "\n".join(r.getMessage() for r in caplog.records)
    where = rel.removeprefix("docs/")
    if line is None:
        line = (root / rel).read_text(encoding="utf-8").split("\n").index("机密★10年") + 1
    assert f"security.classified {where}:{line}：" in messages, messages
    assert not (root / "site").exists() or not list((root / "site").rglob("*.html"))


def test_a_marked_file_in_a_linked_folder_stops_the_build(tmp_path, caplog):
    """The site engine follows symbolic links into folders; the secrecy scan follows them too."""
    root = _site(tmp_path)
    outside = tmp_path / "共享材料"
    outside.mkdir()
    (outside / "通报.md").write_text("机密★5年\n\n# 通报\n\n某县关于……的通报。\n", encoding="utf-8")
    (root / "docs" / "共享").symlink_to(outside, target_is_directory=True)
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert "security.classified 共享/通报.md:1：" in "\n".join(r.getMessage() for r in caplog.records)


def test_words_in_running_text_build(tmp_path):
    root = _site(tmp_path)
    # At the top of a file, where a mark would stand, but running text: no finding.
    _prepend(root / "docs/seed-copy/02-原因剖析.md", "机密文件管理制度执行不严，保守秘密意识有待加强。\n\n")
    (root / "docs" / "通知.md").write_text("---\n密级: 内部\n---\n\n# 通知\n\n严格机密文件管理。\n", encoding="utf-8")
    site = build_site(root, strict=False)
    assert (site / "seed-copy" / "index.html").is_file() and (site / "通知" / "index.html").is_file()


def test_offline_bundle_stops(tmp_path):
    root = _site(tmp_path)
    _prepend(root / SECTION, "机密★\n\n")
    out = tmp_path / "dist" / "x.zip"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGWEN_", "MIKE_"))}
    env["PYTHONPATH"] = str(REPO)
    p = subprocess.run([sys.executable, "-m", "deploy.offline", "--output", str(out)], cwd=root, env=env,
                       capture_output=True, text=True, timeout=300, check=False)
    assert p.returncode != 0 and not out.exists()
    assert "security.classified seed-copy/01-存在的问题.md:1：" in p.stdout + p.stderr


def test_preview_does_not_serve_the_page_and_shows_the_error(tmp_path):
    root = _site(tmp_path)
    _prepend(root / SECTION, "秘密★1年\n\n")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}/seed-copy/"
        page = wait_for(base + "01-%E5%AD%98%E5%9C%A8%E7%9A%84%E9%97%AE%E9%A2%98/", lambda p: "涉密" in p)
        assert "security.classified" in page
        secret_text = "理论学习不深不透"  # a lead sentence of the marked section
        assert secret_text not in page
        # The other pages of the material are withheld too; the rest of the site is served.
        assert secret_text not in wait_for(base, lambda p: "涉密" in p)
        home = wait_for(f"http://127.0.0.1:{port}/", lambda p: "示例" in p)
        assert "seed-copy" not in home
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "security.classified seed-copy/01-存在的问题.md:1：" in err
