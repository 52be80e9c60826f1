"""修订对照: the word-level diff (gongwen.redline) and the pages a second publish produces."""

from __future__ import annotations

import copy
import json

import lxml.html
import pytest

from gongwen.export import redline
from gongwen.export.redline import DELETE, EQUAL, INSERT, Op

from .publishing import (
    BRANCH,
    DATES,
    DELETED,
    EDITS,
    EXAMPLE,
    INSERTED,
    TITLES,
    branch_file,
    git,
    two_versions,
)


def test_words_inserted_deleted_and_replaced():
    old = "班子成员以普通党员身份参加所在党支部组织生活不经常。"
    new = "班子成员以普通党员身份参加党支部组织生活不够经常。"
    # Whole words: 不 became 不够, which jieba reads as one word.
    assert redline.diff_words(old, new) == [
        Op(EQUAL, "班子成员以普通党员身份参加"), Op(DELETE, "所在"), Op(EQUAL, "党支部组织生活"),
        Op(DELETE, "不"), Op(INSERT, "不够"), Op(EQUAL, "经常。")]
    # The user dictionary keeps a key term whole: a change next to it does not split it.
    ops = redline.diff_words("深学习近平新时代中国特色社会主义思想", "深入学习习近平新时代中国特色社会主义思想")
    assert "习近平新时代中国特色社会主义思想" in [op.text for op in ops if op.kind == EQUAL]


def test_paragraphs_are_the_readable_text():
    src = ("---\n状态: 定稿\n---\n\n# 存在的问题\n\n## 在理论学习方面 {#x}\n\n"
           "<!-- gongwen-disable-next-line content.placeholder -->\n"
           "**理论学习不深。**乡镇\\*个村，\n续行。\n")
    assert redline.paragraphs(src) == [
        redline.Para(1, "存在的问题"), redline.Para(2, "在理论学习方面"),
        redline.Para(0, f"{redline.BOLD_ON}理论学习不深。{redline.BOLD_OFF}乡镇*个村， 续行。")]


def test_only_changed_paragraphs_appear_under_their_headings():
    old = "# 存在的问题\n\n## 一方面\n\n甲段不变。\n\n乙段有旧的内容。\n\n## 二方面\n\n丙段不变。\n"
    new = "# 存在的问题\n\n## 一方面\n\n甲段不变。\n\n乙段有新的内容。\n\n## 二方面\n\n丙段不变。\n\n丁段新增。\n"
    hunks = redline.diff_sources(old, new)
    assert [(h.trail, h.paras) for h in hunks] == [
        (["存在的问题", "一方面"], [(0, [Op(EQUAL, "乙段有"), Op(DELETE, "旧"), Op(INSERT, "新"), Op(EQUAL, "的内容。")])]),
        (["存在的问题", "二方面"], [(0, [Op(INSERT, "丁段新增。")])]),
    ]
    page = redline.redline_html(redline.diff_material({"a.md": old}, {"a.md": new}))
    assert "甲段不变" not in page and "丙段不变" not in page
    assert "一方面" in page and "<del>旧</del><ins>新</ins>" in page


def test_text_is_escaped():
    diffs = redline.diff_material({"a.md": "甲。\n"}, {"a.md": "甲<script>alert(1)</script>。\n"})
    page = redline.redline_html(diffs)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_changes_ignore_front_matter_and_name_new_and_removed_materials():
    a = {"x": {"title": "甲", "files": {"index.md": "---\n状态: 草稿\n---\n# 甲\n\n正文。\n"}},
         "y": {"title": "乙", "files": {"index.md": "# 乙\n"}}}
    b = {"x": {"title": "甲", "files": {"index.md": "---\n状态: 定稿\n---\n# 甲\n\n正文。\n"}},
         "z": {"title": "丙", "files": {"index.md": "# 丙\n"}}}
    assert [(c.rel, c.kind) for c in redline.changes(a, b)] == [("y", "删除"), ("z", "新增")]
    b["x"]["files"]["index.md"] += "\n新段。\n"
    assert ("x", "修改") in [(c.rel, c.kind) for c in redline.changes(a, b)]


def test_date_zh():
    assert redline.date_zh("2025-01-05") == "2025年1月5日"


# --- the published pages -----------------------------------------------------------------

@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return two_versions(tmp_path_factory)


def _sel(el, selector: str) -> list:
    """A tiny CSS subset over XPath: `tag`, `.class`, `.class tag`, `article table tbody tr`."""
    path = "."
    for part in selector.split():
        if part.startswith("."):
            path += f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {part[1:]} ')]"
        else:
            path += f"//{part}"
    return el.xpath(path)


def _reading(p, drop: str) -> str:
    p = copy.deepcopy(p)
    for e in _sel(p, drop):
        e.drop_tree()
    return p.text_content()


def _page(repo, path):
    return lxml.html.fromstring(branch_file(repo, path))


