"""Site-side services that are still pure (no mkdocs): the material catalogue of a docs
folder with cached parse+check results, the home-page listing and the diagnostics panel.
The hooks only adapt MkDocs events to these.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

from .check import check, resolve_schema
from .diagnostics import SEVERITY_ZH, Diagnostic, InputError
from .model import Material
from .read import is_material_folder, load
from .schema import GENERIC, Schema
from .secrecy import SecretMark, TreeScan


@dataclass
class Entry:
    folder: Path  # absolute
    rel: str  # folder relative to docs_dir, POSIX
    material: Material | None
    schema: Schema
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stamp: tuple = ()
    classified: bool = False  # a 密级 mark in any file of the folder (set by every scan)

    @property
    def meta(self) -> dict:
        return self.material.meta if self.material else {}

    def diagnostics_for(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == path]


def _stamp(folder: Path) -> tuple:
    """(name, mtime, size) of the folder's .md files in reading order (as section_files).

    Runs for every material on every `mkdocs serve` rebuild, so it lists the folder once
    with os.scandir and stats each file once (3x faster than glob + two stats at 1000
    materials, bench/RESULTS.md)."""
    files = []
    with os.scandir(folder) as it:
        for e in it:
            if e.name.endswith(".md"):
                st = e.stat()
                files.append((e.name != "index.md", e.name, st.st_mtime_ns, st.st_size))
    files.sort()
    return tuple(f[1:] for f in files)


class Catalogue:
    """Materials under a docs folder. Re-scans cheaply: unchanged folders keep their results."""

    def __init__(self, docs_dir: str | Path, *, publish: bool = False):
        self.docs_dir = Path(docs_dir).resolve()
        self.publish = publish
        self.entries: dict[str, Entry] = {}
        self.changed: set[str] = set()  # folders added, edited or removed by the last scan
        self._plain: dict[str, tuple] = {}  # folders with an index.md that are not materials
        self._rel_of: dict[str, str | None] = {}  # source path -> its folder relative to docs_dir
        self._secret_scan = TreeScan(self.docs_dir)
        self.secrets: list[SecretMark] = []  # 密级 marks in any file under docs_dir (last scan)

    def scan(self) -> list[Entry]:
        found: dict[str, Entry] = {}
        for index in sorted(self.docs_dir.rglob("index.md")):
            folder = index.parent
            if folder == self.docs_dir or any(part.startswith((".", "_")) for part in folder.relative_to(self.docs_dir).parts):
                continue
            rel = folder.relative_to(self.docs_dir).as_posix()
            stamp = _stamp(folder)
            old = self.entries.get(rel)
            if old and old.stamp == stamp:
                found[rel] = old
            elif self._plain.get(rel) != stamp:
                if is_material_folder(folder):
                    found[rel] = self._load(folder, rel, stamp)
                else:
                    self._plain[rel] = stamp
        self.changed = {rel for rel, e in found.items() if self.entries.get(rel) is not e} | (
            set(self.entries) - set(found))
        self.entries = found
        self.secrets = self._secret_scan.scan()
        classified = {self.material_of(m.path) for m in self.secrets}
        for rel, entry in found.items():
            entry.classified = rel in classified
        return list(found.values())

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

    def _load(self, folder: Path, rel: str, stamp: tuple) -> Entry:
        try:
            mat = load(folder)
        except InputError as exc:
            return Entry(folder, rel, None, GENERIC, [exc.diagnostic], stamp)
        schema, _ = resolve_schema(mat)
        diags = check(mat, for_site=True, publish=self.publish)
        return Entry(folder, rel, mat, schema, diags, stamp)

    def entry_for(self, src_path: str | Path) -> Entry | None:
        # The hooks ask this for every page several times per build; resolve() is a syscall
        # per path component, so the folder of each path is worked out once per process.
        key = str(src_path)
        if key not in self._rel_of:
            folder = Path(src_path).resolve().parent
            try:
                self._rel_of[key] = folder.relative_to(self.docs_dir).as_posix()
            except ValueError:
                self._rel_of[key] = None
        rel = self._rel_of[key]
        return self.entries.get(rel) if rel is not None else None


def is_draft(entry: Entry) -> bool:
    return str(entry.meta.get("状态", "")).strip() == "草稿"


def published(entries: list[Entry], *, drafts: bool) -> list[Entry]:
    """The materials a publish carries: 草稿 only when drafts are asked for (DRAFTS=1)."""
    return [e for e in entries if drafts or not is_draft(e)]


def listing_html(entries: list[Entry], url_for) -> str:
    """The home page table of materials, from front matter. HTML rather than a Markdown table:
    at 1000 materials Python-Markdown's table parsing costs seconds per preview rebuild."""
    if not entries:
        return "<p><em>暂无材料。</em></p>\n"

    def cell(value) -> str:
        return html.escape(str(value if value not in (None, "") else "—"))

    rows = []
    for e in sorted(entries, key=lambda e: (str(e.meta.get("year", "")), e.rel), reverse=True):
        title = e.material.title if e.material and e.material.title else e.rel
        kind = e.schema.name if e.schema is not GENERIC else e.meta.get("type", "")
        rows.append(f'<tr><td><a href="{html.escape(url_for(e))}">{cell(title)}</a></td><td>{cell(kind)}</td>'
                    f"<td>{cell(e.meta.get('year'))}</td><td>{cell(e.meta.get('unit'))}</td>"
                    f"<td>{cell(e.meta.get('状态'))}</td></tr>")
    # A plain <table> (no class): Material styles and wraps exactly those, as for Markdown tables.
    return ("<table>\n<thead><tr><th>材料</th><th>类型</th><th>年度</th><th>单位</th><th>状态</th></tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>\n")


def panel_html(diags: list[Diagnostic], shown_path: str) -> str:
    """The diagnostics panel shown at the top of a page in the preview."""
    if not diags:
        return ""
    items = []
    for d in diags:
        items.append(
            f'<li class="gongwen-diag gongwen-diag--{d.severity}" data-line="{d.line}" data-rule="{html.escape(d.rule)}">'
            f'<span class="gongwen-diag__where">第 {d.line} 行，第 {d.column} 列</span> '
            f'<span class="gongwen-diag__sev">{SEVERITY_ZH[d.severity]}</span> '
            f'<code>{html.escape(d.rule)}</code> {html.escape(d.message)}'
            + (f'<span class="gongwen-diag__hint">（{html.escape(d.hint)}）</span>' if d.hint else "")
            + "</li>"
        )
    worst = "error" if any(d.severity == "error" for d in diags) else (
        "warning" if any(d.severity == "warning" for d in diags) else "info")
    kind = {"error": "failure", "warning": "warning", "info": "info"}[worst]
    return (
        f'<div class="admonition {kind} gongwen-panel" data-gongwen-panel>'
        f'<p class="admonition-title">检查结果：{html.escape(shown_path)}（{len(diags)} 条）</p>'
        f'<ul>{"".join(items)}</ul></div>\n'
    )


_catalogues: dict[tuple[str, bool], Catalogue] = {}


def catalogue_for(docs_dir: str | Path, *, publish: bool = False) -> Catalogue:
    """One Catalogue per docs folder and mode, shared by every hook module and kept across
    `mkdocs serve` rebuilds so unchanged materials are not parsed again."""
    key = (str(Path(docs_dir).resolve()), publish)
    if key not in _catalogues:
        _catalogues[key] = Catalogue(docs_dir, publish=publish)
    return _catalogues[key]
