"""Source lines of a material's files, for rules that look at what the model does not keep
(front-matter keys, heading marks, raw HTML). Cached per file version."""

from __future__ import annotations

import os
from functools import lru_cache

from ...read.source import read_text, recent_text


@lru_cache(maxsize=256)
def _read(path: str, stamp: tuple) -> tuple[str, ...]:
    return tuple(read_text(path).lines)


def source_lines(path: str) -> tuple[str, ...]:
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
        text = recent_text(path, stamp)  # the parser has just read this version
        return tuple(text.split("\n")) if text is not None else _read(path, stamp)
    except Exception:  # noqa: BLE001 - the parser has read it already; an extra look must not fail
        return ()
