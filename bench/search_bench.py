"""Search: index size, time to ready, keystroke → results, precision and recall, for the
project (gongwen's exact-substring worker) beside plain Material (lunr + jieba).

    python -m bench.search_bench --sizes 100,1000 [--out bench/out/search] [--write-results]

Each site is served by `python -m http.server` (its own process) on 127.0.0.1 and opened in
Debian's headless chromium:

- ready: a cold browser context loads a material page; the time (performance.now(), i.e. from
  navigation start) at which Material's result panel leaves "正在初始化搜索引擎", which it
  does on the worker's READY. Median of several loads; the page's load event is noted beside.
- keystroke → results: on a ready page, the query is put in the box and a keyup dispatched
  (Material queries on keyup); the time until the result panel changes (a MutationObserver,
  so after Material rendered the first results). Per query the median of 3; reported as the
  median and the maximum over the query set (tests/search_queries.txt).
- precision / recall: the pages the worker answered (its RESULT message, read beside
  Material's own listener) against the truth, the material pages whose text contains the
  query (bench.generate.page_texts). Non-material pages (home, rules) are not counted.

"Plain" is Material's search plugin with jieba and the project's user dictionary, default
everything else, no hooks; `navigation.prune` only keeps a 1000-material site buildable
(unpruned, every page carries the whole navigation). Nothing here asserts timings.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.common import loadavg

REPO = Path(__file__).resolve().parent.parent
QUERIES_FILE = REPO / "tests" / "search_queries.txt"
RESULTS_MD = REPO / "bench" / "RESULTS.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
KINDS = ("project", "plain")
NAMES = {"project": "本项目（逐字匹配）", "plain": "原版 Material（lunr + jieba）"}

INIT = "正在初始化搜索引擎"
PLACEHOLDER = "键入以开始搜索"
NONE = "没有找到符合条件的结果"

PLAIN_SEARCH_YML = """# Plain Material search for the search bench: lunr + jieba with the project's user
# dictionary, no hooks, no custom_dir. navigation.prune only keeps a large site buildable.
site_name: 公文材料库
docs_dir: docs
site_dir: site-plain-search
theme:
  name: material
  language: zh
  font: false
  features:
    - navigation.prune
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
      jieba_dict_user: {dict}
{extensions}"""


# --------------------------------------------------------------------------- queries and scoring

def load_queries(path: Path = QUERIES_FILE) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _fold(s: str) -> str:
    return s.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def truth_for(queries: list[str], docs: Path, *, html_suffix: bool = False) -> dict[str, set[str]]:
    """{query: site paths (unquoted, relative to the site root) of the material pages whose
    text contains the query}. html_suffix: the paths an offline build (no directory URLs) has."""
    from bench.generate import page_texts, page_url

    texts = {rel: _fold(t) for rel, t in page_texts(docs).items()}

    def url(rel: str) -> str:
        if not html_suffix:
            return page_url(rel)
        return rel[:-3] + ".html"

    return {q: {url(rel) for rel, t in texts.items() if _fold(q) in t} for q in queries}


def evaluate(found: dict[str, set[str]], truth: dict[str, set[str]], universe: set[str]) -> dict:
    """Precision and recall over a query set, counting only pages in universe (the materials).
    micro: over all (query, page) pairs; macro: the mean of per-query figures (a query with no
    answer and no truth counts as 1)."""
    tp = fp = fn = 0
    per_p, per_r, wrong = [], [], {}
    for q, want in truth.items():
        got = found.get(q, set()) & universe
        a, b, c = len(got & want), len(got - want), len(want - got)
        tp, fp, fn = tp + a, fp + b, fn + c
        per_p.append(a / len(got) if got else 1.0 if not want else 0.0)
        per_r.append(a / len(want) if want else 1.0)
        if b or c:
            wrong[q] = {"extra": sorted(got - want)[:5], "missing": sorted(want - got)[:5], "fp": b, "fn": c}
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "precision_macro": statistics.mean(per_p) if per_p else 1.0,
        "recall_macro": statistics.mean(per_r) if per_r else 1.0,
        "wrong": wrong,
    }


# --------------------------------------------------------------------------- the page

# Keeps the pages of each RESULT the worker sends, beside Material's own listener.
CAPTURE_JS = """(() => {
  const Base = window.Worker
  if (!Base) return
  window.__searchAnswers = []
  window.__searchSuggestions = []
  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options)
      this.addEventListener("message", ev => {
        const msg = ev.data
        if (!msg || msg.type !== 3) return
        // a did-you-mean answer (gongwen/site/suggest.py): its first group names the correction
        const first = msg.data.items.length ? msg.data.items[0][0].title : ""
        window.__searchSuggestions.push(first.startsWith("您要找的是否是：")
          ? first.replace(/<[^>]*>/g, "").slice("您要找的是否是：".length) : null)
        window.__searchAnswers.push(msg.data.items.map(group => {
          const page = group.find(item => !item.location.includes("#")) || group[0]
          return page.location.split("#")[0]
        }))
      })
    }
  }
})()"""

# Loads every result into the list: Material renders 10, then 4 more each time the list is
# scrolled to its end (it reacts to the end coming into view, so scroll away and back).
SCROLL_ALL_JS = """async (n) => {
  const list = document.querySelector(".md-search-result__list")
  const wrap = document.querySelector(".md-search__scrollwrap")
  // Material reads the scroll position in an animation frame callback queued by the scroll
  // event; a task queued from our own frame callback runs after all of that frame's callbacks.
  const settled = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))
  for (let stall = 0; list.children.length < n && stall < 50; ) {
    const before = list.children.length
    wrap.scrollTop = 0
    await settled()
    wrap.scrollTop = wrap.scrollHeight
    await settled()
    stall = list.children.length === before ? stall + 1 : 0
  }
  return Array.from(list.querySelectorAll(":scope > li > a:first-child"), a => a.href)
}"""

TIME_QUERY_JS = """async (q) => {
  const input = document.querySelector("input.md-search__input")
  const meta = document.querySelector(".md-search-result__meta")
  return await new Promise(resolve => {
    let t0
    const obs = new MutationObserver(() => {
      obs.disconnect()
      resolve({ ms: performance.now() - t0, meta: meta.textContent.trim() })
    })
    obs.observe(meta.parentElement, { subtree: true, childList: true, characterData: true })
    input.value = q
    t0 = performance.now()
    input.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }))
  })
}"""


def result_count(meta: str) -> int:
    """The number in Material's result meta line (exact below 1000)."""
    if meta in (NONE, PLACEHOLDER, ""):
        return 0
    m = re.search(r"([\d.]+)(k?)", meta)
    if not m:
        raise ValueError(f"unexpected result line: {meta}")
    return round(float(m.group(1)) * (1000 if m.group(2) else 1))


