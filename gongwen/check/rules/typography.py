"""typography.* rules: half-width punctuation, spaces and unpaired quotes in Chinese text.

They read the visible text (Markdown syntax masked in place, see textpatterns.mask_markdown),
so `**bold**`, links, escapes, code and URLs never trigger them.
"""

from __future__ import annotations

import re

from ...model import TextLine
from ...textpatterns import CJK, HAN, OPAQUE, TRANSPARENT, LazyPattern, first_chars
from .registry import Context, Finding, rule

FULL = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_IS_CJK = LazyPattern(f"[{CJK}]")
_IS_HAN_OR_CLOSE = LazyPattern(f"[{HAN}）」』】》”’]")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9%]")
_PUNCT_HINT = re.compile(r'[.,;:?!()"]')
_CANDIDATE = first_chars(r'.…,;:?!()"', r'\.{3,}|(?<!…)…(?!…)|[,.;:?!()"]')


def _neighbour(text: str, pos: int, step: int) -> str:
    """The nearest visible character before (step -1) or after (+1) pos, skipping masked markup."""
    i = pos + step
    while 0 <= i < len(text) and text[i] == TRANSPARENT:
        i += step
    return text[i] if 0 <= i < len(text) else ""


@rule("typography.halfwidth-punct", "warning", "中文中使用了半角标点",
      "中文句子中的逗号、句号、分号、冒号、问号、叹号、括号、引号应使用全角（，。；：？！（）“”），"
      "省略号用“……”。数字中的小数点（3.5）、网址、英文和 Markdown 语法不受影响。草稿中为提示，其余为警告。",
      bad="领导班子规范党内政治生活还不够,落实\"三会一课\"制度不够有力.",
      good="领导班子规范党内政治生活还不够，落实“三会一课”制度不够有力。",
      stages={"草稿": "info"})
def halfwidth_punct(ctx: Context):
    # Typed heading numbers such as (一) are the numbering rule's business.
    joined = ctx.visible_text()
    if _PUNCT_HINT.search(joined) is None and "…" not in joined:
        return
    numbers = {(s.path, s.line): (s.column, s.column + len(s.number)) for s in ctx.sections() if s.number}
    for tl, text in ctx.visible_lines():
        if _PUNCT_HINT.search(text) is None and "…" not in text:
            continue  # no candidate (a quicker test than _CANDIDATE.search)
        quotes = 0
        skip = numbers.get((tl.path, tl.line), (0, 0))
        for m in _CANDIDATE.finditer(text):
            ch = m.group(0)
            if skip[0] <= tl.column + m.start() < skip[1]:
                continue
            before, after = _neighbour(text, m.start(), -1), _neighbour(text, m.end() - 1, 1)
            cjk_before, cjk_after = bool(_IS_CJK.match(before)), bool(_IS_CJK.match(after))
            if ch.startswith("..") or ch == "…":
                if cjk_before:
                    yield _finding(tl, m.start(), ch, "……", "省略号")
                continue
            if ch == '"':
                if cjk_before or cjk_after:
                    right = "“" if quotes % 2 == 0 else "”"
                    yield _finding(tl, m.start(), ch, right, "引号")
                quotes += 1
                continue
            if ch == ".":
                # 3.5, file.docx, v1.0 are fine; a full stop after Chinese is not.
                if _IS_HAN_OR_CLOSE.match(before) and (not after or after == " " or cjk_after or after == OPAQUE):
                    yield _finding(tl, m.start(), ch, "。", "句号")
                continue
            if ch == "(":
                hit = cjk_after or (cjk_before and not _ASCII_ALNUM.match(after or "a")) \
                    or text.find("）", m.end()) >= 0 > text.find(")", m.end())
            elif ch == ")":
                # Also the half of a mixed pair: （2023) with a full-width opener.
                hit = cjk_before or (cjk_after and not _ASCII_ALNUM.match(before or "a")) \
                    or text.rfind("（", 0, m.start()) > text.rfind("(", 0, m.start())
            else:  # , ; : ? !
                hit = cjk_before or (cjk_after and not _ASCII_ALNUM.match(before or "a"))
            if hit:
                yield _finding(tl, m.start(), ch, FULL[ch], "标点")


