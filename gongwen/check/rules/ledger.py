"""ledger.* rules: the 整改清单 of a material (gongwen/ledger/ reads it from the model)."""

from __future__ import annotations

import datetime
from pathlib import Path

from ...diagnostics import InputError
from ...ledger import DONE, Ledger, conventions, is_overdue, memory, read_ledger
from ...ledger.conventions import MEANING_ZH, fold
from ...model import Node
from ...schema import GENERIC, detect_schema, find_schema
from .registry import Context, Finding, rule

OWNER_HINT = "写明责任领导或责任人（到人，如“党委书记 张某”）"
DEADLINE_HINT = "写日期（2025年6月30日、2025-06-30）、月底（2025年3月底前）、年底（2025年底前），或长期坚持、立行立改"


def ledger_of(ctx: Context) -> Ledger | None:
    """The material's ledger, read once per check and shared by the ledger rules."""
    if "ledger" not in ctx._cache:
        ctx._cache["ledger"] = read_ledger(ctx.material, ctx.schema)
    return ctx._cache["ledger"]


def _seq(row) -> str:
    """“序号 3 的” when the table numbers its rows: the writer finds the row by it, not by the line."""
    number = next((v for k, v in row.others.items() if fold(k) == "序号" and v), "")
    return f"序号 {number} 的" if number else ""


def today_of(ctx: Context) -> datetime.date:
    return ctx.today or datetime.date.today()


@rule("ledger.columns", "warning", "整改清单缺少必备的列",
      "整改清单（整改台账）按表头名称识别各列，顺序不限：问题、整改措施、完成时限必须有，"
      "责任领导、责任人（责任单位、责任部门）至少有一列；状态列可选（不写为未开始）。",
      bad="| 问题 | 措施 |", good="| 问题 | 整改措施 | 责任领导 | 责任人 | 完成时限 | 状态 |",
      stages={"草稿": "info"})
def columns(ctx: Context):
    ledger = ledger_of(ctx)
    for t in ledger.tables if ledger else ():
        if t.missing:
            names = "、".join(MEANING_ZH[m] for m in t.missing)
            have = "、".join(c.text for c in t.table.header)
            yield Finding(t.table, f"整改清单缺少列：{names}（现有列：{have}）",
                          "表头可用：问题/存在问题，整改措施/措施，责任领导，责任人/责任单位，完成时限/整改时限，状态/整改进展")


@rule("ledger.unmatched", "warning", "问题没有对应的整改措施",
      "有整改清单时，“存在的问题”中的每个问题要点都应在清单中至少有一行整改措施（整改措施与问题一一对应）。"
      "在问题所在行报告。材料类型要求附整改清单（如整改方案）而定稿中没有清单时，只作提示（ledger.unmatched.none）："
      "许多单位仍以文字写整改措施。",
      bad="（一）二是 执行民主集中制不够严格规范（清单中没有这一问题）",
      good="| （一）二是 | “三重一大”事项材料提前3天送达 | 党委书记 | 党政办 | 2025年3月底前 | 已完成 |",
      stages={"草稿": "info"})
def unmatched(ctx: Context):
    ledger = ledger_of(ctx)
    if ledger is None:
        yield from _no_ledger(ctx)
        return
    if not ledger.rows:
        return
    for p in ledger.unmatched():
        short, _ = ledger.labels[id(p)]
        yield Finding(p, f"问题 {short}“{p.lead}”在整改清单中没有对应的整改措施",
                      f"在整改清单中加一行，问题列写“{ledger.index.cite(p) if ledger.index else short}”")


@rule("ledger.unknown-problem", "warning", "整改清单中的问题对应不上",
      "整改清单的问题列应写本材料中问题要点的编号（如网站上显示的“（一）一是”，有歧义时写“二（一）一是”）"
      "或问题的首句（不计标点和空格），多个问题用“；”隔开。写的编号或首句在材料中找不到、有歧义或编号与首句不符时报告。",
      bad="| 理论学习不够深入 | …", good="| （一）一是 | …",
      stages={"草稿": "info"})
def unknown_problem(ctx: Context):
    ledger = ledger_of(ctx)
    if not ledger or not ledger.problem_points:
        return  # e.g. a 整改方案: no problem points to name, the cell is free text
    for row in ledger.rows:
        cell = row.cells.get("problem")
        where = cell if cell is not None and cell.line == row.line else row.row
        seq = _seq(row)
        if not row.problems:
            yield Finding(where, f"整改清单{seq or '这一'}行没有写问题", "写明问题的编号（如（一）一是）或首句")
        for ref in row.problems:
            if ref.error == "ambiguous":
                yield Finding(where, f"{seq}问题“{ref.text}”有歧义", ref.hint, sub="ambiguous")
            elif ref.error == "mismatch":
                yield Finding(where, f"{seq}问题“{ref.text}”的编号与首句不符", ref.hint, sub="mismatch")
            elif ref.error:
                yield Finding(where, f"{seq}问题“{ref.text}”在本材料中找不到", ref.hint)


