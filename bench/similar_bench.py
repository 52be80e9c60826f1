"""Copy detection: accuracy on a labelled corpus and time/memory at 100/1000/3000 materials.

    python -m bench.run --only similar --sizes 100,1000,3000
    python -m bench.similar_bench --sizes 100,1000,3000      # the same, standalone

Each size runs in its own process (peak RSS is that process's): generate the labelled
corpus (bench/similar_corpus.py, untimed), load every material and reference (timed apart),
compare (gongwen.similar.compare), then score the reports against the labels. A report is
right when both units belong to one family of injected copies (a source point and its
copies, which are also copies of each other); recall counts labelled (copy, source) pairs
found in either direction, at either level (exact or paraphrase). Each level (L1-L4) gets its
recall and the precision of the reports touching its copies; the paraphrase level's reports
are scored on their own too. Reports between units of no family are reports on materials
that share only stock phrases.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.common import BIN, Context, loadavg, mib, run_measured, secs, section, table

ROOT = Path(__file__).resolve().parent.parent


def measure(n: int, seed: int, work: Path) -> dict:
    import resource

    from bench.similar_corpus import generate
    from gongwen.read import load
    from gongwen.similar import compare, load_config

    info = generate(n, work, seed=seed)
    t0, c0 = time.perf_counter(), time.process_time()
    mats = [load(p) for p in sorted((work / "materials").glob("*.txt"))]
    refs = [load(p) for p in sorted((work / "references").glob("*.txt"))]
    t1, c1 = time.perf_counter(), time.process_time()
    cfg = load_config()
    matches = compare(mats, refs, cfg)
    t2, c2 = time.perf_counter(), time.process_time()

    def unit(path: str, line: int) -> tuple[str, int]:
        return Path(path).relative_to(work).as_posix(), line

    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    truth: dict[frozenset, str] = {}  # labelled (copy, source) pair -> level
    level_of_unit: dict[tuple, str] = {}  # a copy unit -> its level
    for lab in info["labels"]:
        c, s = (lab["copy"], lab["copy_line"]), (lab["source"], lab["source_line"])
        truth[frozenset((c, s))] = lab["level"]
        level_of_unit[c] = lab["level"]
        parent[find(c)] = find(s)
    reports: dict[frozenset, set[str]] = {}  # reported pair -> levels it was reported at
    for m in matches:
        pair = frozenset((unit(m.a.path, m.a.line), unit(m.b.path, m.b.line)))
        reports.setdefault(pair, set()).add(m.level)

    def right(pair) -> bool:
        return len(pair) == 2 and all(x in parent for x in pair) and len({find(x) for x in pair}) == 1

    def level(pair) -> str | None:
        """The level a report belongs to: its labelled pair's, else a copy unit's in it."""
        if pair in truth:
            return truth[pair]
        found = sorted(level_of_unit[x] for x in pair if x in level_of_unit)
        return found[0] if found else None

    levels = {}
    for lv in ("L1", "L2", "L3", "L4"):
        labelled = [p for p, v in truth.items() if v == lv]
        mine = [p for p in reports if level(p) == lv]
        levels[lv] = {"labels": len(labelled), "found": sum(p in reports for p in labelled),
                      "reported": len(mine), "right": sum(right(p) for p in mine)}
    para = [p for p, lv in reports.items() if "paraphrase" in lv]
    levels["洗稿"] = {"reported": len(para), "right": sum(right(p) for p in para)}
    stock_only = [p for p in reports if not any(x in parent for x in p)]
    found = [p for p in truth if p in reports]
    return {"n": n, "bytes": info["bytes"], "labels": len(truth), "reported": len(reports),
            "right": sum(right(p) for p in reports), "found": len(found), "stock_only": len(stock_only),
            "precision": sum(right(p) for p in reports) / len(reports) if reports else 1.0,
            "recall": len(found) / len(truth) if truth else 1.0, "levels": levels,
            "load_s": t1 - t0, "load_cpu": c1 - c0, "compare_s": t2 - t1, "compare_cpu": c2 - c1,
            "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "min_run": cfg.min_run, "min_share": cfg.min_share}


def measure_site(n: int, seed: int, work: Path) -> dict:
    """The site's side on the project's own bench corpus (bench.generate: every material
    recombines the one seed text, so many share whole sentences): the first comparison of the
    catalogue, then one edit at a time (a paragraph appended to a section file)."""
    import resource
    import statistics

    from bench.generate import generate as generate_site
    from gongwen.site.catalogue import Catalogue
    from gongwen.site.similar import SiteSimilarity

    generate_site(n, work / "docs", seed=seed)
    cat = Catalogue(work / "docs")
    entries = cat.scan()
    sim = SiteSimilarity()
    t0, c0 = time.perf_counter(), time.process_time()
    sim.update(entries)
    first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
    stats = dict(sim.engine.stats)
    matches = len(sim.matches)
    holders = len({m.a.material for m in sim.matches})
    sections = sorted(p for p in (work / "docs").glob("*/*.md") if p.name != "index.md")
    edits = []
    for i in range(5):
        f = sections[(i * 197) % len(sections)]
        f.write_text(f.read_text(encoding="utf-8") + f"\n\n基准测试第{i}次修改：班子对第{i}季度整改进度跟踪不够紧。\n",
                     encoding="utf-8")
        entries = cat.scan()
        t0 = time.perf_counter()
        sim.update(entries)
        edits.append(time.perf_counter() - t0)
    return {"n": n, "first_s": first, "first_cpu": first_cpu, "matches": matches, "holders": holders,
            "edit_median": statistics.median(edits), "edit_max": max(edits), "stats": stats,
            "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def _measure_in_child(flag: str, n: int, seed: int, what: str):
    """One measurement in its own process (`python -m bench.similar_bench FLAG N`), which
    writes result.json into a temporary folder: (that result, the process's Measure)."""
    with tempfile.TemporaryDirectory(prefix=f"similar{n}-") as tmp:
        m = run_measured([str(BIN / "python"), "-m", "bench.similar_bench", flag, str(n), "--seed", str(seed),
                          "--work", tmp], cwd=ROOT)
        if m.rc != 0:
            raise RuntimeError(f"{what} N={n} 失败：{m.output[-2000:]}")
        return json.loads(Path(tmp, "result.json").read_text(encoding="utf-8")), m


def run_site(n: int, seed: int, log=lambda s: print(s, file=sys.stderr)) -> tuple[str, dict]:
    r, _ = _measure_in_child("--measure-site", n, seed, "网站")
    r["load"] = loadavg()
    log(f"雷同检测（网站）N={n}：首次 {r['first_s']:.1f} s，修改后 {r['edit_median']:.2f} s")
    body = table(["材料数", "首次比对（CPU）", "雷同单元 / 涉及材料", "候选对（核对）", "修改一份后重新比对（中位数 / 最慢）",
                  "进程峰值内存", "负载"],
                 [[n, f"{secs(r['first_s'])}（{secs(r['first_cpu'])}）", f"{r['matches']} / {r['holders']}",
                   r["stats"]["verified"], f"{secs(r['edit_median'])} / {secs(r['edit_max'])}", mib(r["maxrss"]), r["load"]]])
    return body, r


def run_sizes(sizes: list[int], seed: int, log=lambda s: print(s, file=sys.stderr)) -> tuple[str, list[dict]]:
    rows = []
    for n in sizes:
        data, m = _measure_in_child("--measure", n, seed, "雷同检测")
        data.update(wall=m.wall, cpu=m.cpu, process_maxrss=m.maxrss, load=loadavg())
        log(f"雷同检测 N={n}：比对 {data['compare_s']:.1f} s，P={data['precision']:.3f} R={data['recall']:.3f}，"
            f"峰值 {mib(m.maxrss)}，负载 {loadavg()}")
        rows.append(data)
    acc = table(["材料数", "注入雷同（对）", "报告（对）", "正确", "准确率 P", "召回率 R", "只共享套话的材料之间的报告"],
                [[r["n"], r["labels"], r["reported"], r["right"], f"{r['precision']:.3f}", f"{r['recall']:.3f}",
                  r["stock_only"]] for r in rows])
    names = {"L1": "L1 换词", "L2": "L2 删节、合并、拆分", "L3": "L3 换领域词、删末句", "L4": "L4 洗稿/改写"}
    level_rows = []
    for r in rows:
        for lv, name in names.items():
            x = r["levels"][lv]
            level_rows.append([r["n"], name, x["labels"], x["found"], f"{x['found'] / x['labels']:.3f}" if x["labels"] else "—",
                               x["reported"], f"{x['right'] / x['reported']:.3f}" if x["reported"] else "—"])
        x = r["levels"]["洗稿"]
        level_rows.append([r["n"], "洗稿一级的全部报告（content.copied.paraphrase）", "", "", "", x["reported"],
                           f"{x['right'] / x['reported']:.3f}" if x["reported"] else "—"])
    edit_table = table(["材料数", "级别", "注入（对）", "找到", "召回率 R", "报告（对）", "准确率 P"], level_rows)
    timing = table(["材料数", "文本", "读入（CPU）", "比对（CPU）", "比对 / 材料", "整个进程", "峰值内存", "负载"],
                   [[r["n"], f"{r['bytes'] / 1e6:.1f} MB", f"{secs(r['load_s'])}（{secs(r['load_cpu'])}）",
                     f"{secs(r['compare_s'])}（{secs(r['compare_cpu'])}）", f"{1000 * r['compare_s'] / r['n']:.1f} ms",
                     secs(r["wall"]), mib(r["process_maxrss"]), r["load"]] for r in rows])
    body = (f"阈值：连续相同至少 {rows[0]['min_run'] if rows else 13} 字，覆盖至少 "
            f"{rows[0]['min_share'] if rows else 0.5:.0%}。\n\n### 准确率\n\n{acc}\n\n{edit_table}\n\n### 用时与内存\n\n{timing}\n")
    return body, rows


@section("similar", "雷同检测", order=60)
def bench(ctx: Context) -> str:
    sizes = [n for n in ctx.sizes if n >= 100] or [100]
    body, rows = run_sizes(sizes, ctx.seed, ctx.log)
    site, site_row = run_site(min(max(sizes), 1000), ctx.seed, ctx.log)
    ctx.record("similar", {"sizes": rows, "site": site_row})
    return body + "\n### 网站（bench.generate 语料）\n\n" + site + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.similar_bench")
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--measure-site", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--site", type=int, default=0, help="也测网站一侧（bench.generate 语料）的材料数，0 为不测")
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure_site:
        result = measure_site(args.measure_site, args.seed, args.work)
        (args.work / "result.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0
    if args.measure:
        result = measure(args.measure, args.seed, args.work)
        (args.work / "result.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0
    body, _ = run_sizes([int(x) for x in args.sizes.split(",")], args.seed)
    print(body)
    if args.site:
        print("### 网站\n\n" + run_site(args.site, args.seed)[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
