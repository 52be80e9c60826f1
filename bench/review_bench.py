"""审核（gongwen review）: a reviewing office's INBOX of N files, first run and re-run.

    python -m bench.run --only review [--review-n 300] [--runs 3]

The INBOX is the generated corpus (bench.generate) exported the way units send it: every
other material as Word (.docx, GB/T 9704 export) and the rest as numbered plain text (.txt).
Each run reviews into a fresh OUT (import, check, copy detection across all files, ledgers,
审核汇总.xlsx); the re-run reviews the same INBOX into the OUT it left (nothing changes).
Goal: 300 files in at most 2 minutes.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.common import (
    BIN,
    OUT,
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
from bench.generate import MARKER, generate


def _inbox(ctx: Context, n: int) -> Path:
    """bench/out/review-n{N}/INBOX: the generated materials exported to .docx and .txt."""
    root = OUT / f"review-n{n}"
    inbox = root / "INBOX"
    stamp = root / "inbox.stamp"
    want = f"n={n} seed={ctx.seed}"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == want and inbox.is_dir():
        return inbox
    from gongwen.check.run import resolve_schema
    from gongwen.export.docx import write_docx
    from gongwen.numbering import to_text
    from gongwen.read import load

    t0 = time.perf_counter()
    docs = root / "docs"
    if docs.exists() and not (docs / MARKER).exists():
        shutil.rmtree(docs)
    folders = generate(n, docs, ctx.seed)
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    for i, folder in enumerate(folders):
        mat = load(folder)
        schema = resolve_schema(mat)[0]
        if i % 2 == 0:
            write_docx(mat, schema, inbox / f"{folder.name}.docx")
        else:
            (inbox / f"{folder.name}.txt").write_text(to_text(mat, schema), encoding="utf-8")
    stamp.write_text(want, encoding="utf-8")
    ctx.log(f"N={n}：已生成并导出收件箱（{time.perf_counter() - t0:.1f} 秒）")
    return inbox


@section("review", "审核（gongwen review）", order=70)
def review(ctx: Context) -> str:
    n = int(ctx.options.get("review_n") or 300)
    inbox = _inbox(ctx, n)
    files = sorted(inbox.iterdir())
    in_bytes = sum(f.stat().st_size for f in files)
    kinds = {s: sum(f.suffix == s for f in files) for s in (".docx", ".txt")}
    runs = max(ctx.runs, 1)
    out = OUT / f"review-n{n}" / "OUT"
    first, again = [], []
    for r in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        cmd = [str(BIN / "gongwen"), "review", str(inbox), "-o", str(out)]
        m = run_measured(cmd)
        ctx.log(f"review N={n} 第 {r + 1} 次（新 OUT）：{m.wall:.1f} s（CPU {m.cpu:.1f} s），{mib(m.maxrss)}，"
                f"退出码 {m.rc}，负载 {loadavg()}")
        if m.rc not in (0, 1):
            raise RuntimeError(f"gongwen review 退出码 {m.rc}：{m.output[-2000:]}")
        first.append(m)
        m2 = run_measured(cmd)
        ctx.log(f"review N={n} 第 {r + 1} 次（重跑）：{m2.wall:.1f} s（CPU {m2.cpu:.1f} s），负载 {loadavg()}")
        again.append(m2)
    import json

    rows = json.loads((out / "审核汇总.json").read_text(encoding="utf-8"))["rows"]
    verdicts: dict[str, int] = {}
    for r in rows:
        verdicts[r["conclusion"]] = verdicts.get(r["conclusion"], 0) + 1
    copied = "未检测" if rows and rows[0]["copied_share"] is None else "已检测"
    res = {"n": n, "files": len(files), "inbox_bytes": in_bytes, "kinds": kinds,
           "wall": median(m.wall for m in first), "cpu": median(m.cpu for m in first),
           "maxrss": median(m.maxrss for m in first), "walls": [round(m.wall, 2) for m in first],
           "rerun_wall": median(m.wall for m in again), "rerun_cpu": median(m.cpu for m in again),
           "rows": len(rows), "verdicts": verdicts, "copy_detection": copied}
    ctx.record("review", res)
    head = ["收件箱", "运行", "总耗时（中位数）", "CPU 时间", "峰值内存", "每个文件"]
    label = f"{n} 个文件（.docx {kinds['.docx']}、.txt {kinds['.txt']}，共 {size(in_bytes)}）"
    body = [[label, "首次（新的 OUT）", secs(res["wall"]), secs(res["cpu"]), mib(res["maxrss"]),
             f"{res['wall'] / n * 1000:.0f} ms"],
            [label, "重跑（同一 OUT，无改动）", secs(res["rerun_wall"]), secs(res["rerun_cpu"]), "", 
             f"{res['rerun_wall'] / n * 1000:.0f} ms"]]
    summary = "，".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
    return (f"`gongwen review INBOX -o OUT`（整个进程：读取、导入为 Markdown、检查、雷同检测（{copied}）、整改台账、"
            f"写 审核汇总.xlsx），各 {runs} 次取中位数。目标：300 个文件 ≤ 2 分钟。\n\n"
            + table(head, body) + f"\n汇总表 {len(rows)} 行；结论：{summary}。\n")


__all__ = ["review"]
