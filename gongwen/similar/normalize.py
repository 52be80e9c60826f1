"""Text normalised for matching, with a map back to the original for reporting.

Numbering, punctuation, whitespace and Markdown marks are dropped, full-width letters and
digits become half-width (NFKC), and every run of digits becomes one placeholder, so
2023年5月 matches 2024年11月 while the report quotes the text as written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DIGIT = "#"  # stands for a run of digits (with decimal points inside it)
_CN = "一二三四五六七八九十"
# Numbering an author typed: 一是 / 第一 / （一）/ (1) / 1、 1. / 一、, at the start or after a stop.
NUMBERING = re.compile(
    rf"(?:^|(?<=[。！？；;，,：:\s]))\s*(?:第?[{_CN}]{{1,3}}是|[（(][{_CN}0-9０-９]{{1,3}}[)）]|[0-9０-９]{{1,2}}[、.．](?![0-9０-９])|[{_CN}]{{1,3}}、)")


@dataclass(frozen=True)
class Normalised:
    text: str  # the normalised characters
    starts: tuple[int, ...]  # for each, where it starts in the original
    ends: tuple[int, ...]  # and where it ends (a digit run spans several)

    def original(self, original: str, start: int, end: int) -> str:
        """The original text behind normalised characters start..end."""
        return original[self.starts[start]:self.ends[end - 1]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


_kept: dict[str, str] = {}  # char -> normalised char ('' when dropped); a few thousand entries


def _norm_char(ch: str) -> str:
    got = _kept.get(ch)
    if got is None:
        n = unicodedata.normalize("NFKC", ch).lower()
        if len(n) != 1 or unicodedata.category(n)[0] not in "LN":
            n = ""  # punctuation, spaces, marks; ligatures and the like (rare) too
        elif n.isascii() and n.isdigit():
            n = "0"
        got = _kept[ch] = n
    return got


def normalise(text: str) -> Normalised:
    skip = bytearray(len(text))
    for m in NUMBERING.finditer(text):
        skip[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    in_digits = False
    for i, ch in enumerate(text):
        if skip[i]:
            in_digits = False
            continue
        n = _norm_char(ch)
        if not n:
            # a decimal point or thousands separator inside a number keeps the run going
            if in_digits and ch in ".．,，" and i + 1 < len(text) and _norm_char(text[i + 1]) == "0":
                ends[-1] = i + 1
                continue
            in_digits = False
            continue
        if n == "0":
            if in_digits:
                ends[-1] = i + 1
                continue
            in_digits = True
            n = DIGIT
        else:
            in_digits = False
        chars.append(n)
        starts.append(i)
        ends.append(i + 1)
    return Normalised("".join(chars), tuple(starts), tuple(ends))
