"""Did-you-mean in the site search: a query without hits that is a known wrong form or one edit
away from a key term (新世代, 两个确定) is answered with the corrected query's hits under a
first result "您要找的是否是：新时代". The Python twin (gongwen.site.suggest) is checked
directly, the worker in a real site in chromium, and the JS candidates against the Python ones."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from bench.generate import generate
from bench.search_bench import SearchBox, site_path
from gongwen.site.search_index import PageText, Section, build_index, search
from gongwen.site.search_shards import load_built
from gongwen.site.suggest import (
    MIN_LENGTH,
    SCRIPT_PATH,
    TABLE_GLOBAL,
    TABLE_PATH,
    answer,
    candidates,
    corrections,
    suggest,
    table,
    write_table,
)
from gongwen.textpatterns import TERM_FIXES

from .conftest import ARTIFACTS, build_site, copy_project

SUGGESTED = "您要找的是否是："


# --------------------------------------------------------------------------- Python

@pytest.mark.parametrize("typed, meant", [
    ("新世代", "新时代"),  # a short form of a TERM_FIXES wrong form
    ("习近平新世代中国特色社会主义思想", "习近平新时代中国特色社会主义思想"),  # a TERM_FIXES wrong form
    ("形式主意", "形式主义"),
    ("两个确定", "两个确立"),  # substitution
    ("两个确利", "两个确立"),
    ("三个自信", "四个自信"),  # the count of a numbered formulation
    ("两个立确", "两个确立"),  # neighbours swapped
    ("两个确确立", "两个确立"),  # a character too many
    ("四个意", "四个意识"),  # a character missing
])
def test_a_wrong_form_or_near_miss_gets_the_term(typed, meant):
    assert meant in candidates(typed)
    assert candidates(typed)[0] == meant


@pytest.mark.parametrize("typed", [
    "新时代", "两个确立", "四个自信", "习近平新时代中国特色社会主义思想",  # correct terms
    "新世", "党委", "两个",  # under three characters: too many near misses
    "两确", "红旗县人社局党组", "两个确定定定",  # two edits away, or nothing like a term
])
def test_no_candidate_for_a_correct_short_or_unrelated_term(typed):
    assert candidates(typed) == []


def test_table_comes_from_the_project_data():
    tab = table()
    literal = {k: v for k, v in TERM_FIXES.items() if re.escape(k) == k}
    for wrong, right in literal.items():
        assert candidates(wrong) == [right]
    for term in ("两个确立", "两个维护", "四个意识", "四个自信", "新时代", "全面从严治党"):
        assert term in tab["terms"]
    assert all(len(t) >= MIN_LENGTH for t in tab["terms"])
    assert not set(tab["fixes"]) & set(tab["terms"])  # a wrong form is never a correct term


def _index(*pages: tuple[str, str]) -> dict:
    return build_index([PageText(f"m{i}/index.md", f"m{i}/", title, [Section("", title, text, 1)])
                        for i, (title, text) in enumerate(pages)])


def test_suggest_answers_only_a_query_without_hits():
    index = _index(("对照检查材料", "深入学习新时代中国特色社会主义思想，深刻领悟“两个确立”的决定性意义。"),
                   ("整改方案", "坚决做到“两个维护”。"))
    corrected, hits = suggest(index, "新世代")
    assert corrected == "新时代" and [h.url for h in hits] == ["m0/"]
    assert suggest(index, "两个确定")[0] == "两个确立"
    assert suggest(index, "两个确定 决定性")[0] == "两个确立 决定性"  # other terms are kept
    assert suggest(index, "新时代") is None  # it has hits
    quoted = _index(("规则", "术语写错：如“新世代”"), ("材料", "学习新时代中国特色社会主义思想"))
    # a known wrong form is suggested even where it has hits (pages quoting the mistake) ...
    assert answer(quoted, "新世代") == ("新时代", ["m1/", "m1/", "m0/"])
    # ... a near miss only where it has none
    assert answer(_index(("规则", "两个确定"), ("材料", "两个确立")), "两个确定") == (None, ["m0/"])
    assert suggest(index, "三个务必") is None  # the term it may mean is not in the site either
    assert suggest(index, "红旗县") is None


def test_corrections_try_every_combination_in_order():
    assert corrections(["两个确定", "三个自信"]) == [["两个确立", "四个自信"]]
    assert corrections(["党组", "红旗县"]) == []


def test_write_table_for_http_and_file_url(tmp_path):
    paths = write_table(tmp_path)
    assert paths == [tmp_path / TABLE_PATH, tmp_path / SCRIPT_PATH]
    assert json.loads((tmp_path / TABLE_PATH).read_text(encoding="utf-8")) == table()
    script = (tmp_path / SCRIPT_PATH).read_text(encoding="utf-8")
    prefix = f"self.{TABLE_GLOBAL}="
    assert script.startswith(prefix)
    assert json.loads(script[len(prefix):].rstrip().rstrip(";")) == table()


# --------------------------------------------------------------------------- in the browser

@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("suggest")
    generate(8, root / "generated")
    project = root / "project"
    project.mkdir()
    copy_project(project, root / "generated")
    return build_site(project)


def _first_title(page) -> str:
    return page.locator(".md-search-result__item").first.locator("h1").inner_text()


@pytest.mark.browser
def test_worker_suggests_the_term_and_lists_its_hits(small_site, serve_dir, browser):
    assert (small_site / TABLE_PATH).is_file() and (small_site / SCRIPT_PATH).is_file()
    index = load_built(small_site)
    base = serve_dir(small_site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base)
    box = SearchBox(page)
    box.open()
    box.wait_ready()

    # A real term: its hits, no suggestion.
    hrefs = box.ask("新时代")
    want = [unquote(h.url) for h in search(index, "新时代")]
    assert want and [site_path(h, base) for h in hrefs] == want
    assert not _first_title(page).startswith(SUGGESTED)

    # 新世代 is quoted on the rules page (a known wrong form: suggested all the same, the rules
    # page after the corrected hits); 两个确定 is nowhere.
    assert search(index, "新世代") and not search(index, "两个确定")
    for typed, meant in (("新世代", "新时代"), ("两个确定", "两个确立")):
        hrefs = box.ask(typed)
        first = page.locator(".md-search-result__item").first
        assert first.locator("h1").inner_text() == SUGGESTED + meant
        assert first.locator("h1 mark").all_inner_texts() == [meant]
        corrected, want = answer(index, typed)
        hits = [unquote(h.url) for h in search(index, meant)]
        assert corrected == meant and want[:len(hits) + 1] == [hits[0]] + hits
        assert [site_path(h, base) for h in hrefs] == [unquote(u) for u in want], typed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelector('.md-search__scrollwrap').scrollTop = 0")
    page.screenshot(path=str(ARTIFACTS / "search-suggest.png"))
    first.locator("a").first.click()  # the suggestion opens the best page of the term
    page.wait_for_load_state("load")
    assert site_path(page.url, base) == hits[0]
    assert requests and not [u for u in requests if not u.startswith(base)]
    page.close()


@pytest.mark.browser
def test_js_and_python_candidates_agree(small_site, serve_dir, browser):
    base = serve_dir(small_site)
    page = browser.new_page()
    page.goto(base)
    page.add_script_tag(url=base + "assets/javascripts/gongwen-suggest.js")
    tab = table()
    words = set(tab["terms"]) | set(tab["fixes"]) | {"新世", "党委", "", "abc两个确立", "两个确立x"}
    for t in tab["terms"][:80]:  # one edit of each kind, and two edits
        words |= {t[:1] + "的" + t[2:], t[1:], t[:-1] + "们的", t[1] + t[0] + t[2:], t + "是",
                  "的" + t, t[:2] + t[3:] + "了"}
    words.add("𠀀𠀁𠀂")  # astral characters count as one each, as in Python
    words = sorted(words)
    got = page.evaluate("([table, words]) => { gongwenSuggest.setTable(table);"
                        " return words.map(w => gongwenSuggest.candidates(w)) }", [tab, words])
    assert got == [candidates(w) for w in words]
    combos = [["两个确定", "三个自信"], ["新世代", "党组"], ["党组", "红旗县"], ["四个意", "两个确利"]]
    got = page.evaluate("(cs) => cs.map(c => gongwenSuggest.corrections(c))", combos)
    assert got == [corrections(c) for c in combos]
    page.close()
