"""Word export time per material (gongwen.export_docx.write_docx) on a generated corpus.

    python -m bench.export_bench [N] [--seed S]      # generate N materials (default 100) and time them
    python -m bench.export_bench --docs DIR [DIR …]   # time the materials found under folders

Per material, in one process: reading (load + schema) and export (write_docx) are timed
apart; the first export also pays for the styled template and jieba's dictionary, so it is
reported on its own and left out of the medians. A separate whole-process run of
`gongwen export` shows what one command costs a user. Goal (issue 5): ≤ 0.3 s a material.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import BIN, Context, run_measured, secs, section, table

GOAL = 0.3


def run(docs_dirs: list[str | Path], out_dir: str | Path | None = None) -> dict:
    """Export every material under docs_dirs; seconds per material (medians, first apart)."""
    from gongwen.check.run import resolve_schema
    from gongwen.export.docx import write_docx
    from gongwen.read import find_inputs, load

    inputs = find_inputs([Path(d) for d in docs_dirs])
    if not inputs:
        raise SystemExit("没有找到材料")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(out_dir or tmp)
        reads, exports, cpus, sizes = [], [], [], []
        for i, path in enumerate(inputs):
            t0 = time.perf_counter()
            mat = load(path)
            schema, _ = resolve_schema(mat)
            t1, c1 = time.perf_counter(), time.process_time()
            target = out / f"{i:05d}.docx"
            write_docx(mat, schema, target)
            t2, c2 = time.perf_counter(), time.process_time()
            reads.append(t1 - t0)
            exports.append(t2 - t1)
            cpus.append(c2 - c1)  # CPU time: less disturbed by other load on the machine
            sizes.append(target.stat().st_size)
    warm = exports[1:] or exports
    return {
        "materials": len(inputs),
        "first_export_s": exports[0],
        "export_median_s": statistics.median(warm),
        "export_cpu_median_s": statistics.median(cpus[1:] or cpus),
        "export_p90_s": sorted(warm)[int(0.9 * (len(warm) - 1))],
        "export_max_s": max(warm),
        "read_median_s": statistics.median(reads),
        "total_s": sum(reads) + sum(exports),
        "docx_median_bytes": int(statistics.median(sizes)),
        "goal_s": GOAL,
    }


def cold_command(material: Path, runs: int = 3) -> float:
    """Median wall time of one `gongwen export … --to docx` process (start-up included)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(BIN / "gongwen"), "export", str(material), "--to", "docx", "-o", str(Path(tmp) / "x.docx")]
        walls = []
        for _ in range(runs):
            m = run_measured(cmd)
            if m.rc != 0:
                raise RuntimeError(f"gongwen export failed: {m.output[-2000:]}")
            walls.append(m.wall)
    return statistics.median(walls)


def report(r: dict, cold: float | None) -> str:
    ok = "达到" if r["export_median_s"] <= GOAL else "未达到"
    rows = [
        ["材料份数", r["materials"]],
        ["导出（中位数，每份；墙钟 / CPU）", f"{secs(r['export_median_s'])} / {secs(r['export_cpu_median_s'])}"],
        ["导出（P90 / 最大）", f"{secs(r['export_p90_s'])} / {secs(r['export_max_s'])}"],
        ["首份导出（含样式模板和 jieba 词典加载）", secs(r["first_export_s"])],
        ["读取与解析（中位数，每份）", secs(r["read_median_s"])],
        ["Word 文件大小（中位数）", f"{r['docx_median_bytes'] / 1e3:.1f} KB"],
    ]
    if cold is not None:
        rows.append(["一次 `gongwen export --to docx` 命令（整个进程，中位数）", secs(cold)])
    return (table(["项目", "数值"], rows)
            + f"\n目标：每份 ≤ {GOAL} s（{ok}）。\n")


@section("export", "Word 导出（GB/T 9704）", order=60)
def bench(ctx: Context) -> str:
    n = min(ctx.sizes[-1], 100)
    ws = ctx.workspace(n)
    r = run([ws.docs])
    first = next(p for p in sorted(ws.docs.iterdir()) if (p / "index.md").is_file())
    try:
        cold = cold_command(first, runs=max(ctx.runs, 3))
    except RuntimeError as exc:  # the CLI is optional for this section
        ctx.log(str(exc))
        cold = None
    r["command_s"] = cold
    ctx.record("export", r)
    return report(r, cold)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.export_bench", description="Word 导出耗时")
    ap.add_argument("n", nargs="?", type=int, default=100, help="生成的材料份数（默认 100）")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--docs", nargs="+", help="改为导出这些文件夹中的材料")
    args = ap.parse_args(argv)
    if args.docs:
        r = run(args.docs)
        first = None
    else:
        from bench.generate import generate

        tmp = tempfile.TemporaryDirectory()
        docs = Path(tmp.name) / "docs"
        generate(args.n, docs, args.seed)
        r = run([docs])
        first = next(p for p in sorted(docs.iterdir()) if (p / "index.md").is_file())
    cold = None
    if first is not None:
        try:
            cold = cold_command(first)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
    print(report(r, cold))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
