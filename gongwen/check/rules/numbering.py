"""numbering: numbers an author typed (一、（一）1.（1）一是) that skip, repeat, go back or mix styles.

Numbers are computed (gongwen.numbering); typed ones are checked against that
sequence, each against the one typed before it so one slip is reported once.
"""

from __future__ import annotations

import re
from collections import Counter

from ...model import Point, Section
from ...numerals import CN, from_cn, label_value, number_label, point_label
from .registry import Context, Finding, rule

LEVEL_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
_NUMERAL = re.compile(rf"{CN}|\d+")


def style_of(label: str) -> str:
    """The shape of a typed label: 1、 and 3、 share a style, 1. is another."""
    return _NUMERAL.sub("N", re.sub(r"\s", "", label), count=1)


def _sequence(items, value_of, label_of, computed, what: str):
    """Findings for typed numbers in one run of siblings: skip, repeat, going back."""
    prev: tuple[int, object] | None = None
    high = 0  # the highest number so far: after 一 二 四 三, 五 is no skip
    for pos, item in enumerate(items, 1):
        typed = item.number
        if not typed:
            continue
        value = value_of(item)
        if value is None:
            continue
        auto = computed[id(item)]
        fix = f"自动编号为“{auto}”；删去手写编号即可"
        if prev is None:
            if value != pos:
                yield Finding(item, f"{what}编号“{typed}”不对，此处是第 {pos} 个，应为“{label_of(item, pos)}”", fix)
        else:
            pvalue, pitem = prev
            if value == pvalue:
                yield Finding(item, f"{what}编号“{typed}”重复（上一个也是“{pitem.number}”）", fix)
            elif value < pvalue:
                yield Finding(item, f"{what}编号“{typed}”顺序颠倒（上一个是“{pitem.number}”）", fix)
            elif value > high + 1:
                yield Finding(item, f"{what}编号跳号：“{pitem.number}”之后是“{typed}”，"
                                    f"缺少“{label_of(item, high + 1)}”", fix)
        prev = (value, item)
        high = max(high, value)


def _point_value(p: Point) -> int | None:
    try:
        return from_cn(p.number.strip().lstrip("第").rstrip("是"))
    except ValueError:
        return None


@rule("numbering", "warning", "手写编号跳号、重复、颠倒或样式混用",
      "编号由系统按层级自动生成（一、（一）1.（1），要点为一是、二是）。作者手写的编号会被识别并替换；"
      "如果手写编号跳号、重复、顺序颠倒，或同一级混用“1、”和“1.”等样式，说明结构可能有误，予以提示。",
      bad="（一）……（三）……", good="（一）……（二）……", stages={"草稿": "info"})
def numbering(ctx: Context):
    mat = ctx.material
    typed = [s for s in ctx.sections() if s.number]
    # Without a typed heading number there is nothing to check against the computed labels
    # (nor a reason to import the numbering module, which the exporters use).
    if typed:
        from ...numbering import section_labels

        labels = section_labels(mat, ctx.schema)
    else:
        labels = {}

    # Styles per level: mixing is a warning, one consistent non-standard style only a note.
    styles: dict[int, Counter] = {}
    for sec in typed:
        styles.setdefault(sec.level, Counter())[style_of(sec.number)] += 1
    for sec in typed:
        canonical = number_label(sec.level, 1)
        if label_value(sec.level, sec.number) is None:
            yield Finding(sec, f"{LEVEL_ZH[sec.level]}标题编号“{sec.number}”不是本级样式，本级应为“{labels[id(sec)]}”",
                          "删去手写编号，由系统按层级自动编号")
            continue
        style = style_of(sec.number)
        if style == style_of(canonical):
            continue
        if len(styles[sec.level]) > 1:
            digit = "一" if sec.level <= 2 else "1"
            others = "、".join(f"“{s.replace('N', digit)}”" for s in styles[sec.level] if s != style)
            yield Finding(sec, f"{LEVEL_ZH[sec.level]}标题编号样式混用：“{sec.number}”与{others}并存，"
                               f"规范样式为“{canonical}”", f"统一为“{labels[id(sec)]}”")
        else:
            yield Finding(sec, f"{LEVEL_ZH[sec.level]}标题编号“{sec.number}”不是规范样式“{canonical}”（GB/T 9704）",
                          f"改为“{labels[id(sec)]}”", severity="info")

    def visit(siblings: list[Section]) -> None:
        runs.append(siblings)
        for s in siblings:
            visit(s.children)

    runs: list[list[Section]] = []
    if typed:
        visit(mat.sections)
    for siblings in runs:
        valid = [s for s in siblings if not s.number or label_value(s.level, s.number) is not None]
        yield from _sequence(valid, lambda s: label_value(s.level, s.number),
                             lambda s, n: number_label(s.level, n), labels, "")
    for sec in ctx.sections():
        if not any(isinstance(b, Point) and b.number for b in sec.blocks):
            continue  # no typed point number: nothing to compare (the usual case)
        points = list(sec.points())
        if any(p.number for p in points):
            from ...numbering import point_labels

            yield from _sequence(points, _point_value, lambda p, n: point_label(n), point_labels(sec, ctx.schema), "要点")
