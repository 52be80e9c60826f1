"""A city's archive: N materials (10,000 by default) built once, then searched with the
project's worker and with Pagefind 1.5 on the same built site, the same queries.

    python -m bench.archive_bench --n 10000 --root bench/out/archive [--varied 0.8]
                                  [--skip-build] [--no-pagefind] [--write-results]

The corpus is `bench.generate` with `--varied`: most sentences replaced by words drawn from
jieba's dictionary by frequency, so the index compresses like real materials (the ratio is
printed beside the figures; the plain generated corpus gzips ~19x, real texts ~2x).

- build: one cold `properdocs build` (no .cache/), then a warm one (the page cache kept),
  each under /usr/bin/time -v: wall, CPU, peak RSS, HTML pages written.
- Pagefind: `python -m pagefind --site SITE` indexing each page's <article> (as our index
  does), into SITE/pagefind; its wall time and size.
- Both in headless chromium against one in-process HTTP server that counts the bytes of
  every response: a cold context (empty cache) opens a material page; ready = our worker's
  READY (Material's panel leaves "正在初始化搜索引擎"), for Pagefind `await pagefind.init()`
  on a bare page; transfer = every byte served to that context until ready, and until the
  first query answered. Per query, the first time (shards not yet fetched) and the median of
  two repeats; Pagefind's query = search() plus the data of its first 5 results (what a
  result list shows first).
- P/R against the truth (material pages whose text holds the query). Ours: every result.
  Pagefind returns result ids whose page is known only by fetching each result's fragment:
  its precision is measured on the first 200 results' pages, its recall estimated as
  (results x that precision) / truth. Both say so in the report.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.common import loadavg
from bench.search_bench import (CAPTURE_JS, CHROMIUM, CHROMIUM_ARGS, SearchBox, evaluate,
                                first_material_page, load_queries, truth_for)

REPO = Path(__file__).resolve().parent.parent
RESULTS_MD = REPO / "bench" / "RESULTS.md"
PF_SAMPLE = 200
PF_SHOWN = 5


# --------------------------------------------------------------------------- the corpus and the build

def prepare(root: Path, n: int, varied: float, log, *, similar: bool = True) -> None:
    from bench.generate import generate

    docs = root / "docs"
    marker = docs / ".bench-generated"
    want = f"n={n} seed=0" + (f" varied={varied}" if varied else "")
    if not (marker.is_file() and marker.read_text(encoding="utf-8").strip() == want):
        log(f"生成 {n} 份材料（varied={varied}）……")
        generate(n, docs, 0, varied=varied)
    for name in ("hooks", "overrides"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if not similar:  # copy detection does not touch the search index; the hook goes
        config = re.sub(r"\n  # After gongwen_hooks: copy detection[^\n]*\n  - hooks/similar_hooks.py", "", config)
        assert "- hooks/similar_hooks.py" not in config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def timed(cmd: list[str], cwd: Path, log) -> dict:
    """Run cmd under /usr/bin/time -v: wall s, CPU s, peak RSS bytes."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} 失败：\n{p.stderr[-3000:]}")
    field = lambda name: float(re.search(rf"{name}: ([\d.]+)", p.stderr).group(1))  # noqa: E731
    out = {"wall_s": wall, "cpu_s": field("User time \\(seconds\\)") + field("System time \\(seconds\\)"),
           "peak_bytes": int(field("Maximum resident set size \\(kbytes\\)")) * 1024}
    log(f"{Path(cmd[0]).name} {cmd[1]}: {wall:.0f} s, CPU {out['cpu_s']:.0f} s, "
        f"峰值 {out['peak_bytes'] / 2**30:.2f} GiB")
    return out


def build(root: Path, log, *, warm: bool = True) -> dict:
    engine = REPO / ".venv" / "bin" / "properdocs"
    cmd = [str(engine if engine.exists() else "properdocs"), "build", "-q", "-f", "mkdocs.yml", "-d", "site"]
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    log("冷构建……")
    cold = timed(cmd, root, log)
    out = {"cold": cold}
    if warm:
        log("热构建（保留 .cache/）……")
        out["warm"] = timed(cmd, root, log)
    out["html_pages"] = sum(1 for _ in (root / "site").rglob("*.html"))
    return out


def pagefind(site: Path, log) -> dict:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    log("Pagefind 建索引……")
    out = timed([sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", "article",
                 "--exclude-selectors", ".headerlink"], site, log)
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    out["index_bytes"] = sum(p.stat().st_size for p in files)
    out["files"] = len(files)
    return out


