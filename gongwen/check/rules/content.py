"""content.* rules: what the text says (placeholders, paste residue, terms, examples)."""

from __future__ import annotations

import re

from ...read.common import EXAMPLE_START
from ...textpatterns import (
    RESIDUE,
    RESIDUE_HINT,
    SLOGAN,
    SLOGAN_COUNTS,
    SLOGAN_HINT,
    TERM_PATTERN,
    TERM_REPLACEMENTS,
    first_chars,
)
from .registry import Context, Finding, rule

# Every placeholder holds one of these characters or 略） / 略) (a quick test: most text has none).
_PLACEHOLDER_CHARS = re.compile("[XxＸ×✕╳【○□_＿*]")


def _may_hold_placeholder(text: str) -> bool:
    return _PLACEHOLDER_CHARS.search(text) is not None or "略）" in text or "略)" in text
PLACEHOLDER = first_chars(
    "XxＸ×✕╳2【（(○□_＿*",
    r"(?<![A-Za-z])(?:XX+|xx+|ＸＸ+)(?![A-Za-z])|[×✕╳]{2,}|20[0-9][XxＸ×]|【待补[^】]*】|【[^】]{0,6}待[填补定][^】]{0,6}】|（略）|\(略\)"
    r"|[○□]{2,}|_{4,}|＿{2,}"
    # In Markdown `**` and list bullets are masked first, so a `*` left over is a literal one.
    r"|\*+"
)


@rule("content.placeholder", "warning", "未填写的占位符",
      "材料中留有 XX、××、○○、202X、【待补】、（略）、____ 或代替数字、名称的 *，说明还有内容没有填写。"
      "草稿中为提示，征求意见稿中为警告，定稿中为错误。",
      bad="乡镇*个村级党组织中，一直有*个村是整顿后进党组织", good="乡镇12个村级党组织中，一直有2个村是整顿后进党组织",
      stages={"草稿": "info", "征求意见稿": "warning", "定稿": "error"})
def placeholder(ctx: Context):
    if not _may_hold_placeholder(ctx.visible_text()):
        return
    for tl, text in ctx.visible_lines():
        if not _may_hold_placeholder(text):
            continue
        for m in PLACEHOLDER.finditer(text):
            shown = m.group(0)
            yield Finding(tl, f"占位符“{shown}”尚未填写", "填写实际的数字、名称或日期",
                          column=tl.column + m.start())


@rule("content.residue", "error", "网页残留",
      "从网页复制粘贴带入的残留文字，如 ##paidbegin##、##paidend##、浏览量、发布时间、下载等。",
      bad="一是意识形态##paidbegin##责任制落实不到位。", good="一是意识形态工作责任制落实不到位。")
def residue(ctx: Context):
    if RESIDUE_HINT.search(ctx.raw_text()) is None:
        return
    for tl in ctx.text_lines():
        if RESIDUE_HINT.search(tl.text) is None:
            continue
        for m in RESIDUE.finditer(tl.text):
            yield Finding(tl, f"疑似网页残留“{m.group(0)}”", "删除这段从网页带入的文字",
                          column=tl.column + m.start())


def _quote_depth(text: str, pos: int) -> int:
    return text.count("“", 0, pos) - text.count("”", 0, pos)


@rule("content.term", "error", "重要政治术语写错",
      "重要政治术语、提法写错或用错引号：如“习近平新世代中国特色社会主义思想”（新时代）、"
      "“以习近平同志为首的党中央”（为核心）、“三个自信”（四个自信）、用英文引号写的\"两个维护\"。"
      "草稿中为警告，其余为错误。",
      bad="深入学习习近平新世代中国特色社会主义思想，坚决做到\"两个维护\"",
      good="深入学习习近平新时代中国特色社会主义思想，坚决做到“两个维护”",
      stages={"草稿": "warning"})
def term(ctx: Context):
    # One scan of the whole text for each pattern tells which per-line scans can find anything.
    terms = TERM_PATTERN.search(ctx.visible_text()) is not None
    slogans = SLOGAN_HINT.search(ctx.visible_text()) is not None
    if not terms and not slogans:
        return
    for tl, text in ctx.visible_lines():
        for m in TERM_PATTERN.finditer(text) if terms else ():
            right = TERM_REPLACEMENTS[int(m.lastgroup[1:])]
            yield Finding(tl, f"术语“{m.group(0)}”有误，应为“{right}”", f"改为“{right}”",
                          column=tl.column + m.start())
        for m in SLOGAN.finditer(text) if slogans and "个" in text and SLOGAN_HINT.search(text) else ():
            slogan = m.group("num") + "个" + m.group("word")
            opening, closing = m.group("open"), m.group("close")
            quoted = bool(opening or closing)
            right_num = SLOGAN_COUNTS[m.group("word")]
            if quoted and m.group("num") != right_num:
                right = f"{right_num}个{m.group('word')}"
                yield Finding(tl, f"提法“{slogan}”数目有误，应为“{right}”", f"改为“{right}”",
                              column=tl.column + m.start("num"))
                continue
            # “” around it, or ‘’ when inside “”; one side alone is fine (“四个意识、四个自信”).
            nested = _quote_depth(text, m.start()) > 0
            wrong = (opening and opening not in ("“", "‘" if nested else "“")) or \
                    (closing and closing not in ("”", "’" if nested else "”"))
            if wrong:
                yield Finding(tl, f"提法“{slogan}”的引号应为中文双引号：现为{opening or '（无）'}…{closing or '（无）'}",
                              f"改为“{slogan}”（套在“”内时用‘’）", column=tl.column + m.start())


