"""content.copied: a unit of the material copied from another material or a reference text.

The rule does not compare anything itself: one material alone has no corpus. The caller
that compared the corpus (gongwen.similar, from the site catalogue or the CLI) passes the
copy reports in Context.copies; without them the rule finds nothing."""

from __future__ import annotations

import os

from ...model import Node
from .registry import Context, Finding, rule

_SHOWN = 24  # characters of a shared passage quoted in the message


@rule("content.copied", "warning", "雷同（照搬照抄）",
      "一条问题（一是……连同事例）或一个段落与另一份材料或参考文本（模板、往年材料）大段相同："
      "去掉编号、标点和空格、数字视为相同后，共同的连续片段至少 13 个字，且这些片段（来自一个来源或几个来源合起来）"
      "覆盖本条至少 50% 的字数（阈值可在配置中调整）。固定提法和审核人员指定的套话文本（会议通知等）不计。"
      "多份材料共有的段落报告为一个“家族”（如“7 份材料共有此段”）。另有两个子项："
      "content.copied.paraphrase（洗稿：换了说法的问题，逐句按词比对，与逐字相同分开计数）和 "
      "content.copied.previous（与文件头 previous: 指定的上年材料重复，问题年年一样）。"
      "草稿中为提示，征求意见稿和定稿中为警告；不会使发布失败。需要站点或 gongwen similar 对整批材料比对后才能报告。",
      bad="一是理论学习不够深入系统。党组中心组学习有时流于形式……（与另一单位材料仅换了单位名称和数字）",
      good="一是理论学习不够深入系统。如，2024年党组中心组学习12次，专题研讨只有3次……（写本单位的事实）",
      stages={"草稿": "info", "征求意见稿": "warning", "定稿": "warning"})
def copied(ctx: Context):
    if not ctx.copies:
        return
    best: dict[tuple, object] = {}  # one finding per unit and kind: its largest share
    for m in ctx.copies:
        key = (m.a.path, m.a.line, m.a.index, _sub(m))
        if key not in best or m.share > best[key].share:
            best[key] = m
    sources: dict[tuple, int] = {}
    for m in ctx.copies:
        key = (m.a.path, m.a.line, m.a.index, _sub(m))
        sources[key] = sources.get(key, 0) + 1
    for key, m in sorted(best.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3] or "")):
        source = m.b.title or m.b.material
        where = f"{_shown(m.b.path)}:{m.b.line}"
        kind = "上年材料" if m.repeated else "参考文本" if m.b.reference else "材料"
        what = "这条问题" if m.a.kind == "point" else "这一段"
        sub = _sub(m)
        if sub == "paraphrase":
            a, b, _ = m.aligned[0]
            yield Finding(Node(m.a.path, m.a.line), f"{what}疑似洗稿：与{kind}《{source}》（{where}）换了说法但逐句对应，"
                          f"{len(m.aligned)} 句、{m.share:.0%} 的文字意思相同，如“{_cut(a)}”对应“{_cut(b)}”",
                          "用本单位自己的事实和事例重写，不要改写其他单位或模板的表述", sub=sub)
            continue
        passage = max(m.passages, key=len) if m.passages else ""
        if m.repeated:
            yield Finding(Node(m.a.path, m.a.line), f"{what}与{kind}《{source}》（{where}）重复：{m.share:.0%} 的文字相同，"
                          f"如“{_cut(passage)}”（问题年年一样）", "写今年查摆出的问题；确属去年问题未改到位的，写明原因和今年的整改情况",
                          sub=sub)
            continue
        total = f"，与另外 {sources[key] - 1} 个来源合计 {m.combined:.0%}" if sources[key] > 1 and m.combined > m.share else ""
        family = f"；{m.family} 份材料共有此段" if m.family >= 3 else ""
        yield Finding(Node(m.a.path, m.a.line), f"{what}与{kind}《{source}》（{where}）雷同：{m.share:.0%} 的文字相同"
                      f"{total}{family}，如“{_cut(passage)}”", "用本单位自己的事实和事例重写，不要照搬其他单位或模板的表述")


def _sub(m) -> str | None:
    if getattr(m, "level", "exact") == "paraphrase":
        return "paraphrase"
    return "previous" if getattr(m, "repeated", False) else None


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "……"


def _shown(path: str) -> str:
    """A path under the working folder (a site's project) relative to it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith("..") else rel
