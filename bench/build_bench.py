"""Build: the project's config against plain Material, alternating runs, medians."""

from __future__ import annotations

import re
import shutil
import subprocess

from bench.common import (
    BIN,
    ENV,
    OUT,
    REPO,
    Context,
    loadavg,
    median,
    mib,
    ratio,
    run_measured,
    secs,
    section,
    size,
    table,
)

NAMES = {"project": "本项目", "cold": "本项目（冷缓存）", "warm": "本项目（热缓存）", "plain": "原版 Material",
         "base": "改动前（基线提交）"}
BASE_PATHS = ("mkdocs.yml", "hooks", "overrides", "gongwen", "schemas")


def baseline(rev: str) -> tuple[object, str]:
    """The project as it was at `rev` (git archive into bench/out/baseline-<sha>/), built the way
    it was then: `mkdocs build` with that commit's hooks, overrides and gongwen package first on
    PYTHONPATH. Returns (a function ws -> Measure, the short sha)."""
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, check=True, capture_output=True,
                         text=True).stdout.strip()
    root = OUT / f"baseline-{sha}"
    if not (root / "mkdocs.yml").exists():
        root.mkdir(parents=True, exist_ok=True)
        tar = subprocess.run(["git", "archive", sha, *BASE_PATHS], cwd=REPO, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=tar, check=True)
    yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    yml = re.sub(r"^(\s*-\s*)hooks/", lambda m: f"{m.group(1)}{root}/hooks/", yml, flags=re.MULTILINE)
    yml = re.sub(r"^(\s*custom_dir:\s*)overrides", lambda m: f"{m.group(1)}{root}/overrides", yml, flags=re.MULTILINE)
    yml = re.sub(r"^site_dir:.*$", "site_dir: site-baseline", yml, flags=re.MULTILINE)
    env = {**ENV, "PYTHONPATH": str(root)}

    def build(ws):
        (ws.root / "baseline.yml").write_text(yml, encoding="utf-8")
        return run_measured([str(BIN / "mkdocs"), "build", "-f", str(ws.root / "baseline.yml")], env=env)

    return build, sha


def site_metrics(site) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p.stat().st_size for p in files if p.suffix == ".html" and p.name != "404.html"]
    # Whatever the site ships for search: Material's search_index.json, or the project's own index.
    search = [p for p in files if (site / "search") in p.parents]
    return {
        "site_bytes": sum(p.stat().st_size for p in files),
        "pages": len(html),
        "html_mean": sum(html) / len(html) if html else 0,
        "html_max": max(html, default=0),
        "search_bytes": sum(p.stat().st_size for p in search),
        "search_files": sorted(p.name for p in search),
    }


def plain_allowed(ctx: Context, pages: int) -> bool:
    """Plain Material puts the whole navigation in every page: its site grows with pages², so
    past --plain-max-pages (default 1000) it is not built (it would take hours and many GB)."""
    return pages <= int(ctx.options.get("plain_max_pages") or 1000)


