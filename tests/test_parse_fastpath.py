"""The parser's fast path for plain files (headings and paragraphs only) and the faster
regexes must give exactly what markdown-it and the plain regexes give."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_CHARS

from gongwen import textpatterns
from gongwen.check.rules import content, security, typography
from gongwen.read.markdown import _TRIM, _simple_tokens

from .conftest import REPO, SEED_DIR

MD = MarkdownIt("commonmark", {"html": True}).enable("table").disable(["inline", "text_join"])
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tokens_of(body: str) -> list[tuple]:
    # The fast path leaves closing tokens out, and a table's inner tokens (its rows are read
    # from the lines): the parser never reads them.
    out, in_table = [], False
    for t in MD.parse(body):
        if in_table:
            in_table = t.type != "table_close"
        elif t.nesting != -1:
            out.append((t.type, t.tag, t.map, t.content))
            in_table = t.type == "table_open"
    return out


def fast(body: str) -> list[tuple] | None:
    found = _simple_tokens(body.split("\n"))
    return None if found is None else [(t.type, t.tag, t.map, t.content) for t in found]


def test_trim_characters_are_markdown_its():
    assert _TRIM == MD_TRIM_CHARS


def test_seed_and_docs_files_take_the_fast_path_with_the_same_tokens():
    taken = 0
    for path in sorted((REPO / "docs").rglob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines[0] == "---":  # the parser blanks front matter out first
            end = lines.index("---", 1)
            lines = [""] * (end + 1) + lines[end + 1:]
        body = "\n".join(lines)
        got = fast(body)
        if got is not None:
            taken += 1
            assert got == tokens_of(body), path
    assert taken >= len(list(SEED_DIR.glob("*.md")))


LINES = [
    "", " ", "\t", "  \t ", "\u3000", "\u3000正文", "\xa0正文", "正文一段。", "正文 ", "正文\t", "**理论学习不深不透。**对……",
    "**", "***", "** 粗", "**\t粗", "*粗", "* 项", "- 项", "-项", "+ 项", "1. 项", "1) 项", "2023年", "> 引用", ">引用",
    "# 标题", "## 标题 ##", "### 标题 #", "#### 标题#", "##### 标题 \\#", "###### 标题", "####### 七级", "#标题", "#", "# ",
    "#\t标题", "# 标题 #  ", "# #", "# ##", "#  标题  ", "# \u3000标题\u3000", "---", "===", "___", "***", "```", "~~~",
    "    代码", "<div>", "<!-- 注释 -->", "[a]: b", "| a | b |", "|---|---|", ":--", "-- x", "\\# 转义", "!!! note", "&amp;",
    "正文 #", "`代码`", "\x0b", "\x0c正文", "\u2028", "正文\u2028",
]


@SETTINGS
@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_fast_path_equals_markdown_it(lines):
    body = "\n".join(lines)
    got = fast(body)
    if got is not None:
        assert got == tokens_of(body)


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=8)), max_size=10))
def test_fast_path_equals_markdown_it_on_any_text(lines):
    body = "\n".join(lines)
    if "\0" in body or "\r" in body:
        return  # the parser never gives the fast path these (markdown-it rewrites them)
    got = fast(body)
    if got is not None:
        assert got == tokens_of(body)


# Patterns sped up with a lookahead on their first characters (textpatterns.first_chars)
# or rewritten so the regex engine can skip ahead: the same matches as the plain form.
PIECES = ["习近平新世代中国特色社会主义思想", "以习近平同志为首的党中央", "形式主意", "民主生活合", "民主生活合作", "理论体系",
          "习近平新时代中国特色社会主义理论", "“四个意识”", "\"两个维护\"", "三个自信", "‘两个确立’", "XX", "xx", "Xx", "ＸＸ",
          "××", "202X", "【待补】", "【此处待填】", "（略）", "(略)", "○○", "____", "＿＿", "*", "**", "\\*", "`x`", "<b>",
          "<!-- c -->", "](a.md)", "[a]", "https://a.cn/x.", "ftp://x", "http", "!!! note \"题\"", "> ", "- ", "1. ", "12) ",
          "???+ x", "\"", ",", ".", "...", "…", "……", ";", ":", "?", "!", "(", ")", "##paidbegin##", "浏览量：123", "发布时间",
          "script:", "SCRIPT :", "ſcript:", "data:", "DATA:text/html", "<", "中", "文", "a", "1", " ", "\t", "\u3000", "\n",
          "略", "战略", "（", "）", "【待补】", "【", "】", "待填"]
text = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def plain(pattern: re.Pattern, chars: str) -> re.Pattern:
    prefix = f"(?=[{chars}])(?:"
    assert pattern.pattern.startswith(prefix) and pattern.pattern.endswith(")")
    return re.compile(pattern.pattern[len(prefix):-1], pattern.flags)


def same_matches(a: re.Pattern, b: re.Pattern, s: str) -> None:
    def spans(p):
        return [(m.span(), m.lastgroup, m.groupdict()) for m in p.finditer(s)]
    assert spans(a) == spans(b)


FIRST_CHARS = [
    (textpatterns.RESIDUE, "#浏阅点发来文下立免本责扫分"),
    (textpatterns._MD_SYNTAX, r'`<\]hf!\[\\*>\-+0-9?"'),
    (textpatterns.SLOGAN, "\"'‘「『《“一二三四五六七八九十两"),
    (content.PLACEHOLDER, "XxＸ×✕╳2【（(○□_＿*"),
    (typography._CANDIDATE, r'.…,;:?!()"'),
    (security._MAYBE, "<sd"),
]


@SETTINGS
@given(text)
def test_first_char_lookaheads_keep_every_match(s):
    for pattern, chars in FIRST_CHARS:
        same_matches(pattern, plain(pattern, chars), s)
        same_matches(pattern, plain(pattern, chars), s.upper())


@SETTINGS
@given(text)
def test_term_pattern_names_the_same_term(s):
    old = re.compile("|".join(f"(?P<t{i}>{p})" for i, p in enumerate(textpatterns.TERM_FIXES)))
    new = textpatterns.TERM_PATTERN
    assert [(m.span(), m.lastgroup) for m in new.finditer(s)] == [(m.span(), m.lastgroup) for m in old.finditer(s)]


def test_mask_prefilter_is_the_old_character_list():
    old = "`<[\\*>-+:0123456789!?\""
    for c in map(chr, range(0x3100)):
        assert bool(textpatterns._MAYBE_SYNTAX.search(c)) == (c in old), repr(c)
    # A line whose only markup is a link tail has never been masked; it still is not.
    assert textpatterns.mask_markdown("](整改措施)") == "](整改措施)"


@SETTINGS
@given(text)
def test_quick_tests_never_rule_out_a_match(s):
    # Each rule skips a line when its quick test finds nothing; a real match must never be missed.
    for t in (s, s.upper()):
        if content.PLACEHOLDER.search(t):
            assert content._may_hold_placeholder(t)
        if textpatterns.RESIDUE.search(t):
            assert textpatterns.RESIDUE_HINT.search(t)
        if textpatterns.SLOGAN.search(t):
            assert textpatterns.SLOGAN_HINT.search(t)
        if typography._CANDIDATE.search(t):
            assert typography._PUNCT_HINT.search(t) or "…" in t


BRACKETY = ["“", "”", "‘", "’", "《", "》", "〈", "〉", "【", "】", "「", "」", "『", "』", "〔", "〕", "（", "）", "(", ")",
            "中", "a", "1）", "2)", "it", "s", "**", "`", " "]


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(BRACKETY), max_size=10).map("".join), min_size=1, max_size=4),
       st.sampled_from(["md", "txt"]))
def test_quote_pair_shortcut_reports_the_same(lines, fmt):
    from unittest import mock

    from gongwen.check.rules.registry import Context
    from gongwen.model import Material, TextLine
    from gongwen.schema import GENERIC

    mat = Material(path="m.md", format=fmt, files=["m.md"])
    mat.lines = [TextLine("m.md", n, t) for n, t in enumerate(lines, 3) if t]

    def found():
        ctx = Context(mat, GENERIC, "定稿")
        return [(f.node.line, f.column, f.message) for f in typography.quote_pair(ctx)]

    fast_result = found()
    with mock.patch.object(typography, "_balanced", lambda texts: False), \
            mock.patch.object(typography, "_lines_balanced", lambda text: False):
        assert fast_result == found()


YAML_PIECES = ["type: 2023-zhuti-jiaoyu-banzi", "year: 2023", "状态: 草稿", "a:", ": b", "{}", "{ }", "{a: 1}", "[]", "<<: {}",
               "<<: {a: 1}", "&x {}", "*x", "!!map {}", "!!map", "!!set {}", "~", "null", "# 注释", "''", "-", "- a", "? a",
               "?", "%YAML 1.1", "\t", " ", "\"", "'", "a: [", "a: b: c", "..", "—", "\ufeff"]


@SETTINGS
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=5), st.booleans())
def test_material_folder_shortcut_agrees_with_reading_the_front_matter(pieces, closed):
    from gongwen.diagnostics import InputError
    from gongwen.read import _meta_is_not_empty
    from gongwen.read.markdown import normalise_meta
    from gongwen.read.source import SourceText, split_front_matter

    lines = ["---", *pieces] + (["---"] if closed else []) + ["# 标题"]
    if _meta_is_not_empty(lines):
        try:
            assert normalise_meta(split_front_matter(SourceText("x.md", "\n".join(lines))).data)
        except InputError:
            pass  # unreadable front matter also makes a material folder


@SETTINGS
@given(st.lists(st.sampled_from(["比如", "例如，", "如，", "如", "在会议中，", "在", "中", "时，", "上,", "。", "！", "？", "；",
                                 " ", "\u3000", "学习", "12次", "a", "，", "：", "譬如:"]), max_size=25).map("".join))
def test_find_examples_equals_a_plain_scan(text):
    from gongwen.read.common import EXAMPLE_START, SENTENCE_END, find_examples

    plain = []
    for m in EXAMPLE_START.finditer(text):
        end_m = SENTENCE_END.search(text, m.end(1))
        plain.append((m.start(1), text[m.start(1):end_m.end() if end_m else len(text)]))
    assert [(e.column - 1, e.text) for e in find_examples(text, "p", 1, 1)] == plain


@SETTINGS
@given(st.lists(text, min_size=1, max_size=4))
def test_a_match_in_one_line_is_a_match_in_the_joined_lines(lines):
    joined = "\n".join(lines)
    for pattern in (textpatterns.TERM_PATTERN, textpatterns.SLOGAN_HINT, textpatterns.RESIDUE_HINT):
        if any(pattern.search(line) for line in lines):
            assert pattern.search(joined)


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(BRACKETY), max_size=12).map("".join), min_size=1, max_size=5))
def test_lines_balanced_is_balanced_line_by_line(lines):
    assert typography._lines_balanced("\n".join(lines)) == all(typography._balanced([line]) for line in lines)


@SETTINGS
@given(text)
def test_markdown_syntax_without_urls_is_the_same_where_no_url_can_be(s):
    if "://" not in s:
        def spans(p):
            return [(m.span(), m.lastgroup) for m in p.finditer(s)]
        assert spans(textpatterns._MD_SYNTAX) == spans(textpatterns._MD_SYNTAX_NO_URL)


MARKDOWNISH = ["**", "***", "*", "* ", "- ", "+ ", "> ", "1. ", "12) ", "!!! note \"题\"", "??? ", "`", "`码`", "<b>", "<!-- c -->",
               "[a](b.md)", "](x)", "[", "]", "\\*", "\"", "https://a.cn/x", "h", "f", "://", "中文", "。", " ", "\t", "x",
               "理论学习不深不透", "2023年"]


@SETTINGS
@given(st.lists(st.sampled_from(MARKDOWNISH), max_size=10).map("".join))
def test_bold_only_shortcut_masks_as_the_full_pattern(s):
    assert textpatterns.mask_markdown(s) == (textpatterns._mask_all(s) if textpatterns._MAYBE_SYNTAX.search(s) else s)


@SETTINGS
@given(st.characters(), st.sampled_from(["、正文", "）正文", "是，正文", "2. 正文", ". x", "是"]), st.sampled_from(["", " ", "\u3000"]))
def test_number_prefilters_agree_with_the_patterns(c, rest, lead):
    from gongwen import numerals

    t = lead + c + rest
    for lv in (None, 1, 2, 3, 4):
        expected = (None, None, t)
        for level in [lv] if lv else [2, 4, 1, 3]:
            m = numerals.LEVEL_PATTERNS[level].match(t)
            if m and m.group(2).strip():
                expected = (level, t[: m.start(2)].strip(), m.group(2))
                break
        assert numerals.split_number(t, lv) == expected
    m = numerals.POINT_PATTERN.match(t)
    assert numerals.split_point_number(t) == ((None, t) if not m or not m.group(3).strip() else (m.group(1), m.group(3)))
