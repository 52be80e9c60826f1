"""The gongwen command line: check, number, export, import, fmt."""

from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .check import check, worst
from .diagnostics import InputError
from .reader import find_inputs, load


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a Chinese hint, as for unreadable input
        self.print_usage(sys.stderr)
        print(f"gongwen：参数错误：{message}（运行 gongwen -h 查看用法）", file=sys.stderr)
        sys.exit(2)


def _cmd_check(args) -> int:
    all_diags, unreadable = [], False
    inputs = find_inputs(args.paths)
    if not inputs:
        print("gongwen：没有找到可检查的材料（.md 材料文件夹、.txt、.docx）", file=sys.stderr)
        return 2
    for path in inputs:
        try:
            mat = load(path)
        except InputError as exc:
            all_diags.append(exc.diagnostic)
            unreadable = True
            continue
        all_diags.extend(check(mat, type_name=args.type, stage=args.stage))
    all_diags.sort(key=lambda d: (d.path, d.line, d.column, d.rule))
    if args.format == "json":
        json.dump([{k: v for k, v in d.to_dict().items()} for d in all_diags], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for d in all_diags:
            print(d.format())
        counts = {s: sum(d.severity == s for d in all_diags) for s in ("error", "warning", "info")}
        print(f"检查了 {len(inputs)} 份材料：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}",
              file=sys.stderr)
    if unreadable:
        return 2
    return 1 if worst(all_diags) in ("error", "warning") else 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gongwen", description="公文材料的检查、编号、导入与导出")
    p.add_argument("--version", action="version", version=f"gongwen {__version__}")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    c = sub.add_parser("check", help="按当年的官方结构和规则检查材料")
    c.add_argument("paths", nargs="+", metavar="PATH", help="材料文件夹、.md、.txt 或 .docx")
    c.add_argument("--type", help="材料类型（schema id 或中文名），默认取文件头或从标题识别")
    c.add_argument("--stage", choices=["草稿", "征求意见稿", "定稿"], help="稿次，默认取文件头“状态”，没有则按定稿")
    c.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    c.set_defaults(func=_cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except InputError as exc:
        print(exc.diagnostic.format(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
