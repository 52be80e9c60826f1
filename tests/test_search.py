"""Search in the real site (issue 7): a generated corpus built with the project's config,
served on 127.0.0.1, searched through Material's search box in headless chromium. The
query set (tests/search_queries.txt) is scored against the truth computed from the corpus
text; also ranking, highlighting, a mike-style sub-path, file:// in an offline build,
`mkdocs serve` rebuilds and `mkdocs build --dirty`."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from bench.generate import generate, page_texts, page_url
from bench.search_bench import SearchBox, evaluate, load_queries, site_path, truth_for
from gongwen.site.search_index import BIN_PATH, SCRIPT_PATH, deserialize, fold, search
from gongwen.site.search_shards import load_built
from gongwen.site.suggest import answer

from .conftest import ARTIFACTS, build_site, copy_project, free_port, wait_for

pytestmark = pytest.mark.browser

N_MATERIALS = 60  # about 300 pages: enough variety, small enough for CI
QUERIES = load_queries()
MISSPELT = ["新世代", "习近平新世代中国特色社会主义思想", "三个自信"]
SUGGESTED = "您要找的是否是："  # the first result of a did-you-mean answer (gongwen/site/suggest.py)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    generate(N_MATERIALS, root / "generated")
    project = root / "project"
    project.mkdir()
    copy_project(project, root / "generated")
    site = build_site(project)  # strict, as `make build`
    return project, site


@pytest.fixture(scope="module")
def truth(corpus_site):
    project, _ = corpus_site
    return truth_for(QUERIES, project / "docs")


def _open(browser, url: str, requests: list[str]):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    box = SearchBox(page)
    box.open()  # from file:// Material sets the worker up only when the search opens
    box.wait_ready()
    return page, box


def _title_flags(index: dict) -> dict[str, tuple[str, list[str]]]:
    """{page url: (page title, heading titles)} from the index."""
    titles = index["titles"].split("\n")
    out, k = {}, 0
    for url, title, _ctx, n in index["pages"]:
        out[url] = (fold(titles[k]), [fold(t) for t in titles[k + 1:k + n]])
        k += n
    return out


def _article_text(site: Path, path: str) -> str:
    """The visible text of a built page's article, for checking hits outside the materials."""
    f = site / path / "index.html" if not path.endswith(".html") else site / path
    text = f.read_text(encoding="utf-8")
    text = text[text.find('<article class="md-content__inner'):text.rfind("</article>")]
    return fold(html.unescape(re.sub(r"<[^>]+>", "", text)))


