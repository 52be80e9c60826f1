"""The 雷同比对 page: pairs of units by covered share, each opening a side-by-side view with
the shared runs highlighted (the redline look of 修订对照: gongwen-publish.css)."""

from __future__ import annotations

from collections.abc import Callable

from ..untrusted import esc, href
from .match import Match, Side
from .report import unique_pairs

MAX_PAIRS = 500  # more make a page nobody reads; the CLI's JSON lists them all


def marked(side: Side) -> str:
    """The unit's text with its shared runs in <ins> (highlighted as an insertion)."""
    out, pos = [], 0
    for start, end in sorted(side.spans):
        out.append(esc(side.text[pos:start]))
        out.append(f"<ins>{esc(side.text[start:end])}</ins>")
        pos = end
    out.append(esc(side.text[pos:]))
    return "".join(out)


Place = Callable[[Side], tuple[str | None, str]]  # side -> (URL of its page or None, path shown)


def _where(side: Side, place: Place) -> str:
    name = esc(side.title or side.material)
    url, shown = place(side)
    link = f'<a href="{href(url)}">{name}</a>' if url else name
    kind = "参考文本" if side.reference else "材料"
    return f"{kind} {link}<br><small>{esc(shown)} 第 {side.line} 行</small>"


def pairs_html(matches: list[Match], place: Place, *, min_run: int, min_share: float) -> str:
    pairs = unique_pairs(matches)
    head = (f'<p>去掉编号、标点和空格，数字视为相同后，共同的连续片段至少 {min_run} 个字、且覆盖一方至少 '
            f"{min_share:.0%} 字数的问题或段落。固定提法和多数材料都有的通知原文不计。点击一行查看逐字对照，"
            "<ins>标出</ins>的是相同的文字。</p>\n")
    if not pairs:
        return head + "<p><em>没有发现雷同。</em></p>\n"
    rows = []
    for n, m in enumerate(pairs[:MAX_PAIRS], 1):
        rows.append(
            f'<details class="gongwen-similar__pair" id="pair-{n}"><summary><strong>{m.share:.0%}</strong> '
            f"{esc(m.a.title or m.a.material)} ⇄ {esc(m.b.title or m.b.material)}"
            f"（{len(m.passages)} 段相同）</summary>\n"
            f'<table class="gongwen-similar__side gongwen-redline"><thead><tr><th>{_where(m.a, place)}</th>'
            f"<th>{_where(m.b, place)}</th></tr></thead><tbody><tr>"
            f'<td class="gongwen-redline__p">{marked(m.a)}</td><td class="gongwen-redline__p">{marked(m.b)}</td>'
            f"</tr></tbody></table></details>")
    more = (f"<p>另有 {len(pairs) - MAX_PAIRS} 对未列出，请用 <code>gongwen similar --format json</code> 查看全部。</p>\n"
            if len(pairs) > MAX_PAIRS else "")
    return head + f"<p>共 {len(pairs)} 对。</p>\n" + "\n".join(rows) + "\n" + more
