"""GB/T 9704-2012 layout decisions shared by the exporters: title line breaks, the
成文日期 form, the header marking and the signature block. Pure functions, no I/O
beyond loading the jieba dictionary once.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..model import Material

USER_DICT = Path(__file__).resolve().parent.parent / "data" / "jieba_user_dict.txt"

# Type area 156 mm = 442.2 pt; a 2号 (22 pt) title line holds 20 full-width characters.
TITLE_EM_PER_LINE = 20
# Never break after an opening or before a closing mark.
NO_BREAK_AFTER = set("（《〈「『【〔“‘([")
NO_BREAK_BEFORE = set("，。、；：？！）》〉」』】〕”’),.;:?!%…—·")
# Classification values that are not a marking (public or internal material).
UNMARKED_CLASSES = {"", "内部", "公开", "无", "非密", "None"}
MARKED_STAGES = {"草稿", "征求意见稿"}


def em_width(text: str) -> float:
    """Width in ems: CJK characters 1, everything else (digits, Latin) half. Ambiguous-width
    marks (“” — …) count 1: a Chinese font, as the export sets, draws them full-width."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


@lru_cache(maxsize=1)
def _user_words() -> tuple[str, ...]:
    words = []
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        word = line.split()[0] if line.strip() else ""
        if len(word) > 1:
            words.append(word)
    return tuple(words)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    # jieba logs its dictionary loading at DEBUG to stderr; keep CLI output clean.
    if jieba.default_logger.level < logging.WARNING:
        jieba.setLogLevel(logging.WARNING)
    # The global tokenizer, as Material's search plugin uses: one dictionary in memory.
    jieba.load_userdict(str(USER_DICT))
    return jieba


def _break_points(title: str) -> list[int]:
    """Offsets where a title may break: between jieba words, never inside a word of the
    user dictionary, never inside a number, never around a mark that must stay attached."""
    bounds = {end for _, _, end in _jieba().tokenize(title)}
    bounds.discard(len(title))
    inside: set[int] = set()
    for word in _user_words():
        for m in re.finditer(re.escape(word), title):
            inside.update(range(m.start() + 1, m.end()))
    ok = []
    for i in sorted(bounds - inside):
        before, after = title[i - 1], title[i]
        if before in NO_BREAK_AFTER or after in NO_BREAK_BEFORE:
            continue
        if before.isascii() and before.isalnum() and (after.isascii() and after.isalnum() or after in "年月日号"):
            continue
        ok.append(i)
    return ok


def _shape_cost(widths: list[float]) -> float:
    """Lines of similar length, longer below (trapezoid) or in the middle (diamond)."""
    mean = sum(widths) / len(widths)
    cost = sum((w - mean) ** 2 for w in widths)
    return cost + 4 * max(0.0, widths[0] - widths[-1]) ** 2