def test_query_set_precision_recall_ranking(corpus_site, truth, serve_dir, browser):
    project, site = corpus_site
    docs = project / "docs"
    materials = {page_url(rel) for rel in page_texts(docs)}
    assert len(QUERIES) >= 40 and all(q in truth for q in MISSPELT)
    index = load_built(site)
    heads = _title_flags(index)

    base = serve_dir(site)
    requests: list[str] = []
    page, box = _open(browser, base + page_url(min(docs.glob("*/index.md")).relative_to(docs).as_posix()),
                      requests)
    found: dict[str, set[str]] = {}
    suggested: dict[str, str | None] = {}
    for q in QUERIES:
        shown = [site_path(h, base) for h in box.ask(q)]
        # The list is the worker's answer in the worker's order (the Python search over the
        # same index computes it independently): title hits, then headings, then text; a
        # did-you-mean answer puts the corrected query's pages first, under a suggestion.
        corrected, want = answer(index, q)
        assert shown == [unquote(u) for u in want], q
        assert _suggestion(page) == corrected, q
        suggested[q] = corrected
        if corrected:  # the query's own pages are those after the corrected ones
            shown = shown[len(search(index, corrected)) + 1:]
        assert len(shown) == len(set(shown)), q  # one entry per page
        found[q] = set(shown)
        if corrected:
            continue
        # Ranked: pages with the query in their title first, then in a heading, then the rest.
        rank = [(fold(q) in heads[u][0], any(fold(q) in t for t in heads[u][1])) for u in shown]
        assert rank == sorted(rank, reverse=True), q
        # Hits outside the materials (home page listing, rules page) are real too.
        for path in set(shown) - materials:
            assert fold(q) in _article_text(site, path), (q, path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-query-set.png"))
    page.close()

    score = evaluate(found, truth, materials)
    print(f"\nsearch over {N_MATERIALS} materials, {len(QUERIES)} queries: "
          f"P={score['precision']:.4f} R={score['recall']:.4f} "
          f"(per query {score['precision_macro']:.4f} / {score['recall_macro']:.4f}); wrong: {score['wrong']}")
    assert score["precision"] >= 0.95 and score["recall"] >= 0.99, score["wrong"]
    assert score["precision_macro"] >= 0.95 and score["recall_macro"] >= 0.99, score["wrong"]
    for q in MISSPELT:  # no material has the wrong form; the known ones get the right term
        assert not found[q] & materials, q
    assert suggested["新世代"] == "新时代"
    assert suggested["习近平新世代中国特色社会主义思想"] == "习近平新时代中国特色社会主义思想"
    # Every query with a truth finds something, and the broad ones are not "every page".
    assert all(found[q] for q in QUERIES if truth[q])
    assert len(found["党委"] & materials) < len(materials) / 4
    _no_other_host(requests)


def _suggestion(page) -> str | None:
    """The corrected query a did-you-mean answer shows first, or None."""
    items = page.locator(".md-search-result__item")
    if not items.count():
        return None
    title = items.first.locator("h1").inner_text()
    return title.removeprefix(SUGGESTED) if title.startswith(SUGGESTED) else None


def _no_other_host(requests: list[str]) -> None:
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts <= {"127.0.0.1"}, hosts
    assert {urlsplit(u).scheme for u in requests} <= {"http", "data", "blob", "file", "about"}


def test_results_and_page_are_highlighted(corpus_site, serve_dir, browser):
    _, site = corpus_site
    base = serve_dir(site)
    requests: list[str] = []
    page, box = _open(browser, base, requests)
    q = "理论学习不深不透"
    assert box.ask(q)
    first = page.locator(".md-search-result__item").first
    marks = first.locator("mark").evaluate_all("l => l.map(m => m.textContent)")
    assert marks and all(m == q for m in marks), marks
    # Material's own excerpt rendering: the section with the hit shows its text.
    assert q in first.inner_text()
    link = first.locator("a").nth(1 if first.locator("a").count() > 1 else 0)
    link.click()
    page.wait_for_load_state("load")
    assert "h=" in page.url
    page.wait_for_selector("mark[data-md-highlight]")
    on_page = page.locator("article mark[data-md-highlight]").all_inner_texts()
    assert on_page and all(m == q for m in on_page), on_page
    page.screenshot(path=str(ARTIFACTS / "search-highlight.png"))
    page.close()
    _no_other_host(requests)


def test_search_under_a_version_folder(corpus_site, truth, tmp_path, serve_dir, browser):
    """mike puts each version in its own folder (/1.0/, /latest/): everything is relative."""
    project, site = corpus_site
    materials = {page_url(rel) for rel in page_texts(project / "docs")}
    shutil.copytree(site, tmp_path / "1.0")
    base = serve_dir(tmp_path)
    requests: list[str] = []
    page, box = _open(browser, base + "1.0/", requests)
    index = load_built(site)
    for q in ("红旗县人社局党组", "2023年以来", "新世代"):
        assert q in truth
        hrefs = box.ask(q)
        assert all(h.startswith(base + "1.0/") for h in hrefs)
        corrected, want = answer(index, q)
        assert _suggestion(page) == corrected
        shown = [site_path(h, base + "1.0/") for h in hrefs]
        assert shown == [unquote(u) for u in want], q
        if not corrected:
            assert set(shown) & materials == truth[q], q
    page.close()
    _no_other_host(requests)
    # Only the version's own files, and mike's versions.json beside the versions.
    assert {u for u in requests if not u.startswith(base + "1.0/")} <= {base + "versions.json"}


def test_search_from_file_url_in_an_offline_build(tmp_path, browser):
    generate(8, tmp_path / "generated")
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project, tmp_path / "generated")
    site = build_site(project, env={"GONGWEN_OFFLINE": "true"})
    assert (site / "search" / "gongwen_index.js").is_file()
    docs = project / "docs"
    queries = ["党组", "2024年", "习近平新时代中国特色社会主义思想", "新世代"]
    want = truth_for(queries, docs, html_suffix=True)
    materials = {rel[:-3] + ".html" for rel in page_texts(docs)}
    requests: list[str] = []
    page, box = _open(browser, (site / "index.html").as_uri(), requests)
    base = (site / "index.html").as_uri().rsplit("/", 1)[0] + "/"
    index = load_built(site)
    for q in queries:
        shown = [site_path(h, base) for h in box.ask(q)]
        # the did-you-mean table comes as a script too (a worker under the shim loads no JSON)
        corrected, answered = answer(index, q)
        assert _suggestion(page) == corrected
        assert shown == [unquote(u) for u in answered], q
        if not corrected:
            assert set(shown) & materials == want[q], q
    assert _suggestion(page) == "新时代"
    page.close()
    assert not [u for u in requests if urlsplit(u).hostname], requests


