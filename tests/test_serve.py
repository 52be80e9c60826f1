"""`make serve` (`properdocs serve`) as a writer uses it: diagnostics shown on the page at
their lines, and the page and the home listing stay right after an edit (rebuilds reuse cached
materials); the focused preview (which materials it renders, how to change that); a quiet
terminal; the diagnostics panel in a browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import ARTIFACTS, copy_project, free_port, wait_for

SEED = "2023-zhuti-jiaoyu-banzi"
SAMPLE = "示例-2024-青禾镇党委"

SEED_PAGE = "2023-zhuti-jiaoyu-banzi/01-%E5%AD%98%E5%9C%A8%E7%9A%84%E9%97%AE%E9%A2%98/"


@pytest.fixture(params=["full", "dirty"])
def served(tmp_path: Path, request):
    copy_project(tmp_path)
    extra = ["--dirty"] if request.param == "dirty" else []
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml",
                             "--dev-addr", f"127.0.0.1:{port}", *extra],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield tmp_path, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def panel_items(page: str) -> list[str]:
    panel = re.search(r"<details class=\"admonition [a-z]+ gongwen-panel\".*?</details>", page, re.DOTALL)
    return re.findall(r"<li[^>]*>(.*?)</li>", panel.group(0), re.DOTALL) if panel else []


def test_preview_shows_diagnostics_and_follows_edits(served):
    root, base = served
    page = wait_for(base + SEED_PAGE, lambda p: "gongwen-panel" in p)
    items = panel_items(page)
    # The seed's * redactions are info in a draft, at their lines of 01-存在的问题.md.
    star_lines = {int(m) for it in items if "content.placeholder" in it for m in re.findall(r"第 (\d+) 行", it)}
    source = (root / "docs/2023-zhuti-jiaoyu-banzi/01-存在的问题.md").read_text(encoding="utf-8").split("\n")
    expected = {i + 1 for i, line in enumerate(source) if "\\*" in line}
    assert star_lines == expected and expected
    assert all("提示" in it for it in items if "content.placeholder" in it)

    # Edit: a web residue pasted into the section, and the status changed in index.md.
    section = root / "docs/2023-zhuti-jiaoyu-banzi/01-存在的问题.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n发布时间：2023-12-01\n", encoding="utf-8")
    index = root / "docs/2023-zhuti-jiaoyu-banzi/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("状态: 草稿", "状态: 征求意见稿"), encoding="utf-8")
    page = wait_for(base + SEED_PAGE, lambda p: "content.residue" in p)
    residue = [it for it in panel_items(page) if "content.residue" in it]
    assert residue and f"第 {len(source) + 1} 行" in residue[0]
    # In a 征求意见稿 the redactions are warnings now.
    assert all("警告" in it for it in panel_items(page) if "content.placeholder" in it)
    home = wait_for(base, lambda p: "征求意见稿" in p)
    assert "草稿" not in re.sub(r"<[^>]+>", "", home.split("材料一览")[1])

    # A new section file renumbers the files after it, though they were not edited.
    (root / "docs/2023-zhuti-jiaoyu-banzi/015-典型案例剖析.md").write_text(
        "# 典型案例剖析\n\n## 某村集体经济项目推进缓慢\n\n2023年该项目延误3个月。\n", encoding="utf-8")
    causes = base + "2023-zhuti-jiaoyu-banzi/02-%E5%8E%9F%E5%9B%A0%E5%89%96%E6%9E%90/"
    page = wait_for(causes, lambda p: "三、原因剖析" in p)
    assert "二、原因剖析" not in page
    # Pages a rebuild did not read again keep their titles in the navigation of those it did:
    # a new page at the root is built, the home page is not read again.
    (root / "docs" / "附件.md").write_text("# 附件\n\n会议议程。\n", encoding="utf-8")
    extra = wait_for(base + quote("附件") + "/", lambda p: "会议议程" in p)
    progress = wait_for(base + quote("整改进度") + "/", lambda p: "整改进度" in p)
    for html in (extra, progress):
        assert not re.search(r">\s*None\s*<", html)
        assert re.search(r'md-nav__link[^>]*>\s*(<span[^>]*>\s*)?公文材料库', html)


# --- focused preview ------------------------------------------------------------------------

class Serve:
    """`properdocs serve -f mkdocs.yml --dirty` as `make serve` runs it, with its terminal."""

    def __init__(self, root: Path, env: dict | None = None):
        self.root, self.port = root, free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = root / "serve.log"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("GONGWEN_")}
        full_env.update(NO_MKDOCS_2_WARNING="1", **(env or {}))
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml", "--dirty",
                                          "--dev-addr", f"127.0.0.1:{self.port}"],
                                         cwd=root, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        wait_for(self.base, lambda p: "材料一览" in p)

    def terminal(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def status(self, path: str) -> tuple[int, str]:
        import urllib.error
        import urllib.request
        from urllib.parse import quote

        try:
            with urllib.request.urlopen(self.base + quote(path), timeout=10) as resp:
                return resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def serve_project(tmp_path: Path):
    servers = []

    def start(env: dict | None = None) -> Serve:
        if not (tmp_path / "mkdocs.yml").exists():
            copy_project(tmp_path)
        srv = Serve(tmp_path, env)
        servers.append(srv)
        return srv

    yield tmp_path, start
    for srv in servers:
        srv.stop()


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_preview_renders_the_materials_with_uncommitted_changes(serve_project):
    root, start = serve_project
    copy_project(root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    g = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(g + ["add", "-A"], cwd=root, check=True)
    subprocess.run(g + ["commit", "-qm", "materials"], cwd=root, check=True)
    _append(root / f"docs/{SEED}/01-存在的问题.md", "\n**新增的要点。**如，2024年3月走访XX户。\n")
    # A broken link: the engine's own warning, which must still reach the terminal.
    _append(root / "docs/index.md", "\n[旧链接](不存在的页面.md)\n")
    srv = start()

    # The terminal says what the preview holds and how to change it.
    term = srv.terminal()
    assert f"预览范围：1 / 2 份材料（1 份有未提交的修改）：{SEED}" in term
    assert "make serve M=docs/<材料>" in term and "make serve ALL=1" in term
    status, page = srv.status(f"{SEED}/01-存在的问题/")
    assert status == 200 and "新增的要点" in page

    # The other material is not rendered; the home page still lists it, and its link says how
    # to include it; following the link, the preview's 404 page says it too.
    status, _ = srv.status(f"{SAMPLE}/")
    assert status == 404
    home = srv.status("")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", home, re.DOTALL)
    assert len([r for r in rows if "<td>" in r]) == 2
    sample_row = next(r for r in rows if SAMPLE in r)
    assert f"make serve M=docs/{SAMPLE}" in sample_row and "不在本次预览中" in sample_row
    status, missing = srv.status(f"{SAMPLE}/01-存在的问题/")
    assert status == 404 and "这份材料不在本次预览中" in missing
    outside = json.loads(re.search(r'<script type="application/json" id="gongwen-outside">(.*?)</script>', missing).group(1))
    assert outside == [SAMPLE]  # the page's script names the material and the M= to use

    # Editing a file of that material adds it on the next rebuild.
    _append(root / f"docs/{SAMPLE}/index.md", "\n本材料修改于预览中。\n")
    page = wait_for(srv.base + quote(f"{SAMPLE}/"), lambda p: "本材料修改于预览中" in p)
    assert "gongwen-panel" in page or "下载 Word 版" in page
    assert f"预览范围：加入 {SAMPLE}（刚修改）" in srv.terminal()
    home = wait_for(srv.base, lambda p: "不在本次预览中" not in p)

    # Issue 10: the dirty-build notice is gone from every build; other warnings still print.
    term = srv.terminal()
    assert term.count("Documentation built in") >= 2
    assert "A 'dirty' build is being performed" not in term
    assert "不存在的页面.md" in term and "WARNING" in term


def test_material_outside_the_preview_marked_classified_is_not_rendered(serve_project):
    """Editing a material outside the preview adds it, unless the edit marks it classified:
    then it stays out and the terminal shows the security.classified error."""
    _, start = serve_project
    srv = start({"GONGWEN_PREVIEW": f"docs/{SAMPLE}"})
    assert srv.status(f"{SEED}/")[0] == 404
    index = srv.root / f"docs/{SEED}/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("密级: 内部", "密级: 秘密"), encoding="utf-8")
    wait_for(srv.base, lambda p: True)
    deadline = time.monotonic() + 60
    while "security.classified" not in srv.terminal() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert "security.classified" in srv.terminal()
    time.sleep(1)
    status, page = srv.status(f"{SEED}/01-存在的问题/")
    assert status == 404 and "理论学习不深不透" not in page
    assert "预览范围：加入" not in srv.terminal()


def test_every_edit_of_a_session_is_seen_and_a_second_start_lists_the_same(serve_project):
    """After the first rebuild a preview looks again only at the folders the file watcher
    names: later edits, a 密级 mark added to a page, a new material folder are all seen; a
    second start (from .cache/) lists and withholds the same."""
    root, start = serve_project
    srv = start({"GONGWEN_PREVIEW": f"docs/{SEED}"})
    section = root / f"docs/{SEED}/01-存在的问题.md"
    page_url = srv.base + quote(f"{SEED}/01-存在的问题/")
    for n in ("一", "二", "三"):
        _append(section, f"\n**第{n}次修改。**如，2024年3月走访12户。\n")
        wait_for(page_url, lambda p, n=n: f"第{n}次修改" in p)
    section.write_text("秘密★1年\n\n" + section.read_text(encoding="utf-8"), encoding="utf-8")
    page = wait_for(page_url, lambda p: "涉密" in p)
    assert "security.classified" in page and "第三次修改" not in page
    # A new material, copied in as a folder.
    shutil.copytree(root / f"docs/{SAMPLE}", root / "docs/新增材料")
    (root / "docs/新增材料/index.md").write_text(
        (root / f"docs/{SAMPLE}/index.md").read_text(encoding="utf-8").replace("# ", "# 新增的一份", 1), encoding="utf-8")
    home = wait_for(srv.base, lambda p: "新增的一份" in p)

    def rows(html: str) -> int:
        return len([r for r in re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL) if "<td>" in r])

    assert rows(home) == 2  # the seed is classified now: not listed
    srv.stop()
    srv = start({"GONGWEN_PREVIEW": f"docs/{SEED}"})
    home = srv.status("")[1]
    assert "新增的一份" in home and rows(home) == 2
    assert "security.classified" in srv.terminal()
    assert "涉密" in srv.status(f"{SEED}/01-存在的问题/")[1]


def test_preview_named_with_m_or_all(serve_project):
    _, start = serve_project
    # Not a git work tree and a small site: everything, unless M= names materials.
    srv = start({"GONGWEN_PREVIEW": f"docs/{SAMPLE}"})
    assert f"预览范围：1 / 2 份材料（1 份由 M= 指定）：{SAMPLE}" in srv.terminal()
    assert srv.status(f"{SAMPLE}/")[0] == 200
    assert srv.status(f"{SEED}/")[0] == 404
    srv.stop()
    srv = start({"GONGWEN_PREVIEW": f"docs/{SAMPLE}", "GONGWEN_PREVIEW_ALL": "1"})
    assert "预览范围：全部 2 份材料（ALL=1）" in srv.terminal()
    assert srv.status(f"{SEED}/")[0] == 200 and srv.status(f"{SAMPLE}/")[0] == 200


# --- the diagnostics panel in a browser -------------------------------------------------------

@pytest.mark.browser
def test_panel_collapsed_for_hints_and_a_finding_scrolls_to_its_paragraph(serve_project, browser):
    root, start = serve_project
    srv = start()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(srv.base + SEED_PAGE, wait_until="domcontentloaded")
    panel = page.locator("details.gongwen-panel")
    # The seed is a 草稿: its findings are all 提示, so the panel starts collapsed, its title
    # counting them by level.
    title = panel.locator("summary").inner_text()
    assert re.search(r"提示 \d+", title) and "警告" not in title and "错误" not in title
    assert panel.get_attribute("open") is None
    panel.locator("summary").click()
    # The last finding: its paragraph is far down the page, out of view before the click.
    link = panel.locator("a.gongwen-diag__go").last
    line = link.get_attribute("data-gw-line")
    target = page.locator(f'.gongwen-flagged[data-gw-lines~="{line}"]')
    assert "content.placeholder" in (target.get_attribute("title") or "")  # the message on hover

    def in_view() -> bool:
        return page.evaluate("""el => { const r = el.getBoundingClientRect();
                                         return r.bottom > 0 && r.top < window.innerHeight; }""",
                             target.element_handle())

    assert not in_view()
    link.click()
    page.wait_for_function("""el => { const r = el.getBoundingClientRect();
                                     return r.bottom > 0 && r.top < window.innerHeight; }""",
                           arg=target.element_handle(), timeout=5000)
    assert "gongwen-flagged--active" in target.get_attribute("class")
    # The mark is visible: a bar in the margin.
    bar = page.evaluate("el => getComputedStyle(el, '::before').width", target.element_handle())
    assert bar not in ("auto", "0px")

    # A 征求意见稿: the placeholders are warnings now, and the panel opens by itself. (A new
    # tab: the open one reloads itself when the rebuild is done.)
    page.close()
    index = root / f"docs/{SEED}/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("状态: 草稿", "状态: 征求意见稿"), encoding="utf-8")
    wait_for(srv.base + SEED_PAGE, lambda p: "警告 " in p)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(srv.base + SEED_PAGE, wait_until="domcontentloaded")
    assert page.locator("details.gongwen-panel").get_attribute("open") is not None
    assert "警告" in page.locator("details.gongwen-panel summary").inner_text()
    page.close()


@pytest.mark.slow
def test_large_site_with_nothing_changed_previews_the_latest_edited(tmp_path):
    """Over 100 materials, no uncommitted changes (not a git work tree here) and no M=: only
    the most recently edited material is rendered, and the terminal says so."""
    import shutil

    docs = tmp_path / "docs-src"
    shutil.copytree(Path(__file__).resolve().parent.parent / "docs", docs)
    for i in range(100):
        shutil.copytree(docs / SAMPLE, docs / f"copy-{i:03d}")
    latest = docs / "copy-042" / "index.md"
    # Later than any file copied from the repository, whatever their times in this checkout.
    os.utime(latest, (time.time() + 3600, time.time() + 3600))
    copy_project(tmp_path, docs)
    srv = Serve(tmp_path)
    try:
        assert "预览范围：1 / 102 份材料（没有未提交的修改，取最近修改的 1 份）：copy-042" in srv.terminal()
        assert srv.status("copy-042/")[0] == 200
        assert srv.status("copy-041/")[0] == 404 and srv.status(f"{SEED}/")[0] == 404
        assert srv.status("")[1].count('class="gongwen-not-previewed"') == 101
    finally:
        srv.stop()


@pytest.mark.browser
def test_front_page_counts_the_whole_material_and_the_404_page_works_at_the_root(serve_project, browser):
    """Issue 24: an error on another page of a material is in sight from its front page and
    from the home listing; the 404 page names a material outside the preview (site root `/`)."""
    root, start = serve_project
    copy_project(root)
    index = root / f"docs/{SEED}/index.md"
    # A 定稿: the seed's * placeholders (in 01-存在的问题.md, not in index.md) are errors now.
    index.write_text(index.read_text(encoding="utf-8").replace("状态: 草稿", "状态: 定稿"), encoding="utf-8")
    srv = start({"GONGWEN_PREVIEW": f"docs/{SEED}"})
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "404" not in msg.text else None)

    page.goto(srv.base + quote(SEED) + "/", wait_until="domcontentloaded")
    summary = page.locator("[data-gongwen-summary]")
    title = summary.locator(".admonition-title").inner_text()
    assert re.search(r"整份材料的检查结果（错误 \d+", title), title
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "front-page-summary.png"))
    link = summary.locator("li", has_text="存在的问题").locator("a")
    assert re.search(r"错误 \d+", summary.locator("li", has_text="存在的问题").inner_text())
    link.click()
    page.wait_for_load_state("domcontentloaded")
    assert "01-%E5%AD%98%E5%9C%A8%E7%9A%84%E9%97%AE%E9%A2%98" in page.url
    assert "错误" in page.locator("details.gongwen-panel summary").inner_text()

    page.goto(srv.base, wait_until="domcontentloaded")
    table = page.locator("article table").first
    assert "错误/警告" in table.locator("thead").inner_text()
    seed_cell = table.locator("tr", has_text="2023年第二批主题教育").locator("td").last
    assert int(seed_cell.get_attribute("data-errors")) > 0
    assert re.fullmatch(r"\d+ / \d+", seed_cell.inner_text().strip())
    assert page.evaluate("el => getComputedStyle(el).color", seed_cell.element_handle()) == "rgb(198, 40, 40)"

    # The 404 page: a material outside the preview is named, with the command that adds it …
    page.goto(srv.base + quote(SAMPLE) + "/01-%E5%AD%98%E5%9C%A8%E7%9A%84%E9%97%AE%E9%A2%98/",
              wait_until="domcontentloaded")
    box = page.locator("[data-gongwen-outside]")
    assert box.is_visible()
    assert page.locator("[data-gongwen-outside-name]").all_inner_texts() == [SAMPLE, SAMPLE]
    assert f"make serve M=docs/{SAMPLE}" in box.inner_text()
    # … and a page that is simply missing shows no empty box.
    page.goto(srv.base + "no-such-page/", wait_until="domcontentloaded")
    assert page.locator("h1").first.inner_text() == "404 - Not found"
    assert not page.locator("[data-gongwen-outside]").is_visible()
    assert errors == [], errors
    page.close()
