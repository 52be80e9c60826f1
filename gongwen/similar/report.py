"""Copy reports for people (text) and programs (JSON)."""

from __future__ import annotations

from .match import PARAPHRASE, Match, Side


def side_dict(s: Side) -> dict:
    return {"material": s.material, "title": s.title, "path": s.path, "line": s.line, "kind": s.kind,
            "index": s.index, "reference": s.reference, "previous": s.previous, "text": s.text,
            "spans": [list(x) for x in s.spans]}


def match_dict(m: Match) -> dict:
    return {"level": m.level, "repeated": m.repeated, "share": round(m.share, 4), "combined": round(m.combined, 4),
            "family": m.family, "b_share": round(m.b_share, 4), "a": side_dict(m.a), "b": side_dict(m.b),
            "passages": list(m.passages), "aligned": [list(x) for x in m.aligned]}


def label(m: Match) -> str:
    """雷同 / 疑似洗稿 / 与上年重复, as the reports and the page name them."""
    if m.repeated:
        return "与上年重复"
    return "疑似洗稿" if m.level == PARAPHRASE else "雷同"


def source_kind(side: Side) -> str:
    return "上年材料" if side.previous else "参考文本" if side.reference else "材料"


def text_lines(matches: list[Match]) -> list[str]:
    out = []
    for m in matches:
        extra = f"（各来源合计 {m.combined:.0%}）" if m.combined > m.share + 0.005 and m.level != PARAPHRASE else ""
        family = f"，{m.family} 份材料共有此段" if m.family >= 3 else ""
        out.append(f"{m.a.path}:{m.a.line}: {label(m)} {m.share:.0%}{extra}{family}  ←  {source_kind(m.b)} "
                   f"{m.b.path}:{m.b.line}（{m.b.title or m.b.material}）")
        if m.level == PARAPHRASE:
            for a, b, score in m.aligned:
                out.append(f"    本文：{a}")
                out.append(f"    对方：{b}（相似 {score}）")
        else:
            for p in m.passages:
                out.append(f"    相同：{p}")
    return out


def unique_pairs(matches: list[Match]) -> list[Match]:
    """One match per pair of units (the larger share of the two directions), largest first."""
    best: dict[tuple, Match] = {}
    for m in matches:
        key = (m.level, m.repeated, *sorted(((m.a.material, m.a.index), (m.b.material, m.b.index))))
        if key not in best or m.share > best[key].share:
            best[key] = m
    return sorted(best.values(), key=lambda m: (-m.share, m.a.material, m.a.index))
