"""Source lines of a material's files, for rules that look at what the model does not keep
(front-matter keys, heading marks, raw HTML). Cached per file version."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..source import read_text


@lru_cache(maxsize=256)
def _read(path: str, stamp: tuple) -> tuple[str, ...]:
    return tuple(read_text(path).lines)


def source_lines(path: str) -> tuple[str, ...]:
    try:
        st = Path(path).stat()
        return _read(path, (st.st_mtime_ns, st.st_size))
    except Exception:  # noqa: BLE001 - the parser has read it already; an extra look must not fail
        return ()
