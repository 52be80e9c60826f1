"""Writing model text as Markdown and reading it back: escapes, one definition each way."""

from __future__ import annotations

import re

ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
ENTITY = re.compile(r"&(lt|amp);")  # what md_escape writes for < and &
_BLOCK_START = re.compile(r"^([#>+\-=|]|\d+[.)]\s)")


def md_escape(text: str) -> str:
    """Inline text -> Markdown that renders as the same characters (a redaction * stays a *,
    a received `<script>` is shown, not run: < and & are written as entities)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;") if ("<" in text or "&" in text) else text
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("_", "\\_")


def md_paragraph(text: str) -> str:
    # A paragraph that starts like a heading, quote or list marker would change meaning.
    return _BLOCK_START.sub(r"\\\1", md_escape(text.strip()))


def md_unescape(text: str) -> str:
    if "&" in text:
        text = ENTITY.sub(lambda m: "<" if m.group(1) == "lt" else "&", text)
    return ESCAPE.sub(r"\1", text) if "\\" in text else text  # most text has no escape at all
