"""`gongwen similar PATH… [--against PATH…] [--previous PATH…] [--stock PATH…]`: the CLI of copy detection."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub) -> None:
    s = sub.add_parser("similar", help="雷同检测：找出照搬其他材料或模板的问题和段落")
    s.add_argument("paths", nargs="+", metavar="PATH", help="材料文件夹、.md、.txt 或 .docx（可以是放材料的文件夹）")
    s.add_argument("--against", nargs="+", default=[], metavar="PATH",
                   help="参考文本：模板、往年材料（.txt、.docx、.md 文件或文件夹）")
    s.add_argument("--previous", nargs="+", default=[], metavar="PATH",
                   help="上年材料（文件或文件夹）：与之重复的问题单独报告为“与上年重复”")
    s.add_argument("--stock", nargs="+", default=[], metavar="PATH",
                   help="套话文本（会议通知等，文件或文件夹）：与之相同的文字不算雷同")
    s.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    s.add_argument("--config", metavar="FILE", help="阈值配置（YAML，键同 gongwen/data/similar.yaml）")
    s.add_argument("--min-run", type=int, metavar="N", help="共同连续片段的最少字数（默认 13）")
    s.add_argument("--min-share", type=float, metavar="X", help="相同文字占本条字数的最低比例（默认 0.5）")
    s.set_defaults(func=run)


def _load_all(paths: list[Path], errors: list[str]) -> list:
    from ..check.secrecy import HINT, marks_in_file
    from ..diagnostics import InputError
    from ..read import load

    out = []
    for p in paths:
        try:
            mat = load(p)
        except InputError as exc:
            errors.append(exc.diagnostic.format())
            continue
        # A state secret is never read into a comparison (nor quoted in its report).
        marks = [m for f in mat.files for m in marks_in_file(f)]
        if marks:
            errors.append(f"{marks[0].path}:{marks[0].line}:1: 错误 security.classified {marks[0].message()}，未比对（{HINT}）")
        else:
            out.append(mat)
    return out


def run(args) -> int:
    from ..read import find_inputs
    from ..similar import compare, copied_share_by_material, load_config
    from ..similar.inputs import reference_inputs
    from ..similar.report import match_dict, text_lines

    try:
        cfg = load_config(args.config, {"min_run": args.min_run, "min_share": args.min_share})
    except OSError as exc:
        print(f"gongwen：无法读取雷同检测配置文件：{args.config}（{exc.strerror}）", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"gongwen：雷同检测配置有误：{exc}", file=sys.stderr)
        return 2
    errors: list[str] = []
    materials = _load_all(find_inputs(args.paths), errors)
    references = _load_all(reference_inputs(args.against), errors)
    previous = _load_all(reference_inputs(args.previous), errors)
    stock = _load_all(reference_inputs(args.stock), errors)
    for e in errors:
        print(e, file=sys.stderr)
    if not materials and not errors:
        print("gongwen：没有找到可比对的材料（.md 材料文件夹、.txt、.docx）", file=sys.stderr)
        return 2
    matches = compare(materials, references, cfg, previous=previous, stock=stock, progress=len(materials) >= 100)
    if args.format == "json":
        import json

        shares = copied_share_by_material(matches)
        json.dump({"matches": [match_dict(m) for m in matches],
                   "materials": {k: {"share": v[0], "source": v[1]} for k, v in shares.items()}},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for line in text_lines(matches):
            print(line)
        exact = sum(1 for m in matches if m.level == "exact" and not m.repeated)
        para = sum(1 for m in matches if m.level == "paraphrase" and not m.repeated)
        again = sum(1 for m in matches if m.repeated)
        print(f"比对了 {len(materials)} 份材料、{len(references)} 份参考文本、{len(previous)} 份上年材料："
              f"雷同 {exact} 处，疑似洗稿 {para} 处，与上年重复 {again} 处"
              + (f"；{len(errors)} 个输入未比对（无法读取或涉密）" if errors else ""), file=sys.stderr)
    if errors:
        return 2
    return 1 if matches else 0
