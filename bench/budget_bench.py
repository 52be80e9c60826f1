"""涉密标志与输入预算 (issue 25): hostile inputs, each finished or refused within a bound.

    python -m bench.run --only budget

Every case is one `gongwen` process on a file made here (the same builders as the tests:
tests/hostile_files.py, tests/secret_files.py), timed from start to exit with the child's own
peak RSS (wait4). Goal: each case under 30 s and 1 GB, with a clear message (no traceback).
One case calls copy detection directly on a 20 MB text, past the reader's budgets, to show
that its memory is bounded per input.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
from pathlib import Path

from bench.common import (
    BIN,
    OUT,
    REPO,
    Context,
    loadavg,
    mib,
    run_measured,
    secs,
    section,
    size,
    table,
)

sys.path.insert(0, str(REPO))  # the tests' file builders
from tests.hostile_files import (
    BODIES,
    deep_markdown,
    docx_with_body,
    text_pdf,
    xlsx_merged_over_the_sheet,
)
from tests.secret_files import PLACEMENTS, SPELLINGS, secret_inbox

TITLE = "某镇党委2023年主题教育专题民主生活会领导班子对照检查材料"
GONGWEN = str(BIN / "gongwen")
# Copy detection alone on a long text: the reader's budgets are lifted in this process only.
ENGINE = """
import sys, gongwen.read.legacy as legacy
legacy.within_budget = lambda *a: None
from gongwen import similar
mats = [legacy.parse_txt(p) for p in sys.argv[1:]]
print(len(similar.compare(mats, [])), "matches")
"""


def _long_text(path: Path, target_bytes: int, line_chars: int = 320) -> Path:
    """Numbered paragraphs of varied Chinese text up to target_bytes (UTF-8)."""
    import random

    seed = (REPO / "tests" / "fixtures" / "seed" / "2023-zhuti-jiaoyu-banzi.txt").read_text(encoding="utf-8")
    chars = [c for c in seed if "\u4e00" <= c <= "\u9fff"]
    rng = random.Random(0)
    lines, total = [TITLE, "一、存在的问题"], 0
    while total < target_bytes:
        line = "（一）在理论学习方面。一是" + "".join(rng.choice(chars) for _ in range(line_chars)) + "。"
        lines.append(line)
        total += len(line.encode()) + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _outcome(m, out: Path | None = None) -> str:
    if "Traceback" in m.output:
        return "程序出错（traceback）"
    lines = m.output.splitlines()
    refused = [ln for ln in lines if "超出输入预算：" in ln or "文件过大" in ln]
    if refused:
        text = refused[0].split("超出输入预算：", 1)[-1].split("，未读取", 1)[0]
        text = text.split(" input.size ", 1)[-1].split("，不像", 1)[0]
        return f"拒绝（退出码 {m.rc}）：{text[:70]}"
    finding = [ln for ln in lines if " input.budget " in ln]
    if finding:
        return f"完成（退出码 {m.rc}），发现问题：{finding[0].split(' input.budget ', 1)[1].split('（', 1)[0]}"
    if out is not None and (out / "审核汇总.json").is_file():
        rows = json.loads((out / "审核汇总.json").read_text(encoding="utf-8"))["rows"]
        status: dict[str, int] = {}
        for r in rows:
            status[r["status"]] = status.get(r["status"], 0) + 1
        docs = sum(1 for _ in (out / "docs").glob("*/index.md"))
        words = {"checked": "已检查", "unreadable": "无法读取", "classified": "涉密"}
        return (f"完成（退出码 {m.rc}）：{'，'.join(f'{words.get(k, k)} {v}' for k, v in sorted(status.items()))}；"
                f"OUT/docs 中材料 {docs} 份")
    last = [ln for ln in m.output.strip().splitlines() if ln.strip()]
    return f"完成（退出码 {m.rc}）：{last[-1][:60] if last else ''}"


def _measured(cmd: list[str], note: Path):
    """run_measured through /usr/bin/time: a child forked from this (large) process would
    report this process's resident size as its own peak; time's child starts small."""
    if not Path("/usr/bin/time").is_file():
        return run_measured(cmd)
    m = run_measured(["/usr/bin/time", "-f", "%M", "-o", str(note), *cmd])
    with contextlib.suppress(OSError, ValueError):
        m.maxrss = int(note.read_text().strip().splitlines()[-1]) * 1024
    return m


@section("budget", "涉密标志与输入预算", order=80)
def budget(ctx: Context) -> str:
    work = OUT / "budget"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ok = work / "正常.txt"
    ok.write_text(f"{TITLE}\n一、存在的问题\n（一）在理论学习方面。一是学习不深。如，全年集中学习3次。\n", encoding="utf-8")
    cases: list[tuple[str, Path, list[str], Path | None]] = []

    def add(label: str, path: Path, cmd: list[str], out: Path | None = None) -> None:
        cases.append((label, path, cmd, out))

    words = {"paragraphs": "20,001 个段落", "cells": "100,001 个单元格", "merged": "5,001 处合并单元格",
             "depth": "表格嵌套 40 层", "xml": "33 MB 空白（展开后）", "chars": "一个 100,001 字的段落"}
    for kind, body in BODIES.items():
        path = docx_with_body(work / f"{kind}.docx", body())
        add(f".docx：{words[kind]}", path, [GONGWEN, "check", str(path), str(ok)])
    xlsx = xlsx_merged_over_the_sheet(work / "台账.xlsx")
    add(".xlsx：一处合并区域覆盖整张表（A3:XFD1048576）", xlsx, [GONGWEN, "ledger", "import", str(xlsx), "-o", str(work / "台账.md")])
    sparse = work / "200MB.txt"
    with open(sparse, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    add(".txt：200 MB", sparse, [GONGWEN, "check", str(sparse)])
    one_line = work / "一行10MB.txt"
    one_line.write_text(TITLE + "\n" + "字" * 3_500_000, encoding="utf-8")
    add(".txt：一行 10 MB", one_line, [GONGWEN, "check", str(one_line)])
    inbox20 = work / "INBOX-20MB"
    inbox20.mkdir()
    big = _long_text(inbox20 / "20MB.txt", 19_500_000)
    shutil.copy2(ok, inbox20 / ok.name)
    add(".txt：19.5 MB（2 万段），review 收件箱", big, [GONGWEN, "review", str(inbox20), "-o", str(work / "OUT-20MB")],
        work / "OUT-20MB")
    inbox2m = work / "INBOX-2M"
    inbox2m.mkdir()
    at_budget = _long_text(inbox2m / "接近上限.txt", 5_900_000)
    shutil.copy2(ok, inbox2m / ok.name)
    add(".txt：约 196 万字（预算之内），review 收件箱", at_budget,
        [GONGWEN, "review", str(inbox2m), "-o", str(work / "OUT-2M")], work / "OUT-2M")
    add("雷同检测引擎直接比对 19.5 MB 文本（绕过读取预算）", big, [sys.executable, "-c", ENGINE, str(big), str(ok)])
    pdf = text_pdf(work / "2000页.pdf", 2000)
    add(".pdf：2000 页文字", pdf, [GONGWEN, "check", str(pdf)])
    for kind in ("list", "quote"):
        md = work / f"嵌套{kind}.md"
        md.write_text(deep_markdown(10_000, kind), encoding="utf-8")
        add(f".md：{'列表' if kind == 'list' else '引用'}嵌套 10,000 层", md, [GONGWEN, "check", str(md)])
    from gongwen.numerals import to_cn

    thousand = work / "千题.txt"
    thousand.write_text("\n".join([TITLE, *(f"{to_cn(i)}、问题{i}" for i in range(1, 1001))]), encoding="utf-8")
    add(".txt：同级 1000 个标题", thousand, [GONGWEN, "check", str(thousand), str(ok)])
    secret = work / "INBOX-涉密"
    secret.mkdir()
    files = secret_inbox(secret)
    add(f"涉密 .docx {len(files)} 个（{len(PLACEMENTS)} 种位置、{len(SPELLINGS)} 种写法、零宽字符），review 收件箱", secret,
        [GONGWEN, "review", str(secret), "-o", str(work / "OUT-涉密")], work / "OUT-涉密")

    rows, raw = [], []
    for label, path, cmd, out in cases:
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        m = _measured(cmd, work / "maxrss.txt")
        outcome = _outcome(m, out)
        in_size = sum(f.stat().st_size for f in path.iterdir()) if path.is_dir() else path.stat().st_size
        ctx.log(f"{label}：{m.wall:.1f} s，{mib(m.maxrss)}，{outcome}，负载 {loadavg()}")
        ok_bound = "是" if m.wall < 30 and m.maxrss < 2**30 and "traceback" not in outcome else "否"
        rows.append([label, size(in_size), secs(m.wall), mib(m.maxrss), outcome, ok_bound])
        raw.append({"case": label, "bytes": in_size, "wall": round(m.wall, 2), "maxrss": m.maxrss, "rc": m.rc,
                    "outcome": outcome})
    ctx.record("budget", raw)
    head = ["情形", "文件大小", "耗时", "峰值内存", "结果", "30 s、1 GB 之内"]
    return ("每种情形一个 `gongwen` 进程（耗时为整个进程，峰值内存为该进程的最大常驻内存，由 /usr/bin/time 量得），"
            "文件在此生成。\n\n"
            + table(head, rows))


__all__ = ["budget"]
