"""完成时限: dates, month ends, year ends and the standing forms (长期坚持, 立行立改 …)."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from functools import lru_cache

from .conventions import Conventions, fold
from .types import Deadline

# 2025年6月30日, 2025-06-30, 2025/6/30, 2025.6.30 (前/之前 allowed after any form)
_DAY = re.compile(r"^(?:(\d{4})\s*[年\-/.])?\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?$")
_MONTH_END = re.compile(r"^(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月(?:底|末|份|中旬|上旬|下旬)?$")
_YEAR_END = re.compile(r"^(\d{4})?\s*年?(?:底|末|年底|年末|内|度内)$")
_HALF = re.compile(r"^(?:(\d{4})\s*年)?\s*(上半年|下半年|[一二三四1-4]季度|第[一二三四1-4]季度)(?:末)?$")
_QUARTER = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
_BEFORE = re.compile(r"(?:之前|以前|前|完成|止)$")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, year: int | None, conv: Conventions) -> Deadline:
    """Understand one deadline cell. `year` is the material's year, for 3月底前 and 年底前."""
    return _parse(text, year, conv.standing)


@lru_cache(maxsize=4096)  # ledgers repeat their deadlines (长期坚持, 2025年3月底前 …)
def _parse(text: str, year: int | None, standing: frozenset[str]) -> Deadline:
    raw = text.strip()
    if not raw:
        return Deadline(raw, "missing")
    if fold(raw) in standing:
        return Deadline(raw, "standing", form=raw)
    s = unicodedata.normalize("NFKC", raw).replace(" ", "")
    s = s.rstrip("，,。")
    while _BEFORE.search(s) and len(s) > 2:  # 6月底前完成 -> 6月底
        s = _BEFORE.sub("", s)
    try:
        m = _DAY.match(s)
        if m and (m.group(1) or year):
            y = int(m.group(1) or year)
            return Deadline(raw, "date", datetime.date(y, int(m.group(2)), int(m.group(3))), "日")
        m = _MONTH_END.match(s)
        if m and (m.group(1) or year):
            return Deadline(raw, "date", _month_end(int(m.group(1) or year), int(m.group(2))), "月底")
        m = _YEAR_END.match(s.replace("年年", "年"))
        if m and (m.group(1) or year):
            return Deadline(raw, "date", datetime.date(int(m.group(1) or year), 12, 31), "年底")
        m = _HALF.match(s)
        if m and (m.group(1) or year):
            y, part = int(m.group(1) or year), m.group(2)
            month = 6 if part == "上半年" else 12 if part == "下半年" else _QUARTER[part.strip("第季度")[0]]
            return Deadline(raw, "date", _month_end(y, month), part)
    except ValueError:  # 2025年2月30日
        return Deadline(raw, "unknown")
    return Deadline(raw, "unknown")


def material_year(meta: dict) -> int | None:
    """The year a bare 3月底前 belongs to: the year of the 成文日期, else the material's year."""
    for key in ("date", "year"):
        m = re.search(r"(20\d\d)", str(meta.get(key) or ""))
        if m:
            return int(m.group(1))
    return None


def deadline_words(d: Deadline) -> str:
    """The deadline as a ledger writes it, from a date and its form (xlsx import of real dates)."""
    if d.kind != "date" or d.date is None:
        return d.text
    y, m, day = d.date.year, d.date.month, d.date.day
    if d.form == "月底":
        return f"{y}年{m}月底前"
    if d.form == "年底":
        return f"{y}年底前"
    return f"{y}年{m}月{day}日"
