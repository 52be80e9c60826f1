"""Escaping for HTML pages built from outside text (pure: no mkdocs)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

_CODE = re.compile(r"(`+).+?\1", re.DOTALL)
_TAG_START = re.compile(r"<(?!br\s*/?>)", re.IGNORECASE)  # <br> stays: ledger tables write line breaks so
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Characters Python-Markdown treats as markup on a line (links, emphasis, code, images).
_MD_ACTIVE = re.compile(r"([\\`*_\[\]()!#])")


def esc(value) -> str:
    """Text or an attribute value (quotes included) as HTML; None is empty. Line breaks become
    character references, so outside text never ends the HTML block it sits in inside a
    Markdown page (a blank line would, and what follows would be read as Markdown)."""
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("\r", "&#13;").replace("\n", "&#10;") if ("\n" in text or "\r" in text) else text


def href(url: str) -> str:
    """A link whose path comes from names (file and folder names): URL-quoted, then escaped.
    Already-quoted URLs (MkDocs File.url) pass unchanged: `%` and `#` are kept (folder names have neither)."""
    return esc(quote(url, safe="/%#"))


def md_line(text: str) -> str:
    """Outside text on one Markdown line (a heading, a list item): one line, no raw HTML, no markup."""
    one_line = " ".join(str(text).split())
    return _MD_ACTIVE.sub(r"\\\1", esc(one_line))


def inert_markdown(markdown: str) -> str:
    """A received Markdown material with every `<` outside code shown as text (`&lt;`), so its
    raw HTML (scripts, event attributes) is displayed instead of run. Code blocks and code
    spans are left alone: Markdown already shows their `<` as text."""
    out, fence = [], None
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if m:
            fence = m.group(1)
            out.append(line)
            continue
        if line.startswith(("    ", "\t")) and (not out or not out[-1].strip()):
            out.append(line)  # an indented code block (after a blank line)
            continue
        if "<" in line:
            pos, parts = 0, []
            for c in _CODE.finditer(line):
                parts += [_TAG_START.sub("&lt;", line[pos:c.start()]), c.group(0)]
                pos = c.end()
            line = "".join(parts) + _TAG_START.sub("&lt;", line[pos:])
        out.append(line)
    return "\n".join(out)