# --------------------------------------------------------------------------- serve and dirty builds

def _index_text(raw: bytes) -> str:
    return raw.decode("utf-16-le")


def _wait_index(url: str, predicate, timeout: float = 60) -> str:
    return wait_for(url, predicate, timeout, decode=_index_text)


@pytest.mark.parametrize("dirty", [False, True], ids=["full", "dirty"])
def test_serve_keeps_the_index_whole_and_current(tmp_path, dirty):
    copy_project(tmp_path)
    port = free_port()
    args = ["--dirty", "--no-strict"] if dirty else []
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *args],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/{BIN_PATH}"
        text = _wait_index(url, lambda t: "三会一课" in t)
        pages = len(deserialize(text)["pages"])
        assert "茶叶产业" in text  # the other material
        # The preview's diagnostics panel ("第 3 行，第 5 列 …") is not page text.
        assert not re.search(r"第 \d+ 行，第 \d+ 列", text)
        section = tmp_path / "docs" / "2023-zhuti-jiaoyu-banzi" / "02-原因剖析.md"
        section.write_text(section.read_text(encoding="utf-8") + "\n新写入的检索用语甲乙丙。\n", encoding="utf-8")
        text = _wait_index(url, lambda t: "检索用语甲乙丙" in t)
        assert "三会一课" in text and "茶叶产业" in text  # pages not rebuilt stay indexed
        assert len(deserialize(text)["pages"]) == pages
        # No gzipped copy in a preview, so the worker reads this fresh .bin.
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url + ".gz", timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_dirty_build_keeps_pages_it_did_not_render(tmp_path):
    copy_project(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # A page its author keeps out of search (Material's front matter) stays out.
    rules_like = tmp_path / "docs" / "说明.md"
    rules_like.write_text("---\nsearch:\n  exclude: true\n---\n\n# 说明\n\n不进索引的说明页。\n", encoding="utf-8")

    def mkdocs_build(*extra: str) -> dict:
        p = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *extra], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=False)
        assert p.returncode == 0, p.stderr
        return load_built(tmp_path / "site")

    full = mkdocs_build()
    assert not search(full, "不进索引的说明页") and search(full, "三会一课")
    time.sleep(0.05)
    section = tmp_path / "docs" / "2023-zhuti-jiaoyu-banzi" / "02-原因剖析.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n新写入的检索用语丁戊。\n", encoding="utf-8")
    dirty = mkdocs_build("--dirty", "--no-strict")
    assert [p[0] for p in dirty["pages"]] == [p[0] for p in full["pages"]]
    assert search(dirty, "检索用语丁戊") and search(dirty, "三会一课") and search(dirty, "茶叶产业")
