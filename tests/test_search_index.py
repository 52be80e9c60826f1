"""The search index and its search (gongwen/site/search_index.py), and the worker
(overrides/assets/javascripts/gongwen-search.js) answering Material's messages with the
same pages, scores and order as the Python search, in headless chromium."""

from __future__ import annotations

import random
import shutil
from urllib.parse import quote

import pytest

from gongwen.site.search_shards import load_meta, load_sharded, posting, write_sharded
from gongwen.site.search_index import (
    fold,
    HEADING_CAP,
    TEXT_CAP,
    W_HEADING,
    W_TITLE,
    PageText,
    Section,
    build_index,
    deserialize,
    extract_sections,
    load_index,
    page_from_html,
    query_terms,
    search,
    serialize,
    write_index,
)

from .conftest import REPO

WORKER = REPO / "overrides" / "assets" / "javascripts" / "gongwen-search.js"


def test_sections_split_at_headings_and_skip_what_is_not_text():
    html = (
        '<h1 id="t">一、存在的问题<a class="headerlink" href="#t" title="Permanent link">&para;</a></h1>\n'
        "<p>导语&amp;说明，<strong>加粗</strong>接着</p><p>第二段</p>\n"
        '<div data-search-exclude><p>不要索引</p><div><p>也不要</p></div></div>\n'
        "<script>var x = '<p>脚本</p>'</script><!-- 注释 -->"
        '<h2 id="a1">（一）在理论学习方面<a class="headerlink" href="#a1">&para;</a></h2>'
        "<ul><li>甲</li><li>乙</li></ul><table><tr><td>单元一</td><td>单元二</td></tr></table>"
        '<h3 id="b">小<em>标题</em></h3>行一<br>行二 &lt;x&gt;'
    )
    secs = extract_sections(html, "页面标题")
    assert [(s.anchor, s.title) for s in secs] == [("", "一、存在的问题"), ("a1", "（一）在理论学习方面"), ("b", "小标题")]
    assert secs[0].text == "导语&说明，加粗接着 第二段"
    assert secs[1].text == "甲 乙 单元一 单元二"
    assert secs[2].text == "行一 行二 <x>"
    # Without an h1 the page title names the first section.
    assert extract_sections("<p>正文</p>", "标题")[0].title == "标题"


def test_page_from_built_html_reads_the_article():
    page = ('<html><head><title>一、存在的问题 - 公文材料库</title></head><body><nav>导航</nav>'
            '<article class="md-content__inner md-typeset"><h1 id="x">一、存在的问题</h1><p>正文内容</p></article>'
            "<footer>页脚</footer></body></html>")
    p = page_from_html("m/01-存在的问题.md", "m/01-%E5%AD%98/", page)
    assert p.title == "一、存在的问题"
    assert [s.text for s in p.sections] == ["正文内容"]


def _pages() -> list[PageText]:
    return [
        PageText("index.md", "", "首页", [Section("", "公文材料库", "材料一览 红旗县人社局党组")]),
        PageText("m1/index.md", "m1/", "t", [Section("", "红旗县人社局党组对照检查材料", "党委 导语")], unit="红旗县人社局党组"),
        PageText("m1/01-存在的问题.md", quote("m1/01-存在的问题/"), "t", [
            Section("", "一、存在的问题", ""),
            Section("a1", "（一）在理论学习方面", "理论学习不深不透。党委党委党委 aaa AbC"),
            Section("a2", "（二）党委班子", "我镇 <b>&"),
        ]),
        PageText("m2/index.md", "m2/", "t", [Section("", "党委对照检查材料", "新时代 𠀀字")]),
        PageText("rules.md", "rules/", "t", [Section("", "检查规则", "新世代 写错")]),
    ]