class SearchBox:
    """Material's search box on a page, driven as a reader would (desktop layout)."""

    def __init__(self, page):
        self.page = page
        self.box = page.locator("input.md-search__input")

    def meta(self) -> str:
        return self.page.locator(".md-search-result__meta").inner_text().strip()

    def wait_ready(self, timeout: float = 120_000) -> float:
        """Wait for the worker's READY (the panel leaves its initializing text); returns
        performance.now() at that moment, in ms from navigation start."""
        self.page.wait_for_function(
            f"() => {{ const m = document.querySelector('.md-search-result__meta');"
            f" return m && m.textContent.trim() !== '{INIT}' }}", timeout=timeout, polling="raf")
        return self.page.evaluate("performance.now()")

    def open(self) -> None:
        self.page.click(".md-search__input")

    def _type(self, text: str) -> None:
        self.box.fill(text)
        self.box.press("End")  # Material queries on keyup; fill() alone sends none

    def ask(self, query: str, timeout: float = 60_000) -> list[str]:
        """Type query and return the href of every page in the result list, in order."""
        self.reset()
        self._type(query)
        self.page.wait_for_function(
            f"() => !['{PLACEHOLDER}', '{INIT}'].includes("
            f"document.querySelector('.md-search-result__meta').textContent.trim())", timeout=timeout)
        n = result_count(self.meta())
        if n == 0:
            return []
        hrefs = self.page.evaluate(SCROLL_ALL_JS, n)
        if len(hrefs) != n:
            raise AssertionError(f"{query}: the list shows {len(hrefs)} of {n} results")
        return hrefs

    def reset(self) -> None:
        """An empty box (Material skips a query equal to the last one, so clear in between)."""
        if self.page.evaluate("document.querySelector('input.md-search__input').value") != "":
            self._type("")
        self.page.wait_for_function(
            f"() => document.querySelector('.md-search-result__meta').textContent.trim() === '{PLACEHOLDER}'")

    def time_query(self, query: str) -> tuple[float, str]:
        """ms from the keyup to the result panel changing, and the panel's result line."""
        self.reset()
        r = self.page.evaluate(TIME_QUERY_JS, query)
        return r["ms"], r["meta"]

    def answer(self, query: str) -> list[str]:
        """The pages of the worker's answer to query (needs CAPTURE_JS). Our listener was
        added before Material's, so when the panel changes the answer is the last one kept."""
        self.time_query(query)
        return self.page.evaluate("window.__searchAnswers[window.__searchAnswers.length - 1]")

    def suggestion(self) -> str | None:
        """The correction the last answer suggested (needs CAPTURE_JS), or None."""
        return self.page.evaluate("window.__searchSuggestions[window.__searchSuggestions.length - 1]")


