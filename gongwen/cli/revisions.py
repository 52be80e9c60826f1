"""`gongwen revisions REVISED.docx… docs/<材料> [--apply]`: a leader's 修订 and 批注 in returned
Word copies, as a diff of the Markdown sources (written with --apply)."""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    s = sub.add_parser("revisions", help="把领导在返回的 Word 稿中的修订和批注合并回 Markdown 源文件")
    s.add_argument("paths", nargs="+", metavar="PATH",
                   help="一份或几份返回的 Word 稿（.docx、.doc、.wps、.odt），最后是材料文件夹（docs/<材料>）")
    s.add_argument("--apply", action="store_true",
                   help="写入源文件（一次写好，不会写一半）并把批注记入材料文件夹的 批注.yaml；不加时只显示差异")
    s.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ..revisions import apply, collect
    from ..revisions.report import commit_message, summary

    if len(args.paths) < 2:
        print("gongwen：参数错误：先给返回的 Word 稿，最后给材料文件夹，如 gongwen revisions 张书记.docx docs/某材料",
              file=sys.stderr)
        return 2
    *copies, folder = args.paths
    if not Path(folder).is_dir():
        print(f"gongwen：{folder}：最后一个参数应为材料文件夹（docs/<材料>）"
              "（先给返回的 Word 稿，最后给材料文件夹）", file=sys.stderr)
        return 2
    rev = collect(copies, folder)
    sys.stdout.write(rev.diff())
    for line in summary(rev):
        print(line, file=sys.stderr)
    if args.apply:
        try:
            written = apply(rev)
        except OSError as exc:
            print(f"gongwen：写入失败：{exc.filename or ''}：{exc.strerror or exc}；已写的文件已恢复原样，"
                  "没有改动任何文件（检查磁盘空间和写入权限后重试）", file=sys.stderr)
            return 2
        print("已写入：" + ("、".join(str(p) for p in written) if written else "（没有要写入的内容）"), file=sys.stderr)
    elif rev.edits or rev.comments:
        print("以上为预览，没有写入任何文件；确认后加 --apply 写入。", file=sys.stderr)
    if rev.edits or rev.comments:
        print("\n建议的提交说明：\n" + commit_message(rev), file=sys.stderr)
    return 1 if rev.conflicts else 0