@section("build", "构建", order=10)
def build(ctx: Context) -> str:
    """Per round: the project with an empty Word export cache (cold), plain Material, the project
    again with the cache the cold build left (warm). All with `properdocs build`."""
    rows, raw, notes = [], {}, []
    plain_points = []
    base = baseline(ctx.options["build_baseline"]) if ctx.options.get("build_baseline") else None
    for n in ctx.sizes:
        ws = ctx.workspace(n)
        md = ws.md_bytes()
        pages = sum(1 for _ in ws.docs.rglob("*.md"))
        kinds = ["cold"] + (["plain"] if plain_allowed(ctx, pages) else []) + ["warm"] + (["base"] if base else [])
        runs = {k: [] for k in kinds}
        for r in range(ctx.runs):
            for kind in kinds:
                if kind == "cold":
                    shutil.rmtree(ws.root / ".cache", ignore_errors=True)
                load = loadavg()
                m = base[0](ws) if kind == "base" else ws.build("plain" if kind == "plain" else "project")
                m.load = load
                ctx.log(f"N={n} 第 {r + 1}/{ctx.runs} 轮 {NAMES[kind]}：{m.wall:.2f} s（CPU {m.cpu:.2f} s），"
                        f"{mib(m.maxrss)}，退出码 {m.rc}，负载 {load}")
                if m.rc != 0:
                    raise RuntimeError(f"build ({kind}, N={n}) failed:\n{m.output[-3000:]}")
                runs[kind].append(m)
        res = {}
        for kind in kinds:
            res[kind] = {"wall": median(m.wall for m in runs[kind]), "cpu": median(m.cpu for m in runs[kind]),
                         "maxrss": median(m.maxrss for m in runs[kind]),
                         "walls": [round(m.wall, 3) for m in runs[kind]],
                         "cpus": [round(m.cpu, 3) for m in runs[kind]],
                         "loads": [m.load for m in runs[kind]],
                         **site_metrics(ws.root / "site-baseline" if kind == "base" else
                                        ws.site("plain" if kind == "plain" else "project"))}
        raw[n] = {"md_bytes": md, "md_pages": pages, **res}
        for kind in kinds:
            x = res[kind]
            rows.append([n, x["pages"], size(md), NAMES[kind], secs(x["wall"]), secs(x["cpu"]), mib(x["maxrss"]),
                         size(x["site_bytes"]), size(x["html_mean"]), size(x["html_max"]), size(x["search_bytes"]),
                         " / ".join(f"{w:.1f}" for w in x["walls"]), " / ".join(x["loads"][i].split()[0] for i in range(len(x["loads"])))])
        c, w = res["cold"], res["warm"]
        rows.append([n, "", "", "**热缓存 / 冷缓存**", ratio(w["wall"], c["wall"]), ratio(w["cpu"], c["cpu"])] + [""] * 7)
        if "base" in res:
            b = res["base"]
            rows.append([n, "", "", "**冷缓存 / 基线**", ratio(c["wall"], b["wall"]), ratio(c["cpu"], b["cpu"])] + [""] * 7)
            rows.append([n, "", "", "**热缓存 / 基线**", ratio(w["wall"], b["wall"]), ratio(w["cpu"], b["cpu"])] + [""] * 7)
        if "plain" in res:
            q = res["plain"]
            plain_points.append((q["pages"], q))
            rows.append([n, "", "", "**冷缓存 / 原版**", ratio(c["wall"], q["wall"]), ratio(c["cpu"], q["cpu"]),
                         ratio(c["maxrss"], q["maxrss"]), ratio(c["site_bytes"], q["site_bytes"]),
                         ratio(c["html_mean"], q["html_mean"]), ratio(c["html_max"], q["html_max"]),
                         ratio(c["search_bytes"], q["search_bytes"]), "", ""])
            rows.append([n, "", "", "**热缓存 / 原版**", ratio(w["wall"], q["wall"]), ratio(w["cpu"], q["cpu"])] + [""] * 7)
        else:
            est = ""
            if len(plain_points) >= 2:
                # Mean page size is linear in the page count (the navigation); fit the last two.
                (p1, q1), (p2, q2) = plain_points[-2:]
                pages_n = res["cold"]["pages"]
                slope = (q2["html_mean"] - q1["html_mean"]) / (p2 - p1)
                mean = q2["html_mean"] + slope * (pages_n - p2)
                other = q2["site_bytes"] - q2["html_mean"] * p2
                est = (f"按 {p1} 页与 {p2} 页两次实测线性外推：平均每页约 {size(mean)}，"
                       f"全站约 {size(mean * pages_n + other)}")
            rows.append([n, "", "", NAMES["plain"], "未测"] + [""] * 8)
            notes.append(f"- N={n}（{pages} 页）未构建原版 Material：整站随页数平方增长，超出 --plain-max-pages。{est}")
    ctx.record("build", raw)
    head = ["材料数 N", "HTML 页面", "Markdown", "配置", "构建耗时（中位数）", "CPU 时间", "峰值内存", "站点总大小",
            "平均每页 HTML", "最大页 HTML", "搜索索引（search/）", "各次（秒）", "各次开始时负载（1 分钟）"]
    return (f"每个 N 生成一次语料；每轮依次构建：本项目（先清空 `.cache/`，冷缓存）、原版 Material、本项目（沿用上一次"
            f"构建留下的 `.cache/`：Word 文件、解析结果、网页，热缓存），共 {ctx.runs} 轮，取中位数。都用 `properdocs build -f …`（子进程，"
            "含解释器启动）；峰值内存、CPU 时间（user + sys）为子进程自身的（os.wait4）。比值按中位数计算。\n\n"
            + (f"基线 = 提交 {base[1]} 的 `mkdocs.yml`、`hooks/`、`overrides/`、`gongwen/`、`schemas/`，"
               "按当时的方式用 `mkdocs build` 构建（没有 Word 导出缓存和网页缓存）。\n\n" if base else "")
            + table(head, rows) + ("\n" + "\n".join(notes) + "\n" if notes else ""))
