"""`gongwen types TYPE`: a type's structure as a writer needs it before writing, one item a line
(方面 names contain “、”, so they are never joined by it)."""

from __future__ import annotations

from ..numerals import number_label
from ..schema import Schema
from .skeleton import LEDGER_COLUMNS


def describe(schema: Schema) -> str:
    out = [f"{schema.name}（{schema.id}）"]
    if schema.meeting:
        out.append(f"会议：{schema.meeting}")
    out += ["", "一级标题（按顺序，每个一个文件）："]
    for n, spec in enumerate(schema.sections, 1):
        note = "（可选）" if spec.optional else ""
        also = f"；也认：{'、'.join(spec.aliases)}" if spec.aliases else ""
        out.append(f"  {n}. {spec.name}{note}{also}")
        if spec.holds_aspects and schema.aspects:
            out.append("     方面（二级标题，按顺序）：")
            out += [f"       {number_label(2, i)}{a}" for i, a in enumerate(schema.aspects, 1)]
        if spec.ledger:
            out.append(f"     表格列：{' | '.join(LEDGER_COLUMNS)}")
    out += ["", f"新建这一类型的材料：gongwen new {schema.id} docs/新材料文件夹"]
    return "\n".join(out) + "\n"

