"""Patterns shared by the rules and the importer (one definition each)."""

from __future__ import annotations

import re


def first_chars(chars: str, pattern: str, flags: int = 0) -> re.Pattern:
    """`pattern` behind a lookahead on the characters (a regex class body) any match starts
    with. The matches are the same; the scan skips other positions at once instead of
    trying every alternative there, which is 5-10x faster on Chinese prose."""
    return re.compile(f"(?=[{chars}])(?:{pattern})", flags)


class LazyPattern:
    """A regex compiled when first used. Classes of all Han characters take milliseconds to
    compile, and rules that need them only on some lines (ASCII punctuation, spaces) often
    never do: clean Chinese text is checked without paying for them."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self._args, self._compiled = (pattern, flags), None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


# Residue of text pasted from web pages (content.residue).
_RESIDUE_WORDS = "浏览量|浏览次数|阅读量|点击量|发布时间|发布日期|来源网站|文档格式|下载积分|立即下载|免费下载|下载文档|本文来源|责任编辑|扫一扫|分享到"
RESIDUE = first_chars(
    "#浏阅点发来文下立免本责扫分",
    r"##paid(?:begin|end)##|#{2,}[a-z]+#{2,}"
    r"|(?:" + _RESIDUE_WORDS + r")[：:]?\s*\S{0,20}"
)
# Every match holds ## or one of the words: alternatives that each open with a literal let
# the regex engine skip ahead, so this rules out most lines 4x faster than RESIDUE.
RESIDUE_HINT = re.compile("##|" + _RESIDUE_WORDS)
# A whole line that is nothing but residue can be dropped on import.
RESIDUE_ONLY = LazyPattern(rf"^\s*(?:{RESIDUE.pattern})\s*$")

# --- characters --------------------------------------------------------------------

# Han ideographs (basic, extension A, compatibility).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation and full-width forms, the curly quotes, … and — as used in Chinese text.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
CJK = HAN + CJK_PUNCT

# --- Markdown syntax masking ---------------------------------------------------------
#
# Character rules look at what a reader sees, but report columns of the source. So
# Markdown syntax is masked in place (same length, so columns stay those of the source):
# TRANSPARENT for markup a reader does not see (**, \ of an escape, link targets, tags),
# OPAQUE for content no prose rule should judge (code spans, URLs).
TRANSPARENT = "\x01"
OPAQUE = "\x02"
_MD_FIRST = r'`<\]hf!\[\\*>\-+0-9?"'  # each alternative's first character
_MD_ALTERNATIVES = (
    r"(?P<code>(`+).+?(?<!`)\2(?!`))"
    r"|(?P<autolink><(?:https?|ftp|mailto):[^>\s]*>)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<linktail>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)|\]\[[^\]]*\])"
    "{url}"
    r"|(?P<open>!?\[(?=[^\]]*\]))"
    r"|(?P<escape>\\(?=[!-/:-@\[-`{{-~]))"
    r"|(?P<strong>\*\*+)"
    r"|(?P<marker>^(?:>\s?)*(?:[-*+]|\d{{1,9}}[.)])(?=\s))"
    r"|(?P<quote>^(?:>\s?)+)"
    # An admonition line (!!! note "标题"): its marker, type and the quotes of its title.
    r"|(?P<admonition>^(?:!!!|\?\?\?\+?)[ \t]*[A-Za-z0-9_-]*(?:[ \t]+[A-Za-z0-9_-]+)*[ \t]*\"?|(?<=[^\"])\"[ \t]*$)"
)
_URL = rf"|(?P<url>(?:https?|ftp)://[^\s<>\x01\x02{CJK}]*[^\s<>\x01\x02{CJK},.;:!?)'\"])"
# The URL alternative needs "://"; without it its two classes of all Han characters take
# most of the time this pattern takes to compile, so lines without one use the lighter copy.
_MD_SYNTAX = LazyPattern(f"(?=[{_MD_FIRST}])(?:{_MD_ALTERNATIVES.format(url=_URL)})")
_MD_SYNTAX_NO_URL = first_chars(_MD_FIRST, _MD_ALTERNATIVES.format(url=""))
_OPAQUE_GROUPS = {"code", "autolink", "url"}
# Lines with none of these characters are returned as they are (a line whose only markup is
# `](…)` or `]` stays unmasked, as it always has).
_MAYBE_SYNTAX = re.compile(r'[`<\[\\*>\-+:0-9!?"]')


# Lines whose only markup can be bold (**): none of the characters that open any other
# alternative, no URL, and no list marker, quote or admonition at the start.
_NOT_JUST_BOLD = re.compile(r'[`<\[\]\\!"]')
_NOT_JUST_BOLD_FIRST = frozenset(">-+0123456789!?")
_BOLD = re.compile(r"\*\*+")


def _transparent(m: re.Match) -> str:
    return TRANSPARENT * (m.end() - m.start())


def mask_markdown(text: str) -> str:
    """Mask Markdown syntax in one source line; the result has the same length."""
    if _MAYBE_SYNTAX.search(text) is None:
        return text
    first = text[0]
    if (_NOT_JUST_BOLD.search(text) is None and "://" not in text and first not in _NOT_JUST_BOLD_FIRST
            and (first != "*" or text[1:2] == "*")):
        # Then `strong` is the only alternative that can match anywhere (a leading ** is
        # strong before it is a list marker): the same result, 2x faster on typical lines.
        return _BOLD.sub(_transparent, text)
    return _mask_all(text)


def _mask_all(text: str) -> str:
    admonition = text.startswith(("!!!", "???"))

    def repl(m: re.Match) -> str:
        if m.lastgroup == "admonition" and not admonition:
            return m.group(0)  # a closing quote at the end of an ordinary line is prose
        fill = OPAQUE if m.lastgroup in _OPAQUE_GROUPS else TRANSPARENT
        return fill * len(m.group(0))

    return (_MD_SYNTAX if "://" in text else _MD_SYNTAX_NO_URL).sub(repl, text)


# --- key political terms (content.term) --------------------------------------------
#
# Wrong form (a regex) -> the correct term. Only forms that are never right are listed,
# so every hit is worth fixing.
TERM_FIXES: dict[str, str] = {
    r"习近平新世代中国特色社会主义思想": "习近平新时代中国特色社会主义思想",
    r"新世代中国特色社会主义": "新时代中国特色社会主义",
    r"习近平中国特色社会主义思想": "习近平新时代中国特色社会主义思想",
    r"习近平新时代中国特色社会主义理论(?!体系)": "习近平新时代中国特色社会主义思想",
    r"中国特色社会主意": "中国特色社会主义",
    r"形式主意": "形式主义",
    r"官僚主意": "官僚主义",
    r"享乐主意": "享乐主义",
    r"马克思主意": "马克思主义",
    r"马克斯主义": "马克思主义",
    r"毛泽东主义": "毛泽东思想",
    r"以习近平(?:同志|总书记)?为首的党中央": "以习近平同志为核心的党中央",
    r"以习近平总书记为核心的党中央": "以习近平同志为核心的党中央",
    r"总书计": "总书记",
    r"不忘出心": "不忘初心",
    r"牢计使命": "牢记使命",
    r"全新全意为人民服务": "全心全意为人民服务",
    r"实是求是": "实事求是",
    r"中央(?:八条|8项)规定": "中央八项规定",
    r"一岗两责": "一岗双责",
    r"党风廉正建设": "党风廉政建设",
    r"廉洁自率": "廉洁自律",
    r"中华民族伟大复新": "中华民族伟大复兴",
    r"社会主义核心价值关": "社会主义核心价值观",
    r"政治理解力": "政治领悟力",
    r"党的(?:20|廿)大": "党的二十大",
    r"民主生活合(?!作)": "民主生活会",
}
# Alternatives that each open with a literal let the regex engine skip to their first
# characters; the empty group after each names which one matched (m.lastgroup).
TERM_PATTERN = re.compile("|".join(f"(?:{p})(?P<t{i}>)" for i, p in enumerate(TERM_FIXES)))
TERM_REPLACEMENTS = list(TERM_FIXES.values())

# Numbered formulations: the right count; they are written in Chinese double quotes
# (“四个意识”), or in ‘’ when nested inside “”.
SLOGAN_COUNTS = {"意识": "四", "自信": "四", "维护": "两", "确立": "两", "全面": "四", "务必": "三"}
SLOGAN = first_chars("\"'‘「『《“一二三四五六七八九十两", r"(?P<open>[\"'‘「『《“]?)(?P<num>[一二三四五六七八九十两])个(?P<word>意识|自信|维护|确立|全面|务必)(?P<close>[\"'’」』》”]?)")
SLOGAN_HINT = re.compile("[一二三四五六七八九十两]个(?:意识|自信|维护|确立|全面|务必)")  # in every SLOGAN match