def _finding(tl: TextLine, pos: int, found: str, right: str, what: str) -> Finding:
    return Finding(tl, f"中文中使用了半角{what}“{found}”，应为全角“{right}”", f"改为“{right}”",
                   column=tl.column + pos)


_SPACE = LazyPattern(rf"(?<=[{CJK}])[ \t\u00a0\u3000]+(?=[{CJK}])")


@rule("typography.cjk-space", "warning", "汉字之间有空格",
      "汉字、中文标点之间不应有空格（含全角空格），常因从 PDF、网页复制或排版对齐带入。"
      "草稿中为提示，其余为警告。",
      bad="班子成员 对一些深层次的改革发展问题，主动思考不够", good="班子成员对一些深层次的改革发展问题，主动思考不够",
      stages={"草稿": "info"})
def cjk_space(ctx: Context):
    joined = ctx.visible_text()
    if " " not in joined and "\u3000" not in joined and "\t" not in joined and "\u00a0" not in joined:
        return
    for tl, text in ctx.visible_lines():
        if " " not in text and "\u3000" not in text and "\t" not in text and "\u00a0" not in text:
            continue  # most Chinese lines have no space at all
        for m in _SPACE.finditer(text):
            shown = "全角空格" if "\u3000" in m.group(0) else "空格"
            yield Finding(tl, f"汉字之间有{shown}：“{text[max(0, m.start() - 4):m.end() + 4].strip()}”",
                          "删除多余的空格", column=tl.column + m.start())


PAIRS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "【": "】", "「": "」", "『": "』", "〔": "〕", "（": "）", "(": ")"}
CLOSERS = {v: k for k, v in PAIRS.items()}
# Half- and full-width parentheses pair with each other; halfwidth-punct reports the width.
FAMILY = {"(": "（", ")": "）"}
_FAMILY_OF = {ch: FAMILY.get(ch, ch) for ch in PAIRS}  # opener -> the opener it pairs as
_WANT = {ch: FAMILY.get(op, op) for ch, op in CLOSERS.items()}  # closer -> the opener it wants
_BRACKETS = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")
# 1）2）as list numbers at the start of a paragraph are closers without openers, on purpose.
_LIST_NUMBER = re.compile(r"^[\s\x01]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]")


_ITEM_START = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s")


def _units(ctx: Context):
    """Paragraphs as lists of (TextLine, visible text): quotes may pair across the lines of one
    Markdown paragraph."""
    mat = ctx.material
    if mat.format != "md":
        for pair in ctx.visible_lines():
            yield [pair]
        return
    headings = {(s.path, s.line) for s in ctx.sections()}
    if mat.title_node:
        headings.add((mat.title_node.path, mat.title_node.line))
    unit: list[tuple[TextLine, str]] = []
    for pair in ctx.visible_lines():
        tl = pair[0]
        if unit:
            last = unit[-1][0]
            if (tl.path != last.path or tl.line != last.line + 1 or (tl.path, tl.line) in headings
                    or (last.path, last.line) in headings or _ITEM_START.match(tl.text)):
                yield unit
                unit = []
        unit.append(pair)
    if unit:
        yield unit


