"""The site's ledger pages as Markdown with HTML tables (pure: the hooks only place them).

A 整改台账 page per material with a ledger, and one 整改进度 overview over all materials."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Material
from ..untrusted import esc, href, md_line
from .summary import is_overdue, summarise_ledger
from .types import Ledger, LedgerSummary
from .xlsx_out import problem_cell

OVERVIEW_TITLE = "整改进度"
LEDGER_TITLE = "整改台账"


def _e(text) -> str:
    return "<br>".join(esc(line) for line in str(text if text not in (None, "") else "—").split("\n"))


@dataclass
class Item:
    """One material on the overview: its summary and the links to its pages."""

    title: str
    unit: str
    summary: LedgerSummary
    page_url: str  # the material's ledger page, or its own page when it has no ledger


def ledger_page(mat: Material, ledger: Ledger, today: datetime.date, *, xlsx_href: str, material_href: str,
                stale: dict[tuple[str, int], str] | None = None) -> str:
    """stale: (path, line) of a row -> the ledger.stale-reference message: such a row's number
    now names another problem, which the page says beside the lead it resolves to."""
    stale = stale or {}
    s = summarise_ledger(ledger, today)
    title = mat.title or mat.path
    out = [f"# {LEDGER_TITLE}：{md_line(title)}", "",
           f'<p class="gongwen-ledger-meta">单位：{_e(mat.meta.get("unit"))}　'
           f'统计日期：<span data-ledger-today>{today.isoformat()}</span>（按网站构建日期判断逾期）　'
           f'<a href="{href(material_href)}">查看材料</a>　'
           f'<a class="gongwen-ledger-xlsx" href="{href(xlsx_href)}" download>下载 Excel 台账（.xlsx）</a></p>', "",
           f'<p class="gongwen-ledger-counts">问题 {s.problems} 个，整改措施 {s.measures} 项：已完成 {s.done}，'
           f"推进中 {s.in_progress}，未开始 {s.not_started}，长期坚持 {s.standing}，"
           f'<strong>逾期 {s.overdue}</strong>；没有整改措施的问题 {s.problems_without_measure} 个。</p>', "",
           "<table>", "<thead><tr><th>问题</th><th>整改措施</th><th>责任领导</th><th>责任人</th><th>完成时限</th>"
           "<th>状态</th><th>逾期</th></tr></thead>", "<tbody>"]
    for row in ledger.rows:
        late = is_overdue(row, today)
        state = row.state + (f"（{row.status_word}）" if row.status_word and row.status_word != row.state else "")
        attrs = ' class="gongwen-overdue" data-overdue' if late else ""
        note = stale.get((row.path, row.line))
        problem = _e(problem_cell(row)) + (f'<br><small class="gongwen-stale-note" data-stale>编号已变：{_e(note)}</small>'
                                            if note else "")
        out.append(f"<tr{attrs}><td>{problem}</td><td>{_e(row.measure)}</td><td>{_e(row.leader)}</td>"
                   f"<td>{_e(row.person)}</td><td>{_e(row.deadline.text)}</td><td>{_e(state)}</td>"
                   f"<td>{'<strong>逾期</strong>' if late else ''}</td></tr>")
    out += ["</tbody>", "</table>", ""]
    missing = ledger.unmatched()
    if missing:
        out.append("## 没有整改措施的问题")
        out.append("")
        for p in missing:
            out.append(f"- {md_line(ledger.labels[id(p)][0])} {md_line(p.lead)}")
        out.append("")
    return "\n".join(out) + "\n"


OVERVIEW_MARK = "<!-- gongwen:ledger-overview -->"


def overview_page(items: list[Item], today: datetime.date, *, xlsx_href: str | None,
                  url: Callable[[str], str] = lambda u: u, table_mark: str | None = None) -> str:
    """The 整改进度 page. With table_mark, the mark stands where the table goes and the caller
    puts overview_table() there in the built page: Markdown's handling of a raw-HTML table of
    1000 rows took about a second on every preview rebuild."""
    out = [f"# {OVERVIEW_TITLE}", "",
           f'<p class="gongwen-ledger-meta">统计日期：<span data-ledger-today>{today.isoformat()}</span>'
           "（按网站构建日期判断逾期）" + (f'　<a class="gongwen-ledger-xlsx" href="{href(xlsx_href)}" download>'
                                         "下载全部整改台账（.xlsx）</a>" if xlsx_href else "") + "</p>", ""]
    if not items:
        return "\n".join(out + ["<p><em>暂无材料。</em></p>"]) + "\n"
    total = {k: sum(getattr(i.summary, k) for i in items)
             for k in ("problems", "measures", "done", "in_progress", "overdue", "problems_without_measure")}
    with_ledger = sum(i.summary.has_ledger for i in items)
    out.append(f"<p>{len(items)} 份材料，其中 {with_ledger} 份有整改清单；整改措施 {total['measures']} 项，已完成 {total['done']}，"
               f"推进中 {total['in_progress']}，<strong>逾期 {total['overdue']}</strong>；"
               f"没有整改措施的问题 {total['problems_without_measure']} 个。</p>")
    out += ["", table_mark if table_mark else overview_table(items, url), ""]
    return "\n".join(out) + "\n"


def overview_table(items: list[Item], url: Callable[[str], str] = lambda u: u) -> str:
    """One row per material, the most overdue first."""
    # The wrapper's class lets ledger.css narrow Material's 5rem column minimum: 8 columns of
    # it ran past the content column at 1280 and 1600 px.
    out = ['<div class="gongwen-ledger-overview">', "<table>",
           "<thead><tr><th>材料</th><th>单位</th><th>问题</th><th>整改措施</th><th>已完成</th>"
           "<th>推进中</th><th>逾期</th><th>没有措施的问题</th></tr></thead>", "<tbody>"]
    order = sorted(items, key=lambda i: (-i.summary.overdue, not i.summary.has_ledger, i.title))
    for i in order:
        s = i.summary
        cells = (s.problems, s.measures, s.done, s.in_progress) if s.has_ledger else (s.problems, "无清单", "—", "—")
        late = f"<strong>{s.overdue}</strong>" if s.overdue else ("0" if s.has_ledger else "—")
        attrs = ' class="gongwen-overdue" data-overdue' if s.overdue else ""
        out.append(f'<tr{attrs}><td><a href="{href(url(i.page_url))}">{_e(i.title)}</a></td><td>{_e(i.unit)}</td>'
                   + "".join(f"<td>{_e(c)}</td>" for c in cells)
                   + f"<td>{late}</td><td>{_e(s.problems_without_measure)}</td></tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)
