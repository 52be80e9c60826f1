"""The rule reference page, generated from the registry (one section per rule id)."""

from __future__ import annotations

import html
import re

from ...diagnostics import SEVERITY_ZH
from ...numerals import number_label
from ...schema import all_schemas
from . import RULES

USAGE = """\
稿次决定部分规则的级别：文件头“状态”写草稿、征求意见稿或定稿（命令行可用 `--stage` 指定）；\
没有写状态的文件（如收到的 .txt、.docx）按定稿检查。例如占位符在草稿中为提示，征求意见稿中为警告，定稿中为错误。

个别确需保留的写法可以忽略检查：在该行之前写一行 `<!-- gongwen-disable-next-line 规则id -->`\
（中间可以空一行，多个规则用空格分开）；或在文件头写 `gongwen-disable: [规则id, …]`，\
写在 index.md 中对整份材料有效。规则 id 可以写前缀，如 `typography` 忽略全部排版规则。"""


def _text(s: str) -> str:
    """Plain text safe inside Markdown: no HTML, no emphasis, no links."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", html.unescape(s)).replace("\\<", "&lt;").replace("\\>", "&gt;")


def _example(label: str, s: str) -> list[str]:
    if "\n" not in s:
        return [f"- {label}：{_text(s)}"]
    # Several source lines: one code span each (the site has no fenced-code extension).
    return [f"- {label}：" + " ".join(f"`{line}`" for line in s.split("\n") if line)]


def rules_page_markdown() -> str:
    out = ["# 检查规则", "",
           "本页由规则注册表自动生成。命令行 `gongwen check` 与网站构建使用同一套规则。", "", USAGE, "",
           "| 规则 | 名称 | 默认级别 |", "| --- | --- | --- |"]
    for r in sorted(RULES.values(), key=lambda r: r.id):
        out.append(f"| [`{r.id}`](#{r.id.replace('.', '')}) | {r.title} | {SEVERITY_ZH.get(r.severity, r.severity)} |")
    for r in sorted(RULES.values(), key=lambda r: r.id):
        out += ["", f"## `{r.id}` {r.title} {{#{r.id.replace('.', '')}}}", "", _text(r.description), "",
                f"- 默认级别：{SEVERITY_ZH.get(r.severity, r.severity)}"]
        if r.stages:
            out.append("- 按稿次：" + "，".join(f"{k}为{SEVERITY_ZH[v]}" for k, v in r.stages.items()))
        if r.bad:
            out += _example("不符合", r.bad)
        if r.good:
            out += _example("符合", r.good)
    out += ["", "## 材料类型", "", "| 类型 id | 名称 | 方面 |", "| --- | --- | --- |"]
    for s in all_schemas():
        # One 方面 a line: the names themselves contain “、”.
        aspects = "<br>".join(f"{number_label(2, i)}{_text(a)}" for i, a in enumerate(s.aspects, 1))
        out.append(f"| `{s.id}` | {s.name} | {aspects or '—'} |")
    return "\n".join(out) + "\n"