@rule("ledger.stale-reference", "warning", "整改清单中的编号指向了另一个问题",
      "问题列只写编号（如“（三）一是”）时，在前面插入或删除方面、问题后，同一编号会指向另一个问题，而表格本身没有变化。"
      "系统记得每一行（按整改措施）的编号上次检查时对应的首句（保存在项目的 .cache/ledger-refs/ 中）；"
      "单元格没有改动而编号现在对应的首句不同时报告（手工改过编号的行不报告），"
      "写明原来和现在的首句。运行 gongwen fmt --write 把编号改写为“编号：首句”的写法（按原来的问题写新编号），此后不会再错位。",
      bad="| （三）一是 | …（上次检查时（三）一是是“重点项目推进不力”，插入一个方面后成了另一个问题）",
      good="| （四）一是：重点项目推进不力 | …")
def stale_reference(ctx: Context):
    ledger = ledger_of(ctx)
    if not ledger or not ledger.problem_points:
        return
    before = memory.recall(ctx.material)
    index = ledger.index
    for i, ref, old in memory.stale(ledger, before):
        row = ledger.rows[i]
        cell = row.cells.get("problem")
        where = cell if cell is not None and cell.line == row.line else row.row
        meant = index.find_lead(old) if index else None
        now = f"现在指“{ref.lead}”" if ref.point is not None else "现在找不到这个编号"
        fix = (f"原来的问题现在是 {index.cite(meant)}" if meant is not None else f"原来的问题“{old}”已不在材料中")
        yield Finding(where, f"{_seq(row)}问题“{ref.text}”上次检查时指“{old}”，{now}（前面插入或删除了方面、问题）",
                      f"{fix}；运行 gongwen fmt --write 改写为“编号：首句”，或手工改正这一格")
    memory.remember(ctx.material, memory.updated(ledger, before), before)


def _no_ledger(ctx: Context):
    if ctx.stage != "定稿" or not ctx.type_known or not conventions(ctx.schema).expected:
        return
    mat = ctx.material
    where = mat.title_node or (mat.sections[0] if mat.sections else Node(mat.path, 1))
    yield Finding(where, "没有整改清单（整改台账）",
                  "在整改措施之后加“整改清单”一级标题，列出问题、整改措施、责任领导、责任人、完成时限、状态",
                  severity="info", sub="none")


def _is_unit(name: str, suffixes: tuple[str, ...]) -> bool:
    parts = [p for p in fold(name.replace("、", " ")).split() if p] or [fold(name)]
    return all(p.endswith(suffixes) for p in parts) if suffixes else False


@rule("ledger.owner", "warning", "整改措施没有责任人",
      "整改清单每一行都要写明责任领导或责任人（责任单位、责任部门）。只写了单位（办公室、某股、某科）而没有到人时给出提示："
      "纪检审查常批评“责任只到单位未到人”。",
      bad="| （一）一是 | 修订议事规则 |  |  | 2025年3月底前 |",
      good="| （一）一是 | 修订议事规则 | 党委书记 | 党政办 王某 | 2025年3月底前 |",
      stages={"草稿": "info"})
def owner(ctx: Context):
    ledger = ledger_of(ctx)
    if not ledger:
        return
    conv = conventions(ctx.schema)
    for row in ledger.rows:
        if not (row.leader or row.person):
            yield Finding(row.row, f"{_seq(row)}整改措施“{row.measure}”没有写责任领导或责任人", OWNER_HINT)
        elif not row.leader and _is_unit(row.person, conv.unit_suffixes):
            cell = row.cells.get("person") or row.row
            yield Finding(cell, f"{_seq(row)}责任只写到单位“{row.person}”，没有到人", "写明责任领导或具体责任人",
                          severity="info", sub="unit")


@rule("ledger.deadline", "warning", "完成时限缺失或不明确",
      "整改清单每一行都要有明确的完成时限：日期（2025年6月30日、2025-06-30）、月底（2025年3月底前，"
      "或按材料年度理解的“3月底前”）、年底（2025年底前），或长期坚持、立行立改、持续推进。“尽快”“近期”不算明确。",
      bad="| （一）一是 | 修订议事规则 | 党委书记 | 尽快 |", good="| （一）一是 | 修订议事规则 | 党委书记 | 2025年3月底前 |",
      stages={"草稿": "info"})
def deadline(ctx: Context):
    ledger = ledger_of(ctx)
    for row in ledger.rows if ledger else ():
        d = row.deadline
        if d.kind == "missing":
            yield Finding(row.cells.get("deadline") or row.row, f"{_seq(row)}整改措施“{row.measure}”没有完成时限", DEADLINE_HINT)
        elif d.kind == "unknown":
            yield Finding(row.cells["deadline"], f"{_seq(row)}完成时限“{d.text}”不明确", DEADLINE_HINT)


