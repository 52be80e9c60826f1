"""The benchmark runner: `make bench` (`python -m bench.run $(BENCH_ARGS)`).

    python -m bench.run                          # N = 10, 100: builds, check throughput, serve at 100
    python -m bench.run --sizes 10,100,1000      # the full run recorded in bench/RESULTS.md
    python -m bench.run --only build --runs 5
    python -m bench.run --list

Prints one Markdown report to stdout (progress goes to stderr) and saves it with the raw
numbers under bench/out/ (git-ignored). Sections live in their own modules and register
themselves (see bench/common.py); optional modules that are absent are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import platform
import subprocess
import sys
import time
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.common import BIN, OUT, SECTIONS, Context, Section, loadavg

MODULES = ["bench.build_bench", "bench.check_bench", "bench.serve_bench"]
OPTIONAL = ["bench.search_bench", "bench.export_bench", "bench.ledger_bench", "bench.similar_bench",
            "bench.review_bench", "bench.hostile_bench", "bench.budget_bench"]


def load_sections() -> list[Section]:
    for name in MODULES + OPTIONAL:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if name in OPTIONAL and exc.name == name:
                continue
            raise
        short = name.rsplit(".", 1)[-1].removesuffix("_bench")
        if hasattr(mod, "bench") and short not in SECTIONS:  # the simple form: TITLE + bench(ctx)
            SECTIONS[short] = Section(short, getattr(mod, "TITLE", short), mod.bench, getattr(mod, "ORDER", 50))
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.name))


def machine() -> str:
    nproc = subprocess.run(["nproc"], check=False, capture_output=True, text=True).stdout.strip()
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in meminfo if line.startswith("MemTotal")), 0)
    vers = []
    for pkg in ("properdocs", "mkdocs", "mkdocs-material", "jieba", "pymdown-extensions", "Markdown"):
        with contextlib.suppress(PackageNotFoundError):
            vers.append(f"{pkg} {version(pkg)}")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BIN.parent.parent, check=False,
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=BIN.parent.parent, check=False,
                           capture_output=True, text=True).stdout.count("\n")
    return (f"提交 {head}（工作区另有 {dirty} 个未提交的改动）；{nproc} 核（{cpu}），内存 {mem} MiB，{platform.platform()}，Python {platform.python_version()}；"
            + "，".join(vers))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description="gongwen 基准测试")
    ap.add_argument("--sizes", default="10,100", help="材料份数，逗号分隔（默认 10,100；完整运行用 10,100,1000）")
    ap.add_argument("--runs", type=int, default=3, help="每种配置的构建轮数（交替进行，取中位数）")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="", help="只运行这些部分，逗号分隔（见 --list）")
    ap.add_argument("--skip", default="", help="跳过这些部分，逗号分隔")
    ap.add_argument("--check-n", type=int, default=1000, help="检查吞吐量所用的材料份数（默认 1000）")
    ap.add_argument("--review-n", type=int, default=300, help="审核（gongwen review）收件箱的文件数（默认 300）")
    ap.add_argument("--serve-sizes", default="", help="预览测试的材料份数（默认取 --sizes 中最大者）")
    ap.add_argument("--serve-kinds", default="project,plain", help="预览测试的配置：project,plain")
    ap.add_argument("--serve-modes", default="serve,dirty", help="预览测试的方式：serve（完整重建）,dirty（--dirty）")
    ap.add_argument("--serve-edits", type=int, default=3, help="每次预览会话的正文修改次数")
    ap.add_argument("--serve-preview", default="focus",
                    help="本项目的预览范围：focus（只预览被修改的材料，M=）,all（ALL=1，全部材料）")
    ap.add_argument("--plain-max-pages", type=int, default=1000,
                    help="页数超过此值时不构建原版 Material（其站点随页数平方增长），默认 1000")
    ap.add_argument("--build-baseline", default="", help="构建部分另测这个提交的本项目（改动前的基线），如 9f9020b")
    ap.add_argument("--list", action="store_true", help="列出各部分后退出")
    args = ap.parse_args(argv)

    sections = load_sections()
    if args.list:
        for s in sections:
            print(f"{s.name}\t{s.title}")
        return 0
    only = {x for x in args.only.split(",") if x}
    skip = {x for x in args.skip.split(",") if x}
    unknown = (only | skip) - set(SECTIONS)
    if unknown:
        ap.error(f"未知的部分：{'、'.join(sorted(unknown))}（可用：{'、'.join(SECTIONS)}）")
    ctx = Context(sizes=sorted(int(x) for x in args.sizes.split(",") if x), runs=args.runs, seed=args.seed,
                  options={"check_n": args.check_n, "review_n": args.review_n, "serve_sizes": args.serve_sizes,
                           "serve_kinds": args.serve_kinds, "serve_edits": args.serve_edits,
                           "serve_modes": args.serve_modes, "serve_preview": args.serve_preview,
                           "build_baseline": args.build_baseline,
                           "plain_max_pages": args.plain_max_pages})
    cmd = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    started = time.strftime("%Y-%m-%d %H:%M")
    report = [f"# gongwen 基准测试结果（{started}）", "", f"- 命令：`{cmd.strip()}`", f"- 机器：{machine()}",
              f"- 语料：`bench.generate`，种子 {args.seed}；每份材料约 14 KB Markdown（index.md + 各一级标题文件）", ""]
    print("\n".join(report), flush=True)
    t_all = time.perf_counter()
    for s in sections:
        if (only and s.name not in only) or s.name in skip:
            continue
        ctx.log(f"开始：{s.title}")
        t0, load0 = time.perf_counter(), loadavg()
        try:
            body = s.func(ctx)
        except Exception as exc:  # noqa: BLE001 - one failing section should not hide the others
            traceback.print_exc()
            body = f"**失败**：{type(exc).__name__}: {exc}\n"
            ctx.record(f"{s.name}_error", repr(exc))
        part = (f"## {s.title}\n\n{body}\n（本部分用时 {time.perf_counter() - t0:.0f} 秒；"
                f"系统负载 1/5/15 分钟：开始 {load0}，结束 {loadavg()}）\n")
        print(part, flush=True)
        report.append(part)
    report.append(f"总用时 {time.perf_counter() - t_all:.0f} 秒。\n")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text("\n".join(report), encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({"command": cmd, "started": started, "python": str(BIN / "python"),
                                                  **{k: v for k, v in ctx.results.items()}},
                                                 ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    ctx.log(f"报告已保存：{OUT / 'report.md'}，原始数据：{OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
