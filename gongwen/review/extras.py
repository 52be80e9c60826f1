"""The review's use of 雷同检测 (gongwen.similar) and 整改台账 (gongwen.ledger).

Each column is "未检测" when its subpackage is not installed in this version, so the
table says what was not looked at instead of showing an empty (falsely clean) cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..model import Material
from .rows import NOT_CHECKED, Row


def compare(materials: dict[str, Material], references: list[Material], log: Callable[[str], None]) -> list | None:
    """Copy reports (gongwen.similar Match) across the batch; None when copy detection is not available."""
    try:
        from .. import similar
    except ImportError:
        return None
    if not hasattr(similar, "compare") or not hasattr(similar, "copied_share_by_material"):
        return None
    log(f"雷同检测：{len(materials)} 份材料，{len(references)} 份参考文本")
    return similar.compare(list(materials.values()), list(references))


def shares(matches: list | None) -> dict[str, tuple[float, str]] | None:
    """{material path: (share copied from one source, that source's path)}; None: not checked."""
    if matches is None:
        return None
    from .. import similar

    return similar.copied_share_by_material(matches)


def fill_copied(rows: dict[str, Row], shares: dict[str, tuple[float, str]] | None, name_of: dict[str, str]) -> None:
    for path, row in rows.items():
        if shares is None:
            row.copied_share, row.copied_from = None, NOT_CHECKED
            continue
        share, source = shares.get(path, (0.0, ""))
        row.copied_share = share
        row.copied_from = name_of.get(source.split("#", 1)[0], source.split("#", 1)[0]) if source else ""


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
