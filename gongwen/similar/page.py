"""The 雷同比对 page: pairs of units by covered share, each opening a side-by-side view with
the shared runs highlighted (the redline look of 修订对照: gongwen-publish.css); paraphrased
points (洗稿) and repeats of last year's material in sections of their own, a paraphrase shown
as its aligned sentences side by side. Every text from a material is escaped here."""

from __future__ import annotations

from collections.abc import Callable

from ..untrusted import esc, href
from .match import EXACT, Match, Side
from .report import source_kind, unique_pairs

MAX_PAIRS = 500  # more make a page nobody reads; the CLI's JSON lists them all


def marked(side: Side) -> str:
    """The unit's text with its shared runs in <ins> (highlighted as an insertion)."""
    out, pos = [], 0
    for start, end in sorted(side.spans):
        out.append(esc((side.text[pos:start])))
        out.append(f"<ins>{esc(side.text[start:end])}</ins>")
        pos = end
    out.append(esc((side.text[pos:])))
    return "".join(out)


Place = Callable[[Side], tuple[str | None, str]]  # side -> (URL of its page or None, path shown)


def _where(side: Side, place: Place) -> str:
    name = esc(side.title or side.material)
    url, shown = place(side)
    link = f'<a href="{href(url)}">{name}</a>' if url else name
    return f"{source_kind(side)} {link}<br><small>{esc(shown)} 第 {side.line} 行</small>"


def _exact(n: int, m: Match, place: Place) -> str:
    notes = []
    if m.combined > m.share + 0.005:
        notes.append(f"各来源合计 {m.combined:.0%}")
    if m.family >= 3:
        notes.append(f"{m.family} 份材料共有此段")
    note = f"；{'；'.join(notes)}" if notes else ""
    return (f'<details class="gongwen-similar__pair" id="pair-{n}"><summary><strong>{m.share:.0%}</strong> '
            f"{esc(m.a.title or m.a.material)} ⇄ {esc(m.b.title or m.b.material)}"
            f"（{len(m.passages)} 段相同{note}）</summary>\n"
            f'<table class="gongwen-similar__side gongwen-redline"><thead><tr><th>{_where(m.a, place)}</th>'
            f"<th>{_where(m.b, place)}</th></tr></thead><tbody><tr>"
            f'<td class="gongwen-redline__p">{marked(m.a)}</td><td class="gongwen-redline__p">{marked(m.b)}</td>'
            f"</tr></tbody></table></details>")


def _paraphrase(n: int, m: Match, place: Place) -> str:
    rows = "".join(f'<tr><td class="gongwen-redline__p">{esc(a)}</td><td class="gongwen-redline__p">{esc(b)}</td>'
                   f"<td>{score}</td></tr>" for a, b, score in m.aligned)
    return (f'<details class="gongwen-similar__pair gongwen-similar__paraphrase" id="para-{n}"><summary>'
            f"<strong>{m.share:.0%}</strong> {esc(m.a.title or m.a.material)} ⇄ {esc(m.b.title or m.b.material)}"
            f"（{len(m.aligned)} 句换了说法但逐句对应）</summary>\n"
            f'<table class="gongwen-similar__side gongwen-redline"><thead><tr><th>{_where(m.a, place)}</th>'
            f"<th>{_where(m.b, place)}</th><th>相似度</th></tr></thead><tbody>{rows}</tbody></table></details>")


def _row(n: int, m: Match, place: Place) -> str:
    return _exact(n, m, place) if m.level == EXACT else _paraphrase(n, m, place)


def _section(title: str, intro: str, pairs: list[Match], row: Callable[[int, Match, Place], str], place: Place) -> str:
    if not pairs:
        return ""
    more = (f"<p>另有 {len(pairs) - MAX_PAIRS} 对未列出，请用 <code>gongwen similar --format json</code> 查看全部。</p>\n"
            if len(pairs) > MAX_PAIRS else "")
    body = "\n".join(row(n, m, place) for n, m in enumerate(pairs[:MAX_PAIRS], 1))
    return f"<h2>{title}</h2>\n<p>{intro}共 {len(pairs)} 对。</p>\n{body}\n{more}"


def pairs_html(matches: list[Match], place: Place, *, min_run: int, min_share: float) -> str:
    pairs = unique_pairs(matches)
    exact = [m for m in pairs if m.level == EXACT and not m.repeated]
    para = [m for m in pairs if m.level != EXACT and not m.repeated]
    repeated = [m for m in pairs if m.repeated]
    head = (f'<p>去掉编号、标点和空格，数字视为相同后，共同的连续片段至少 {min_run} 个字、且（来自一个或几个来源的）'
            f"这些片段覆盖一方至少 {min_share:.0%} 字数的问题或段落。固定提法和指定的套话文本（会议通知等）不计；"
            "多份材料共有的段落照样报告。点击一行查看逐字对照，<ins>标出</ins>的是相同的文字。</p>\n")
    if not pairs:
        return head + "<p><em>没有发现雷同。</em></p>\n"
    return head + "".join([
        _section("逐字雷同", "", exact, _exact, place),
        _section("疑似洗稿", "换了说法（同义词、调换语序）但逐句对应的问题，按词比对得出，与逐字雷同分开计数。"
                 "左右两列是对应的句子。", para, _paraphrase, place),
        _section("与上年重复", "与文件头 previous: 指定的上年材料（或上年材料文件夹）相同的问题：问题年年一样。",
                 repeated, _row, place),
    ])
