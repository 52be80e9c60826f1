"""One entry point for reading any input into the model, and for finding inputs."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import input_error
from .model import Material
from .parse_markdown import parse_markdown, read_meta
from .parse_text import parse_docx, parse_txt

SUFFIXES = {".md", ".txt", ".docx"}


def load(path: str | Path) -> Material:
    path = Path(path)
    if not path.exists():
        raise input_error(path, "文件或文件夹不存在", "请检查路径", rule="input.read")
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".md":
        mat = parse_markdown(path)
    elif suffix == ".txt":
        mat = parse_txt(path)
    elif suffix == ".docx":
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
        return bool(read_meta(index))
    except Exception:  # noqa: BLE001 - an unreadable index.md is still a material; loading reports why
        return True


def find_inputs(paths: list[str | Path]) -> list[Path]:
    """Expand folders into materials: folders with an index.md that has front matter, and .txt/.docx files."""
    found: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            found.append(p)
            continue
        if is_material_folder(p):
            found.append(p)
            continue
        for child in sorted(p.iterdir()):
            if child.name.startswith((".", "_")):
                continue
            if child.is_dir():
                found.extend(find_inputs([child]))
            elif child.suffix.lower() in {".txt", ".docx"} and not child.name.startswith("~$"):
                found.append(child)
    return found
