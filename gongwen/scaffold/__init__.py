"""A new material's starting point from its type's schema, and the type's structure in words.

Entry points:
    skeleton_files(schema, unit, today) -> {file name: text}   headings only, front matter filled
    write_skeleton(schema, folder, unit, today)                 the files, all or none
    describe(schema) -> str                                     `gongwen types TYPE`
"""

from __future__ import annotations

from .describe import describe
from .skeleton import skeleton_files, write_skeleton

__all__ = ["describe", "skeleton_files", "write_skeleton"]
