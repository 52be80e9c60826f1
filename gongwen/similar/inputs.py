"""Which files count as reference texts (templates, last year's materials) for copy detection."""

from __future__ import annotations

from pathlib import Path

REFERENCE_SUFFIXES = {".md", ".txt", ".docx"}


def reference_inputs(paths: list[str]) -> list[Path]:
    """Reference texts: files as given; in folders, material folders and every .md/.txt/.docx."""
    from ..read import is_material_folder

    found: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            found.append(p)
            continue
        if is_material_folder(p):
            found.append(p)
            continue
        for child in sorted(p.iterdir()):
            if child.name.startswith((".", "_", "~$")):
                continue
            if child.is_dir():
                found.extend(reference_inputs([str(child)]))
            elif child.suffix.lower() in REFERENCE_SUFFIXES:
                found.append(child)
    return found
