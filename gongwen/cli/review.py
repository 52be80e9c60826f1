"""`gongwen review INBOX -o OUT [--reference DIR] [--previous DIR] [--stock DIR] [--rules FILE]`. Imports nothing heavy until run."""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    r = sub.add_parser("review", help="审核单位：批量导入、检查收到的材料，生成审核汇总.xlsx 和审核工作台网站")
    r.add_argument("inbox", metavar="INBOX", help="收到的文件所在文件夹（.docx .doc .wps .rtf .odt .pdf .txt）")
    r.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件夹：docs/、审核汇总.xlsx、mkdocs.yml")
    r.add_argument("--reference", metavar="DIR", help="参考文本文件夹（模板、上年材料等），用于雷同检测")
    r.add_argument("--previous", metavar="DIR", help="上年材料文件夹：与之重复的问题单列在“与上年重复”一栏")
    r.add_argument("--stock", metavar="DIR", help="套话文本文件夹（会议通知等）：与之相同的文字不算雷同")
    r.add_argument("--rules", metavar="FILE", help="结论规则（YAML，默认 gongwen/review/conclusion.yaml）")
    r.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ..review.batch import review

    inbox = Path(args.inbox)
    if not inbox.is_dir():
        print(f"gongwen：INBOX 不是文件夹：{inbox}", file=sys.stderr)
        return 2
    if args.reference and not Path(args.reference).is_dir():
        print(f"gongwen：参考文本文件夹不存在：{args.reference}", file=sys.stderr)
        return 2
    for option, folder in (("上年材料", args.previous), ("套话文本", args.stock)):
        if folder and not Path(folder).is_dir():
            print(f"gongwen：{option}文件夹不存在：{folder}", file=sys.stderr)
            return 2
    if args.rules and not Path(args.rules).is_file():
        print(f"gongwen：结论规则文件不存在：{args.rules}", file=sys.stderr)
        return 2
    out = Path(args.output)
    try:
        result = review(inbox, out, reference=args.reference, previous=args.previous, stock=args.stock,
                        rules_file=args.rules)
    except OSError as exc:  # OUT not writable, disk full …: nothing half-written is left behind
        print(f"gongwen：无法写入输出文件夹 {out}：{exc.strerror or exc}（请检查路径和写入权限）", file=sys.stderr)
        return 2

    counts: dict[str, int] = {}
    for row in result.rows:
        counts[row.conclusion] = counts.get(row.conclusion, 0) + 1
    summary = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"审核了 {len(result.rows)} 个文件：{summary or '无'}。汇总表：{result.xlsx}"
          + ("" if result.changed else "（与上次相同，未改写）"), file=sys.stderr)
    print(f"审核工作台：cd {out} && make serve{_python_arg()}", file=sys.stderr)
    if not result.rows:
        return 2
    return 0 if all(r.conclusion == "通过" for r in result.rows) else 1


def _python_arg() -> str:
    """` PYTHON=…` when OUT's Makefile would not find this Python through the `gongwen` on PATH."""
    import shutil
    from pathlib import Path

    found = shutil.which("gongwen")
    here = Path(sys.executable)
    return "" if found and Path(found).parent == here.parent else f" PYTHON={here}"
