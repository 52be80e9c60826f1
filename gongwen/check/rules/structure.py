"""structure.* rules: the 一级 sections and 方面 of the document type, heading levels, empty parts."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ...model import Node, Section
from ...schema import normalise_name
from ._names import closest, guess_spec
from .registry import Context, Finding, rule

LEVEL_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
HEADING_HASHES = re.compile(r"^\s{0,3}(#{1,6})\s")


def out_of_order(indices: list[int]) -> set[int]:
    """Positions not on a longest increasing run of `indices` (the fewest items to move)."""
    n = len(indices)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if indices[j] < indices[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    keep: set[int] = set()
    i = max(range(n), key=lambda k: best[k], default=-1)
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return set(range(n)) - keep


def _anchor(ctx: Context) -> Node:
    mat = ctx.material
    return mat.title_node or (mat.sections[0] if mat.sections else Node(mat.files[0] if mat.files else mat.path, 1))


def _place(names: list[str], wanted: int, present: dict[int, object]) -> str:
    """Where item `wanted` of an ordered list belongs, in words, given the items present."""
    before = [i for i in present if i < wanted]
    after = [i for i in present if i > wanted]
    parts = []
    if before:
        parts.append(f"“{names[max(before)]}”之后")
    if after:
        parts.append(f"“{names[min(after)]}”之前")
    return "应在" + "、".join(parts) if parts else ""


@rule("structure.section", "error", "一级标题缺失、重复或顺序不对",
      "按材料类型检查一级标题：必备的一级标题（如存在的问题、原因剖析、整改措施）是否齐全、是否重复、顺序是否正确。"
      "常见别名（如“原因分析”“问题查摆”）可以使用，会提示规范名称；不认识的一级标题提示为警告。",
      bad="一、存在的问题 二、整改措施 三、原因剖析", good="一、存在的问题 二、原因剖析 三、整改措施")
def section(ctx: Context):
    specs = ctx.schema.sections
    mat = ctx.material
    if not mat.title:
        where = mat.sections[0] if mat.sections else Node(mat.files[0] if mat.files else mat.path, 1)
        yield Finding(where, "材料没有标题", "在正文前写标题，如“××党委2023年度民主生活会领导班子对照检查材料”",
                      severity="warning", sub="title")
    if not specs:
        return
    names = [s.name for s in specs]
    listing = "、".join(s.name + ("（可选）" if s.optional else "") for s in specs)
    hint = f"本类材料（{ctx.schema.name}）的一级标题依次为：{listing}"
    seen: dict[int, Section] = {}
    matched: list[tuple[Section, int]] = []
    for sec in mat.sections:
        spec = ctx.schema.section_for(sec.title)
        if spec is not None and normalise_name(sec.title) != normalise_name(spec.name):
            yield Finding(sec, f"一级标题“{sec.title}”是“{spec.name}”的别名，规范名称为“{spec.name}”",
                          f"可改为“{spec.name}”", severity="info", sub="alias")
        elif spec is None:
            spec = guess_spec(sec.title, specs)
            if spec is None:
                yield Finding(sec, f"一级标题“{sec.title}”不属于本类材料的结构", hint, severity="warning", sub="extra")
                continue
            yield Finding(sec, f"一级标题“{sec.title}”不是规范名称，疑为“{spec.name}”", f"改为“{spec.name}”",
                          severity="warning", sub="name")
        idx = specs.index(spec)
        if idx in seen:
            yield Finding(sec, f"一级标题“{spec.name}”重复（{_where(seen[idx], sec)}已有）",
                          "把两部分内容合并到一个一级标题下")
            continue
        seen[idx] = sec
        matched.append((sec, idx))
    order = [idx for _, idx in matched]
    wrong = out_of_order(order)
    in_order = {idx: sec for k, (sec, idx) in enumerate(matched) if k not in wrong}
    for k in sorted(wrong):
        sec, idx = matched[k]
        yield Finding(sec, f"一级标题“{specs[idx].name}”顺序不对，{_place(names, idx, in_order)}", hint)
    for i, spec in enumerate(specs):
        if spec.optional or i in seen:
            continue
        after = [seen[j] for j in seen if j > i]
        where = min(after, key=lambda s: (mat.files.index(s.path) if s.path in mat.files else 0, s.line)) \
            if after else _anchor(ctx)
        place = _place(names, i, seen)
        yield Finding(where, f"缺少一级标题“{spec.name}”" + (f"（{place}）" if place else ""), hint)


def _where(first: Section, second: Section) -> str:
    return f"第 {first.line} 行" if first.path == second.path else f"{Path(first.path).name} 第 {first.line} 行"


@lru_cache(maxsize=1024)
def _punct_form(name: str) -> str:
    # The name with its punctuation, but without width differences, spaces and the 在…方面 wrapper.
    s = re.sub(r"\s", "", unicodedata.normalize("NFKC", name)).replace(",", "，").replace(";", "；")
    s = s.rstrip("。.")
    if s.startswith("在") and s.endswith("方面"):
        s = s[1:-2]
    elif s.endswith("方面"):
        s = s[:-2]
    return s[:-2] if s.endswith("情况") and len(s) > 4 else s


@rule("structure.aspect", "error", "方面缺失、名称不符或顺序不对",
      "“存在的问题”下的方面（二级标题）须与当年官方通知一致：名称、数量、顺序都要对。"
      "名称比较时忽略全角半角和“在……方面”的写法，并指出原本应为哪个官方名称。",
      bad="（二）在政治素养方面", good="（二）在政治素质方面")
def aspect(ctx: Context):
    official = ctx.schema.aspects
    if not official:
        return
    holder = next(ctx.sections_where("holds_aspects"), None)
    if holder is None:
        return  # structure.section reports the missing section
    # “；” between names: the names themselves contain “、”.
    hint = "本类材料的方面依次为：" + "；".join(official)
    children = holder.children
    if not children:
        yield Finding(holder, f"“{holder.title}”下没有按方面分列（应分为 {len(official)} 个方面）", hint)
        return
    keys = [normalise_name(a) for a in official]
    found: dict[int, Section] = {}
    pending: list[Section] = []
    matched: list[tuple[Section, int]] = []
    for child in children:
        key = normalise_name(child.title)
        if key in keys:
            idx = keys.index(key)
            if idx in found:
                yield Finding(child, f"方面“{child.title}”重复（第 {found[idx].line} 行已有）", "合并重复的方面")
                continue
            found[idx] = child
            matched.append((child, idx))
            if _punct_form(child.title) != _punct_form(official[idx]):
                yield Finding(child, f"方面名称“{child.title}”的标点与官方名称不同，应为“{official[idx]}”",
                              f"改为“{official[idx]}”", severity="warning", sub="punct")
        else:
            pending.append(child)
    # Nothing matches exactly and little even resembles: the wrong type, not six wrong names.
    if not found and 2 * sum(1 for c in pending if closest(c.title, official, 0.5)) < len(pending):
        yield Finding(holder, f"“{holder.title}”下的方面与本类材料（{ctx.schema.name}）的官方方面都不相符，"
                              "请核对材料类型或方面名称", hint)
        return
    for child in pending:
        free = [official[i] for i in range(len(official)) if i not in found]
        guess = closest(child.title, free, 0.5) if free else None
        if guess is None:
            yield Finding(child, f"方面“{child.title}”不是本类材料的官方方面", hint)
            continue
        idx = official.index(guess)
        found[idx] = child
        matched.append((child, idx))
        yield Finding(child, f"方面名称“{child.title}”与官方名称不符，应为“{guess}”", f"改为“{guess}”")
    position = {id(c): k for k, c in enumerate(children)}
    matched.sort(key=lambda m: position[id(m[0])])
    wrong = out_of_order([idx for _, idx in matched])
    in_order = {idx: c for k, (c, idx) in enumerate(matched) if k not in wrong}
    for k in sorted(wrong):
        child, idx = matched[k]
        yield Finding(child, f"方面“{official[idx]}”顺序不对，{_place(official, idx, in_order)}", hint)
    for i, name in enumerate(official):
        if i not in found:
            place = _place(official, i, found)
            yield Finding(holder, f"缺少方面“{name}”" + (f"（{place}）" if place else ""), hint)


def _md_offset(ctx: Context, path: str) -> int:
    # In index.md and in a single-file material `#` is the title, so levels move down by one.
    return 1 if os.path.basename(path) == "index.md" or len(ctx.material.files) == 1 else 0


@rule("structure.level", "warning", "标题层级跳级或用错位置",
      "标题层级应逐级展开：一级（一、）下是二级（（一）），二级下是三级（1.），不能跳级，公文标题最多四级。"
      "Markdown 材料中，每个一级标题单独一个文件，文件以“#”一级标题开头。",
      bad="# 存在的问题\n### 理论学习不深不透", good="# 存在的问题\n## 在理论学习方面",
      stages={"草稿": "info"})
def level(ctx: Context):
    mat = ctx.material
    per_file: dict[str, int] = {}
    first_in_file: set[str] = set()
    for top in mat.sections:
        if top.level > 1:
            where = "文件" if mat.format == "md" else "正文"
            yield Finding(top, f"{where}以{LEVEL_ZH.get(top.level, '')}标题“{top.title}”开始，缺少一级标题",
                          "补上一级标题，或把此标题提升为一级" + ("（Markdown 用“#”）" if mat.format == "md" else ""))
        if top.level == 1:
            per_file[top.path] = per_file.get(top.path, 0) + 1
            if mat.format == "md" and len(mat.files) > 1:
                if os.path.basename(top.path) == "index.md":
                    yield Finding(top, f"一级标题“{top.title}”写在了 index.md 中",
                                  "index.md 只写标题和导语；每个一级标题单独建一个 .md 文件")
                elif per_file[top.path] == 2:
                    yield Finding(top, f"一个文件中有多个一级标题（“{top.title}”是第二个）",
                                  "每个一级标题单独一个文件，便于编号和审阅")
        for sec in top.walk():
            if mat.format == "md" and sec.path not in first_in_file:
                first_in_file.add(sec.path)
                if sec.level > 1 and not _md_offset(ctx, sec.path) and sec is not top:
                    yield Finding(sec, f"文件以{LEVEL_ZH[sec.level]}标题“{sec.title}”开始，缺少一级标题（“#”）",
                                  "每个 .md 文件以一个一级标题开头，如“# 存在的问题”")
            for child in sec.children:
                if child.level > sec.level + 1:
                    yield Finding(child, f"标题层级跳级：{LEVEL_ZH[sec.level]}标题“{sec.title}”下直接出现"
                                         f"{LEVEL_ZH[child.level]}标题“{child.title}”",
                                  f"应先用{LEVEL_ZH[sec.level + 1]}标题")
            if mat.format == "md":
                lines = ctx.source_lines(sec.path)
                m = HEADING_HASHES.match(lines[sec.line - 1]) if 0 < sec.line <= len(lines) else None
                if m and len(m.group(1)) > 4 and len(m.group(1)) - _md_offset(ctx, sec.path) > 4:
                    yield Finding(sec, f"标题“{sec.title}”层级过深：公文标题最多四级（一、（一）1.（1））",
                                  "改为正文中的“一是……二是……”，或减少层级")


def _has_other_content(ctx: Context, sec: Section, headings: dict[str, set[int]]) -> bool:
    """A Markdown section may hold content the model does not keep (tables, lists of links, HTML)."""
    if ctx.material.format != "md":
        return False
    lines = ctx.source_lines(sec.path)
    marks = headings.get(sec.path, set())
    for n in range(sec.line + 1, len(lines) + 1):
        if n in marks:
            return False
        text = lines[n - 1].strip()
        if text and not re.fullmatch(r"<!--.*?-->", text):
            return True
    return False


@rule("structure.empty", "warning", "标题下没有内容",
      "一级标题、方面或其他标题下没有任何正文。草稿中为提示，其余为警告。",
      bad="## 在廉洁自律方面\n（下面没有内容）", good="## 在廉洁自律方面\n\n**落实全面从严治党主体责任不够严格。**……",
      stages={"草稿": "info"})
def empty(ctx: Context):
    mat = ctx.material
    if not mat.sections and not mat.lead:
        yield Finding(_anchor(ctx), "材料没有正文内容", "按材料类型写出各一级标题和正文")
        return
    aspect_ids = {id(c) for top in ctx.sections_where("holds_aspects") for c in top.children}
    headings: dict[str, set[int]] = {}
    for sec in ctx.sections():
        headings.setdefault(sec.path, set()).add(sec.line)
    for sec in ctx.sections():
        if sec.blocks or sec.children or _has_other_content(ctx, sec, headings):
            continue
        is_aspect = sec.level == 2 and id(sec) in aspect_ids
        what = "方面" if is_aspect else f"{LEVEL_ZH.get(sec.level, '')}标题"
        yield Finding(sec, f"{what}“{sec.title}”下没有内容", "补写内容，或删除这个标题")
