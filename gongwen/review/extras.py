"""The review's use of 雷同检测 (gongwen.similar) and 整改台账 (gongwen.ledger).

Each column is "未检测" when its subpackage is not installed in this version, so the
table says what was not looked at instead of showing an empty (falsely clean) cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..model import Material
from .rows import NOT_CHECKED, Row


def compare(materials: dict[str, Material], references: list[Material], log: Callable[[str], None],
            previous: list[Material] = (), stock: list[Material] = ()) -> list | None:
    """Copy reports (gongwen.similar Match) across the batch; None when copy detection is not available."""
    try:
        from .. import similar
    except ImportError:
        return None
    if not hasattr(similar, "compare") or not hasattr(similar, "copied_share_by_material"):
        return None
    log(f"雷同检测：{len(materials)} 份材料，{len(references)} 份参考文本，{len(previous)} 份上年材料")
    # Front matter previous: in a received material is not followed: it could name any path.
    return similar.compare(list(materials.values()), list(references), previous=list(previous), stock=list(stock),
                           follow_previous=False)


def fill_copied(rows: dict[str, Row], matches: list | None, name_of: dict[str, str]) -> None:
    """雷同比例 and 雷同来源 (exact copies; a passage shared by three or more materials named as
    a family), 疑似洗稿 and 与上年重复: each counted apart."""
    if matches is None:
        for row in rows.values():
            row.copied_share, row.copied_from = None, NOT_CHECKED
            row.paraphrase_text = row.repeated_text = NOT_CHECKED
        return
    from .. import similar

    def name(path: str) -> str:
        path = path.split("#", 1)[0]
        return name_of.get(path, path)

    shares = similar.copied_share_by_material(matches)
    families = similar.family_of_material(matches)
    repeated = similar.repeated_by_material(matches)
    paraphrased: dict[str, dict[int, str]] = {}
    for m in matches:
        if m.level == "paraphrase" and not m.repeated and m.a.kind == "point":
            paraphrased.setdefault(m.a.material, {}).setdefault(m.a.index, m.b.material)
    for path, row in rows.items():
        share, source = shares.get(path, (0.0, ""))
        row.copied_share = share
        count, others = families.get(path, (0, set()))
        family = sorted(name(p) for p in others)
        if family:
            row.copied_from = f"{count} 份材料共有：" + "、".join(family[:8]) + ("等" if len(family) > 8 or count > len(family) + 1 else "")
        else:
            row.copied_from = name(source) if source else ""
        para = paraphrased.get(path, {})
        row.paraphrase_text = f"{len(para)} 条（{name(next(iter(para.values())))}等）" if para else ""
        n, last = repeated.get(path, (0, ""))
        row.repeated_text = f"{n} 条问题（{name(last)}）" if n else ""


def ledger_text(mat: Material, schema, today: dt.date | None = None) -> str:
    try:
        from ..ledger import summarise
    except ImportError:
        return NOT_CHECKED
    s = summarise(mat, schema, today or dt.date.today())
    if not s.has_ledger:
        return "无整改清单"
    parts = [f"措施 {s.measures} 条：已完成 {s.done}、推进中 {s.in_progress}、逾期 {s.overdue}"]
    gaps = []
    if s.problems_without_measure:
        gaps.append(f"{s.problems_without_measure} 个问题无对应措施")
    if s.rows_missing_owner:
        gaps.append(f"{s.rows_missing_owner} 行缺责任人")
    if s.rows_missing_deadline:
        gaps.append(f"{s.rows_missing_deadline} 行缺完成时限")
    return parts[0] + ("；" + "，".join(gaps) if gaps else "；责任人、时限齐全")
