"""`gongwen check` throughput over the generated corpus (whole process, as a user runs it)."""

from __future__ import annotations

import json
import subprocess
from collections import Counter

from bench.common import (
    BIN,
    ENV,
    REPO,
    Context,
    loadavg,
    median,
    mib,
    run_measured,
    secs,
    section,
    size,
    table,
)


@section("check", "检查吞吐量", order=20)
def check(ctx: Context) -> str:
    n = int(ctx.options.get("check_n") or 1000)
    ws = ctx.workspace(n)
    md = ws.md_bytes()
    cmd = [str(BIN / "gongwen"), "check", str(ws.docs), "--format", "json"]
    start = [run_measured([str(BIN / "python"), "-c", "pass"]) for _ in range(max(ctx.runs, 3))]
    imp = [run_measured([str(BIN / "python"), "-c", "import gongwen.cli"]) for _ in range(max(ctx.runs, 3))]
    runs = []
    with open("/dev/null", "wb") as devnull:
        for r in range(max(ctx.runs, 3)):
            m = run_measured(cmd, stdout=devnull)
            ctx.log(f"gongwen check N={n} 第 {r + 1} 次：{m.wall:.2f} s（CPU {m.cpu:.2f} s），{mib(m.maxrss)}，退出码 {m.rc}，负载 {loadavg()}")
            runs.append(m)
    out = subprocess.run(cmd, check=False, cwd=REPO, env=ENV, capture_output=True, text=True)
    diags = json.loads(out.stdout or "[]")
    by = Counter(d["severity"] for d in diags)
    rules = Counter(d["rule"] for d in diags)
    wall = median(m.wall for m in runs)
    res = {"n": n, "md_bytes": md, "wall": wall, "walls": [round(m.wall, 3) for m in runs],
           "cpu": median(m.cpu for m in runs),
           "maxrss": median(m.maxrss for m in runs), "mb_s": md / 1e6 / wall, "rc": runs[-1].rc,
           "python_start": median(m.wall for m in start), "import_cli": median(m.wall for m in imp),
           "diagnostics": dict(by), "rules": dict(rules)}
    ctx.record("check", res)
    rows = [[n, size(md), secs(wall), secs(res["cpu"]), f"{res['mb_s']:.1f} MB/s", mib(res["maxrss"]), res["rc"],
             secs(res["python_start"]), secs(res["import_cli"]),
             f"错误 {by.get('error', 0)}，警告 {by.get('warning', 0)}，提示 {by.get('info', 0)}"]]
    head = ["材料数", "Markdown", "总耗时（中位数）", "CPU 时间", "吞吐量", "峰值内存", "退出码", "python 启动", "import gongwen.cli", "诊断"]
    return (f"`.venv/bin/gongwen check DIR --format json > /dev/null`，整个进程（含解释器启动），"
            f"{len(runs)} 次取中位数。目标：≥ 10 MB/s。\n\n" + table(head, rows))
