"""What units send runs nothing: the issue's three hostile files through `gongwen review`, its
workbench built and every page opened in chromium; the same texts through docs/ on the main
site's 雷同比对 and 整改台账 pages; no formula in any xlsx; OUT moved and built elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from gongwen.intake import load
from gongwen.intake.markdown import import_material
from gongwen.review import review

from .conftest import REPO, build_site, copy_project
from .hostile_files import (
    FORMULA_NAME,
    FORMULA_TEXTS,
    HYPERLINK_TITLE,
    SCRIPT_NAME,
    SCRIPT_TITLE_TAIL,
    hostile_txt,
)

FIXTURES = REPO / "tests" / "fixtures" / "review"
CLEAN = FIXTURES / "某乡党委.txt"
SAMPLE = REPO / "docs" / "示例-2024-青禾镇党委"


def _inbox(box: Path) -> Path:
    """The issue's INBOX: a clean material three times, under a script name, with a script at
    the end of its title, and under a formula name (its title a HYPERLINK formula)."""
    box.mkdir()
    shutil.copy2(CLEAN, box / SCRIPT_NAME)
    hostile_txt(CLEAN, box / "标题.txt", title_tail=SCRIPT_TITLE_TAIL)
    hostile_txt(CLEAN, box / FORMULA_NAME, title=HYPERLINK_TITLE + CLEAN.read_text(encoding="utf-8").split("\n", 1)[0])
    return box


@pytest.fixture(scope="module")
def workbench(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-workbench")
    out = tmp / "OUT"
    box = _inbox(tmp / "INBOX")
    md = box / "某镇党委"  # a Markdown material as a unit sends it: copied as it is, raw HTML and all
    md.mkdir()
    (md / "index.md").write_text('---\ntitle: "</title><script>alert(3)</script>"\n---\n\n'
                                 "# 某镇党委2023年主题教育专题民主生活会领导班子对照检查材料<img src=x onerror=alert(4)>\n\n"
                                 "按照要求<script>alert(5)</script>，现对照检查如下：`<b>代码</b>`\n", encoding="utf-8")
    review(box, out, log=lambda _m: None)
    build_site(out, strict=False)
    return out


def _hostile_ledger(dest: Path) -> Path:
    """The sample material with hostile text in its title and in ledger cells, as written by
    someone who pasted it (Markdown-escaped, the way `gongwen import` writes text)."""
    shutil.copytree(SAMPLE, dest)
    index = dest / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("（示例）\n", "（示例）&lt;script&gt;alert(2)&lt;/script&gt;\n", 1), encoding="utf-8")
    ledger = dest / "06-整改清单.md"
    rows = ledger.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(rows):
        if line.startswith("| 1 |"):
            cells = line.split(" | ")
            cells[2] = HYPERLINK_TITLE
            cells[4] = "&lt;img src=x onerror=alert(1)&gt;"
            rows[i] = " | ".join(cells)
        elif line.startswith("| 2 |"):
            cells = line.split(" | ")
            cells[2] = "=1+1"
            cells[4] = "@SUM(A1)"
            rows[i] = " | ".join(cells)
    ledger.write_text("\n".join(rows), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def main_site(tmp_path_factory) -> Path:
    """The project's site with docs/ holding the same hostile texts: the three received files
    imported (so 雷同比对 pairs them) and a material whose ledger cells are hostile."""
    tmp = tmp_path_factory.mktemp("hostile-main")
    box = _inbox(tmp / "INBOX")
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 材料库\n\n<!-- gongwen:materials -->\n", encoding="utf-8")
    for i, f in enumerate(sorted(box.iterdir())):  # the three received files
        import_material(load(f), docs / f"材料{i}", meta_overrides={"unit": f.stem})
    _hostile_ledger(docs / "示例")
    root = tmp / "site-project"
    root.mkdir()
    copy_project(root, docs)
    return build_site(root, strict=False)


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _no_formula(xlsx: Path) -> list[str]:
    ws = openpyxl.load_workbook(xlsx).active
    return [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_no_raw_markup_from_the_hostile_files_in_any_page(workbench, main_site):
    for site in (workbench / "site", main_site):
        for rel in _pages(site):
            html = (site / rel).read_text(encoding="utf-8")
            assert "<script>alert" not in html and "<img src=x" not in html, rel
    findings = (workbench / "site" / "审核意见" / "img-src=x-onerror=alert(1)" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in findings  # shown, as the reviewer needs to see it


def test_summary_xlsx_holds_the_formula_names_as_text(workbench):
    xlsx = workbench / "审核汇总.xlsx"
    assert _no_formula(xlsx) == []
    ws = openpyxl.load_workbook(xlsx).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert values.count(FORMULA_NAME) == 1 and values.count("=cmd") >= 2  # 文件; 单位 and 材料文件夹


def test_ledger_downloads_hold_no_formula(main_site):
    files = sorted(main_site.rglob("*.xlsx"))
    assert files
    for xlsx in files:
        assert _no_formula(xlsx) == [], xlsx


def test_ledger_xlsx_round_trips_formula_like_text_unchanged(tmp_path):
    """Every value a spreadsheet would evaluate, exported by `gongwen ledger` and read back by
    `gongwen ledger import`, comes back exactly as written."""
    mat = tmp_path / "m"
    shutil.copytree(SAMPLE, mat)
    ledger = mat / "06-整改清单.md"
    rows = ledger.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(rows) if line.startswith("| 1 |"))
    for n, text in enumerate(FORMULA_TEXTS):
        cells = rows[start + n].split(" | ")
        cells[2] = cells[5] = text.strip()  # a Markdown cell holds no tab or CR: those are tested below
        rows[start + n] = " | ".join(cells)
    ledger.write_text("\n".join(rows), encoding="utf-8")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "gongwen.cli", *map(str, args)], capture_output=True, text=True)

    first, back, again = tmp_path / "1.xlsx", tmp_path / "back.md", tmp_path / "2.xlsx"
    assert run("ledger", mat, "--to", "xlsx", "-o", first, "--today", "2025-05-01").returncode == 0
    assert _no_formula(first) == []
    sheet = [[c.value for c in r] for r in openpyxl.load_workbook(first).active.iter_rows(min_row=2)]
    measures = [r[3] for r in sheet]
    assert [t.strip() for t in FORMULA_TEXTS] == measures[:len(FORMULA_TEXTS)]
    imported = run("ledger", "import", first, "-o", back)
    assert imported.returncode == 0, imported.stderr
    (mat / "06-整改清单.md").write_text(back.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("ledger", mat, "--to", "xlsx", "-o", again, "--today", "2025-05-01").returncode == 0
    resheet = [[c.value for c in r] for r in openpyxl.load_workbook(again).active.iter_rows(min_row=2)]
    assert resheet == sheet


def test_out_names_no_path_of_this_machine_and_builds_after_moving(workbench, tmp_path):
    for name in ("mkdocs.yml", "Makefile"):
        text = (workbench / name).read_text(encoding="utf-8")
        assert str(REPO) not in text and str(workbench) not in text and "/" + "work" not in text, name
    moved = tmp_path / "另一台机器" / "审核结果"
    moved.parent.mkdir()
    shutil.copytree(workbench, moved, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    proc = subprocess.run(["make", "build", f"PYTHON={sys.executable}"], cwd=moved, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (moved / "site" / "审核总览" / "index.html").is_file()
    for folder in ("hooks", "overrides", "mkdocs.yml"):  # nothing read from the checkout's site config
        assert str(REPO / folder) not in proc.stdout + proc.stderr


def test_out_makefile_says_how_to_find_gongwen(workbench, tmp_path):
    proc = subprocess.run(["make", "build", "PYTHON=/nonexistent/python"], cwd=workbench, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode != 0 and "找不到装有 gongwen 的 Python" in proc.stderr


@pytest.mark.browser
@pytest.mark.parametrize("which", ["workbench", "main"])
def test_no_page_runs_a_script_in_chromium(which, workbench, main_site, browser, serve_dir):
    site = workbench / "site" if which == "workbench" else main_site
    pages = _pages(site)
    if which == "main":  # the pages the issue names, fed the hostile texts through docs/
        pages = [p for p in pages if p.startswith(("similar/", "整改台账/", "整改进度/", "材料", "示例/"))]
    assert len(pages) > 5
    base = serve_dir(site)
    dialogs, errors = [], []
    page = browser.new_page()
    page.on("dialog", lambda d: (dialogs.append((page.url, d.message)), d.dismiss()))
    page.on("pageerror", lambda e: errors.append((page.url, str(e))))

    def console(msg) -> None:
        # versions.json is the version selector's list, there only on a site published with mike;
        # any other failed load (an injected <img src=x>) or script error counts.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/versions.json"):
            errors.append((page.url, msg.text, msg.location.get("url")))

    page.on("console", console)
    for rel in pages:
        page.goto(base + rel, wait_until="load")
        page.wait_for_timeout(50)  # an onerror handler fires after the failed image load
    page.close()
    assert dialogs == [] and errors == [], (dialogs, errors)


def test_imported_text_keeps_its_characters_and_shows_them(workbench, tmp_path):
    """A title with < and & is imported as the same characters: read back from the Markdown
    it is the text the unit wrote, and the page shows it as text."""
    title = CLEAN.read_text(encoding="utf-8").split("\n", 1)[0] + SCRIPT_TITLE_TAIL + " &amp; R&D"
    src = hostile_txt(CLEAN, tmp_path / "a.txt", title=title)
    import_material(load(src), tmp_path / "m")
    assert load(tmp_path / "m").title == title
    html = (workbench / "site" / "标题" / "index.html").read_text(encoding="utf-8")
    heading = html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "alert(2)&lt;/script&gt;" in heading and "<script" not in heading  # split into title lines


@pytest.mark.browser
def test_searching_the_hostile_text_runs_nothing(workbench, browser, serve_dir):
    """The search results show the hostile titles and text as text (the worker escapes them)."""
    from bench.search_bench import SearchBox

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(serve_dir(workbench / "site"))
    box = SearchBox(page)
    box.open()
    box.wait_ready()
    for query in ("alert", "script", "onerror"):
        assert box.ask(query), query
        page.wait_for_timeout(100)
        assert page.locator(".md-search-result script, .md-search-result img[src='x']").count() == 0
    assert box.ask("alert(2)")
    assert "<script>alert(2)</script>" in page.locator(".md-search-result").inner_text()  # shown as text
    page.close()
    assert dialogs == []
