"""The files of an INBOX: which ones, the folder each becomes, the unit and 稿次 guessed."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
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
            if p.is_symlink():  # listed, never followed: the batch gives it a row saying so
                found.append(p)
            elif p.is_dir():
                if is_material_folder(p):
                    found.append(p)
                else:
                    walk(p)
            elif p.is_file():
                found.append(p)

    walk(inbox)
    return found


def symlink_in(path: Path) -> Path | None:
    """`path` itself when it is a symbolic link, or the first link inside a Markdown material
    folder: a link may point anywhere on this machine, out of the INBOX."""
    if path.is_symlink():
        return path
    if path.is_dir():
        return next((f for f in sorted(path.rglob("*")) if f.is_symlink()), None)
    return None


def supported(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in SUFFIXES


# Top-level names the workbench site gives its own pages: a received file of that name
# (审核总览.txt, rules.doc) must not replace them.
RESERVED = {"审核总览", "审核意见", "整改进度", "整改台账", "rules", "similar", "revisions", "search", "assets",
            "index", "404", "sitemap"}


def folder_names(inbox: Path, files: list[Path]) -> dict[Path, str]:
    """File -> folder name under OUT/docs: the relative path without its suffix (a/b.doc -> a-b).
    Names that would meet -- equal once spaces, full-width/half-width and letter case are set
    aside (甲镇党委.txt and 甲镇党委 .txt, ABC.txt and ＡＢＣ.txt; x.doc and x.pdf), or a name the
    site uses for its own pages -- each keep their suffix (x-doc, x-pdf), and where that still
    meets, a short hash of the file's path, so no material replaces another on any file system."""
    def base(p: Path) -> str:
        rel = p.relative_to(inbox)
        rel = rel if p.is_dir() and not p.is_symlink() else rel.with_suffix("")
        return _safe("-".join(rel.parts))

    def suffixed(p: Path) -> str:
        return f"{base(p)}-{p.suffix.lower().lstrip('.')}" if p.suffix and not p.is_dir() else base(p)

    def unique(p: Path) -> str:
        tag = hashlib.sha1(p.relative_to(inbox).as_posix().encode()).hexdigest()[:6]
        return f"{suffixed(p)}-{tag}"

    names = {p: base(p) for p in files}
    for widen in (suffixed, unique):
        for p in _clashes(names):
            names[p] = widen(p)
    return names


def _clashes(names: dict[Path, str]) -> list[Path]:
    count = Counter(_meet(n) for n in names.values())
    return [p for p, n in names.items() if count[_meet(n)] > 1 or _meet(n) in RESERVED_MET]


def _meet(name: str) -> str:
    """The form two folder names share when a file system, a URL or a reader takes them as one."""
    return re.sub(r"[-\s]+", "", unicodedata.normalize("NFKC", name)).casefold()


RESERVED_MET = {_meet(n) for n in RESERVED}


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
