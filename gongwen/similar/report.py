"""Copy reports for people (text) and programs (JSON)."""

from __future__ import annotations

from .engine import Match, Side


def side_dict(s: Side) -> dict:
    return {"material": s.material, "title": s.title, "path": s.path, "line": s.line, "kind": s.kind,
            "index": s.index, "reference": s.reference, "text": s.text, "spans": [list(x) for x in s.spans]}


def match_dict(m: Match) -> dict:
    return {"share": round(m.share, 4), "b_share": round(m.b_share, 4), "a": side_dict(m.a), "b": side_dict(m.b),
            "passages": list(m.passages)}


def text_lines(matches: list[Match]) -> list[str]:
    out = []
    for m in matches:
        kind = "参考文本" if m.b.reference else "材料"
        out.append(f"{m.a.path}:{m.a.line}: 雷同 {m.share:.0%}  ←  {kind} {m.b.path}:{m.b.line}（{m.b.title or m.b.material}）")
        for p in m.passages:
            out.append(f"    相同：{p}")
    return out


def unique_pairs(matches: list[Match]) -> list[Match]:
    """One match per pair of units (the larger share of the two directions), largest first."""
    best: dict[tuple, Match] = {}
    for m in matches:
        key = tuple(sorted(((m.a.material, m.a.index), (m.b.material, m.b.index))))
        if key not in best or m.share > best[key].share:
            best[key] = m
    return sorted(best.values(), key=lambda m: (-m.share, m.a.material, m.a.index))
