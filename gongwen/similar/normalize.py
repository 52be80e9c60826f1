"""Text normalised for matching, with a map back to the original for reporting.

Numbering, punctuation, whitespace and Markdown marks are dropped, full-width letters and
digits become half-width (NFKC), and every run of digits becomes one placeholder, so
2023年5月 matches 2024年11月 while the report quotes the text as written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

DIGIT = "#"  # stands for a run of digits (with decimal points inside it)
_CN = "一二三四五六七八九十"
# Numbering an author typed: 一是 / 第一 / （一）/ (1) / 1、 1. / 一、, at the start or after a stop.
NUMBERING = re.compile(
    rf"(?:^|(?<=[。！？；;，,：:\s]))\s*(?:第?[{_CN}]{{1,3}}是|[（(][{_CN}0-9０-９]{{1,3}}[)）]|[0-9０-９]{{1,2}}[、.．](?![0-9０-９])|[{_CN}]{{1,3}}、)")


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str  # the normalised characters
    starts: np.ndarray  # for each, where it starts in the original
    ends: np.ndarray  # and where it ends (a digit run spans several)

    def original(self, original: str, start: int, end: int) -> str:
        """The original text behind normalised characters start..end."""
        return original[int(self.starts[start]):int(self.ends[end - 1])]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return int(self.starts[start]), int(self.ends[end - 1])


_DIGIT_CP = ord(DIGIT)
_SEPARATORS = [ord(c) for c in ".．,，"]  # inside a number (12.5, 1,240) they keep the run going
_table: np.ndarray | None = None


def _norm_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch).lower()
    if len(n) != 1 or unicodedata.category(n)[0] not in "LN":
        return ""  # punctuation, spaces, marks; ligatures and the like (rare) too
    if n.isascii() and n.isdigit():
        return DIGIT
    return n


def _bmp_table() -> np.ndarray:
    """Normalised code point of every BMP character (0: dropped), built once (about 0.1 s)."""
    global _table
    if _table is None:
        t = np.zeros(0x10000, dtype=np.uint32)
        for cp in range(0x10000):
            if 0xD800 <= cp < 0xE000:
                continue
            n = _norm_char(chr(cp))
            if n:
                t[cp] = ord(n)
        _table = t
    return _table


def normalise(text: str) -> Normalised:
    return normalise_many([text])[0]


def normalise_many(texts: list[str]) -> list[Normalised]:
    """normalise() of each text, in one vector pass over them all (joined by line breaks,
    which are dropped and start a new sentence for NUMBERING): numpy's cost per call is paid
    once per material, not once per unit."""
    if not texts:
        return []
    text = "\n".join(texts)
    bounds = np.cumsum([0] + [len(t) + 1 for t in texts])  # start of each text in the joined one
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _bmp_table()
    big = cp >= 0x10000
    mapped = table[np.where(big, 0, cp)]
    if big.any():  # outside the BMP: looked up one by one (rare)
        for i in np.flatnonzero(big):
            n = _norm_char(text[i])
            mapped[i] = ord(n) if n else 0
    for m in NUMBERING.finditer(text):
        mapped[m.start():m.end()] = 0
    digit = mapped == _DIGIT_CP
    any_digit = bool(digit.any())
    if any_digit:
        # separators between two digits belong to the number
        sep = np.isin(cp, _SEPARATORS)
        sep[0] = sep[-1] = False
        inner = np.flatnonzero(sep)
        inner = inner[digit[inner - 1] & digit[inner + 1]]
        digit[inner] = True
        mapped[inner] = _DIGIT_CP
        prev = np.concatenate(([False], digit[:-1]))
        mapped[digit & prev] = 0  # one placeholder per run
    kept = np.flatnonzero(mapped)
    ends = kept + 1
    if any_digit:
        # a run of digits ends where the digits end
        run_start = digit[kept]
        if run_start.any():
            non_digit = np.flatnonzero(~np.concatenate((digit, [False])))
            ends[run_start] = non_digit[np.searchsorted(non_digit, kept[run_start])]
    norm = mapped[kept].astype(np.uint32).tobytes().decode("utf-32-le")
    cuts = np.searchsorted(kept, bounds)
    out = []
    for t in range(len(texts)):
        lo, hi, base = int(cuts[t]), int(cuts[t + 1]), int(bounds[t])
        # int32 offsets: half the memory, and a unit is never 2**31 characters long
        out.append(Normalised(norm[lo:hi], (kept[lo:hi] - base).astype(np.int32), (ends[lo:hi] - base).astype(np.int32)))
    return out
