"""The files of an INBOX: which ones, the folder each becomes, the unit and 稿次 guessed."""

from __future__ import annotations

import re
from pathlib import Path

from ..intake import SUFFIXES

STAGE_WORDS = re.compile(r"(征求意见稿|送审稿|讨论稿|修改稿|草稿|定稿)")
UNIT_IN_TITLE = re.compile(r"^(?!\d)([^年]{2,30}?)(?:20\d\d年|关于|(?:领导)?班子|对照检查|专题|民主生活会|组织生活会)")
STEM_NOISE = re.compile(r"20\d\d年?度?|对照检查材料|对照检查|检查材料|民主生活会|组织生活会|主题教育|专题|领导班子|"
                        r"个人|发言提纲|材料|[（(][^）)]*稿[）)]|征求意见稿|定稿|草稿|[-_（）()【】\[\]\s.·、，,\d]+")


def discover(inbox: Path, skip: Path | None = None) -> list[Path]:
    """Every file under inbox in a stable order (hidden and ~$ files skipped); a Markdown
    material folder (index.md with front matter) is one item. `skip` (the OUT folder, when
    it lies inside the INBOX) is left out."""
    from ..read import is_material_folder

    found: list[Path] = []
    skip = skip.resolve() if skip else None

    def walk(folder: Path) -> None:
        for p in sorted(folder.iterdir()):
            if p.name.startswith((".", "~$", "_")) or (skip and p.resolve() == skip):
                continue
            if p.is_dir():
                if is_material_folder(p):
                    found.append(p)
                else:
                    walk(p)
            elif p.is_file():
                found.append(p)

    walk(inbox)
    return found


def supported(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in SUFFIXES


def folder_names(inbox: Path, files: list[Path]) -> dict[Path, str]:
    """File -> folder name under OUT/docs: the relative path without its suffix (a/b.doc -> a-b);
    when two files would share a name (x.doc, x.pdf) each keeps its suffix (x-doc, x-pdf)."""
    def base(p: Path) -> str:
        rel = p.relative_to(inbox)
        rel = rel if p.is_dir() else rel.with_suffix("")
        return _safe("-".join(rel.parts))

    count: dict[str, int] = {}
    for p in files:
        count[base(p)] = count.get(base(p), 0) + 1
    return {p: base(p) if count[base(p)] == 1 else f"{base(p)}-{p.suffix.lower().lstrip('.')}" for p in files}


def _safe(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|#%\s]+', "-", name).strip("-.")
    return name[:60] or "材料"


def guess_unit(title: str, stem: str, closing: list[str] | None = None) -> str:
    m = UNIT_IN_TITLE.match(title or "")
    if m and "关于" not in m.group(1):
        return m.group(1).strip("，,、 ")
    for text in closing or []:  # the signature line at the end
        if not re.match(r"^\d{4}年", text) and 2 <= len(text) <= 30:
            return text
    rest = STEM_NOISE.sub("", stem)
    return rest if 2 <= len(rest) <= 30 else ""


def guess_stage(mat) -> str:
    if mat.stage:
        return mat.stage
    for text in [mat.title, *(tl.text for tl in mat.lines[:3])]:
        m = STAGE_WORDS.search(text or "")
        if m:
            return m.group(1)
    return "未注明"