def split_title(title: str, max_em: float = TITLE_EM_PER_LINE) -> list[str]:
    """Break a title into lines that fit, between words, as GB/T 9704 asks for titles."""
    title = title.strip()
    if em_width(title) <= max_em:
        return [title]
    for candidates in (_break_points(title), list(range(1, len(title)))):
        best: tuple[float, list[str]] | None = None
        need = int(-(-em_width(title) // max_em))  # ceil
        for lines in range(need, need + 3):
            for cuts in itertools.combinations(candidates, lines - 1):
                parts = [title[a:b] for a, b in zip((0, *cuts), (*cuts, len(title)))]
                widths = [em_width(p) for p in parts]
                if max(widths) > max_em:
                    continue
                cost = _shape_cost(widths)
                if best is None or cost < best[0]:
                    best = (cost, parts)
            if best:
                return best[1]
    return [title]


# --- 成文日期 ---------------------------------------------------------------------------

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")
_DATE_CN = re.compile(r"^\s*([〇○零一二三四五六七八九O]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                      r"\s*([一二三四五六七八九十]{1,3})\s*日\s*$")


def _cn_small(s: str) -> int:
    # 一 … 十 … 三十一
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def format_date(value) -> str | None:
    """A date as GB/T 9704 writes 成文日期: 2024年1月5日 (Arabic numerals, no padding).

    Accepts a date, 2024-01-05, 2024.1.5, 2024/1/5, 2024年01月05日 and 二〇二四年一月五日;
    anything else is returned unchanged (an author's own wording is not guessed at).
    """
    if value in (None, ""):
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        y, m, d = value.year, value.month, value.day
    else:
        text = str(value)
        hit = _DATE.match(text)
        cn = _DATE_CN.match(text)
        if hit:
            y, m, d = (int(g) for g in hit.groups())
        elif cn:
            y = int("".join(str(_CN_DIGITS[c]) for c in cn.group(1)))
            m, d = _cn_small(cn.group(2)), _cn_small(cn.group(3))
        else:
            return text.strip()
    try:
        _dt.date(y, m, d)
    except ValueError:
        return str(value).strip()
    return f"{y}年{m}月{d}日"


# --- marking and signature ------------------------------------------------------------

def marking(meta: dict) -> str:
    """The header marking: 密级 unless 内部/公开, and the stage while not final."""
    parts = []
    cls = str(meta.get("密级") or "").strip()
    if cls not in UNMARKED_CLASSES:
        parts.append(cls)
    stage = str(meta.get("状态") or "").strip()
    if stage in MARKED_STAGES:
        parts.append(stage)
    return "　".join(parts)


# Word and LibreOffice add space where Chinese meets digits or Latin letters; measured in
# LibreOffice 7.4 at 16 pt: 1.13 mm, about 0.2 em, at each such boundary.
AUTOSPACE_EM = 0.2


def set_width(text: str) -> float:
    """Width in ems as set in a paragraph: em_width plus the Chinese/Latin boundary spaces."""
    wide = [unicodedata.east_asian_width(ch) in "WFA" for ch in text]
    return em_width(text) + AUTOSPACE_EM * sum(a != b for a, b in itertools.pairwise(wide))


def signature(mat: Material) -> list[tuple[str, float]]:
    """Unit name and date at the end, each with its right indent in characters.

    GB/T 9704 7.3.5.2 (no seal): the date is set 2 characters in from the right and the
    unit name above it starts 2 characters before the date; a long unit name is set 2 in
    from the right and the date then starts 2 characters after it.
    """
    if mat.closing:
        texts = [p.text.strip() for p in mat.closing if p.text.strip()]
        unit = next((t for t in texts if not _looks_like_date(t)), None)
        date = next((format_date(t) for t in texts if _looks_like_date(t)), None)
    else:
        unit = str(mat.meta.get("unit") or "").strip() or None
        date = format_date(mat.meta.get("date"))
    if not unit and not date:
        return []
    if not date:
        return [(unit, 2.0)]
    date_right = max(2.0, set_width(unit) - set_width(date)) if unit else 2.0
    if not unit:
        return [(date, date_right)]
    unit_right = date_right + set_width(date) + 2 - set_width(unit)
    return [(unit, round(unit_right, 2)), (date, round(date_right, 2))]


def _looks_like_date(text: str) -> bool:
    return bool(_DATE.match(text) or _DATE_CN.match(text))


# --- table columns ---------------------------------------------------------------------

# A column narrower than this many ems (or than its header) breaks a 6-character date or a
# name into lines of two or three characters: the flaw of the old equal-width export.
MIN_COLUMN_EM = 6.0


def column_widths(rows: list[list[str]], total_em: float) -> list[float]:
    """Widths in ems of a table's columns sharing `total_em`, from their content, as browsers
    lay out an automatic table: each column gets at least its minimum (its header, and up to
    MIN_COLUMN_EM of its widest line), and what is left goes to the columns in proportion to
    how much more their widest line needs. So 序号 stays narrow and 问题, 整改措施 get the room."""
    cols = max((len(r) for r in rows), default=0)
    if not cols:
        return []
    header = rows[0]

    def widest(i: int, cells) -> float:
        # set_width: digits beside Chinese take extra space; a quarter em spare for rounding,
        # else a name that just fits (分管副镇长) breaks before its last character.
        return max((set_width(line) + 0.25 for r in cells if i < len(r) for line in (r[i] or "").split("\n")),
                   default=0.0)

    natural = [max(widest(i, rows), 1.0) for i in range(cols)]
    least = [max(widest(i, [header]), min(natural[i], MIN_COLUMN_EM)) for i in range(cols)]
    if sum(natural) <= total_em:
        return [n * total_em / sum(natural) for n in natural]
    if sum(least) >= total_em:
        return [x * total_em / sum(least) for x in least]
    spare, want = total_em - sum(least), sum(n - x for n, x in zip(natural, least))
    return [x + (n - x) * spare / want for n, x in zip(natural, least)]


__all__ = ["column_widths", "em_width", "format_date", "marking", "set_width", "signature", "split_title"]