def site_path(href: str, base: str) -> str:
    """A result link as a path relative to the site root, unquoted, without ?h= or #."""
    path = unquote(urlsplit(href).path)
    root = unquote(urlsplit(base).path)
    return path.removeprefix(root)


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# --------------------------------------------------------------------------- sites

class Served:
    """A folder served by `python -m http.server` in its own process on 127.0.0.1."""

    def __init__(self, root: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
                                      "--directory", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}/"
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(self.base, timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("http.server did not start")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def plain_search_config(project_yml: str) -> str:
    m = re.search(r"^markdown_extensions:\n(?:(?:  .*)?\n)*", project_yml, re.MULTILINE)
    return PLAIN_SEARCH_YML.format(dict=REPO / "gongwen" / "data" / "jieba_user_dict.txt",
                                   extensions=m.group(0) if m else "")


def build(root: Path, kind: str) -> tuple[Path, float]:
    """Build kind in root (docs/ and the configs there); returns the site and the seconds."""
    cfg = root / ("mkdocs.yml" if kind == "project" else "plain-search.yml")
    site = root / ("site" if kind == "project" else "site-plain-search")
    env = {**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"}
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(site)],
                       cwd=root, env=env, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise RuntimeError(f"mkdocs build ({kind}) failed:\n{p.stderr[-3000:]}")
    return site, time.perf_counter() - t0


def index_bytes(site: Path, kind: str) -> tuple[int, int]:
    """(bytes of the index as served, bytes uncompressed) for search. The project's format 2
    is many files (meta, gram shards, text chunks), of which a browser fetches a few."""
    if kind == "project":
        import gzip

        meta = (site / "search" / "search_index.json").stat().st_size  # Material's, config only
        files = [p for p in (site / "search").rglob("*.bin.gz")]
        if not files:  # format 1
            return ((site / "search" / "gongwen_index.bin.gz").stat().st_size + meta,
                    (site / "search" / "gongwen_index.bin").stat().st_size + meta)
        return (sum(p.stat().st_size for p in files) + meta,
                sum(len(gzip.decompress(p.read_bytes())) for p in files) + meta)
    size = (site / "search" / "search_index.json").stat().st_size
    return size, size


def first_material_page(docs: Path) -> str:
    from bench.generate import page_url

    index = min(docs.glob("*/index.md"))
    return page_url(index.relative_to(docs).as_posix())


# --------------------------------------------------------------------------- measuring

def measure_site(site: Path, kind: str, *, docs: Path, queries: list[str], truth: dict, loads: int,
                 log=print) -> dict:
    from playwright.sync_api import sync_playwright

    server = Served(site)
    start = first_material_page(docs)
    universe = set().union(*truth.values()) | _material_paths(docs)
    out: dict = {"kind": kind}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            ready, load = [], []
            for _ in range(loads):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.goto(server.base + start)
                ready.append(SearchBox(page).wait_ready())
                load.append(page.evaluate("performance.timing.loadEventEnd - performance.timing.navigationStart"))
                ctx.close()
            out["ready_ms"] = statistics.median(ready)
            out["ready_all"] = [round(x) for x in ready]
            out["load_ms"] = statistics.median(load)
            log(f"{kind}: ready {[round(x) for x in ready]} ms (load event {statistics.median(load):.0f} ms)")

            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            ctx.add_init_script(CAPTURE_JS)
            page = ctx.new_page()
            hosts: set[str] = set()
            page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or ""))
            page.goto(server.base + start)
            box = SearchBox(page)
            box.wait_ready()
            box.open()
            found, times = {}, {}
            for q in queries:
                answer = box.answer(q)
                found[q] = {unquote(u.split("?")[0]) for u in answer}
                corrected = box.suggestion() if kind == "project" else None
                if corrected:  # did-you-mean: the corrected query's pages are not this query's hits
                    found[q] -= {unquote(u.split("?")[0]) for u in box.answer(corrected)}
                times[q] = statistics.median(box.time_query(q)[0] for _ in range(3))
            ctx.close()
            browser.close()
        out["query_ms"] = times
        out["query_ms_median"] = statistics.median(times.values())
        out["query_ms_max"] = max(times.values())
        out["query_ms_max_query"] = max(times, key=times.get)
        out["hosts"] = sorted(hosts - {"127.0.0.1"})
        out.update(evaluate(found, truth, universe))
        out["results"] = {q: len(found[q] & universe) for q in queries}
    finally:
        server.close()
    return out


