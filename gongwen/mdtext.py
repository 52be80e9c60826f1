"""Writing model text as Markdown and reading it back: escapes, one definition each way."""

from __future__ import annotations

import re

ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BLOCK_START = re.compile(r"^([#>+\-=|]|\d+[.)]\s)")


def md_escape(text: str) -> str:
    """Inline text -> Markdown that renders as the same characters (a redaction * stays a *)."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("_", "\\_")


def md_paragraph(text: str) -> str:
    # A paragraph that starts like a heading, quote or list marker would change meaning.
    return _BLOCK_START.sub(r"\\\1", md_escape(text.strip()))


def md_unescape(text: str) -> str:
    return ESCAPE.sub(r"\1", text) if "\\" in text else text  # most text has no escape at all
