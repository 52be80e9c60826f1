"""security.* rules: classified material must never reach the site; no active content in pages."""

from __future__ import annotations

import html
import re

from ...model import Node
from ...read.source import SourceText, split_front_matter
from ...textpatterns import LazyPattern, first_chars
from ..secrecy import HINT, marks_in_file, marks_in_lines
from .registry import Context, Finding, rule


@rule("security.classified", "error", "涉密材料",
      "任何文件中出现国家秘密的密级（秘密、机密、绝密）都是错误，在任何稿次都一样，而且不能忽略："
      "文件头中的“密级: 机密”（也认“密级：”和 classification:，材料的任一文件都算），"
      "或文件开头几行中单独成行的密级标志（如“秘密★1年”“机密★”“绝密”）。"
      "这样的材料不得构建、发布或导入，也不应在非涉密计算机上编辑、检查。正文中的“保守秘密”“机密文件管理”等词语不是密级标志。",
      bad="---\n密级: 机密\n---", good="---\n密级: 内部\n---", fixed=True)
def classified(ctx: Context):
    mat = ctx.material
    if mat.format == "md":
        marks = [m for path in mat.files for m in marks_in_lines(path, list(ctx.source_lines(path)))]
    else:  # the received file itself, as written (a .docx also in its page header)
        marks = marks_in_file(mat.path)
    for m in marks:
        yield Finding(Node(m.path, m.line), m.message(), HINT)


_md = None


def _markdown_parser():
    # Imported on first use: most materials hold nothing that could be active content.
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        _md = MarkdownIt("commonmark", {"html": True}).disable(["inline", "text_join"])  # block tokens suffice
    return _md

_MAYBE = first_chars("<sd", r"<|script\s*:|data\s*:", re.IGNORECASE)
# Compiled when first needed: most materials hold nothing _MAYBE finds.
_COMMENT = LazyPattern(r"<!--.*?-->", re.DOTALL)
ACTIVE = LazyPattern(
    r"<\s*(?P<tag>script|iframe|object|embed|frame|frameset)\b"
    r"|<[A-Za-z][^>]*?[\s/](?P<event>on[a-z]+)\s*="
    r"|(?P<js>(?:javascript|vbscript)\s*:)"
    r"|(?P<data>data\s*:\s*text/html)",
    re.IGNORECASE,
)


def decoded(text: str) -> str:
    """The text as a browser may end up reading it: character references decoded (&lt; &#60;
    &#x3C; &LT …), again while that changes anything (&amp;lt;), at most a few times. A page
    builder that decodes a title once more would otherwise run what the rule let through."""
    for _ in range(3):
        if "&" not in text:
            break
        plain = html.unescape(text)
        if plain == text:
            break
        text = plain
    return text


def _active(text: str):
    for m in ACTIVE.finditer(_COMMENT.sub(lambda c: " " * len(c.group(0)), decoded(text))):
        if m.group("tag"):
            yield m, f"<{m.group('tag').lower()}>"
        elif m.group("event"):
            yield m, f"事件属性 {m.group('event').lower()}="
        elif m.group("js"):
            yield m, f"{m.group('js').split(':')[0].strip().lower()}: 链接"
        else:
            yield m, "data:text/html 链接"


@rule("security.raw-html", "warning", "材料中含有可执行的 HTML",
      "Markdown 材料中出现 <script>、<iframe>、onclick= 等事件属性或 javascript: 链接，构建后会在读者的浏览器中执行；"
      "写成字符实体（&lt;svg onload=…&gt;、&#60;script&#62;）也一样，先还原再判断。"
      "平时为警告，正式发布时为错误。代码块中的内容不受影响。",
      bad='<a href="javascript:alert(1)">查看附件</a>', good="[查看附件](附件一.md)")
def raw_html(ctx: Context):
    mat = ctx.material
    if mat.format != "md":
        return
    severity = "error" if ctx.publish else None
    hint = "删除这段 HTML；材料只用 Markdown 书写，附件用普通链接"
    for path in mat.files:
        lines = list(ctx.source_lines(path))
        # Every _MAYBE match holds < or :, so most files are ruled out without a regex.
        text = "\n".join(lines)
        if not lines or ("<" not in text and ":" not in text and "&" not in text) \
                or not any(_MAYBE.search(decoded(line)) for line in lines):
            continue  # nothing that could be active content: skip the Markdown parse
        fm = split_front_matter(SourceText(path, "\n".join(lines)))
        body = "\n".join([""] * fm.end_line + lines[fm.end_line:])
        for tok in _markdown_parser().parse(body):
            if tok.map is None:
                continue
            if tok.type == "html_block":
                spans = [(tok.map[0], tok.content)]
            elif tok.type == "inline":
                # Code spans are shown, not run: blank them before looking.
                spans = [(tok.map[0], _blank_code(tok.content))]
            else:
                continue
            for first, text in spans:
                for m, what in _active(text):
                    line = first + text.count("\n", 0, m.start()) + 1
                    key = m.group("event") or m.group(0)
                    col = _column(lines[line - 1], key) if line <= len(lines) else 1
                    yield Finding(Node(path, line, col), f"材料中含有可执行的 HTML：{what}", hint, severity=severity)


def _blank_code(text: str) -> str:
    return re.sub(r"(`+).+?\1", lambda m: " " * len(m.group(0)), text, flags=re.DOTALL)


def _column(line: str, found: str) -> int:
    pos = line.lower().find(found.lower())
    return pos + 1 if pos >= 0 else 1