# A fact that makes a problem concrete: a number with a measure word, a date, a figure.
CONCRETE = re.compile(
    r"\d|[０-９]|[一二三四五六七八九十两百千万几]+(?:个|次|项|名|人|件|起|天|周|月|年|篇|份|场|家|户|村|元|万元|亩|处|条|批|轮|期|位|支|所|座|趟|笔|宗|例)"
)
QUOTED = re.compile(r"“[^”]{0,30}”")
# A problem is stated as a shortcoming; these mark one.
DEFICIENCY = re.compile(
    r"不|没|未|无|欠|缺|弱|差|低|少|难|乏|淡|松|浮|虚|软|偏|轻|怕|慢|散|漂|窄|浅|粗|僵|旧|短板|问题|差距|有待|仍|还|尚|存在|"
    r"满足于|习惯于|止于|流于|代替|滞后|懈怠|敷衍|应付|走过场|漏洞|薄弱|片面|简单|回避|缺位|错位|越位|形式主义|官僚主义"
)
# Achievements, wishes and measures written where a problem belongs.
NOT_A_PROBLEM = re.compile(
    r"取得|成效显著|成绩|成果|显著提升|明显提升|大幅提升|圆满完成|较好|良好|有力推动|扎实推进|积极|建议|希望|要进一步|进一步|"
    r"切实加强|持续加强|加强|强化|坚持|确保|努力|争取|着力"
)


def problem_units(ctx: Context) -> list[tuple]:
    """Each problem of the material: (node, lead, text, has_example). Points under the
    problem section; a heading whose text has no points counts as one problem.
    Worked out once per check: two rules read them."""
    found = ctx._cache.get("problem_units")
    if found is None:
        found = ctx._cache["problem_units"] = list(_problem_units(ctx))
    return found


def _problem_units(ctx: Context):
    for top in ctx.sections_where("problems"):
        for sec in top.walk():
            points = list(sec.points())
            if points:
                for p in points:
                    yield p, p.lead, p.text, bool(p.examples)
            elif sec.blocks and sec is not top:
                text = "".join(b.text for b in sec.blocks)
                yield sec, sec.title, text, bool(EXAMPLE_START.search(text))


@rule("content.no-example", "warning", "问题没有见人见事",
      "查摆的问题要见人见事：每个问题应有具体事例（以“如”“比如”“例如”“在……中”引出，带数字、时间或事实）。"
      "草稿中为提示，其余为警告。",
      bad="一是理论学习不深不透。对党的创新理论学习不够系统，学用结合不够紧密。",
      good="一是理论学习不深不透。……如，今年班子集体学习12次，有3次以传达文件代替研讨。",
      stages={"草稿": "info"})
def no_example(ctx: Context):
    for node, lead, text, has_example in problem_units(ctx):
        if has_example or CONCRETE.search(QUOTED.sub("", text)):
            continue
        name = lead.rstrip("。；;") or "此问题"
        yield Finding(node, f"问题“{name[:30]}”没有具体事例", "用“如，……”举出具体的人、事、时间或数字")


@rule("content.not-problem", "warning", "以成绩、希望或建议代替问题",
      "查摆问题不能以成绩、希望、工作建议或整改措施代替问题：问题的提要句应写出不足，"
      "如“理论学习不深不透”，而不是“进一步加强理论学习”。草稿中为提示，其余为警告。",
      bad="一是进一步加强理论学习。", good="一是理论学习不深不透。",
      stages={"草稿": "info"})
def not_problem(ctx: Context):
    for node, lead, _text, _ in problem_units(ctx):
        head = lead.strip()
        if not head or DEFICIENCY.search(head):
            continue
        m = NOT_A_PROBLEM.search(head)
        if m:
            yield Finding(node, f"“{head[:30]}”读来是成绩、希望或措施（“{m.group(0)}”），不是问题",
                          "写明存在的不足，如“……不深不透”“……不够到位”")


OWNER = re.compile(r"责任人|责任单位|责任领导|责任部门|牵头领导|牵头单位|牵头部门|牵头人|负责人|主责部门"
                   r"|由[^。；;]{1,20}(?:牵头|负责)")
DEADLINE = re.compile(
    r"时限|完成时间|\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月(?:底|中旬|上旬|下旬|\d{1,2}日)?前|年底前|年内|"
    r"第[一二三四1-4]季度|"
    r"立行立改|长期坚持|持续推进|常态化|即知即改"
)


@rule("content.owner-deadline", "warning", "整改任务没有责任人或时限",
      "整改方案、整改清单中的每项整改任务都要写明责任人（或责任单位）和时限（具体日期，或“立行立改”“长期坚持”）。"
      "草稿中为提示，其余为警告。",
      bad="一是加强理论学习。制定学习计划，每月集中学习一次。",
      good="一是加强理论学习。制定学习计划，每月集中学习一次。责任人：党委书记；完成时限：2024年3月底前。",
      stages={"草稿": "info"})
def owner_deadline(ctx: Context):
    for top in ctx.material.sections:
        spec = ctx.spec(top)
        if spec is None or not spec.needs_owner_and_deadline:
            continue
        for sec in top.walk():
            points = list(sec.points())
            units = [(p, p.lead, p.text) for p in points]
            if not points and sec.blocks and not sec.children:
                units = [(sec, sec.title, sec.title + "".join(b.text for b in sec.blocks))]
            for node, lead, text in units:
                missing = [w for w, pat in (("责任人", OWNER), ("时限", DEADLINE)) if not pat.search(text)]
                if missing:
                    name = lead.rstrip("。；;")[:30] or "此项"
                    yield Finding(node, f"整改任务“{name}”没有写明{'和'.join(missing)}",
                                  "写明“责任人：……；完成时限：……年……月底前”（或“立行立改”“长期坚持”）")
