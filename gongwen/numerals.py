"""Chinese numerals and the typed number styles of the 公文 hierarchy."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
CN = "[一二三四五六七八九十百千万零]+"


def to_cn(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 100 -> 一百, 1010 -> 一千零一十, 12000 -> 一万二千: any count
    of siblings has a label (a material may hold a thousand headings at one level)."""
    if n <= 0:
        raise ValueError(n)
    high, low = divmod(n, 10000)
    if not high:
        return _below_10000(n, leading=True)
    head = to_cn(high) + "万"
    if not low:
        return head
    return head + ("零" if low < 1000 else "") + _below_10000(low, leading=False)


def _below_10000(n: int, leading: bool) -> str:
    out, gap, started = "", False, False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if not digit:
            gap = gap or started  # one 零 stands for any run of zeros between digits
            continue
        if gap:
            out, gap = out + "零", False
        # 十一, not 一十一, at the start of a number; 一百一十 inside one.
        out += unit if value == 10 and digit == 1 and leading and not started else DIGITS[digit] + unit
        started = True
    return out


def from_cn(s: str) -> int:
    total, section, cur = 0, 0, 0
    for ch in s:
        if ch in _UNITS:
            section += (cur or 1) * _UNITS[ch]
            cur = 0
        elif ch == "万":
            total += (section + cur or 1) * 10000
            section = cur = 0
        elif ch in DIGITS:
            cur = DIGITS.index(ch)
        else:
            raise ValueError(s)
    return total + section + cur


_UNITS = {"十": 10, "百": 100, "千": 1000}


# Typed numbers at the start of a heading or paragraph, per level. Each pattern has
# groups (number, rest). Half-width parentheses and 、/．/. variants are accepted so
# they can be recognised, replaced and reported.
LEVEL_PATTERNS = {
    1: re.compile(rf"^\s*({CN})\s*[、．.]\s*(.*)$", re.S),
    2: re.compile(rf"^\s*[（(]\s*({CN})\s*[）)]\s*[、.．]?\s*(.*)$", re.S),
    3: re.compile(r"^\s*(\d{1,2})\s*(?:[.．]\s*|[、]\s*)(?!\d)(.*)$", re.S),
    4: re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*(.*)$", re.S),
}
POINT_PATTERN = re.compile(rf"^\s*(第?({CN})是)[，,：:]?\s*(.*)$", re.S)
# First characters after leading whitespace (\s and str.strip agree on what that is).
_NUMERALS = "一二三四五六七八九十百千万零"
_NUMBER_FIRST = frozenset("（(" + _NUMERALS)  # or any decimal digit (\d)
_POINT_FIRST = frozenset("第" + _NUMERALS)


def format_label(template: str, n: int) -> str:
    """A schema's label style applied to n: 一、 -> 三、, （1） -> （3）, 一是 -> 三是."""
    if "一" in template:
        return template.replace("一", to_cn(n), 1)
    if "1" in template:
        return template.replace("1", str(n), 1)
    return template


def number_label(level: int, n: int) -> str:
    """The canonical label of the n-th item at a 公文 level (1-based)."""
    return {1: f"{to_cn(n)}、", 2: f"（{to_cn(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def point_label(n: int) -> str:
    return f"{to_cn(n)}是"


def split_number(text: str, level: int | None = None) -> tuple[int | None, str | None, str]:
    """Recognise a typed heading number. Returns (level, typed label, rest).

    With `level` given only that style is tried; otherwise the first style that
    matches wins (so 一、 is level 1 and （一） level 2).
    """
    first = text.lstrip()[:1]  # what each pattern's ^\s* leaves: （ ( a numeral or a digit
    if first not in _NUMBER_FIRST and not first.isdecimal():
        return None, None, text
    levels = [level] if level else [2, 4, 1, 3]
    for lv in levels:
        m = LEVEL_PATTERNS[lv].match(text)
        if m and m.group(2).strip():
            label = text[: m.start(2)].strip()
            return lv, label, m.group(2)
    return None, None, text


def label_value(level: int, label: str) -> int | None:
    m = LEVEL_PATTERNS[level].match(label + "x")
    if not m:
        return None
    raw = m.group(1)
    try:
        return int(raw) if raw.isdigit() else from_cn(raw)
    except ValueError:
        return None


def split_point_number(text: str) -> tuple[str | None, str]:
    if text.lstrip()[:1] not in _POINT_FIRST:  # most paragraphs: no regex needed
        return None, text
    m = POINT_PATTERN.match(text)
    if not m or not m.group(3).strip():
        return None, text
    return m.group(1), m.group(3)
