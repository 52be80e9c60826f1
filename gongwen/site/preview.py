"""Which materials `make serve` renders: the focused preview, without the engine.

The preview renders only the materials being worked on: those with uncommitted changes in git,
those named with M=docs/<材料> (GONGWEN_PREVIEW), every material with ALL=1
(GONGWEN_PREVIEW_ALL=1); with none of these, all of a small site and the most recently edited
material of a large one. A material edited during the session joins on the next rebuild. The
catalogue still holds every material, so the home page and the material list show them all.
The hooks (gongwen_hooks, preview_hooks, nav_hooks) share one Preview per catalogue.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from .catalogue import Catalogue

SMALL_SITE = 100  # materials: up to this many, a preview with nothing changed shows them all
HOW_TO = ("修改其中任一材料的文件即在下次刷新时加入预览；也可用 make serve M=docs/<材料> 指定"
          "（多份用空格分隔并加引号），或 make serve ALL=1 预览全部")


class Preview:
    def __init__(self, cat: Catalogue):
        self.cat = cat
        self.active = False      # a preview (serve, not publish) is running
        self.started = False     # the initial set has been chosen
        self.focus: set[str] | None = None  # None: every material
        self.skip: frozenset[str] = frozenset()  # folders the engine's walk of docs/ skips
        self.withheld: set[str] = set()  # pages replaced by a notice (classified material)
        # Paths under docs/ the file watcher saw change since the last scan took them; None
        # when that is not known (no watcher reporting paths yet, a folder changed): the scan
        # then walks all of docs/.
        self._touched: set[str] | None = None
        self._recording = False
        self._lock = threading.Lock()

    def start_recording(self) -> None:
        """The watcher reports every changed path from now on (see touched()); the next scan
        still walks everything, for what changed before it started."""
        with self._lock:
            self._recording, self._touched = True, None

    def record(self, paths, *, folder: bool = False) -> None:
        """Files the watcher saw change; a folder created, moved or deleted (what is in it is
        not reported) makes the next scan walk everything."""
        with self._lock:
            if folder:
                self._touched = None
            elif self._touched is not None:
                self._touched.update(paths)

    def take_touched(self) -> set[str] | None:
        """The paths changed since the last call (None: unknown, walk everything)."""
        with self._lock:
            touched, self._touched = self._touched, (set() if self._recording else None)
            return touched

    def start(self, env: dict, info: Callable[[str], None], warn: Callable[[str], None]) -> None:
        self.focus = initial_focus(self.cat, env, info, warn)
        self.started = True

    def join_changed(self) -> list[str]:
        """Materials changed since the last rebuild that join the set (never a classified one)."""
        if self.focus is None:
            return []
        cat = self.cat
        joined = sorted(rel for rel in cat.changed
                        if rel in cat.entries and rel not in self.focus and not cat.entries[rel].classified)
        self.focus.update(joined)
        return joined

    def outside(self) -> list[str]:
        if self.focus is None:
            return []
        # Worked out again only when the materials or the set changed: every rebuild asks, and
        # at 10,000 materials sorting them each time was a noticeable part of one.
        names, focus = self.cat.entries.keys(), frozenset(self.focus)
        cached = getattr(self, "_outside", None)
        if cached is None or cached[0] != focus or cached[1] != names:
            cached = self._outside = (focus, set(names), sorted(set(names) - focus), {})
        return cached[2]

    def skip_dirs(self, docs_dir: str) -> frozenset[str]:
        """Folders of the materials outside the set, as the engine's walk of docs_dir names them."""
        docs = os.path.normpath(docs_dir)
        outside = self.outside()
        by_docs = self._outside[3] if self.focus is not None else {}
        if docs not in by_docs:
            by_docs[docs] = frozenset(os.path.join(docs, *rel.split("/")) for rel in outside)
        return by_docs[docs]

    def renders(self, rel: str) -> bool:
        return not self.active or self.focus is None or rel in self.focus

    def outside_note(self, entry) -> str | None:
        if self.renders(entry.rel):
            return None
        return f"不在本次预览中：修改它的任一文件即在下次刷新时加入，或运行 make serve M=docs/{entry.rel}（ALL=1 预览全部）"


_previews: dict[int, Preview] = {}


def preview_for(cat: Catalogue) -> Preview:
    """One Preview per catalogue (the catalogue itself is one per docs folder, see catalogue_for)."""
    if id(cat) not in _previews:
        _previews[id(cat)] = Preview(cat)
    return _previews[id(cat)]


def initial_focus(cat: Catalogue, env: dict, info: Callable[[str], None],
                  warn: Callable[[str], None]) -> set[str] | None:
    """The preview set at startup (None: every material), announced through info."""
    total = len(cat.entries)
    if env.get("GONGWEN_PREVIEW_ALL", "").lower() in ("1", "true", "yes"):
        info(f"预览范围：全部 {total} 份材料（ALL=1）")
        return None
    named = named_materials(cat, env.get("GONGWEN_PREVIEW", ""), warn)
    changed = git_changed_materials(cat)
    focus = set(named) | changed
    reasons = []
    if changed:
        reasons.append(f"{len(changed)} 份有未提交的修改")
    if named:
        reasons.append(f"{len(named)} 份由 M= 指定")
    if not focus:
        if total <= SMALL_SITE:
            info(f"预览范围：全部 {total} 份材料（没有未提交的修改，材料不超过 {SMALL_SITE} 份）")
            return None
        latest = max(cat.entries.values(), key=lambda e: max((f[1] for f in e.stamp), default=0))
        focus = {latest.rel}
        reasons.append("没有未提交的修改，取最近修改的 1 份")
    listed = "、".join(sorted(focus)[:10]) + ("等" if len(focus) > 10 else "")
    info(f"预览范围：{len(focus)} / {total} 份材料（{'；'.join(reasons)}）：{listed}。"
         f"其余材料不渲染，首页和材料列表仍列出全部；{HOW_TO}")
    return focus


def named_materials(cat: Catalogue, spec: str, warn: Callable[[str], None]) -> list[str]:
    """Materials named by M=: folders (or files in them) relative to the project or docs_dir."""
    found = []
    for token in spec.split():
        path = Path(token)
        candidates = [path] if path.is_absolute() else [Path.cwd() / path, cat.docs_dir / path]
        rel = None
        for c in candidates:
            c = c.resolve()
            for folder in (c, *c.parents):
                try:
                    key = folder.relative_to(cat.docs_dir).as_posix()
                except ValueError:
                    break
                if key in cat.entries:
                    rel = key
                    break
            if rel:
                break
        if rel:
            found.append(rel)
        else:
            warn(f"M= 指定的“{token}”不是 docs/ 下的材料文件夹（如 M=docs/{next(iter(cat.entries), '材料')}）")
    return found


def git_changed_materials(cat: Catalogue) -> set[str]:
    """Materials with uncommitted changes (modified, staged or untracked files); none when the
    docs are not in a git work tree or git is missing."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cat.docs_dir, capture_output=True,
                             text=True, timeout=20, check=True).stdout.strip()
        out = subprocess.run(["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."],
                             cwd=cat.docs_dir, capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    paths, parts = [], out.split("\0")
    i = 0
    while i < len(parts):
        item = parts[i]
        i += 1
        if len(item) < 4:
            continue
        paths.append(item[3:])
        if item[0] in "RC":  # a rename or copy: the next field is the old path
            i += 1
    changed = set()
    for p in paths:
        entry = cat.entry_for(Path(top) / p)
        if entry is not None:
            changed.add(entry.rel)
    return changed
