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
      "去掉编号、标点和空格、数字视为相同后，共同的连续片段至少 13 个字，且覆盖本条至少 50% 的字数"
      "（阈值可在配置中调整）。套话（固定提法、通知原文）不计。草稿中为提示，征求意见稿和定稿中为警告；"
      "不会使发布失败。需要站点或 gongwen similar 对整批材料比对后才能报告。",
      bad="一是理论学习不够深入系统。党组中心组学习有时流于形式……（与另一单位材料仅换了单位名称和数字）",
      good="一是理论学习不够深入系统。如，2024年党组中心组学习12次，专题研讨只有3次……（写本单位的事实）",
      stages={"草稿": "info", "征求意见稿": "warning", "定稿": "warning"})
def copied(ctx: Context):
    if not ctx.copies:
        return
    best: dict[tuple[str, int], object] = {}  # one finding per unit: its largest share
    for m in ctx.copies:
        key = (m.a.path, m.a.line, m.a.index)
        if key not in best or m.share > best[key].share:
            best[key] = m
    for m in sorted(best.values(), key=lambda m: (m.a.path, m.a.line, m.a.index)):
        source = m.b.title or m.b.material
        where = f"{_shown(m.b.path)}:{m.b.line}"
        kind = "参考文本" if m.b.reference else "材料"
        passage = max(m.passages, key=len) if m.passages else ""
        quoted = passage if len(passage) <= _SHOWN else passage[:_SHOWN] + "……"
        what = "这条问题" if m.a.kind == "point" else "这一段"
        yield Finding(Node(m.a.path, m.a.line), f"{what}与{kind}《{source}》（{where}）雷同：{m.share:.0%} 的文字相同，"
                      f"如“{quoted}”", "用本单位自己的事实和事例重写，不要照搬其他单位或模板的表述")


def _shown(path: str) -> str:
    """A path under the working folder (a site's project) relative to it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith("..") else rel