@rule("ledger.status", "warning", "整改状态用词不认识",
      "状态列用词对应四种状态之一：未开始；推进中（正在推进、持续推进、正在整改、部分整改、延期整改）；"
      "已完成（已整改、已整改到位、已整改销号、立行立改）；长期坚持。同义词列在 schema 的 ledger.states 中。",
      bad="| … | 差不多了 |", good="| … | 已整改到位 |", stages={"草稿": "info"})
def status(ctx: Context):
    ledger = ledger_of(ctx)
    for row in ledger.rows if ledger else ():
        if row.status_word and not row.status_known:
            yield Finding(row.cells["status"], f"{_seq(row)}状态“{row.status_word}”不认识",
                          "写未开始、推进中、已完成或长期坚持（或其同义词，如已整改到位、正在整改）")


@rule("ledger.overdue", "warning", "整改措施已逾期",
      "完成时限已过、状态不是已完成或长期坚持的整改措施。“今天”默认为检查当天，可用 gongwen check --today 2025-07-01 指定；"
      "网站构建按构建日期判断，只作提示，并在整改台账页标出逾期行。",
      bad="| … | 2025年3月底前 | 推进中 |（今天是2025年7月1日）", good="| … | 2025年3月底前 | 已完成 |")
def overdue(ctx: Context):
    ledger = ledger_of(ctx)
    if not ledger:
        return
    today = today_of(ctx)
    for row in ledger.rows:
        if is_overdue(row, today):
            yield Finding(row.cells.get("deadline") or row.row,
                          f"{_seq(row)}整改措施“{row.measure}”已逾期：完成时限{row.deadline.text}，状态{row.status_word or row.state}"
                          f"（按 {today.isoformat()} 计）", "完成后把状态改为已完成；确需延期的写明新的完成时限",
                          severity="info" if ctx.for_site else None)


# --- ledger.previous --------------------------------------------------------------------

def _previous_folder(ctx: Context, name: str) -> Path | None:
    here = Path(ctx.material.path)
    base = here if here.is_dir() else here.parent
    for candidate in (base.parent / name, base / name, Path(name)):
        if candidate.exists():
            return candidate
    return None


def _schema_of(mat):
    wanted = mat.meta.get("type")
    return (find_schema(str(wanted)) if wanted else None) or detect_schema(mat.title) or GENERIC


@rule("ledger.previous", "warning", "上年度未完成的整改措施没有交代",
      "文件头写了 previous: <上年度材料文件夹> 时，上年度整改清单中未完成的每项整改措施，"
      "都要在本材料中交代：本材料整改清单中有同一问题的一行，或在“上年度整改落实情况”中写到这一问题（首句）。列出没有交代的。",
      bad="previous: 2023-某镇党委（其清单中“理论学习不深不透”推进中，本材料未提及）",
      good="上年度整改落实情况：……针对理论学习不深不透的问题，……")
def previous(ctx: Context):
    mat = ctx.material
    name = mat.meta.get("previous")
    if not name:
        return
    anchor = mat.meta_node or mat.title_node or Node(mat.path, 1)
    folder = _previous_folder(ctx, str(name))
    if folder is None:
        yield Finding(anchor, f"previous 指定的上年度材料“{name}”不存在", "写上年度材料文件夹的路径（相对于本材料所在的文件夹）")
        return
    from ...read import load  # only materials that name a previous one read it

    try:
        prev = load(folder)
    except InputError as exc:
        yield Finding(anchor, f"上年度材料“{name}”无法读取：{exc.diagnostic.message}", exc.diagnostic.hint)
        return
    prev_ledger = read_ledger(prev, _schema_of(prev))
    if prev_ledger is None:
        yield Finding(anchor, f"上年度材料“{name}”没有整改清单，无法核对整改落实情况", "", severity="info")
        return
    accounted: set[str] = set()
    ledger = ledger_of(ctx)
    for row in ledger.rows if ledger else ():
        accounted.add(fold(row.problem_text))
        accounted.update(fold(ref.lead) for ref in row.problems if ref.lead)
        accounted.update(fold(ref.text) for ref in row.problems)
    review = [s for s in mat.sections if (spec := ctx.spec(s)) and spec.name == "上年度整改落实情况"]
    told = fold("".join(b.text for sec in review for s in sec.walk() for b in s.blocks))
    where = review[0] if review else anchor
    seen: set[str] = set()
    for row in prev_ledger.rows:
        if row.state == DONE:
            continue
        names = [ref.lead or ref.text for ref in row.problems] or [row.problem_text]
        keys = [fold(n) for n in names if fold(n)]
        if not keys or any(k in accounted or k in told for k in keys) or keys[0] in seen:
            continue
        seen.add(keys[0])
        yield Finding(where, f"上年度整改清单中未完成的问题“{names[0].rstrip('。')}”（{row.status_word or row.state}，"
                             f"完成时限{row.deadline.text or '未写'}）在本材料中没有交代",
                      "在本材料整改清单中为该问题列一行，或在“上年度整改落实情况”中写明其整改进展")
