"""`gongwen ledger`: export ledgers to .xlsx, import a ledger made in Excel/WPS as Markdown."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

USAGE = """\
  gongwen ledger PATH... --to xlsx -o 台账.xlsx   导出整改台账（每项整改措施一行）
  gongwen ledger import 台账.xlsx -o 06-整改清单.md  把 Excel/WPS 中的整改清单转为 Markdown 表格"""


def add_parser(sub) -> None:
    p = sub.add_parser("ledger", help="整改台账：导出为 Excel，或从 Excel 导入", description=USAGE,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="材料文件夹、.md、.txt、.docx；或 import 加一个 .xlsx")
    p.add_argument("--to", choices=["xlsx"], help="导出格式（导出时必填）")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件（.xlsx 或 .md）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="判断逾期所按的日期，默认为今天")
    p.add_argument("--type", help="材料类型（schema id 或中文名），默认取文件头或从标题识别")
    p.add_argument("--force", action="store_true", help="导入时覆盖已存在的 .md 文件")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"gongwen：{message}", file=sys.stderr)
    return 2


def run(args) -> int:
    if args.paths[0] == "import":
        if len(args.paths) != 2:
            return _fail("用法：gongwen ledger import 台账.xlsx -o 整改清单.md")
        return _import(Path(args.paths[1]), Path(args.output), force=args.force)
    if args.to != "xlsx":
        return _fail("导出请写 --to xlsx（导入请写 gongwen ledger import 台账.xlsx -o 整改清单.md）")
    try:
        today = datetime.date.fromisoformat(args.today) if args.today else datetime.date.today()
    except ValueError:
        return _fail(f"日期“{args.today}”应写作 YYYY-MM-DD，如 2025-07-01")
    return _export(args.paths, Path(args.output), today, args.type)


def _export(paths: list[str], out: Path, today: datetime.date, type_name: str | None) -> int:
    from ..check.rules.meta import classification
    from ..check.run import expand_inputs, resolve_schema
    from ..check.secrecy import SECRET_LEVELS
    from ..diagnostics import InputError
    from ..ledger import read_ledger
    from ..ledger.xlsx_out import sheet_rows, write_xlsx
    from ..read import load

    if out.suffix.lower() != ".xlsx":
        return _fail(f"输出文件应以 .xlsx 结尾：{out}")
    inputs, _ = expand_inputs(paths)
    if not inputs:
        return _fail("没有找到材料（材料文件夹、.md、.txt、.docx）")
    rows, without, unreadable = [], [], 0
    for i, path in enumerate(inputs, 1):
        try:
            mat = load(path)
        except InputError as exc:
            print(exc.diagnostic.format(), file=sys.stderr)
            unreadable += 1
            continue
        level = classification(mat.meta.get("密级"))
        if level in SECRET_LEVELS:
            where = mat.meta_node.path if mat.meta_node else str(path)
            print(f"{where}:1:1: 错误 security.classified 材料密级为“{level}”，涉密材料不得导出（按保密规定处理）",
                  file=sys.stderr)
            return 2
        schema, _ = resolve_schema(mat, type_name)
        ledger = read_ledger(mat, schema)
        if ledger is None:
            without.append(str(path))
        else:
            rows.extend(sheet_rows(mat, ledger, today))
        if len(inputs) >= 200 and i % 200 == 0:
            print(f"已读取 {i}/{len(inputs)} 份材料", file=sys.stderr)
    n = write_xlsx(rows, out)
    for p in without[:20]:
        print(f"{p}：没有整改清单，未导出", file=sys.stderr)
    if len(without) > 20:
        print(f"……另有 {len(without) - 20} 份材料没有整改清单", file=sys.stderr)
    print(f"已导出：{out}（{len(inputs) - len(without) - unreadable} 份材料，{n} 项整改措施，逾期按 {today.isoformat()} 计）",
          file=sys.stderr)
    return 2 if unreadable else 0


def _import(src: Path, out: Path, *, force: bool) -> int:
    from ..files import write_atomic
    from ..ledger.xlsx_in import read_xlsx

    if out.suffix.lower() != ".md":
        return _fail(f"输出文件应以 .md 结尾：{out}")
    if out.exists() and not force:
        return _fail(f"{out} 已存在；确认覆盖请加 --force")
    result = read_xlsx(src)  # InputError: reported by the CLI with exit 2
    write_atomic(out, result.markdown())
    for note in result.notes:
        print(f"{src}：{note}", file=sys.stderr)
    for cell in result.unplaced:
        print(f"{src}：未导入 {cell}", file=sys.stderr)
    print(f"已导入到：{out}（{len(result.rows)} 行）" + (f"；{len(result.unplaced)} 个单元格未能导入，见上" if result.unplaced else ""),
          file=sys.stderr)
    return 1 if result.unplaced else 0
