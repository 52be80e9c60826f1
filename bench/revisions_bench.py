"""What the source anchors cost the Word export, and what `gongwen revisions` costs a writer.

    python -m bench.revisions_bench --docs DIR [--baseline TREE] [--runs 3]

Export: every material under DIR exported in one process (as bench.export_bench), the median
seconds per material (wall and CPU), with this checkout and, given --baseline (a checkout of
an earlier commit, e.g. `git archive ec3bdb1 | tar -x -C /tmp/base`), with that one in a
child process, alternating, `--runs` times each; the ratio of the medians is the anchors'
cost. Revisions: for each material, a returned copy (its own export, unedited: mapping the
changes is small beside reading and re-exporting) is read back with `revisions.collect`, the
median seconds per material.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from bench.export_bench import run
print(json.dumps(run([sys.argv[2]])))
"""


def export_medians(tree: Path, docs: Path) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(tree), str(docs)], capture_output=True, text=True,
                         check=True, env=env, cwd=tree)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["export_median_s"], r["export_cpu_median_s"]


def collect_medians(docs: Path) -> tuple[float, float, int]:
    from gongwen.check.run import resolve_schema
    from gongwen.export.docx import write_docx
    from gongwen.read import find_inputs, load
    from gongwen.revisions import collect

    walls, cpus, n = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, folder in enumerate(find_inputs([docs])):
            mat = load(folder)
            copy = Path(tmp) / f"{i}.docx"
            write_docx(mat, resolve_schema(mat)[0], copy)
            t0, c0 = time.perf_counter(), time.process_time()
            rev = collect([copy], folder)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            assert not rev.edits and not rev.conflicts, folder  # an unedited copy changes nothing
            n += 1
    return statistics.median(walls), statistics.median(cpus), n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.revisions_bench", description="源文件书签与 gongwen revisions 的用时")
    ap.add_argument("--docs", required=True, help="材料所在的文件夹（如 python -m bench.generate 100 DIR 生成的）")
    ap.add_argument("--baseline", help="早先提交的检出（比较导出用时）")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    here = Path(__file__).resolve().parent.parent
    docs = Path(args.docs).resolve()
    mine, base = [], []
    for _ in range(args.runs):
        mine.append(export_medians(here, docs))
        if args.baseline:
            base.append(export_medians(Path(args.baseline).resolve(), docs))
    wall = statistics.median(m[0] for m in mine)
    cpu = statistics.median(m[1] for m in mine)
    print(f"导出，每份中位数（本提交）：墙钟 {wall * 1e3:.1f} ms，CPU {cpu * 1e3:.1f} ms")
    if base:
        bwall = statistics.median(b[0] for b in base)
        bcpu = statistics.median(b[1] for b in base)
        print(f"导出，每份中位数（基线）：墙钟 {bwall * 1e3:.1f} ms，CPU {bcpu * 1e3:.1f} ms；"
              f"比值 墙钟 {wall / bwall:.2f}，CPU {cpu / bcpu:.2f}")
    cwall, ccpu, n = collect_medians(docs)
    print(f"gongwen revisions（collect，一份返回稿，{n} 份材料的中位数）：墙钟 {cwall * 1e3:.0f} ms，CPU {ccpu * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