def test_index_round_trip_and_context():
    index = build_index(_pages())
    assert deserialize(serialize(index)) == index
    pages = index["pages"]
    assert pages[1][2] == "红旗县人社局党组"  # a material's index page carries its unit
    assert pages[2][2] == 1  # a section page points at its material's index page
    assert pages[2][0] == "m1/01-存在的问题/"  # stored readable; the browser encodes it
    assert pages[4][2] == ""
    assert index["anchors"][index["sections"][3]] == "a1"


def test_search_semantics_and_ranking():
    index = build_index(_pages())
    urls = lambda q: [h.url for h in search(index, q)]
    assert urls("新世代") == ["rules/"]
    assert urls("新时代") == ["m2/"]
    assert urls("习近平新世代") == []
    assert urls("") == [] and urls("   ") == []
    assert urls("abc") == urls("ABC") == ["m1/01-存在的问题/"]  # ASCII folded, nothing else
    assert urls("党委 我镇") == ["m1/01-存在的问题/"]  # terms are ANDed
    assert urls("党委\u3000我镇") == urls("党委 我镇")
    assert urls("&") == ["m1/01-存在的问题/"] and urls("<b>") == ["m1/01-存在的问题/"]
    assert urls("𠀀") == ["m2/"]
    # Title hits first, then headings, then body text.
    hits = search(index, "党委")
    assert [h.url for h in hits] == ["m2/", "m1/01-存在的问题/", "m1/"]
    assert hits[0].score == W_TITLE
    assert hits[1].score == W_HEADING + 3  # heading 党委班子 + three in the text
    assert hits[1].sections == ["m1/01-存在的问题/#a2", "m1/01-存在的问题/#a1"]
    # Counts do not overlap: aaa holds one aa.
    assert search(index, "aa")[0].score == 1


def test_caps():
    text = "词" * (TEXT_CAP + 50)
    heads = [Section(f"h{i}", f"词{i}", "") for i in range(HEADING_CAP + 3)]
    index = build_index([PageText("a.md", "a/", "t", [Section("", "甲", text), *heads])])
    assert search(index, "词")[0].score == W_HEADING * HEADING_CAP + TEXT_CAP


def test_query_terms():
    assert query_terms(" 党委  Ab\u200b党委 ab ") == ["党委", "ab"]


def test_write_only_changed_files(tmp_path):
    index = build_index(_pages())
    paths = write_index(index, tmp_path)
    assert [p.name for p in paths] == ["gongwen_index.bin", "gongwen_index.bin.gz"]
    offline = write_index(index, tmp_path / "offline", offline=True)
    assert [p.name for p in offline] == ["gongwen_index.js"]
    assert load_index(paths[0]) == load_index(paths[1]) == load_index(offline[0]) == index
    before = [p.stat().st_mtime_ns for p in paths]
    write_index(index, tmp_path)
    assert [p.stat().st_mtime_ns for p in paths] == before
    # A preview writes no .gz, and a stale one would be served instead of the new index.
    assert write_index(index, tmp_path, compress=False) == [paths[0]] and not paths[1].exists()


# --------------------------------------------------------------------------- the worker