def index_figures(site: Path) -> dict:
    """Our index: bytes on disk (all gzip), the text it holds and how well that compresses."""
    from gongwen.site.search_index import serialize
    from gongwen.site.search_shards import load_built

    files = [p for p in (site / "search").rglob("*.bin.gz")]
    raw = serialize(load_built(site)).encode("utf-16-le")
    return {"index_bytes": sum(p.stat().st_size for p in files), "files": len(files),
            "meta_bytes": (site / "search" / "gongwen_meta.bin.gz").stat().st_size,
            "text_utf16_bytes": len(raw), "gzip_ratio": len(raw) / len(gzip.compress(raw, 6))}


# --------------------------------------------------------------------------- serving, counting bytes

class Counting:
    """A folder served on 127.0.0.1 by a thread of this process; counts the bytes it sends."""

    def __init__(self, root: Path):
        self.sent = 0
        self.paths: list[str] = []
        lock = threading.Lock()
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *a, **k):
                pass

            def copyfile(self, source, dest):
                data = source.read()
                dest.write(data)
                with lock:
                    outer.sent += len(data)
                    outer.paths.append(unquote(urlsplit(self.path).path))

        handler = functools.partial(Handler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def reset(self) -> None:
        self.sent = 0
        self.paths = []

    def close(self) -> None:
        self.server.shutdown()


# --------------------------------------------------------------------------- measuring

def measure_ours(server: Counting, start: str, queries: list[str], truth: dict, universe: set,
                 loads: int, log) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ready, at_ready, at_first = [], [], []
        for _ in range(loads):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            server.reset()
            page.goto(server.base + start)
            box = SearchBox(page)
            ready.append(box.wait_ready())
            at_ready.append(server.sent)
            search_files = [x for x in server.paths if x.startswith("/search/")]
            box.open()
            box.time_query(queries[0])
            at_first.append(server.sent)
            ctx.close()
        out.update(ready_ms=statistics.median(ready), ready_all=[round(x) for x in ready],
                   bytes_ready=statistics.median(at_ready), bytes_first_query=statistics.median(at_first),
                   search_files_at_ready=sorted(set(search_files)))
        log(f"本项目：就绪 {out['ready_all']} ms，就绪前下载 {out['bytes_ready'] / 1e6:.2f} MB，"
            f"首次查询后 {out['bytes_first_query'] / 1e6:.2f} MB")

        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.add_init_script(CAPTURE_JS)
        page = ctx.new_page()
        page.goto(server.base + start)
        box = SearchBox(page)
        box.wait_ready()
        box.open()
        first, again, found, suggested = {}, {}, {}, {}
        for q in queries:
            first[q] = box.time_query(q)[0]
            again[q] = statistics.median(box.time_query(q)[0] for _ in range(2))
            found[q] = {unquote(u.split("?")[0].split("#")[0]) for u in box.answer(q)}
            corrected = box.suggestion()
            if corrected:  # did-you-mean: the corrected query's pages are not this query's hits
                suggested[q] = corrected
                found[q] -= {unquote(u.split("?")[0].split("#")[0]) for u in box.answer(corrected)}
        ctx.close()
        browser.close()
    found = {q: {urlsplit(u).path.lstrip("/") for u in v} for q, v in found.items()}
    out.update(query_first_ms=statistics.median(first.values()), query_ms=statistics.median(again.values()),
               query_first_max=max(first.values()), query_first_max_query=max(first, key=first.get),
               suggested=suggested)
    out.update(evaluate(found, truth, universe))
    return out


PF_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind</title>
<script type="module">
const pf = await import("./pagefind/pagefind.js")
await pf.init()
window.pagefind = pf
window.pfReady = performance.now()
</script>"""

PF_QUERY_JS = """async (q) => {
  const t0 = performance.now()
  const s = await window.pagefind.search(q)
  await Promise.all(s.results.slice(0, %d).map(r => r.data()))
  return performance.now() - t0
}""" % PF_SHOWN

PF_ANSWER_JS = """async ([q, n]) => {
  const s = await window.pagefind.search(q)
  const data = await Promise.all(s.results.slice(0, n).map(r => r.data()))
  return [s.results.length, data.map(d => d.url)]
}"""


def measure_pagefind(server: Counting, site: Path, queries: list[str], truth: dict, universe: set,
                     loads: int, log) -> dict:
    from playwright.sync_api import sync_playwright

    (site / "pagefind-bench.html").write_text(PF_PAGE, encoding="utf-8")
    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ready, at_ready, at_first = [], [], []
        for _ in range(loads):
            ctx = browser.new_context()
            page = ctx.new_page()
            server.reset()
            page.goto(server.base + "pagefind-bench.html")
            page.wait_for_function("() => window.pfReady !== undefined", timeout=300_000)
            ready.append(page.evaluate("window.pfReady"))
            at_ready.append(server.sent)
            page.evaluate(PF_QUERY_JS, queries[0])
            at_first.append(server.sent)
            ctx.close()
        out.update(ready_ms=statistics.median(ready), ready_all=[round(x) for x in ready],
                   bytes_ready=statistics.median(at_ready), bytes_first_query=statistics.median(at_first))
        log(f"Pagefind：就绪 {out['ready_all']} ms，就绪前下载 {out['bytes_ready'] / 1e6:.2f} MB，"
            f"首次查询后 {out['bytes_first_query'] / 1e6:.2f} MB")
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(server.base + "pagefind-bench.html")
        page.wait_for_function("() => window.pfReady !== undefined", timeout=300_000)
        first, again, tp, fp, fn = {}, {}, 0, 0, 0
        per_query = {}
        for q in queries:
            first[q] = page.evaluate(PF_QUERY_JS, q)
            again[q] = statistics.median(page.evaluate(PF_QUERY_JS, q) for _ in range(2))
            count, urls = page.evaluate(PF_ANSWER_JS, [q, PF_SAMPLE])
            pages = {unquote(u).lstrip("/") for u in urls} & universe
            good = len(pages & truth[q])
            precision = good / len(pages) if pages else (1.0 if not truth[q] else 0.0)
            found = min(len(truth[q]), round(count * precision)) if count else 0
            per_query[q] = {"results": count, "sample_precision": precision, "truth": len(truth[q])}
            tp += found
            fp += round(count * (1 - precision))
            fn += len(truth[q]) - found
        ctx.close()
        browser.close()
    out.update(query_first_ms=statistics.median(first.values()), query_ms=statistics.median(again.values()),
               precision=tp / (tp + fp) if tp + fp else 1.0, recall=tp / (tp + fn) if tp + fn else 1.0,
               per_query=per_query)
    return out


# --------------------------------------------------------------------------- report

def report(r: dict, command: str) -> str:
    mb = lambda b: f"{b / 1e6:.1f} MB"  # noqa: E731
    gib = lambda b: f"{b / 2**30:.2f} GiB"  # noqa: E731
    ours, pf, idx, b = r["ours"], r.get("pagefind"), r["index"], r.get("build")
    lines = [
        f"语料：`python -m bench.generate {r['n']} DOCS --varied {r['varied']}`，"
        f"Markdown {mb(r['md_bytes'])}；索引所含文本（UTF-16）{mb(idx['text_utf16_bytes'])}，"
        f"gzip 压缩比 **{idx['gzip_ratio']:.2f}×**（真实材料约 2×）。",
        "",
    ]
    if b:
        lines += [
            "| 构建 | 墙钟 | CPU | 峰值内存 |", "|---|---:|---:|---:|",
            f"| 冷构建（无 .cache/） | {b['cold']['wall_s']:.0f} s | {b['cold']['cpu_s']:.0f} s | {gib(b['cold']['peak_bytes'])} |",
            *([f"| 热构建（保留 .cache/） | {b['warm']['wall_s']:.0f} s | {b['warm']['cpu_s']:.0f} s | {gib(b['warm']['peak_bytes'])} |"]
              if "warm" in b else []),
            "", f"站点 HTML 页面 {b['html_pages']} 个。"
            + ("" if r["similar"] else "构建时去掉了雷同检测的钩子（hooks/similar_hooks.py，它不影响搜索索引），只为测搜索。"), "",
        ]
    head = "| 搜索 | 索引大小 | 冷加载到就绪的下载量 | 到首次查询答复 | 就绪 | 查询（首次） | 查询（再次） | P | R |"
    lines += [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
              f"| 本项目（第 2 版分片索引） | {mb(idx['index_bytes'])}（{idx['files']} 个文件） | {mb(ours['bytes_ready'])} "
              f"| {mb(ours['bytes_first_query'])} | {ours['ready_ms']:.0f} ms | {ours['query_first_ms']:.0f} ms "
              f"| {ours['query_ms']:.0f} ms | {ours['precision']:.3f} | {ours['recall']:.3f} |"]
    if pf:
        lines.append(
            f"| Pagefind 1.5 | {mb(pf['index_bytes'])}（{pf['files']} 个文件） | {mb(pf['bytes_ready'])} "
            f"| {mb(pf['bytes_first_query'])} | {pf['ready_ms']:.0f} ms | {pf['query_first_ms']:.0f} ms "
            f"| {pf['query_ms']:.0f} ms | {pf['precision']:.3f}* | {pf['recall']:.3f}* |")
    lines += [
        "",
        f"查询 {r['queries']} 个（tests/search_queries.txt），各取中位数；就绪取 {r['loads']} 次冷加载的中位数"
        f"（本项目 {ours['ready_all']} ms）。下载量含页面本身：本项目是一页材料（HTML、CSS、JS、字体），Pagefind 是只加载其 pagefind.js 的空白页。"
        f"本项目首次查询最慢的是“{ours['query_first_max_query']}”（{ours['query_first_max']:.0f} ms）。"
        + "".join(f"“{q}”提示“您要找的是否是：{c}”；" for q, c in ours.get("suggested", {}).items())
        + "提示下列出的改正后查询的结果不计入原查询的 P/R。",
    ]
    if pf:
        lines += ["", f"\\* Pagefind 的结果只有编号，页面地址要逐条取其片段：P 按前 {PF_SAMPLE} 条结果的页面计，"
                  "R 按“结果数 × 该精确率 ÷ 真值数”估计。Pagefind 的查询时间含前 5 条结果的片段。"
                  f"建索引 {pf['wall_s']:.0f} s，峰值 {gib(pf['peak_bytes'])}。"]
    lines += ["", f"命令：`{command}`；提交 {r['commit']}；机器 {r['machine']}；负载 {r['load']}。"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.archive_bench", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--root", type=Path, default=REPO / "bench" / "out" / "archive")
    ap.add_argument("--varied", type=float, default=0.8)
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--skip-build", action="store_true", help="用 ROOT/site 中已构建的站点")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--no-similar", action="store_true", help="构建时不启用雷同检测钩子（只测搜索）")
    ap.add_argument("--cold-only", action="store_true", help="只做冷构建")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args(argv)
    log = lambda msg: print(f"[archive] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    root = args.root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    prepare(root, args.n, args.varied, log, similar=not args.no_similar)
    docs, site = root / "docs", root / "site"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()  # what is measured
    r: dict = {"n": args.n, "varied": args.varied, "loads": args.loads, "similar": not args.no_similar,
               "md_bytes": sum(p.stat().st_size for p in docs.rglob("*.md"))}
    if not args.skip_build:
        r["build"] = build(root, log, warm=not args.cold_only)
    r["index"] = index_figures(site)
    log(f"索引 {r['index']['index_bytes'] / 1e6:.1f} MB，文本 gzip 压缩比 {r['index']['gzip_ratio']:.2f}×")
    if not args.no_pagefind:
        r["pagefind"] = pagefind(site, log)
    queries = load_queries()
    log("计算真值……")
    truth = truth_for(queries, docs)
    from bench.search_bench import _material_paths
    universe = set().union(*truth.values()) | _material_paths(docs)
    server = Counting(site)
    try:
        r["ours"] = measure_ours(server, first_material_page(docs), queries, truth, universe, args.loads, log)
        log(f"本项目：P={r['ours']['precision']:.3f} R={r['ours']['recall']:.3f}")
        if not args.no_pagefind:
            r["pagefind"].update(measure_pagefind(server, site, queries, truth, universe, args.loads, log))
            log(f"Pagefind：P≈{r['pagefind']['precision']:.3f} R≈{r['pagefind']['recall']:.3f}")
    finally:
        server.close()
    r["queries"] = len(queries)
    r["commit"] = commit
    r["machine"] = f"{os.cpu_count()} 核，{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB 内存"
    r["load"] = loadavg()
    body = report(r, "python -m bench.archive_bench " + " ".join(argv if argv is not None else sys.argv[1:]))
    print(body)
    if args.json:
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1, default=list), encoding="utf-8")
    if args.write_results:
        write_section(body)
    return 0


def write_section(body: str, path: Path = RESULTS_MD) -> None:
    start, end = "<!-- archive-bench:start -->", "<!-- archive-bench:end -->"
    text = path.read_text(encoding="utf-8")
    block = f"{start}\n{body}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text += f"\n## 一万份材料的档案库（issue 22）\n\n{block}\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
