"""The gongwen command line: check, number, export, import, fmt."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import __version__
from ..diagnostics import InputError
from ..files import write_atomic
from . import ledger as ledger_command
from .review import add_parser as add_review_parser  # light: imports nothing heavy
from .revisions import add_parser as add_revisions_parser
from .similar import add_parser as add_similar_parser

# Each command imports what it needs, so `gongwen check` starts without the importer,
# python-docx or charset_normalizer.


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a Chinese hint, as for unreadable input
        self.print_usage(sys.stderr)
        print(f"gongwen：参数错误：{message}（运行 gongwen -h 查看用法）", file=sys.stderr)
        sys.exit(2)


def _cmd_check(args) -> int:
    from ..check.run import check_inputs, default_jobs, expand_inputs, worst
    from ..intake import LEGACY, check_file  # reads .doc/.pdf too (gongwen/read does not)

    all_diags = []
    inputs, notes = expand_inputs(args.paths, LEGACY)
    if not inputs and not notes:
        print("gongwen：没有找到可检查的材料（.md 材料文件夹、.txt、.docx、.doc、.pdf 等）", file=sys.stderr)
        return 2
    all_diags.extend(notes)
    # What is loaded by now (modules, patterns, schemas) lives until exit: keep the cyclic
    # garbage collector from walking it again and again while materials are checked.
    import gc

    gc.freeze()
    found, unreadable = check_inputs(inputs, type_name=args.type, stage=args.stage,
                                     jobs=args.jobs or default_jobs(), today=args.today, check_file=check_file)
    all_diags.extend(found)
    all_diags.sort(key=lambda d: (d.path, getattr(d, "page", 0), d.line, d.column, d.rule))
    if args.format in ("codeclimate", "sarif"):
        import json

        from ..check import ciformat

        report = ciformat.codeclimate(all_diags) if args.format == "codeclimate" else ciformat.sarif(all_diags)
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "json":
        import json

        json.dump([d.to_dict() for d in all_diags], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for d in all_diags:
            print(d.format())
        counts = {s: sum(d.severity == s for d in all_diags) for s in ("error", "warning", "info")}
        print(f"检查了 {len(inputs) - unreadable} 份材料：错误 {counts['error'] - unreadable}，警告 {counts['warning']}，"
              f"提示 {counts['info']}" + (f"；{unreadable} 个输入无法读取" if unreadable else ""), file=sys.stderr)
    if unreadable:
        return 2
    return 1 if worst(all_diags) in ("error", "warning") else 0


def _schema_for(mat, type_name):
    from ..check.run import resolve_schema

    schema, _ = resolve_schema(mat, type_name)
    return schema


def _cmd_number(args) -> int:
    from ..numbering import to_markdown
    from ..read import load

    mat = load(args.path)
    sys.stdout.write(to_markdown(mat, _schema_for(mat, args.type)))
    return 0


def _cmd_export(args) -> int:
    from ..numbering import to_text
    from ..read import load

    mat = load(args.path)
    schema = _schema_for(mat, args.type)
    out = Path(args.output)
    if args.to == "txt":
        write_atomic(out, to_text(mat, schema))
    else:
        from ..export.docx import write_docx

        write_docx(mat, schema, out)
    print(f"已导出：{out}", file=sys.stderr)
    return 0


def _cmd_import(args) -> int:
    from ..intake import LEGACY, check_file, classified, load
    from ..intake.markdown import import_material

    src = Path(args.path)
    if src.suffix.lower() not in LEGACY:
        print(f"gongwen：只能导入 {'、'.join(sorted(LEGACY))} 文件：{src}", file=sys.stderr)
        return 2
    mat = load(src)
    # The importer's own gate reads .md/.txt/.docx; intake's check covers .pdf, .doc … too.
    secret = classified(check_file(src, mat=mat, rules=["security.classified"]))
    if secret:  # a classified file never becomes a material: nothing is written (exit 2, as the importer)
        from dataclasses import replace

        raise InputError(replace(secret[0], severity="error", message=secret[0].message + "，未导入，没有写入任何文件"))
    removed = import_material(mat, args.output, overwrite=args.force,
                              meta_overrides={"unit": args.unit, "状态": args.status})
    for d in removed:
        print(d.format(), file=sys.stderr)
    print(f"已导入到：{args.output}（{len(mat.sections)} 个一级标题，删除网页残留 {len(removed)} 处）", file=sys.stderr)
    return 0


def _cmd_fmt(args) -> int:
    from ..ledger.cite import cite_numbers
    from ..numbering import strip_numbers
    from ..read import find_inputs, load
    from ..read.source import read_text

    changed = 0
    for target in find_inputs(args.paths):
        if not (target.is_dir() or target.suffix.lower() == ".md"):
            continue
        mat = load(target)
        schema = _schema_for(mat, None)
        for path in mat.files:
            src = read_text(path)
            raw = Path(path).read_bytes().decode("utf-8-sig")
            stripped = strip_numbers(src.text, path, mat)
            # Table lines are never touched by strip_numbers, so the cells' columns still hold.
            new, cited = cite_numbers(stripped, path, mat, schema)
            if new == src.text:
                continue
            changed += 1
            what = "、".join(w for w, yes in (("手写编号", stripped != src.text),
                                             (f"整改清单中只写编号的问题 {cited} 处", cited)) if yes)
            if args.write:
                # Keep the file's own line endings and BOM: only the numbers change.
                if "\r\n" in raw:
                    new = new.replace("\n", "\r\n")
                bom = "\ufeff" if Path(path).read_bytes().startswith(b"\xef\xbb\xbf") else ""
                write_atomic(Path(path), bom + new)
                print(f"已改写{what}：{path}" if cited else f"已删除手写编号：{path}", file=sys.stderr)
            else:
                print(f"有{what}：{path}", file=sys.stderr)
    if not args.write and changed:
        return 1
    return 0


def _cmd_types(args) -> int:
    from ..schema import all_schemas

    if args.type:
        from ..scaffold import describe

        sys.stdout.write(describe(_known_type(args.type)))
        return 0
    for s in all_schemas():
        print(f"{s.id}\t{s.name}")
    return 0


def _known_type(name: str):
    from ..diagnostics import input_error
    from ..schema import all_schemas, find_schema

    schema = find_schema(name)
    if schema is None:
        raise input_error("gongwen", f"未知的材料类型“{name}”", "可用类型：" + "、".join(s.id for s in all_schemas()),
                          rule="input.type")
    return schema


def _cmd_new(args) -> int:
    import datetime

    from ..scaffold import write_skeleton

    schema = _known_type(args.type)
    written = write_skeleton(schema, Path(args.folder), args.unit, datetime.date.today())
    for path in written:
        print(f"已新建：{path}", file=sys.stderr)
    print(f"已按“{schema.name}”新建材料：{args.folder}（只有标题，在各标题下写内容；"
          f"运行 gongwen check {args.folder} 查看还缺什么）", file=sys.stderr)
    return 0


def _date_arg(value: str):
    import datetime

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”应写作 YYYY-MM-DD，如 2025-07-01") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gongwen", description="公文材料的检查、编号、导入与导出")
    p.add_argument("--version", action="version", version=f"gongwen {__version__}")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    c = sub.add_parser("check", help="按当年的官方结构和规则检查材料")
    c.add_argument("paths", nargs="+", metavar="PATH", help="材料文件夹、.md、.txt、.docx、.doc、.pdf 等")
    c.add_argument("--type", help="材料类型（schema id 或中文名），默认取文件头或从标题识别")
    c.add_argument("--stage", choices=["草稿", "征求意见稿", "定稿"], help="稿次，默认取文件头“状态”，没有则按定稿")
    c.add_argument("--format", choices=["text", "json", "codeclimate", "sarif"], default="text",
                   help="输出格式：text、json、codeclimate（GitLab 代码质量报告）、sarif（SARIF 2.1.0）")
    c.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="并行检查的进程数，默认为 CPU 核数（材料较少时不并行；1 为不并行）")
    c.add_argument("--today", type=_date_arg, metavar="YYYY-MM-DD",
                   help="判断整改措施是否逾期（ledger.overdue）所按的日期，默认为今天")
    c.set_defaults(func=_cmd_check)

    n = sub.add_parser("number", help="输出自动编号后的 Markdown")
    n.add_argument("path", metavar="PATH")
    n.add_argument("--type", help="材料类型（schema id 或中文名）")
    n.set_defaults(func=_cmd_number)

    e = sub.add_parser("export", help="导出编号后的纯文本或 Word（GB/T 9704 版式）")
    e.add_argument("path", metavar="PATH")
    e.add_argument("--to", choices=["txt", "docx"], required=True, help="导出格式")
    e.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件")
    e.add_argument("--type", help="材料类型（schema id 或中文名）")
    e.set_defaults(func=_cmd_export)

    i = sub.add_parser("import", help="把旧材料（.txt、.docx、.doc、.pdf 等）转成 Markdown 材料文件夹")
    i.add_argument("path", metavar="FILE")
    i.add_argument("-o", "--output", required=True, metavar="DIR", help="目标文件夹")
    i.add_argument("--unit", help="单位名称（写入文件头，不指定则从标题或落款猜测）")
    i.add_argument("--status", choices=["草稿", "征求意见稿", "定稿"], help="稿次（默认 草稿）")
    i.add_argument("--force", action="store_true", help="目标文件夹已存在时覆盖")
    i.set_defaults(func=_cmd_import)

    f = sub.add_parser("fmt", help="删除 Markdown 源文件中手写的编号（编号由系统生成），把整改清单中只写编号的问题改写为“编号：首句”")
    f.add_argument("paths", nargs="+", metavar="PATH")
    mode = f.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="只检查，有要改写之处时退出码为 1")
    mode.add_argument("--write", action="store_true", help="直接改写文件")
    f.set_defaults(func=_cmd_fmt)

    ledger_command.add_parser(sub)

    t = sub.add_parser("types", help="列出支持的材料类型；给出类型时列出它的结构（一级标题、方面、清单的列）")
    t.add_argument("type", nargs="?", metavar="TYPE", help="材料类型（schema id 或中文名）")
    t.set_defaults(func=_cmd_types)

    w = sub.add_parser("new", help="按材料类型新建材料文件夹：各一级标题、当年的方面、整改清单表头，文件头已填好")
    w.add_argument("type", metavar="TYPE", help="材料类型（schema id 或中文名，见 gongwen types）")
    w.add_argument("folder", metavar="DIR", help="新材料文件夹（不存在或为空）")
    w.add_argument("--unit", help="单位名称（写入文件头和标题），不写时为 XX单位")
    w.set_defaults(func=_cmd_new)
    add_similar_parser(sub)
    add_review_parser(sub)
    add_revisions_parser(sub)
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
    except BrokenPipeError:
        # The reader went away (`gongwen check … | head`): stop quietly, as other tools do,
        # and keep the interpreter from failing again when it flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141