def test_redline_page_shows_the_inserted_and_deleted_words_and_nothing_else(repo):
    doc = _page(repo, f"v2/{EXAMPLE}/redline/index.html")
    body = _sel(doc, ".gongwen-redline")[0]
    assert [e.text_content() for e in _sel(body, "ins")] == INSERTED
    assert [e.text_content() for e in _sel(body, "del")] == DELETED
    # Only the three edited paragraphs (two of them adjacent), under their 方面; nothing unchanged.
    paras = _sel(body, ".gongwen-redline__p")
    assert len(paras) == len(EDITS)
    for p, (old, new) in zip(paras, EDITS):
        # Read without the insertions it is the old paragraph, without the deletions the new one.
        assert old in _reading(p, "ins") and new in _reading(p, "del")
    text = body.text_content()
    assert "党纪学习教育开展以来" not in text  # an unchanged paragraph of the same file
    assert [t.text_content() for t in _sel(body, ".gongwen-redline__trail")] == [
        "（一）带头严守政治纪律和政治规矩，维护党的团结统一", "（三）带头在遵规守纪、清正廉洁前提下勇于担责、敢于创新"]
    about = _sel(doc, ".gongwen-redline__about")[0].text_content()
    assert TITLES["v1"] in about and TITLES["v2"] in about and "2025年1月20日" in about


def test_material_page_links_to_its_redline(repo):
    doc = _page(repo, f"v2/{EXAMPLE}/index.html")
    links = [a.get("href") for a in _sel(doc, ".gongwen-redline-note a")]
    assert links == ["redline/"]
    section = _page(repo, f"v2/{EXAMPLE}/02-存在的问题/index.html")
    assert [a.get("href") for a in _sel(section, ".gongwen-redline-note a")] == ["../redline/"]
    # v1 had nothing to compare with.
    assert not _sel(_page(repo, f"v1/{EXAMPLE}/index.html"), ".gongwen-redline-note")
    files = git(repo, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", BRANCH).splitlines()
    assert f"v1/{EXAMPLE}/redline/index.html" not in files


def test_revisions_page_lists_versions_dates_and_changed_materials(repo):
    rows = [[td.text_content() for td in _sel(tr, "td")]
            for tr in _sel(_page(repo, "v2/revisions/index.html"), "article table tbody tr")]
    assert rows == [
        [f"{TITLES['v2']}（当前版本）", "2025年1月20日", "青禾镇党委领导班子2024年度民主生活会对照检查材料（示例）（修改）"],
        [TITLES["v1"], "2025年1月6日", "首次发布"],
    ]
    doc = _page(repo, "v2/revisions/index.html")
    assert [a.get("href") for a in _sel(doc, "article table a")] == [
        "../%E7%A4%BA%E4%BE%8B-2024-%E9%9D%92%E7%A6%BE%E9%95%87%E5%85%9A%E5%A7%94/redline/"]
    assert "修订记录" in branch_file(repo, "v2/index.html")
    snap = json.loads(branch_file(repo, "v1/_gongwen/snapshot.json"))
    assert snap["date"] == DATES["v1"] and snap["previous"] is None and EXAMPLE in snap["materials"]


def test_redline_is_numbered_and_keeps_the_bold_leads(tmp_path):
    """Issue 24: a reviewer cites the redline as the page — （一）一是, with the lead in bold."""
    from .conftest import CLEAN, FRONT

    old = {"index.md": FRONT.format(type="2023-zhuti-jiaoyu-banzi", stage="定稿") + CLEAN["index.md"],
           **{k: v for k, v in CLEAN.items() if k != "index.md"}}
    new = dict(old, **{"01-存在的问题.md": old["01-存在的问题.md"].replace("联系实际思考不够", "联系实际深入思考不够")})
    page = redline.redline_html(redline.diff_material(old, new))
    assert "<h2>存在的问题</h2>" in page or "<h2>一、存在的问题</h2>" in page
    para = lxml.html.fromstring(page).xpath('//p[contains(@class, "gongwen-redline__p")]')[0]
    assert para.text_content().startswith("一是理论学习不深不透。")
    assert [b.text_content() for b in para.xpath(".//b")] == ["理论学习不深不透。"]  # as on the page
    assert [e.text_content() for e in para.xpath(".//ins")] == ["深入"]
    trail = lxml.html.fromstring(page).xpath('//p[contains(@class, "gongwen-redline__trail")]')[0].text_content()
    assert trail == "（一）在理论学习方面"
    assert redline.redline_page("材料", {"version": "v1"}, {"version": "v2"}, []).startswith(
        "---\nsearch:\n  exclude: true\n---\n")  # out of the search index: not a duplicate result


def test_redline_page_is_not_a_search_result(repo, tmp_path):
    """Issue 24: the redline repeats the material's text; search lists the material's page only."""
    import subprocess

    from gongwen.site.search_index import search
    from gongwen.site.search_shards import load_built

    # The published version's search folder, as the site branch holds it
    tar = subprocess.run(["git", "-C", str(repo), "archive", BRANCH, "v2/search"],
                         capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=tar, check=True)
    hits = search(load_built(tmp_path / "v2"), EDITS[0][1])
    assert hits, "the edited paragraph is found on the material's page"
    assert not [h.url for h in hits if "redline" in h.url], [h.url for h in hits]
