"""Site-side services that are still pure (no mkdocs): the material catalogue of a docs
folder with cached parse+check results, the home-page listing and the diagnostics panel.
The hooks only adapt MkDocs events to these.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import multiprocessing as mp
import os
import pickle
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..check.run import check, resolve_schema
from ..check.secrecy import SCANNED_SUFFIXES, SecretMark, marks_in_file
from ..diagnostics import SEVERITY_ZH, Diagnostic, InputError
from ..files import write_bytes_atomic
from ..ledger import read_ledger
from ..model import Material
from ..read import is_material_folder, load
from ..read.comments import COMMENTS_FILE
from ..schema import GENERIC, Schema, _schema_dir
from ..untrusted import esc, href


@dataclass
class Entry:
    folder: Path  # absolute
    rel: str  # folder relative to docs_dir, POSIX
    material: Material | None
    schema: Schema
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stamp: tuple = ()
    classified: bool = False  # a 密级 mark in any file of the folder (set by every scan)
    digest: bytes = b""  # folder_hash() of the folder when it was read: keys every cache of it

    @property
    def meta(self) -> dict:
        return self.material.meta if self.material else {}

    def diagnostics_for(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == path]


_CODE: str | None = None


def code_version() -> str:
    """A hash of gongwen's code and data and of the schemas: what, besides a material's own
    files, decides its parse, check and export. Cached results carry it, so any change to
    gongwen invalidates them."""
    global _CODE
    if _CODE is None:
        h = hashlib.sha256()
        for root in (Path(__file__).resolve().parent.parent, _schema_dir()):
            if root.is_dir():
                hash_tree(h, root)
        _CODE = h.hexdigest()[:16]
    return _CODE


def hash_tree(h, root: Path) -> None:
    """Feed the names and contents of the files under root (or of the file root) to h."""
    if root.is_file():
        h.update(root.name.encode() + b"\0" + root.read_bytes() + b"\0")
        return
    if not root.is_dir():
        h.update(b"-" + str(root).encode() + b"\0")  # missing: a different key from any content
        return
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")


def folder_hash(folder: Path) -> bytes:
    """The names and contents of the files directly in a material folder, hashed."""
    h = hashlib.sha256()
    for f in sorted(p for p in folder.iterdir() if p.is_file()):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.digest()


class Catalogue:
    """Materials under a docs folder. Re-scans cheaply: unchanged folders keep their results."""

    def __init__(self, docs_dir: str | Path, *, publish: bool = False, cache_dir: str | Path | None = None):
        self.docs_dir = Path(docs_dir).resolve()
        self.publish = publish
        # With a cache_dir, parse+check results are kept on disk per material (keyed by its
        # files' contents and code_version()), so a new process (the next `make build` or
        # `make serve`) re-parses only what changed.
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.entries: dict[str, Entry] = {}
        self.changed: set[str] = set()  # folders added, edited or removed by the last scan
        self._plain: dict[str, tuple] = {}  # folders with an index.md that are not materials
        self._rel_of: dict[str, str | None] = {}  # source path -> its folder relative to docs_dir
        # path -> ((mtime_ns, size), (ino, ctime_ns), marks): 密级 marks of every file scanned
        self._marks: dict[str, tuple[tuple, tuple, list[SecretMark]]] = {}
        self._marks_loaded = False  # the marks kept on disk by an earlier process, read once
        self._folders: list[tuple[Path, str, tuple]] | None = None  # the last scan's material folders
        self._linked = False  # the last walk followed a symbolic link to a folder
        self._marks_by_dir: dict[str, list[str]] = {}
        # folder -> (stat of its files, folder_hash): kept on disk like the marks
        self._digests: dict[str, tuple[tuple, bytes]] | None = None
        self._fresh_digests: set[str] = set()
        self._digests_saved = False
        self.secrets: list[SecretMark] = []  # 密级 marks in any file under docs_dir (last scan)
        self.shown: list[Entry] = []  # what this build lists: set by the site hooks (no secrets; drafts per publish)

    def scan(self, touched: set[str] | None = None) -> list[Entry]:
        """Re-scan docs_dir. touched: when every file changed since the last scan is known
        (the preview's file watcher), only the material folders holding them are looked at
        again; when they are not all plain files directly in known material folders, or it is
        None, all of docs_dir is walked."""
        found: dict[str, Entry | None] = {}
        todo: list[tuple[Path, str, tuple]] = []
        walked = self._rescan(touched) if touched is not None and self._folders is not None else None
        folders, self.secrets = walked or self._walk()
        self._folders = folders
        for folder, rel, stamp in folders:
            old = self.entries.get(rel)
            if old and old.stamp == stamp:
                found[rel] = old
            elif self._plain.get(rel) != stamp:
                found[rel] = None  # read below (or found not to be a material); its place in the order kept
                todo.append((folder, rel, stamp))
        fresh = len(self._fresh_digests)
        for entry in self._load_all(todo):
            found[entry.rel] = entry
        if len(self._fresh_digests) > fresh and (not self._digests_saved or len(self._fresh_digests) >= PARALLEL_MIN):
            self._save_digests()
        found = {rel: e for rel, e in found.items() if e is not None}
        self.changed = {rel for rel, e in found.items() if self.entries.get(rel) is not e} | (
            set(self.entries) - set(found))
        self.entries = found
        classified = {self.material_of(m.path) for m in self.secrets}
        for rel, entry in found.items():
            entry.classified = rel in classified
        return list(found.values())

    def _walk(self) -> tuple[list[tuple[Path, str, tuple]], list[SecretMark]]:
        """One walk of docs_dir for both what scan() needs: the material folders and the 密级
        marks in every file. This runs on every preview rebuild: at 10,000 materials two walks
        (and a realpath per folder) were most of a rebuild.

        Folders: (folder, rel, stamp) of each folder below docs_dir holding an index.md, in
        sorted path order; folders starting with . or _ are skipped with everything below them.
        Marks: every file with a suffix this project reads, depth first in name order, in
        folders not starting with . (_ ones too); symbolic links to folders are followed, each
        real folder scanned once. A file is read again only when its stat changed (see
        _secret_marks)."""
        self._load_marks()
        folders, found = [], []
        old, marks = self._marks, {}
        fresh = 0
        linked = False
        by_dir: dict[str, list[str]] = {}  # folder -> its files in the marks
        seen: set[str] = set()
        root = str(self.docs_dir)
        # (path, rel, realpath, listed for materials, scanned for marks)
        stack = [(root, "", os.path.realpath(root), True, True)]
        while stack:
            path, rel, real, listed, scanned = stack.pop()
            if scanned:
                if real in seen:
                    scanned = False
                else:
                    seen.add(real)
            if not (listed or scanned):
                continue
            try:
                with os.scandir(path) as it:
                    items = sorted(it, key=lambda e: e.name)
            except OSError:
                if not rel:
                    raise
                continue
            stamps = [] if listed and rel and any(e.name == "index.md" for e in items) else None
            subdirs, in_dir = [], []
            if scanned:
                by_dir[path] = in_dir
            for e in items:
                name = e.name
                if name.startswith("."):
                    continue
                try:
                    if e.is_dir():
                        subdirs.append(e)
                        continue
                except OSError:
                    continue
                md = stamps is not None and (name.endswith(".md") or name == COMMENTS_FILE)
                secret = scanned and os.path.splitext(name)[1].lower() in SCANNED_SUFFIXES
                if not (md or secret):
                    continue
                try:
                    st = e.stat()
                except OSError:
                    continue
                if md and e.is_file():
                    # 批注.yaml too: its entries are findings (review.comment) of the material.
                    stamps.append(_file_stamp(name, st))
                if secret:
                    had = old.get(e.path)
                    marks[e.path] = _mark_record(e.path, st, had)
                    fresh += marks[e.path] is not had
                    found += marks[e.path][2]
                    in_dir.append(e.path)
            if stamps is not None:
                stamps.sort()
                folders.append((Path(path), rel, tuple(f[1:] for f in stamps)))
            for e in reversed(subdirs):
                name = e.name
                try:
                    link = e.is_symlink()
                    sub_real = os.path.realpath(e.path) if link else os.path.join(real, name)
                except OSError:
                    continue
                linked = linked or link
                stack.append((e.path, f"{rel}/{name}" if rel else name, sub_real,
                              listed and not name.startswith("_"), scanned))
        self._marks = marks
        self._marks_by_dir = by_dir
        self._linked = linked
        # Kept on disk after the first scan (and after scans that read many files, e.g. a
        # checkout): the next `make serve` then reads only files changed since.
        if fresh and (fresh == len(marks) or fresh >= PARALLEL_MIN or not self._marks_saved):
            self._save_marks()
        return folders, found

    def _rescan(self, touched: set[str]) -> tuple[list, list[SecretMark]] | None:
        """The result of _walk() with only the folders of the touched files looked at again,
        or None when that would not be the same: a file outside a known material folder (or
        in a subfolder of one), a new file the marks would list out of their walk order, a
        folder that lost its index.md, or links followed by the last walk."""
        if self._linked:
            return None
        root = str(self.docs_dir)
        index = {rel: i for i, (_, rel, _) in enumerate(self._folders)}
        again: dict[str, str] = {}
        for p in touched:
            folder = os.path.dirname(os.path.normpath(p))
            if not folder.startswith(root + os.sep):
                folder = os.path.realpath(folder)
            rel = folder[len(root) + 1:].replace(os.sep, "/") if folder.startswith(root + os.sep) else None
            if rel is None or rel not in index or rel not in self.entries:
                return None
            again[rel] = str(self._folders[index[rel]][0])  # as the walk named it (the marks' keys)
        folders, marks = list(self._folders), dict(self._marks)
        for rel, folder in again.items():
            try:
                with os.scandir(folder) as it:
                    items = sorted(it, key=lambda e: e.name)
            except OSError:
                return None
            if not any(e.name == "index.md" for e in items):
                return None
            stamps, present = [], set()
            for e in items:
                name = e.name
                if name.startswith(".") or e.is_dir():
                    continue
                md = name.endswith(".md") or name == COMMENTS_FILE
                secret = os.path.splitext(name)[1].lower() in SCANNED_SUFFIXES
                if not (md or secret):
                    continue
                try:
                    st = e.stat()
                except OSError:
                    continue
                if md and e.is_file():
                    stamps.append(_file_stamp(name, st))
                if secret:
                    had = marks.get(e.path)
                    if had is None:
                        return None
                    present.add(e.path)
                    marks[e.path] = _mark_record(e.path, st, had)
            for gone in [q for q in self._marks_by_dir.get(folder, ()) if q not in present]:
                marks.pop(gone, None)
            self._marks_by_dir[folder] = [q for q in self._marks_by_dir.get(folder, ()) if q in present]
            stamps.sort()
            folders[index[rel]] = (self._folders[index[rel]][0], rel, tuple(f[1:] for f in stamps))
        self._marks = marks
        return folders, [m for v in marks.values() for m in v[2]]

    # The marks of a file are taken from the disk cache only when its mtime, size, inode and
    # ctime are as when it was read: any write changes the ctime, and no tool can set it back.
    # Files changed in the last seconds before a scan are not kept (a write in the same clock
    # tick as the read would leave all four the same).
    _RACY_NS = 3_000_000_000
    _marks_saved = False

    def _marks_file(self) -> tuple[Path, bytes] | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(f"gongwen-secret-marks\0{code_version()}\0{self.docs_dir}\0".encode()).digest()
        return self.cache_dir / "secret-marks.pickle", key

    def _load_marks(self) -> None:
        if self._marks_loaded or self.cache_dir is None:
            return
        self._marks_loaded = True
        data = read_table(self._marks_file())
        if data is not None and not self._marks:
            self._marks = data

    def _digest(self, folder: Path) -> bytes:
        """folder_hash(folder), without reading the files again when an earlier scan (of this
        process or, through the disk, an earlier one) hashed them and none changed since, by
        the same test as the marks' (mtime, size, inode, ctime). At 10,000 materials reading
        every file again was a fifth of a preview's start."""
        if self._digests is None:
            self._digests = read_table(self._digests_file()) or {}
        key = str(folder)
        try:
            with os.scandir(folder) as it:
                sig = tuple(sorted((e.name, st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
                                   for e in it if e.is_file() for st in [e.stat()]))
        except OSError:
            self._digests.pop(key, None)
            return folder_hash(folder)
        had = self._digests.get(key)
        if had is not None and had[0] == sig:
            return had[1]
        digest = folder_hash(folder)  # after the stat: a file written meanwhile has a new stat next time
        settled = time.time_ns() - self._RACY_NS
        if all(f[4] < settled for f in sig):
            self._digests[key] = (sig, digest)
            self._fresh_digests.add(key)
        else:
            self._digests.pop(key, None)
        return digest

    def _digests_file(self) -> tuple[Path, bytes] | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(f"gongwen-folder-digests\0{code_version()}\0{self.docs_dir}\0".encode()).digest()
        return self.cache_dir / "folder-digests.pickle", key

    def _save_digests(self) -> None:
        where = self._digests_file()
        if where is not None and self._digests is not None:
            write_cache(where[0], where[1] + pickle.dumps(self._digests, protocol=pickle.HIGHEST_PROTOCOL))
            self._digests_saved = True
        self._fresh_digests = set()

    def _save_marks(self) -> None:
        where = self._marks_file()
        if where is None:
            return
        settled = time.time_ns() - self._RACY_NS
        keep = {p: v for p, v in self._marks.items() if v[1][1] < settled}
        write_cache(where[0], where[1] + pickle.dumps(keep, protocol=pickle.HIGHEST_PROTOCOL))
        self._marks_saved = True

    def material_of(self, path: str | Path) -> str | None:
        """The material folder (relative to docs_dir) a file lies in, at any depth, or None."""
        try:
            parts = Path(path).resolve().parent.relative_to(self.docs_dir).parts
        except ValueError:
            return None
        for i in range(len(parts), 0, -1):
            rel = "/".join(parts[:i])
            if rel in self.entries:
                return rel
        return None

    def _load_all(self, todo: list[tuple[Path, str, tuple]]) -> list[Entry]:
        """These folders' entries: from the cache where it holds them, else, if they are
        materials, read and checked. Many to read (the first scan of a large site) are shared
        with a second process, forked so that it starts with everything imported."""
        loaded, unread = [], []
        # Unpickling 10,000 materials makes millions of objects: with the cyclic collector
        # running meanwhile it took three times as long.
        with _gc_paused():
            for folder, rel, stamp in todo:
                t = (folder, rel, stamp, self._digest(folder))
                entry = self._cached(*t)  # only materials are cached: a hit is one
                if entry is not None:
                    loaded.append(entry)
                elif is_material_folder(folder):
                    unread.append(t)
                else:
                    self._plain[rel] = stamp
            if len(loaded) >= PARALLEL_MIN:
                # What was just loaded lives as long as the preview: leave it out of every
                # later collection (the first one after this went through it for seconds at
                # 10,000 materials). Objects still go as soon as nothing refers to them.
                gc.freeze()
        if len(unread) < PARALLEL_MIN or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
            return loaded + [self._read(*t) for t in unread]
        theirs, mine = unread[1::2], unread[0::2]
        with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
            future = pool.submit(_read_many, self.docs_dir, self.publish, self.cache_dir, theirs)
            loaded += [self._read(*t) for t in mine]
            try:
                loaded += future.result()
            except Exception:  # noqa: BLE001 - the second process failed: read its share here
                loaded += [self._read(*t) for t in theirs]
        return loaded

    def _cache_file(self, folder: Path, rel: str, digest: bytes) -> tuple[Path, bytes] | None:
        if self.cache_dir is None:
            return None
        # One file per material (named by its folder), holding the key it was made for. The
        # date is not in the key: only a material with a 整改清单 depends on it (ledger.overdue),
        # and its record says so (_cached), so a new day re-reads those, not all 10,000.
        key = hashlib.sha256(f"{code_version()}\0{self.publish}\0{folder}\0".encode() + digest).digest()
        return self.cache_dir / (hashlib.sha256(rel.encode()).hexdigest()[:24] + ".pickle"), key

    def _cached(self, folder: Path, rel: str, stamp: tuple, digest: bytes) -> Entry | None:
        where = self._cache_file(folder, rel, digest)
        if where is None:
            return None
        data = read_cache(*where)
        if data is None:
            return None
        mat, schema, diags, day = data
        if day is not None and day != datetime.date.today():  # its overdue findings were for that day
            return None
        return Entry(folder, rel, mat, schema, diags, stamp, digest=digest)

    def _read(self, folder: Path, rel: str, stamp: tuple, digest: bytes) -> Entry:
        try:
            mat = load(folder)
        except InputError as exc:
            return Entry(folder, rel, None, GENERIC, [exc.diagnostic], stamp, digest=digest)
        schema, _ = resolve_schema(mat)
        diags = check(mat, for_site=True, publish=self.publish)
        where = self._cache_file(folder, rel, digest)
        if where is not None:
            day = datetime.date.today() if read_ledger(mat, schema) is not None else None
            write_cache(where[0], where[1] + pickle.dumps((mat, schema, diags, day), protocol=pickle.HIGHEST_PROTOCOL))
        return Entry(folder, rel, mat, schema, diags, stamp, digest=digest)

    def entry_for(self, src_path: str | Path) -> Entry | None:
        # The hooks ask this for every page several times per build, so the folder of each path
        # is worked out once per process; paths the engine gives are absolute and already under
        # docs_dir, so only others pay for resolve() (a syscall per path component).
        key = str(src_path)
        if key not in self._rel_of:
            folder = os.path.dirname(os.path.normpath(key))
            root = str(self.docs_dir)
            if folder.startswith(root + os.sep) and ".." not in folder:
                self._rel_of[key] = folder[len(root) + 1:].replace(os.sep, "/")
            elif folder == root:
                self._rel_of[key] = "."
            else:
                try:
                    self._rel_of[key] = Path(src_path).resolve().parent.relative_to(self.docs_dir).as_posix()
                except ValueError:
                    self._rel_of[key] = None
        rel = self._rel_of[key]
        return self.entries.get(rel) if rel is not None else None


PARALLEL_MIN = 64  # folders to read in one scan before a second process is worth starting


@contextlib.contextmanager
def _gc_paused():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _read_many(docs_dir: Path, publish: bool, cache_dir: Path | None, todo: list[tuple[Path, str, tuple, bytes]]) -> list[Entry]:
    # In the second process of Catalogue._load_all.
    cat = Catalogue(docs_dir, publish=publish, cache_dir=cache_dir)
    return [cat._read(*t) for t in todo]


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, ImportError)


def read_cache(path: Path, key: bytes, *, header_only: bool = False):
    """What a cache file written as key + pickle holds, or None when it is missing, made for
    another key or unreadable (a cache miss, never an error). With header_only, True instead
    of the contents when the key matches."""
    try:
        with open(path, "rb") as fh:
            if fh.read(len(key)) != key:
                return None
            return True if header_only else pickle.load(fh)
    except _UNREADABLE:
        return None


def read_table(where: tuple[Path, bytes] | None) -> dict | None:
    """The dict a cache file (path, key) holds, or None: read with the garbage collector
    paused, as such tables hold hundreds of thousands of small objects."""
    if where is None:
        return None
    with _gc_paused():
        data = read_cache(*where)
    return data if isinstance(data, dict) else None


def write_cache(path: Path, data: bytes) -> None:
    """Write one cache file atomically; a cache that cannot be written is only slower, never
    an error."""
    try:
        write_bytes_atomic(path, data)
    except OSError:
        pass


def is_draft(entry: Entry) -> bool:
    return str(entry.meta.get("状态", "")).strip() == "草稿"


def published(entries: list[Entry], *, drafts: bool) -> list[Entry]:
    """The materials a publish carries: 草稿 only when drafts are asked for (DRAFTS=1)."""
    return [e for e in entries if drafts or not is_draft(e)]


def listing_html(entries: list[Entry], url_for, note_for=None, row=None) -> str:
    """The home page table of materials, from front matter. HTML rather than a Markdown table:
    at 1000 materials Python-Markdown's table parsing costs seconds per preview rebuild.

    note_for(entry), if given, returns a remark for a material's link (or None): shown as the
    link's tooltip and under the title (the preview uses it for materials it does not render).
    row(entry, url, note), if given, replaces listing_row (the preview caches rows)."""
    if not entries:
        return "<p><em>暂无材料。</em></p>\n"
    row = row or listing_row
    rows = [row(e, url_for(e), note_for(e) if note_for else None)
            for e in sorted(entries, key=lambda e: (str(e.meta.get("year", "")), e.rel), reverse=True)]
    # A plain <table> (no class): Material styles and wraps exactly those, as for Markdown tables.
    return ("<table>\n<thead><tr><th>材料</th><th>类型</th><th>年度</th><th>单位</th><th>状态</th>"
            "<th>错误/警告</th></tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>\n")


def listing_row(e: Entry, url: str, note: str | None = None) -> str:
    """One row of the home page table."""
    def cell(value) -> str:
        return esc(value if value not in (None, "") else "—")

    title = e.material.title if e.material and e.material.title else e.rel
    kind = e.schema.name if e.schema is not GENERIC else e.meta.get("type", "")
    link = f'<a href="{href(url)}"' + (f' title="{esc(note)}"' if note else "") + f">{cell(title)}</a>"
    if note:
        link += '<br><small class="gongwen-not-previewed">（不在本次预览中，见链接提示）</small>'
    errors = sum(d.severity == "error" for d in e.diagnostics)
    warnings = sum(d.severity == "warning" for d in e.diagnostics)
    flag = f' class="gongwen-count gongwen-count--{"error" if errors else "warning"}"' if errors or warnings else ""
    return (f'<tr><td>{link}</td><td>{cell(kind)}</td>'
            f"<td>{cell(e.meta.get('year'))}</td><td>{cell(e.meta.get('unit'))}</td>"
            f"<td>{cell(e.meta.get('状态'))}</td>"
            f'<td{flag} data-errors="{errors}" data-warnings="{warnings}">{errors} / {warnings}</td></tr>')


_ORDER = ("error", "warning", "info")


def _worst(diags: list[Diagnostic]) -> str:
    return next((s for s in _ORDER if any(d.severity == s for d in diags)), "info")


def panel_html(diags: list[Diagnostic], shown_path: str, marked: dict[int, str] | None = None) -> str:
    """The diagnostics panel shown at the top of a page in the preview.

    A <details> block: open when it holds an error or a warning, collapsed when it holds only
    提示; its title counts the findings by level. Each finding whose line is in `marked`
    (line -> element id, from mark_blocks) links to its paragraph or heading on the page."""
    marked = marked or {}
    if not diags:
        return ""
    items = []
    for d in diags:
        where = f"第 {d.line} 行，第 {d.column} 列"
        if d.line in marked:
            where = (f'<a class="gongwen-diag__go" href="#{esc(marked[d.line])}" data-gw-line="{d.line}" '
                     f'title="在正文中标出这一段">{where}</a>')
        items.append(
            f'<li class="gongwen-diag gongwen-diag--{d.severity}" data-line="{d.line}" data-rule="{esc(d.rule)}">'
            f'<span class="gongwen-diag__where">{where}</span> '
            f'<span class="gongwen-diag__sev">{SEVERITY_ZH[d.severity]}</span> '
            f'<code>{esc(d.rule)}</code> {esc(d.message)}'
            + (f'<span class="gongwen-diag__hint">（{esc(d.hint)}）</span>' if d.hint else "")
            + "</li>"
        )
    worst = _worst(diags)
    kind = {"error": "failure", "warning": "warning", "info": "info"}[worst]
    counts = counts_text(diags)
    is_open = " open" if worst != "info" else ""
    return (
        f'<details class="admonition {kind} gongwen-panel" data-gongwen-panel data-search-exclude{is_open}>'
        f'<summary class="admonition-title">检查结果：{esc(shown_path)}（{counts}）</summary>'
        f'<ul>{"".join(items)}</ul></details>\n'
    )


def counts_text(diags: list[Diagnostic]) -> str:
    """错误 1，警告 2，提示 3 (levels with none left out)."""
    return "，".join(f"{SEVERITY_ZH[s]} {n}" for s in _ORDER if (n := sum(d.severity == s for d in diags)))


def material_summary_html(mat: Material, diags: list[Diagnostic], href_for) -> str:
    """The material's front page in the preview: the whole material's findings counted by
    level, and every page that has some, linked (each page's own panel lists them). A finding
    on another page is otherwise out of sight from the front page.

    href_for(path) -> the URL of the page showing that source file, or None. Pages are named
    by their 一级 heading (the model's: the other pages may not be read yet in this build)."""
    if not diags:
        return ""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diags:
        by_path.setdefault(d.path, []).append(d)
    titles = {sec.path: sec.title for sec in reversed(mat.sections)}  # a file's first heading
    if mat.title_node is not None:
        titles[mat.title_node.path] = mat.title
    items = []
    for path, found in by_path.items():
        href = href_for(path)
        label = esc(titles.get(path) or Path(path).name)
        where = f'<a href="{esc(href)}">{label}</a>' if href else label
        items.append(f'<li class="gongwen-summary__page gongwen-diag--{_worst(found)}">{where}：{counts_text(found)}</li>')
    kind = {"error": "failure", "warning": "warning", "info": "info"}[_worst(diags)]
    return (f'<div class="admonition {kind} gongwen-summary" data-gongwen-summary data-search-exclude>'
            f'<p class="admonition-title">整份材料的检查结果（{counts_text(diags)}）</p>'
            f'<ul>{"".join(items)}</ul></div>\n')


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^#{1,6}\s")
_HEADING_ATTRS = re.compile(r"\s*\{:?\s*(#[^}\s]+[^}]*)\}\s*$")
_NOT_PARAGRAPH = re.compile(r"^\s*(<|\||[-*+]\s|\d+[.)]\s|>|\{:)")


_TIP_SAFE = str.maketrans({"\\": "＼", '"': "＂", "{": "｛", "}": "｝", "*": "＊", "_": "＿", "`": "｀",
                           "[": "［", "]": "］", "<": "＜", ">": "＞"})


def mark_blocks(markdown: str, diags: list[Diagnostic], first_line: int = 1) -> tuple[str, dict[int, str]]:
    """Mark the paragraphs and headings that diagnostics point at, for the preview.

    `markdown` is a page's Markdown whose first line is source line `first_line` (front matter
    removed). Each such block gets attr_list attributes: the class gongwen-flagged(--<worst
    level>), the findings as its tooltip, data-gw-lines, and, for a paragraph, the id
    gw-L<first finding's line> (a heading keeps its own anchor). Returns the new Markdown and,
    for each source line now marked, the id of its element.
    Lines in code fences, HTML, tables, lists and quotes are left alone (their findings keep
    a plain line number)."""
    lines = markdown.split("\n")
    by_line: dict[int, list[Diagnostic]] = {}
    for d in diags:
        i = d.line - first_line
        if 0 <= i < len(lines):
            by_line.setdefault(i, []).append(d)
    if not by_line:
        return markdown, {}
    in_fence, fence_at = False, set()
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            fence_at.add(i)
        elif in_fence:
            fence_at.add(i)
    blocks: dict[tuple[int, int], list[Diagnostic]] = {}  # (first, last) index of a block -> findings
    for i, found in by_line.items():
        if i in fence_at or not lines[i].strip():
            continue
        if _HEADING.match(lines[i]):
            blocks.setdefault((i, i), []).extend(found)
            continue
        start = i
        while start > 0 and lines[start - 1].strip() and not _HEADING.match(lines[start - 1]):
            start -= 1
        end = i
        while end + 1 < len(lines) and lines[end + 1].strip() and not _HEADING.match(lines[end + 1]):
            end += 1
        if any(_NOT_PARAGRAPH.match(lines[k]) for k in range(start, end + 1)) or any(
                k in fence_at for k in range(start, end + 1)):
            continue
        blocks.setdefault((start, end), []).extend(found)
    marked: dict[int, str] = {}
    for (start, end), found in sorted(blocks.items(), reverse=True):  # bottom up: indexes stay valid
        found = sorted(found, key=lambda d: (d.line, d.column))
        tip = "；".join(f"{SEVERITY_ZH[d.severity]} {d.rule}：{d.message}" for d in found)
        # The tooltip sits in an attr_list line of the paragraph, which inline Markdown sees
        # first: characters it acts on (emphasis, code, links) are given as full-width ones.
        tip = tip.translate(_TIP_SAFE)
        seen = sorted({d.line for d in found})
        attrs = (f'.gongwen-flagged .gongwen-flagged--{_worst(found)} data-gw-lines="{" ".join(map(str, seen))}" '
                 f'title="{tip}"')
        if start == end and _HEADING.match(lines[start]):
            m = _HEADING_ATTRS.search(lines[start])
            if m:  # numbering gave the heading a {#slug}: add to it, keep the anchor
                lines[start] = lines[start][:m.start()] + " {" + m.group(1).rstrip() + " " + attrs + "}"
                anchor = m.group(1).split()[0][1:]
            else:
                anchor = f"gw-L{seen[0]}"
                lines[start] = lines[start].rstrip() + " { #" + anchor + " " + attrs + " }"
        else:
            anchor = f"gw-L{seen[0]}"
            lines.insert(end + 1, "{: #" + anchor + " " + attrs + " }")
        marked.update(dict.fromkeys(seen, anchor))
    return "\n".join(lines), marked


_catalogues: dict[tuple[str, bool], Catalogue] = {}


def catalogue_for(docs_dir: str | Path, *, publish: bool = False) -> Catalogue:
    """One Catalogue per docs folder and mode, shared by every hook module and kept across
    `mkdocs serve` rebuilds so unchanged materials are not parsed again."""
    key = (str(Path(docs_dir).resolve()), publish)
    if key not in _catalogues:
        _catalogues[key] = Catalogue(docs_dir, publish=publish)
    return _catalogues[key]


def _file_stamp(name: str, st: os.stat_result) -> tuple:
    """How a material's file enters its folder stamp (index.md first, then by name)."""
    return (name != "index.md", name, st.st_mtime_ns, st.st_size)


def _mark_record(path: str, st: os.stat_result, had: tuple | None) -> tuple:
    """(stamp, identity, marks) of a scanned file: the record it had while its mtime, size,
    inode and ctime are unchanged (the same object, so a caller can tell), else read again."""
    stamp, ident = (st.st_mtime_ns, st.st_size), (st.st_ino, st.st_ctime_ns)
    if had and had[0] == stamp and had[1] == ident:
        return had
    return (stamp, ident, marks_in_file(path))
