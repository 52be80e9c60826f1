"""Build: the project's config against plain Material, alternating runs, medians."""

from __future__ import annotations

from bench.common import Context, loadavg, median, mib, ratio, secs, section, size, table

KINDS = ("project", "plain")
NAMES = {"project": "本项目", "plain": "原版 Material"}


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
    rows, raw, notes = [], {}, []
    plain_points = []
    for n in ctx.sizes:
        ws = ctx.workspace(n)
        md = ws.md_bytes()
        pages = sum(1 for _ in ws.docs.rglob("*.md"))
        kinds = [k for k in KINDS if k == "project" or plain_allowed(ctx, pages)]
        runs = {k: [] for k in kinds}
        for r in range(ctx.runs):
            for kind in kinds:  # alternate: project, plain, project, plain, ...
                m = ws.build(kind)
                ctx.log(f"N={n} 第 {r + 1}/{ctx.runs} 轮 {NAMES[kind]}：{m.wall:.2f} s（CPU {m.cpu:.2f} s），"
                        f"{mib(m.maxrss)}，退出码 {m.rc}，负载 {loadavg()}")
                if m.rc != 0:
                    raise RuntimeError(f"mkdocs build ({kind}, N={n}) failed:\n{m.output[-3000:]}")
                runs[kind].append(m)
        res = {}
        for kind in kinds:
            res[kind] = {"wall": median(m.wall for m in runs[kind]), "cpu": median(m.cpu for m in runs[kind]),
                         "maxrss": median(m.maxrss for m in runs[kind]),
                         "walls": [round(m.wall, 3) for m in runs[kind]], **site_metrics(ws.site(kind))}
        raw[n] = {"md_bytes": md, "md_pages": pages, **res}
        for kind in kinds:
            x = res[kind]
            rows.append([n, x["pages"], size(md), NAMES[kind], secs(x["wall"]), secs(x["cpu"]), mib(x["maxrss"]),
                         size(x["site_bytes"]),
                         size(x["html_mean"]), size(x["html_max"]), size(x["search_bytes"])])
        if "plain" in res:
            p, q = res["project"], res["plain"]
            plain_points.append((q["pages"], q))
            rows.append([n, "", "", "**比值**", ratio(p["wall"], q["wall"]), ratio(p["cpu"], q["cpu"]),
                         ratio(p["maxrss"], q["maxrss"]),
                         ratio(p["site_bytes"], q["site_bytes"]), ratio(p["html_mean"], q["html_mean"]),
                         ratio(p["html_max"], q["html_max"]), ratio(p["search_bytes"], q["search_bytes"])])
        else:
            est = ""
            if len(plain_points) >= 2:
                # Mean page size is linear in the page count (the navigation); fit the last two.
                (p1, q1), (p2, q2) = plain_points[-2:]
                pages_n = res["project"]["pages"]
                slope = (q2["html_mean"] - q1["html_mean"]) / (p2 - p1)
                mean = q2["html_mean"] + slope * (pages_n - p2)
                other = q2["site_bytes"] - q2["html_mean"] * p2
                est = (f"按 {p1} 页与 {p2} 页两次实测线性外推：平均每页约 {size(mean)}，"
                       f"全站约 {size(mean * pages_n + other)}")
            rows.append([n, "", "", NAMES["plain"], "未测", "", "", "", "", "", ""])
            notes.append(f"- N={n}（{pages} 页）未构建原版 Material：整站随页数平方增长，超出 --plain-max-pages。{est}")
    ctx.record("build", raw)
    head = ["材料数 N", "HTML 页面", "Markdown", "配置", "构建耗时（中位数）", "CPU 时间", "峰值内存", "站点总大小",
            "平均每页 HTML", "最大页 HTML", "搜索索引（search/）"]
    return (f"每个 N 生成一次语料，两种配置交替构建 {ctx.runs} 轮（`mkdocs build`，子进程，"
            "含解释器启动），取中位数；峰值内存为子进程自身的 ru_maxrss（os.wait4）。比值 = 本项目 / 原版。\n\n"
            + table(head, rows) + ("\n" + "\n".join(notes) + "\n" if notes else ""))
