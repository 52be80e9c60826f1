"""One entry point for reading any input into the model, and for finding inputs."""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import input_error
from ..model import Material
from .markdown import parse_markdown, read_meta
from .source import read_text

SUFFIXES = {".md", ".txt", ".docx"}


def load(path: str | Path) -> Material:
    path = Path(path)
    if not path.exists():
        raise input_error(path, "文件或文件夹不存在", "请检查路径", rule="input.read")
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".md":
        mat = parse_markdown(path)
    elif suffix == ".txt":
        from .legacy import parse_txt  # imported when needed: most checks are Markdown only

        mat = parse_txt(path)
    elif suffix == ".docx":
        from .legacy import parse_docx

        mat = parse_docx(path)
    else:
        raise input_error(path, f"不支持的文件类型：{path.suffix or '无扩展名'}", "支持 .md、.txt、.docx，或一个材料文件夹",
                          rule="input.read")
    if not mat.lines:
        raise input_error(path, "文件为空，没有可检查的正文", "确认保存的是正确的文件；材料至少应有标题和正文", rule="input.empty")
    return mat


def is_material_folder(folder: Path) -> bool:
    index = folder / "index.md"
    if not index.is_file():
        return False
    try:
        if _meta_is_not_empty(read_text(index).lines):
            return True
        return bool(read_meta(index))
    except Exception:  # noqa: BLE001 - an unreadable index.md is still a material; loading reports why
        return True


def _meta_is_not_empty(lines: list[str]) -> bool:
    """True when the front matter surely reads as a non-empty mapping or fails to read (either
    way a material), so YAML need not build it: listing 1000 materials is then 3x faster.
    YAML gives an empty mapping only for `{}` or merges (`<<`); anything else with content is
    a mapping with keys, or not a mapping, or invalid, which read_meta reports as an error."""
    if not lines or lines[0].strip() != "---":
        return False
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "\n".join(lines[1:i])
            return bool(block.strip()) and "{" not in block and "<<" not in block
    return True  # no closing ---: an error


LEGACY_FILES = frozenset({".txt", ".docx"})


def find_inputs(paths: list[str | Path], suffixes=LEGACY_FILES) -> list[Path]:
    """Expand folders into materials: folders with an index.md that has front matter, and files
    with one of `suffixes` (.txt/.docx; gongwen.intake passes its .doc, .pdf … too)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            found.append(p)
            continue
        _find_in_folder(p, found, suffixes)
    return found


# Children of one folder compare by name alone (POSIX paths compare case-sensitively part by
# part), and comparing names is much quicker than comparing paths, with 1000 materials.
_BY_NAME = (lambda p: p.name) if os.name == "posix" else None


def _find_in_folder(folder: Path, found: list[Path], suffixes=LEGACY_FILES) -> None:
    if is_material_folder(folder):
        found.append(folder)
        return
    for child in sorted(folder.iterdir(), key=_BY_NAME):
        if child.name.startswith((".", "_")):
            continue
        if child.is_dir():
            _find_in_folder(child, found, suffixes)
        elif child.suffix.lower() in suffixes and not child.name.startswith("~$"):
            found.append(child)