def _random_pages(rng: random.Random) -> list[PageText]:
    alphabet = "党委我镇局乡县区市整改习近平新时代中国特色社会主义思想的了在和是有不一二三四五，。、“”AaBb 1223年条个&<>\"'𠀀"
    pages = []
    for i in range(60):
        n = rng.randint(1, 5)
        secs = [Section("" if k == 0 else f"s{k}", "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))).strip()
                        or "题", " ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))).split()))
                for k in range(n)]
        folder = f"m{i // 4}"
        name = "index.md" if i % 4 == 0 else f"{i % 4:02d}-页.md"
        pages.append(PageText(f"{folder}/{name}", f"{folder}/{name[:-3]}/", "t", secs, unit="单位" if i % 4 == 0 else ""))
    return pages


@pytest.mark.browser
@pytest.mark.parametrize("files", ["shards", "one-shard", "gz", "bin", "js"])
def test_worker_answers_like_the_python_search(tmp_path, serve_dir, browser, files):
    """files: what the worker finds. A build's format 2: gram shards and text chunks (cut
    small here, so that terms span shards and results span chunks), or all in one shard. Format 1: the .bin.gz (+ .bin), only the .bin (a server that mangles .gz), an
    offline build's .js."""
    rng = random.Random(7)
    pages = _random_pages(rng) + _pages()
    index = build_index(pages)
    if files.startswith("shards") or files == "one-shard":
        write_sharded(index, tmp_path, shard_bytes=1 << 30 if files == "one-shard" else 512,
                      chunk_chars=300)
        assert load_sharded(tmp_path) == index
        grams = list((tmp_path / "search" / "grams").iterdir())
        assert len(grams) == 1 if files == "one-shard" else len(grams) > 16
    else:
        write_index(index, tmp_path, offline=files == "js")
    if files == "bin":
        (tmp_path / "search" / "gongwen_index.bin.gz").write_bytes(b"not gzip")
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy(WORKER, tmp_path / "assets" / "javascripts" / "gongwen-search.js")
    (tmp_path / "index.html").write_text("<!doctype html><meta charset=utf-8><title>t</title>", encoding="utf-8")
    texts = index["text"].split("\n") + index["titles"].split("\n")
    queries = ["党委", "我镇", "新世代", "习近平新时代", "aa", "AB", "党委 我镇", "&", "<b>", "𠀀", "的", "年", "1223年",
               "，", "题", "不存在的词"]
    for _ in range(120):  # substrings of the indexed text, and random strings
        t = rng.choice(texts)
        if t:
            a = rng.randrange(len(t))
            queries.append(t[a:a + rng.randint(1, 6)])
        queries.append("".join(rng.choice("党委我镇新时代aA 的") for _ in range(rng.randint(1, 4))))

    base = serve_dir(tmp_path)
    page = browser.new_page()
    page.goto(base)
    ready, answers = page.evaluate("""async (queries) => {
        const w = new Worker("assets/javascripts/gongwen-search.js")
        const ask = msg => new Promise(resolve => { w.onmessage = e => resolve(e.data); w.postMessage(msg) })
        const ready = await ask({ type: 0, data: { config: {}, docs: [], options: {} } })
        const out = []
        for (const q of queries) out.push((await ask({ type: 2, data: q })).data.items)
        w.terminate()
        return [ready, out]
    }""", queries)
    page.close()
    assert ready == {"type": 1}
    for q, groups in zip(queries, answers):
        expected = search(index, q)
        got = [(g[0]["location"], g[0]["score"]) for g in groups]
        assert got == [(h.url, h.score) for h in expected], q
        for g, h in zip(groups, expected):
            assert all(item["terms"] == {t: True for t in query_terms(q)} for item in g)
            # Sections listed under the page: the best ones, in the same order.
            listed = [item["location"] for item in g[1:]]
            assert listed == [s for s in h.sections if s != h.url][:len(listed)], q
            for item in g:  # every mark holds a term; nothing unescaped leaks through
                html = item["title"] + item["text"]
                assert "<b>" not in html and "<x>" not in html
                for mark in _marks(html):
                    assert any(t in mark.lower() for t in query_terms(q)), (q, html)


def _marks(html: str) -> list[str]:
    import html as _html
    import re
    return [_html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html)]


def test_shards_hold_every_gram_where_the_text_has_it(tmp_path):
    """Format 2: each character's (section, count) and each pair's positions, as the text has them."""
    index = build_index(_random_pages(random.Random(3)) + _pages())
    write_sharded(index, tmp_path, shard_bytes=512, chunk_chars=300)
    texts = [fold(t) for t in index["text"].split("\n")]
    grams = {t[i:i + n] for t in texts for n in (1, 2) for i in range(len(t) - n + 1)}
    grams = sorted(g for g in grams if all(ord(c) <= 0xFFFF for c in g))  # one code unit each
    rng = random.Random(5)
    for gram in rng.sample(grams, 200) + ["不存", "镇"]:
        want = {}
        for k, t in enumerate(texts):
            starts = [i for i in range(len(t)) if t.startswith(gram, i)] if gram else []
            if starts:
                want[k] = (len(starts), starts if len(gram) == 2 else [])
        got = posting(tmp_path, gram)
        assert {k: v[0] for k, v in got.items()} == {k: v[0] for k, v in want.items()}, gram
        # Positions count UTF-16 code units (as JavaScript does), not Python characters
        assert all(got[k][1] == _utf16_offsets(texts[k], want[k][1]) for k in want), gram


