"""不可信输入: each hostile file of issue 19 (made by tests/hostile_files.py) through the command
a reviewing office runs on it; time, peak memory and outcome.

    python -m bench.run --only hostile [--runs 3]

.docx files go through `gongwen check`, .xlsx files through `gongwen ledger import`; then one
INBOX holding all of them (and the script/formula names, symbolic links, colliding names)
through `gongwen review`, and its workbench through `make build`.
"""

from __future__ import annotations

import os
import shutil
import sys

from bench.common import BIN, OUT, Context, loadavg, median, mib, run_measured, secs, section, table

REPO = BIN.parent.parent


def _files(root) -> list[tuple[str, object]]:
    sys.path.insert(0, str(REPO))
    from tests.hostile_files import (
        XLSX_SHEET,
        docx_with_entity,
        make_docx,
        truncated,
        with_member,
        xlsx_ledger,
        xlsx_with_entity,
        zip_bomb,
    )

    lines = (REPO / "tests" / "fixtures" / "review" / "某乡党委.txt").read_text(encoding="utf-8").splitlines()
    plain_docx, plain_xlsx = make_docx(lines, root / "plain.docx"), xlsx_ledger(root / "plain.xlsx")
    return [
        ("外部实体（XXE）.docx", docx_with_entity(lines, root / "xxe.docx")),
        ("十亿笑（billion laughs）.docx", docx_with_entity(lines, root / "laughs.docx", laughs=True)),
        ("压缩炸弹（解压 2 GB）.docx", zip_bomb(plain_docx, root / "bomb.docx", "word/document.xml")),
        ("截断的 zip.docx", truncated(plain_docx, root / "cut.docx")),
        ("成员名含 ../.docx", with_member(plain_docx, root / "slip.docx", "../../../escaped.txt")),
        ("外部实体（XXE）.xlsx", xlsx_with_entity(root / "xxe.xlsx")),
        ("十亿笑（billion laughs）.xlsx", xlsx_with_entity(root / "laughs.xlsx", laughs=True)),
        ("压缩炸弹（解压 2 GB）.xlsx", zip_bomb(plain_xlsx, root / "bomb.xlsx", XLSX_SHEET)),
        ("截断的 zip.xlsx", truncated(plain_xlsx, root / "cut.xlsx")),
    ]


def _inbox(root, files) -> object:
    from tests.hostile_files import FORMULA_NAME, SCRIPT_NAME, SCRIPT_TITLE_TAIL, hostile_txt

    box = root / "INBOX"
    shutil.rmtree(box, ignore_errors=True)
    box.mkdir()
    clean = REPO / "tests" / "fixtures" / "review" / "某乡党委.txt"
    shutil.copy2(clean, box / SCRIPT_NAME)
    hostile_txt(clean, box / "标题.txt", title_tail=SCRIPT_TITLE_TAIL)
    shutil.copy2(clean, box / FORMULA_NAME)
    shutil.copy2(clean, box / "甲镇党委.txt")
    shutil.copy2(clean, box / "甲镇党委 .txt")
    os.symlink("/etc/passwd", box / "link.txt")
    os.symlink("/etc", box / "linkdir")
    for _, f in files:
        if f.suffix == ".docx":
            shutil.copy2(f, box / f.name)
    return box


def _outcome(rc: int, output: str) -> str:
    line = next((x for x in output.splitlines() if "错误 input." in x), "")
    what = line.split("错误 ", 1)[1].split("（", 1)[0] if line else output.strip().splitlines()[-1][:60]
    return f"退出码 {rc}：{what}"


@section("hostile", "不可信输入（收件箱中的恶意文件）", order=75)
def hostile(ctx: Context) -> str:
    root = OUT / "hostile"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    files = _files(root)
    runs = max(ctx.runs, 1)
    rows, raw = [], []
    for label, path in files:
        cmd = ([str(BIN / "gongwen"), "check", str(path)] if path.suffix == ".docx" else
               [str(BIN / "gongwen"), "ledger", "import", str(path), "-o", str(root / "清单.md"), "--force"])
        ms = [run_measured(cmd) for _ in range(runs)]
        m = ms[0]
        ctx.log(f"{label}：{m.wall:.2f} s，{mib(m.maxrss)}，退出码 {m.rc}，负载 {loadavg()}")
        rows.append([label, f"`gongwen {cmd[1]}{' import' if cmd[1] == 'ledger' else ''}`",
                     secs(median(x.wall for x in ms)), mib(median(x.maxrss for x in ms)), _outcome(m.rc, m.output)])
        raw.append({"file": label, "wall": median(x.wall for x in ms), "maxrss": median(x.maxrss for x in ms), "rc": m.rc})
    box = _inbox(root, files)
    out = root / "OUT"
    ms = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        ms.append(run_measured([str(BIN / "gongwen"), "review", str(box), "-o", str(out)]))
    m = ms[0]
    n = len(list(box.iterdir()))
    rows.append([f"收件箱：以上 .docx 与脚本名、脚本标题、公式名、符号链接、同名异写共 {n} 个", "`gongwen review`",
                 secs(median(x.wall for x in ms)), mib(median(x.maxrss for x in ms)),
                 f"退出码 {m.rc}：每个文件一行，拒绝的写明原因"])
    b = run_measured(["make", "build", f"PYTHON={BIN / 'python'}"], cwd=out)
    rows.append(["上述 OUT 的审核工作台", "`make build`（OUT 中）", secs(b.wall), mib(b.maxrss),
                 f"退出码 {b.rc}" + ("：页面中没有未转义的脚本" if b.rc == 0 and _clean(out / "site") else "：见输出")])
    ctx.record("hostile", {"files": raw, "review_wall": median(x.wall for x in ms), "build_wall": b.wall})
    return (f"每个文件各运行 {runs} 次取中位数（峰值内存为该命令进程自身的 ru_maxrss）。测量时负载 {loadavg()}。\n\n"
            + table(["文件", "命令", "用时", "峰值内存", "结果"], rows))


def _clean(site) -> bool:
    return not any("<script>alert" in p.read_text(encoding="utf-8") or "<img src=x" in p.read_text(encoding="utf-8")
                   for p in site.rglob("*.html"))


__all__ = ["hostile"]