def _material_paths(docs: Path) -> set[str]:
    from bench.generate import page_texts, page_url

    return {page_url(rel) for rel in page_texts(docs)}


def run(sizes, out_dir, *, loads: int = 5, seed: int = 0, roots: dict | None = None, reuse: bool = False,
        log=None) -> list[dict]:
    """Measure both kinds at each size; returns one dict per (size, kind).

    roots: {n: folder holding docs/, mkdocs.yml and the project's site built from them} (the
    runner's workspaces); otherwise out_dir/n{N} is made with a generated corpus and the
    project's config, and built.
    reuse: keep corpora and sites already in out_dir (the worker and index files refreshed)."""
    from bench.generate import generate

    log = log or (lambda msg: print(f"[search] {msg}", file=sys.stderr, flush=True))
    out_dir = Path(out_dir)
    queries = load_queries()
    rows = []
    for n in sizes:
        root = Path((roots or {}).get(n) or out_dir / f"n{n}")
        kept = reuse and all((root / d / "index.html").exists() for d in ("site", "site-plain-search"))
        if kept:  # bring the worker and the index files up to date without a rebuild
            from gongwen.site.search_shards import load_built, write_sharded

            shutil.copy(REPO / "overrides" / "assets" / "javascripts" / "gongwen-search.js",
                        root / "site" / "assets" / "javascripts" / "gongwen-search.js")
            write_sharded(load_built(root / "site"), root / "site")
        elif not (roots and n in roots):
            root.mkdir(parents=True, exist_ok=True)
            for name in ("hooks", "overrides"):
                shutil.rmtree(root / name, ignore_errors=True)
                shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
            (root / "gongwen").mkdir(exist_ok=True)
            shutil.copytree(REPO / "gongwen" / "data", root / "gongwen" / "data", dirs_exist_ok=True)
            generate(n, root / "docs", seed)
        (root / "plain-search.yml").write_text(
            plain_search_config((REPO / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
        docs = root / "docs"
        md = sum(p.stat().st_size for p in docs.rglob("*.md"))
        truth = truth_for(queries, docs)
        for kind in KINDS:
            site = root / ("site" if kind == "project" else "site-plain-search")
            seconds = None
            if not kept and (kind == "plain" or not (roots and n in roots)):  # roots: project built
                log(f"N={n}: building {kind} …")
                site, seconds = build(root, kind)
            got, raw = index_bytes(site, kind)
            row = {"n": n, "kind": kind, "md_bytes": md, "index_bytes": got, "index_raw_bytes": raw,
                   "build_s": seconds, "queries": len(queries), "truth": {q: len(t) for q, t in truth.items()}}
            row["index_ratio"] = got / md
            row["index_raw_ratio"] = raw / md
            row.update(measure_site(site, kind, docs=docs, queries=queries, truth=truth, loads=loads, log=log))
            log(f"N={n} {kind}: P={row['precision']:.3f} R={row['recall']:.3f} "
                f"ready={row['ready_ms']:.0f} ms query median={row['query_ms_median']:.0f} ms")
            rows.append(row)
    return rows


# --------------------------------------------------------------------------- report

def report(rows: list[dict], command: str = "", conditions: str = "") -> str:
    def mb(b):
        return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.0f} KB"

    head = ("| 材料数 | 搜索 | Markdown | 索引（未压缩） | 下载量 | 就绪（页面打开起，中位数） "
            "| 按键→结果（中位数 / 最慢） | 准确率 P | 召回率 R | 逐查询平均 P / R |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        slow = f"{r['query_ms_max']:.0f} ms（{r['query_ms_max_query']}）"
        lines.append(
            f"| {r['n']} | {NAMES[r['kind']]} | {mb(r['md_bytes'])} "
            f"| {mb(r['index_raw_bytes'])}（{r['index_raw_ratio']:.2f}×） | {mb(r['index_bytes'])}（{r['index_ratio']:.2f}×） "
            f"| {r['ready_ms'] / 1000:.2f} s（load 事件 {r['load_ms'] / 1000:.2f} s） "
            f"| {r['query_ms_median']:.0f} ms / {slow} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['precision_macro']:.3f} / {r['recall_macro']:.3f} |")
    examples = ["党委", "我镇", "2023年", "45条", "近平", "新世代"]
    big = max((r["n"] for r in rows), default=0)
    sample = [r for r in rows if r["n"] == big and "truth" in r]
    if sample:
        ex_head = ("| 查询（" + f"{big} 份材料）" + " | 真值 | " + " | ".join(NAMES[r["kind"]] for r in sample)
                   + " |\n|---|---|" + "---|" * len(sample) + "\n")
        ex_rows = "\n".join(f"| {q} | {sample[0]['truth'][q]} | " + " | ".join(str(r["results"][q]) for r in sample)
                             + " |" for q in examples if q in sample[0]["truth"])
    wrong = []
    for r in rows:
        bad = sorted(r["wrong"].items(), key=lambda kv: -(kv[1]["fp"] + kv[1]["fn"]))[:6]
        if bad:
            wrong.append(f"- {r['n']} 份，{NAMES[r['kind']]}："
                         + "；".join(f"{q}（多 {w['fp']}、漏 {w['fn']}）" for q, w in bad))
    text = [
        (f"查询集：`tests/search_queries.txt`，{rows[0]['queries'] if rows else 0} 个查询；真值为正文（去掉 "
         "front matter、标题与加粗标记）含该查询的材料页面（`bench.generate.page_texts`），首页与规则页不计。"
         "P、R 按（查询，页面）对汇总；“逐查询平均”为各查询 P、R 的平均。"),
        "",
        head + "\n".join(lines),
        "",
        ("就绪：冷启动的浏览器上下文打开一份材料的页面，到 Material 的结果面板离开“正在初始化搜索引擎”（worker 发出 "
         "READY）的时间，从导航开始计（含页面本身的加载）。按键→结果：就绪后把查询放进搜索框并触发 keyup，到结果面板"
         "更新（Material 已渲染前 10 条）的时间，每个查询 3 次取中位数。站点由 `python -m http.server` 在 127.0.0.1 "
         "提供，Debian chromium 无头模式。原版 Material：search 插件（jieba + 项目用户词典），仅加 "
         "`navigation.prune` 使 1000 份材料的站点可构建。"),
        "",
        ("索引大小：本项目构建的站点用第 2 版索引（元数据文件、字符与字对分片、正文分块，均为 gzip），"
         "表中是全部文件之和；浏览器打开页面只下载元数据文件，查询时再下载所需分片和前几条结果的正文分块。"
         "生成语料由种子材料的句子重组而成，重复极多，gzip 能压到约 1/18；真实材料重复少得多（种子材料单篇 "
         "UTF-16 gzip 约 1/1.6），真实的 1000 份材料下载量估计约为未压缩索引的一半（约 5 MB）。"),
    ]
    if sample:
        text += ["", "几个查询找到的材料页面数：", "", ex_head + ex_rows]
    if wrong:
        text += ["", "与真值不符最多的查询（多 = 不含该词却列出的页面，漏 = 含该词却没列出的页面）：", *wrong]
    if command:
        text += ["", f"命令：`{command}`"]
    if conditions:
        text += ["", conditions]
    return "\n".join(text) + "\n"


def write_results_section(body: str, path: Path = RESULTS_MD) -> None:
    """Replace (or append) the `## 搜索` section of bench/RESULTS.md, leaving the rest alone."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# 基准测试结果\n"
    section = f"## 搜索\n\n{body}"
    m = re.search(r"^## 搜索\n.*?(?=^## |\Z)", old, re.DOTALL | re.MULTILINE)
    new = old[:m.start()] + section + "\n" + old[m.end():] if m else old.rstrip("\n") + "\n\n" + section
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- the runner's section

try:
    from bench.common import Context, section
except ImportError:  # pragma: no cover - standalone use without the runner
    section = None

if section is not None:
    @section("search", "搜索", order=40)
    def search_section(ctx: Context) -> str:
        roots = {n: ctx.workspace(n).root for n in ctx.sizes}
        for n in ctx.sizes:
            ctx.workspace(n).ensure_built("project")  # built once per run, shared with the build section
        rows = run(ctx.sizes, ctx.workspace(ctx.sizes[0]).root.parent / "search", roots=roots, seed=ctx.seed,
                   log=ctx.log)
        ctx.record("search", rows)
        return report(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.search_bench", description="搜索基准测试")
    ap.add_argument("--sizes", default="100,1000", help="材料份数，逗号分隔（默认 100,1000）")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "search", help="工作目录")
    ap.add_argument("--loads", type=int, default=5, help="测就绪时间的冷启动次数")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write-results", action="store_true", help="把结果写入 bench/RESULTS.md 的“搜索”一节")
    ap.add_argument("--reuse", action="store_true", help="沿用工作目录中已生成的语料和已构建的站点（只更新 worker 脚本）")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    started, load_before = time.strftime("%Y-%m-%d %H:%M"), loadavg()
    rows = run(sizes, args.out, loads=args.loads, seed=args.seed, reuse=args.reuse)
    conditions = (f"测量：提交 {commit}，{started} 起，开始与结束时的系统负载（1、5、15 分钟平均）{load_before} → {loadavg()}；"
                  "机器见上文“机器”一节。")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "search.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    cmd = "python -m bench.search_bench " + " ".join(argv if argv is not None else sys.argv[1:])
    body = report(rows, cmd.strip(), conditions)
    print(body)
    if args.write_results:
        write_results_section(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
