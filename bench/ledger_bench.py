"""整改台账: what a ledger adds to `gongwen check`, and `gongwen ledger --to xlsx` over 1000 materials.

    python -m bench.run --only ledger [--check-n 1000] [--runs 3]
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time

from bench.common import BIN, ENV, OUT, REPO, Context, loadavg, median, mib, run_measured, secs, section, size, table
from bench.generate import generate


def _ledger_docs(ctx: Context, n: int):
    """The same corpus as ctx.workspace(n), each material with a 整改清单 (bench/out/n{N}-ledger/docs)."""
    docs = OUT / f"n{n}-ledger" / "docs"
    # Generated afresh each run, as ctx.workspace does: a corpus from an older generator
    # would not be the one measured against.
    t0 = time.perf_counter()
    generate(n, docs, ctx.seed, ledger=True)
    ctx.log(f"N={n}：已生成带整改清单的语料（{time.perf_counter() - t0:.1f} 秒）")
    return docs


def _prose_docs(ledger_docs):
    """The ledger corpus with every table row written out as a sentence (cells joined by ，) and
    the separator rows dropped: the same words as prose (bench/out/n{N}-prose/docs). Checking it
    shows what the added text costs any check, before anything reads it as a ledger."""
    docs = ledger_docs.parent.parent / (ledger_docs.parent.name.replace("-ledger", "-prose")) / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    for src in sorted(ledger_docs.rglob("*")):
        dest = docs / src.relative_to(ledger_docs)
        if src.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        text = src.read_text(encoding="utf-8")
        if src.suffix == ".md" and "\n|" in text:
            out = []
            for line in text.split("\n"):
                if SEPARATOR.match(line):
                    continue
                if line.startswith("|"):
                    out += ["，".join(c.strip() for c in line.strip().strip("|").split("|")) + "。", ""]
                else:
                    out.append(line)
            text = "\n".join(out)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    return docs


SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")


def _md_bytes(docs) -> int:
    return sum(f.stat().st_size for f in docs.glob("*/*.md"))


NAMES = {"plain": "无清单", "prose": "同样文字的段落", "ledger": "有清单"}


@section("ledger", "整改台账", order=60)
def ledger(ctx: Context) -> str:
    n = int(ctx.options.get("check_n") or 1000)
    plain = ctx.workspace(n).docs
    with_ledger = _ledger_docs(ctx, n)
    prose = _prose_docs(with_ledger)
    runs = max(ctx.runs, 3)
    checks: dict[str, list] = {"plain": [], "prose": [], "ledger": []}
    with open("/dev/null", "wb") as devnull:
        for r in range(runs):  # alternate, so a change in machine load hits all alike
            for kind, docs in (("plain", plain), ("prose", prose), ("ledger", with_ledger)):
                m = run_measured([str(BIN / "gongwen"), "check", str(docs), "--format", "json"], stdout=devnull)
                ctx.log(f"check {kind} N={n} 第 {r + 1} 次：{m.wall:.2f} s（CPU {m.cpu:.2f} s），负载 {loadavg()}")
                checks[kind].append(m)
    xlsx = OUT / f"n{n}-ledger" / "台账.xlsx"
    exports = []
    for r in range(runs):
        m = run_measured([str(BIN / "gongwen"), "ledger", str(with_ledger), "--to", "xlsx", "-o", str(xlsx)],
                         stdout=subprocess.DEVNULL)
        ctx.log(f"ledger --to xlsx N={n} 第 {r + 1} 次：{m.wall:.2f} s（CPU {m.cpu:.2f} s），{mib(m.maxrss)}，退出码 {m.rc}")
        exports.append(m)
    from openpyxl import load_workbook

    rows = sum(1 for _ in load_workbook(xlsx, read_only=True).active.iter_rows()) - 1
    wall = {k: median(m.wall for m in v) for k, v in checks.items()}
    cpu = {k: median(m.cpu for m in v) for k, v in checks.items()}
    md = {"plain": _md_bytes(plain), "prose": _md_bytes(prose), "ledger": _md_bytes(with_ledger)}
    res = {"n": n, "check_wall": wall, "check_cpu": cpu, "md_bytes": md,
           "check_walls": {k: [round(m.wall, 3) for m in v] for k, v in checks.items()},
           "ratio_wall": wall["ledger"] / wall["plain"], "ratio_cpu": cpu["ledger"] / cpu["plain"],
           "prose_ratio_cpu": cpu["prose"] / cpu["plain"], "ledger_over_prose_cpu": cpu["ledger"] / cpu["prose"],
           "export_wall": median(m.wall for m in exports), "export_cpu": median(m.cpu for m in exports),
           "export_maxrss": median(m.maxrss for m in exports), "export_rows": rows, "export_rc": exports[-1].rc}
    ctx.record("ledger", res)
    head = ["语料", "Markdown", "gongwen check（中位数）", "CPU 时间", "比值（墙钟 / CPU）"]
    body = [[f"{n} 份，无整改清单", size(md["plain"]), secs(wall["plain"]), secs(cpu["plain"]), "1.00 / 1.00"],
            [f"{n} 份，附同样文字的段落（清单各行写成句子）", size(md["prose"]), secs(wall["prose"]), secs(cpu["prose"]),
             f"{wall['prose'] / wall['plain']:.2f} / {cpu['prose'] / cpu['plain']:.2f}"],
            [f"{n} 份，每份附整改清单", size(md["ledger"]), secs(wall["ledger"]), secs(cpu["ledger"]),
             f"{res['ratio_wall']:.2f} / {res['ratio_cpu']:.2f}"]]
    each = "；".join(f"{NAMES[k]} " + " / ".join(f"{m.cpu:.2f}" for m in v) + " s" for k, v in checks.items())
    head2 = ["导出", "整改措施行数", "总耗时（中位数）", "CPU 时间", "峰值内存", "退出码"]
    body2 = [[f"`gongwen ledger DIR --to xlsx`，{n} 份材料", rows, secs(res["export_wall"]), secs(res["export_cpu"]),
              mib(res["export_maxrss"]), res["export_rc"]]]
    return (f"`gongwen check DIR --format json > /dev/null`（整个进程，默认并行），两种语料交替各 {runs} 次取中位数；"
            f"带清单的语料与不带的相同，只是每份材料多一个“整改清单”文件（每个问题一至两项措施）；“同样文字的段落”"
            f"把清单的每一行写成一句话（单元格以“，”连接），字数相同，但不是表格、不作为台账读。目标：比值 ≤ 1.10。\n\n"
            + table(head, body) + f"\n各次 CPU 时间：{each}。\n\n导出目标：1000 份材料 < 10 s。\n\n" + table(head2, body2))


__all__ = ["ledger", "REPO", "ENV"]