# Each opener next to a closer it pairs with, e.g. “” and （) ; and every bracket or a line end.
_PAIR_STRINGS = tuple(o + c for c, want in _WANT.items() for o in PAIRS if _FAMILY_OF[o] == want)
_BRACKET_OR_NEWLINE = re.compile("[\n" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")


def _lines_balanced(text: str) -> bool:
    """True when every line of text is balanced on its own, as _balanced sees it: removing
    adjacent pairs over and over leaves only line ends exactly then. Balanced lines make
    balanced paragraphs, so a clean material is settled by this one pass."""
    s = "".join(_BRACKET_OR_NEWLINE.findall(text))
    while True:
        n = len(s)
        for pair in _PAIR_STRINGS:
            s = s.replace(pair, "")
        if len(s) == n:
            return not s.strip("\n")


# A ’ between ASCII characters may be an English apostrophe, which the walk in quote_pair
# skips; the shortcuts below count every ’ as a closer, so they hold only without one.
# (Lines are joined with newlines, which count as ASCII here: a ’ at a line end is no
# apostrophe to the walk, so the test is only ever too careful.)
_APOSTROPHE = re.compile(r"(?<=[\x00-\x7f])’(?=[\x00-\x7f])")


def _no_apostrophe(text: str) -> bool:
    return "’" not in text or _APOSTROPHE.search(text) is None


def _balanced(texts: list[str]) -> bool:
    """True when the walk in quote_pair would leave nothing unmatched in these lines: every
    closer closes the innermost open bracket and none stays open (then nothing is reported).
    Only for lines without an apostrophe (see _APOSTROPHE)."""
    stack: list[str] = []
    for text in texts:
        for ch in _BRACKETS.findall(text):
            if ch in PAIRS:
                stack.append(_FAMILY_OF[ch])
            elif stack and stack[-1] == _WANT[ch]:
                stack.pop()
            else:
                return False
    return not stack


@rule("typography.quote-pair", "warning", "引号、括号不成对或左右颠倒",
      "中文引号“”‘’、书名号《》、括号（）【】等须成对出现，左右不能颠倒。同一段落内跨行成对的不受影响。"
      "草稿中为提示，其余为警告。",
      bad="不善于把学习课题转为破解难题的”金钥匙“", good="不善于把学习课题转为破解难题的“金钥匙”",
      stages={"草稿": "info"})
def quote_pair(ctx: Context):
    text = ctx.visible_text()
    if _no_apostrophe(text) and _lines_balanced(text):
        return  # nothing unmatched anywhere (see _balanced)
    for unit in _units(ctx):
        texts = [text for _, text in unit]
        if _balanced(texts) and _no_apostrophe("\n".join(texts)):
            continue  # the usual case, settled without the bookkeeping below
        stack: list[tuple[str, TextLine, int]] = []
        strays: list[tuple[str, TextLine, int]] = []
        for k, (tl, text) in enumerate(unit):
            number = _LIST_NUMBER.match(text) if k == 0 else None
            skip = number.end() - 1 if number else -1
            for m in _BRACKETS.finditer(text):
                ch, pos = m.group(0), m.start()
                if pos == skip:
                    continue
                if ch == "’" and 0 < pos < len(text) - 1 and text[pos - 1].isascii() and text[pos + 1].isascii():
                    continue  # an apostrophe in English
                if ch in PAIRS:
                    stack.append((ch, tl, pos))
                    continue
                want = _WANT[ch]
                if stack and _FAMILY_OF[stack[-1][0]] == want:
                    depth = len(stack) - 1  # the usual case: it closes the innermost opener
                else:
                    depth = next((d for d in range(len(stack) - 1, -1, -1)
                                  if _FAMILY_OF[stack[d][0]] == want), None)
                if depth is None:
                    strays.append((ch, tl, pos))
                    continue
                strays.extend(stack[depth + 1:])  # openers left inside the pair never closed
                del stack[depth:]
        unmatched = sorted(strays + stack, key=lambda s: (s[1].line, s[2]))
        used: set[int] = set()
        for i, (ch, tl, pos) in enumerate(unmatched):
            if i in used:
                continue
            if ch in CLOSERS:
                # A closer followed later by an unmatched opener of its kind: the two are reversed.
                opener = FAMILY.get(CLOSERS[ch], CLOSERS[ch])
                j = next((j for j in range(i + 1, len(unmatched)) if j not in used
                          and FAMILY.get(unmatched[j][0], unmatched[j][0]) == opener), None)
                if j is not None:
                    used.add(j)
                    yield Finding(tl, f"{_name(ch)}左右颠倒：先出现了右{_side(ch)}“{ch}”，后出现左{_side(ch)}“{unmatched[j][0]}”",
                                  f"改为“{CLOSERS[ch]}……{ch}”", column=tl.column + pos)
                else:
                    yield Finding(tl, f"右{_side(ch)}“{ch}”没有对应的左{_side(ch)}“{CLOSERS[ch]}”",
                                  f"补上“{CLOSERS[ch]}”，或删去多余的“{ch}”", column=tl.column + pos)
            else:
                yield Finding(tl, f"左{_side(ch)}“{ch}”没有对应的右{_side(ch)}“{PAIRS[ch]}”",
                              f"在引用或括注结束处补上“{PAIRS[ch]}”", column=tl.column + pos)


def _side(ch: str) -> str:
    if ch in "“”‘’":
        return "引号"
    if ch in "《》〈〉":
        return "书名号"
    return "括号"


def _name(ch: str) -> str:
    return _side(ch)
