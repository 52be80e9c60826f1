"""The 审核总览 page and a 审核意见 page per file, as HTML inside Markdown (pure: no mkdocs).

hooks/review_hooks.py reads OUT/审核汇总.json, asks these functions for the pages and adds
them to the site. Sorting and filtering run in the page itself (a small inline script, no
outside request).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..diagnostics import SEVERITY_ZH
from ..untrusted import esc, href, md_line
from .rows import GROUP_ORDER, Row

OVERVIEW = "审核总览.md"
FINDINGS_DIR = "审核意见"
STATUS_ZH = {"unreadable": "无法读取", "classified": "涉密"}

SCRIPT = r"""
<style>
.md-typeset #gw-review-table { font-size: .68rem; }
.md-typeset #gw-review-table th { cursor: pointer; white-space: nowrap; }
.md-typeset #gw-review-table td { white-space: nowrap; padding: .6em .8em; }
.md-typeset #gw-review-table th { padding: .6em .8em; }
.md-typeset #gw-review-table td.gw-wrap { white-space: normal; min-width: 10em; max-width: 18em; }
#gw-review-table th[aria-sort="ascending"]::after { content: " ▲"; }
#gw-review-table th[aria-sort="descending"]::after { content: " ▼"; }
.gw-conclusion[data-conclusion="通过"] { color: #1b5e20; }
.gw-conclusion[data-conclusion="需修改"] { color: #8a5a00; font-weight: bold; }
.gw-conclusion[data-conclusion="需重写"] { color: #b71c1c; font-weight: bold; }
.gw-review-filters label { margin-right: 1em; }
</style>
<script>
(function () {
  var table = document.getElementById("gw-review-table");
  if (!table) return;
  var body = table.tBodies[0];
  var selects = document.querySelectorAll("select[data-gw-filter]");
  var count = document.getElementById("gw-review-count");
  function num(v) { var n = parseFloat(v); return isNaN(n) ? -1 : n; }
  function apply() {
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (tr) {
      var ok = Array.prototype.every.call(selects, function (s) {
        return !s.value || tr.getAttribute("data-" + s.getAttribute("data-gw-filter")) === s.value;
      });
      tr.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = "显示 " + shown + " / " + body.rows.length + " 个文件";
  }
  Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", apply); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-value"), y = b.cells[col].getAttribute("data-value");
        if (numeric) return dir * (num(x) - num(y));
        return dir * x.localeCompare(y, "zh");
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
</script>
"""


def page_name(row: Row) -> str:
    name = row.page or row.folder or re.sub(r'[\\/:*?"<>|#%\s.]+', "-", row.file).strip("-")
    return f"{FINDINGS_DIR}/{name}.md"


def _cell(value, sort=None, html: str | None = None, wrap: bool = False) -> str:
    text = "" if value is None else str(value)
    key = text if sort is None else sort
    cls = ' class="gw-wrap"' if wrap else ""
    return f'<td{cls} data-value="{esc(str(key))}">{html if html is not None else esc(text)}</td>'


def overview_markdown(rows: list[Row], material_url: Callable[[Row], str | None],
                      findings_url: Callable[[Row], str]) -> str:
    """The overview page: filters, the table (one row per INBOX file), the script."""
    def options(key: str) -> str:
        values = sorted({getattr(r, key) or "（空）" for r in rows})
        return "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)

    heads = [("文件", "text"), ("单位", "text"), ("类型", "text"), ("稿次", "text"), ("错误", "number"),
             ("警告", "number"), *((g, "number") for g in GROUP_ORDER), ("缺少方面", "number"), ("占位符", "number"),
             ("雷同", "number"), ("疑似洗稿", "text"), ("与上年重复", "text"), ("台账", "text"), ("结论", "text"), ("依据与说明", "text")]
    out = ['<div class="gw-review">',
           ('<p class="gw-review-filters">'
            f'<label>单位 <select data-gw-filter="unit"><option value="">全部</option>{options("unit")}</select></label> '
            f'<label>类型 <select data-gw-filter="type"><option value="">全部</option>{options("type")}</select></label> '
            f'<label>结论 <select data-gw-filter="conclusion"><option value="">全部</option>{options("conclusion")}</select></label> '
            '<span id="gw-review-count"></span></p>'),
           # Material's own table look (and a horizontal scroll bar on narrow screens).
           '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
           '<table id="gw-review-table"><thead><tr>'
           + "".join(f'<th data-type="{t}" title="点击排序">{h}</th>' for h, t in heads)
           + "</tr></thead><tbody>"]
    for r in rows:
        checked = r.status == "checked"
        mat = material_url(r)
        title = esc(r.title or r.file)
        file_html = (f'<a href="{href(mat)}" title="{title}">{esc(r.file)}</a>' if mat else esc(r.file))
        file_html += f'<br><a class="gw-review-findings" href="{href(findings_url(r))}">审核意见</a>'
        groups = [r.counts.get(f"{g}:error", 0) + r.counts.get(f"{g}:warning", 0) for g in GROUP_ORDER]
        copied = r.copied_text
        note = "；".join(x for x in (r.reason, r.note) if x)
        cells = [
            _cell(r.file, html=file_html), _cell(r.unit), _cell(r.type or STATUS_ZH.get(r.status, ""), wrap=True), _cell(r.stage),
            *(_cell(v if checked else "", sort=v if checked else -1) for v in [r.errors, r.warnings, *groups]),
            _cell(r.missing_aspects_text if checked else "", sort=len(r.missing_aspects) if checked else -1, wrap=True),
            _cell(r.placeholders if checked else "", sort=r.placeholders if checked else -1),
            _cell(copied + (f"（{r.copied_from}）" if r.copied_share and r.copied_from else ""),
                  sort=r.copied_share if r.copied_share is not None else -1),
            _cell(r.paraphrase_text if checked else "", wrap=True),
            _cell(r.repeated_text if checked else "", wrap=True),
            _cell(r.ledger_text if checked else "", wrap=True),
            _cell(r.conclusion, html=f'<span class="gw-conclusion" data-conclusion="{esc(r.conclusion)}">'
                                    f"{esc(r.conclusion)}</span>"),
            _cell(note, wrap=True),
        ]
        attrs = " ".join(f'data-{k}="{esc(getattr(r, k) or "（空）")}"' for k in ("unit", "type", "conclusion"))
        out.append(f"<tr {attrs}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div></div></div>")
    intro = (f"共 {len(rows)} 个文件。点击表头排序；用上方的选择框按单位、类型、结论筛选。"
             "每行的文件名链接到导入后的材料，“审核意见”链接到该文件的全部检查结果（位置指报送的原文件）。"
             "同样的表格见输出文件夹中的 `审核汇总.xlsx`。")
    # The table needs the page's full width: no sidebars on this page.
    return "---\nhide:\n  - navigation\n  - toc\n---\n\n# 审核总览\n\n" + intro + "\n\n" + "\n".join(out) + "\n" + SCRIPT


def findings_markdown(row: Row, material_url: str | None, overview_url: str) -> str:
    facts = [("文件", esc(row.file)), ("单位", esc(row.unit)), ("材料类型", esc(row.type)),
             ("稿次", esc(row.stage)), ("结论", esc(row.conclusion)),
             ("依据", esc(row.reason)), ("说明", esc(row.note))]
    if material_url:
        facts.append(("材料", f'<a href="{href(material_url)}">{esc(row.title or row.folder)}</a>'))
    head = "<p class=\"gw-review-facts\">" + "<br>".join(f"<strong>{k}</strong>：{v}" for k, v in facts if v) + "</p>"
    rows = []
    for f in row.findings:
        rows.append(f"<tr><td>{esc(f['where'])}</td><td>{SEVERITY_ZH.get(f['severity'], f['severity'])}</td>"
                    f"<td><code>{esc(f['rule'])}</code></td><td>{esc(f['message'])}</td>"
                    f"<td>{esc(f.get('hint') or '')}</td></tr>")
    table = ("<div class=\"md-typeset__scrollwrap\"><div class=\"md-typeset__table\">"
             "<table><thead><tr><th>位置</th><th>级别</th><th>规则</th><th>问题</th>"
             "<th>修改建议</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div></div>") if rows else \
        "<p>没有检查结果。</p>"
    return (f"---\nhide:\n  - toc\n---\n\n# 审核意见：{md_line(row.file)}\n\n<p><a href=\"{href(overview_url)}\">← 返回审核总览</a></p>\n\n"
            f"{head}\n\n{table}\n")
