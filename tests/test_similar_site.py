"""Copy detection on the site: the 雷同比对 page, content.copied in the preview panel, and
builds (strict, publish) that do not fail on it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import (
    CLEAN,
    build_site,
    copy_project,
    free_port,
    make_docx,
    wait_for,
    write_material,
)

from .test_similar import EDITED_POINT, TEMPLATE_POINT

FIRST = "**理论学习不深不透。**对党的创新理论满足于读原文、记笔记，联系实际思考不够。如，今年理论学习中心组学习12次，其中4次以传达文件代替专题研讨。"
PROBLEMS = CLEAN["01-存在的问题.md"]
# 丙镇's first point is the web template's, edited (nouns swapped, numbers changed).
lead, body = EDITED_POINT[2:].split("。", 1)
COPIED = PROBLEMS.replace(FIRST, f"**{lead}。**{body}")
OWN = PROBLEMS.replace(FIRST, "**调查研究浮于表面。**下基层多是听汇报、看材料，蹲点解剖麻雀少。如，全年到村调研20次，形成调研报告只有2篇。")
assert FIRST in PROBLEMS


def corpus_project(root: Path) -> Path:
    copy_project(root)
    docs = root / "docs"
    # 甲镇 and 乙镇 hand in the same material but for the title; 丙镇 copies a web template.
    for name, title in (("甲镇", "甲镇党委领导班子对照检查材料"), ("乙镇", "乙镇党委领导班子对照检查材料")):
        folder = write_material(docs, name=name)
        index = folder / "index.md"
        index.write_text(re.sub(r"^# .*$", f"# {title}", index.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    write_material(docs, {"01-存在的问题.md": COPIED}, name="丙镇")
    (root / "corpus").mkdir()
    make_docx(["某局党组对照检查材料", "一、存在的问题", TEMPLATE_POINT], root / "corpus" / "网上模板.docx")
    return root


def test_site_lists_copied_pairs_side_by_side_and_strict_and_publish_builds_pass(tmp_path):
    root = corpus_project(tmp_path)
    site = build_site(root)  # strict: content.copied (a warning in a 定稿) does not fail it
    page = (site / "similar" / "index.html").read_text(encoding="utf-8")
    pairs = re.findall(r'<details class="gongwen-similar__pair".*?</details>', page, re.DOTALL)
    assert pairs
    shares = [int(s) for s in re.findall(r"<summary><strong>(\d+)%</strong>", page)]
    assert shares == sorted(shares, reverse=True)  # by covered share
    template = [p for p in pairs if "网上模板.docx" in p]
    assert len(template) == 1
    assert "丙镇/01-存在的问题.md" in template[0] and "参考文本" in template[0]
    assert "<ins>学用脱节的问题还不同程度存在" in template[0] or "学用脱节的问题还不同程度存在" in \
        "".join(re.findall(r"<ins>(.*?)</ins>", template[0]))
    assert any("甲镇党委领导班子对照检查材料" in p and "乙镇党委领导班子对照检查材料" in p for p in pairs)
    # Material links lead to the pages of both sides.
    assert 'href="../%E7%94%B2%E9%95%87/' in page or 'href="../甲镇/' in page
    # The comparison runs in a second process beside the rendering; the home listing still
    # counts its warnings (the towns' materials are clean but for what they copy).
    home = (site / "index.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr><td><a href="([^"]+)/">.*?data-warnings="(\d+)"', home))
    warnings = {unquote(k): int(v) for k, v in rows.items()}
    assert all(warnings[town] >= 1 for town in ("甲镇", "乙镇", "丙镇")), warnings
    # A publish builds too (drafts left out as usual; copies are not an error).
    build_site(root, env={"GONGWEN_PUBLISH": "1"})


def test_preview_panel_shows_content_copied_and_follows_an_edit(tmp_path):
    root = corpus_project(tmp_path)
    port = free_port()
    # The preview's own temporary folder: however the preview is stopped (here killed, not
    # Ctrl-C), none of our files stays behind there.
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/%E4%B8%99%E9%95%87/01-%E5%AD%98%E5%9C%A8%E7%9A%84%E9%97%AE%E9%A2%98/"
        page = wait_for(url, lambda p: "content.copied" in p)
        items = re.findall(r'<li class="gongwen-diag gongwen-diag--(\w+)" data-line="(\d+)" data-rule="content.copied">(.*?)</li>',
                           page, re.DOTALL)
        # 丙镇 is 甲镇's material but for its first point, which is the template's.
        template = [it for it in items if "某局党组对照检查材料" in it[2]]
        assert [(sev, line) for sev, line, _ in template] == [("warning", "5")]
        assert "雷同" in template[0][2] and "参考文本" in template[0][2]
        assert any("甲镇党委" in it[2] or "乙镇党委" in it[2] for it in items)
        # The writer rewrites the point in the unit's own words: that finding goes away.
        (root / "docs" / "丙镇" / "01-存在的问题.md").write_text(OWN, encoding="utf-8")
        page = wait_for(url, lambda p: "调查研究浮于表面" in p)
        assert "content.copied" in page and "某局党组对照检查材料" not in page
        similar = wait_for(f"http://127.0.0.1:{port}/similar/", lambda p: "网上模板.docx" not in p)
        assert "甲镇党委领导班子对照检查材料" in similar
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert [p.name for p in tmp.iterdir() if p.name.startswith("gongwen")] == []


@pytest.mark.browser
def test_a_pair_opens_side_by_side_with_the_shared_runs_highlighted(tmp_path, serve_dir, browser):
    site = build_site(corpus_project(tmp_path))
    base = serve_dir(site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base + "similar/", wait_until="networkidle")
        pair = page.locator("details.gongwen-similar__pair", has_text="网上模板.docx")
        table = pair.locator("table.gongwen-similar__side")
        assert not table.is_visible()  # closed until the reviewer opens it
        pair.locator("summary").click()
        assert table.is_visible()
        left, right = table.locator("td").nth(0), table.locator("td").nth(1)
        lb, rb = left.bounding_box(), right.bounding_box()
        assert lb["x"] + lb["width"] <= rb["x"] + 1 and abs(lb["y"] - rb["y"]) < 2  # side by side
        marked = left.locator("ins").first
        assert "学用脱节" in "".join(left.locator("ins").all_inner_texts())
        # The 修订对照 look (gongwen-publish.css): green on a light green ground.
        colour, ground = marked.evaluate("e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor]; }")
        assert (colour, ground) == ("rgb(27, 94, 32)", "rgb(232, 245, 233)")
    finally:
        page.close()


def test_a_rebuild_reuses_the_comparison_only_while_nothing_changed(tmp_path):
    root = corpus_project(tmp_path)

    def build() -> str:
        p = subprocess.run([sys.executable, "-m", "properdocs", "build", "-q", "-f", "mkdocs.yml"], cwd=root,
                           capture_output=True, text=True, timeout=300, check=False)
        assert p.returncode == 0, p.stderr[-2000:]
        return (root / "site" / "similar" / "index.html").read_text(encoding="utf-8")

    first = build()
    assert "网上模板.docx" in first and (root / ".cache" / "similar" / "matches.pickle").is_file()
    assert build() == first  # unchanged: the kept comparison gives the same page
    # 丙镇 rewrites its copied point: the next build compares again and the pair is gone.
    (root / "docs" / "丙镇" / "01-存在的问题.md").write_text(OWN, encoding="utf-8")
    assert "网上模板.docx" not in build()


def test_page_shows_last_years_repeats_and_paraphrases_side_by_side_escaped(tmp_path):
    from .test_similar_copies import REWORDED, SOURCE_POINTS, year_pair

    root = corpus_project(tmp_path)
    year_pair(root / "docs")
    hostile = "<script>alert(1)</script>"
    # A unit rewrites the web template's two points (洗稿); one sentence carries hostile text.
    reworded = [f"**{p[2:p.index('。')]}。**{p[p.index('。') + 1:]}" for p in REWORDED]
    reworded[1] = reworded[1].replace("没有从", f"{hostile}没有从")
    write_material(root / "docs", {"01-存在的问题.md": "# 存在的问题\n\n## 在能力本领方面\n\n" + "\n\n".join(reworded) + "\n"},
                   name="丁镇")
    make_docx(["某局党组对照检查材料", "一、存在的问题", *SOURCE_POINTS], root / "corpus" / "网上范文.docx")
    site = build_site(root, strict=False)  # 丁镇 is a bare draft of one aspect, with raw HTML
    page = (site / "similar" / "index.html").read_text(encoding="utf-8")
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    sections = re.split(r"<h2[^>]*>", page)
    repeated = next(s for s in sections if s.startswith("与上年重复"))
    assert "2025-某镇" in repeated and "上年材料" in repeated and "2024-某镇" in repeated
    paraphrase = next(s for s in sections if s.startswith("疑似洗稿"))
    pairs = re.findall(r'<details class="gongwen-similar__pair gongwen-similar__paraphrase".*?</details>', paraphrase,
                       re.DOTALL)
    pair = next(p for p in pairs if "主动谋划" in p)
    assert "丁镇/01-存在的问题.md" in pair and "网上范文.docx" in pair
    # Side by side: each row holds the reworded sentence and the template's sentence it follows.
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td>(\d+)</td></tr>", pair)
    assert any(a.startswith("主动谋划") and b.startswith("面对新形势") for a, b, _ in rows)
    exact = next(s for s in sections if s.startswith("逐字雷同"))
    exact_pairs = re.findall(r'<details class="gongwen-similar__pair".*?</details>', exact, re.DOTALL)
    assert exact_pairs and not [p for p in exact_pairs if "2024-某镇/" in p and "2025-某镇/" in p]  # repeats are no copies
    # Built again with nothing changed: the kept comparison gives the same page, paraphrases,
    # repeats and highlighted runs alike.
    assert (root / ".cache" / "similar" / "matches.pickle").is_file()
    assert (build_site(root, strict=False) / "similar" / "index.html").read_text(encoding="utf-8") == page
