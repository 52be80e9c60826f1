"""The rule reference page, generated from the registry (one section per rule id)."""

from __future__ import annotations

from ..diagnostics import SEVERITY_ZH
from ..schema import all_schemas
from . import RULES


def rules_page_markdown() -> str:
    out = ["# 检查规则", "",
           "本页由规则注册表自动生成。命令行 `gongwen check` 与网站构建使用同一套规则。", "",
           "| 规则 | 名称 | 默认级别 |", "| --- | --- | --- |"]
    for r in sorted(RULES.values(), key=lambda r: r.id):
        out.append(f"| [`{r.id}`](#{r.id.replace('.', '')}) | {r.title} | {SEVERITY_ZH.get(r.severity, r.severity)} |")
    for r in sorted(RULES.values(), key=lambda r: r.id):
        out += ["", f"## `{r.id}` {r.title} {{#{r.id.replace('.', '')}}}", "", r.description, "",
                f"- 默认级别：{SEVERITY_ZH.get(r.severity, r.severity)}"]
        if r.stages:
            out.append("- 按稿次：" + "，".join(f"{k}为{SEVERITY_ZH[v]}" for k, v in r.stages.items()))
        if r.bad:
            out.append(f"- 不符合：{r.bad}")
        if r.good:
            out.append(f"- 符合：{r.good}")
    out += ["", "## 材料类型", "", "| 类型 id | 名称 | 方面 |", "| --- | --- | --- |"]
    for s in all_schemas():
        out.append(f"| `{s.id}` | {s.name} | {'、'.join(s.aspects) or '—'} |")
    return "\n".join(out) + "\n"