def _utf16_offsets(text: str, starts: list[int]) -> list[int]:
    return [len(text[:i].encode("utf-16-le")) // 2 for i in starts]


def test_a_rebuild_replaces_every_shard(tmp_path):
    big = build_index(_random_pages(random.Random(3)))
    write_sharded(big, tmp_path, shard_bytes=512, chunk_chars=300)
    (tmp_path / "search" / "gongwen_index.bin").write_text("stale format 1")
    small = build_index(_pages())
    write_sharded(small, tmp_path, shard_bytes=512, chunk_chars=300)
    assert load_sharded(tmp_path) == small
    names = {p.name for p in (tmp_path / "search").iterdir()}
    assert names == {"gongwen_meta.bin.gz", "grams", "text", "peers.json"}
    assert len(list((tmp_path / "search" / "text").iterdir())) == len(
        load_meta(tmp_path)["chunks"])


@pytest.mark.browser
def test_worker_searches_the_peers_of_a_split_build(tmp_path, serve_dir, browser):
    """A split build's parts list each other in search/peers.json: one query, every part's
    pages, ranked together; a peer's locations are relative to the asking site's root."""
    rng = random.Random(11)
    parts = {"2024": build_index(_random_pages(rng)), "2025": build_index(_pages()),
             "2023": build_index(_random_pages(rng))}
    for name, index in parts.items():
        write_sharded(index, tmp_path / name, shard_bytes=512, chunk_chars=300)
        peers = [f"../{other}/" for other in parts if other != name]
        (tmp_path / name / "search" / "peers.json").write_text(
            '{"v":1,"peers":%s}' % str(peers + ["https://outside.example/"]).replace("'", '"'))
    (tmp_path / "2024" / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy(WORKER, tmp_path / "2024" / "assets" / "javascripts" / "gongwen-search.js")
    (tmp_path / "2024" / "index.html").write_text("<!doctype html><meta charset=utf-8><title>t</title>",
                                                  encoding="utf-8")
    queries = ["党委", "我镇", "存在的问题", "习近平新时代", "的", "不存在的词"]
    base = serve_dir(tmp_path)
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "2024/")
    answers = page.evaluate("""async (queries) => {
        const w = new Worker("assets/javascripts/gongwen-search.js")
        const ask = msg => new Promise(resolve => { w.onmessage = e => resolve(e.data); w.postMessage(msg) })
        await ask({ type: 0, data: { config: {}, docs: [], options: {} } })
        const out = []
        for (const q of queries) out.push((await ask({ type: 2, data: q })).data.items)
        w.terminate()
        return out
    }""", queries)
    page.close()
    order = ["2024", "2025", "2023"]  # own site first, then the peers as listed
    for q, groups in zip(queries, answers):
        want = [((f"../{name}/" if name != "2024" else "") + h.url, h.score, s, i)
                for s, name in enumerate(order) for i, h in enumerate(search(parts[name], q))]
        want.sort(key=lambda w: (-w[1], w[2]))
        assert [(g[0]["location"], g[0]["score"]) for g in groups] == [w[:2] for w in want], q
        assert {g[0]["location"].split("/")[1] for g in groups if g[0]["location"].startswith("../")} \
            <= {"2023", "2025"}
    assert q == "不存在的词" and not groups
    assert not [u for u in requests if "outside.example" in u]  # a peer elsewhere is never fetched
