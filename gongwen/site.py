"""Site-side services that are still pure (no mkdocs): the material catalogue of a docs
folder with cached parse+check results, the home-page listing and the diagnostics panel.
The hooks only adapt MkDocs events to these.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from .check import check, resolve_schema
from .diagnostics import SEVERITY_ZH, Diagnostic, InputError
from .model import Material
from .parse_markdown import section_files
from .reader import is_material_folder, load
from .rules.meta import classification
from .schema import GENERIC, Schema

CLASSIFIED = ("秘密", "机密", "绝密")


@dataclass
class Entry:
    folder: Path  # absolute
    rel: str  # folder relative to docs_dir, POSIX
    material: Material | None
    schema: Schema
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stamp: tuple = ()

    @property
    def meta(self) -> dict:
        return self.material.meta if self.material else {}

    @property
    def classified(self) -> bool:
        return classification(self.meta.get("密级")) in CLASSIFIED

    def diagnostics_for(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.path == path]


def _stamp(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in section_files(folder))


class Catalogue:
    """Materials under a docs folder. Re-scans cheaply: unchanged folders keep their results."""

    def __init__(self, docs_dir: str | Path, *, publish: bool = False):
        self.docs_dir = Path(docs_dir).resolve()
        self.publish = publish
        self.entries: dict[str, Entry] = {}
        self.changed: set[str] = set()  # folders added, edited or removed by the last scan
        self._plain: dict[str, tuple] = {}  # folders with an index.md that are not materials

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
        return list(found.values())

    def _load(self, folder: Path, rel: str, stamp: tuple) -> Entry:
        try:
            mat = load(folder)
        except InputError as exc:
            return Entry(folder, rel, None, GENERIC, [exc.diagnostic], stamp)
        schema, _ = resolve_schema(mat)
        diags = check(mat, for_site=True, publish=self.publish)
        return Entry(folder, rel, mat, schema, diags, stamp)

    def entry_for(self, src_path: str | Path) -> Entry | None:
        folder = Path(src_path).resolve().parent
        try:
            rel = folder.relative_to(self.docs_dir).as_posix()
        except ValueError:
            return None
        return self.entries.get(rel)


def is_draft(entry: Entry) -> bool:
    return str(entry.meta.get("状态", "")).strip() == "草稿"


def published(entries: list[Entry], *, drafts: bool) -> list[Entry]:
    """The materials a publish carries: 草稿 only when drafts are asked for (DRAFTS=1)."""
    return [e for e in entries if drafts or not is_draft(e)]


def listing_markdown(entries: list[Entry]) -> str:
    """The home page table of materials, from front matter (links relative to the home page)."""
    if not entries:
        return "*暂无材料。*\n"
    rows = ["| 材料 | 类型 | 年度 | 单位 | 状态 |", "| --- | --- | --- | --- | --- |"]

    def cell(value) -> str:
        return html.escape(str(value if value not in (None, "") else "—")).replace("|", "&#124;")

    for e in sorted(entries, key=lambda e: (str(e.meta.get("year", "")), e.rel), reverse=True):
        title = e.material.title if e.material and e.material.title else e.rel
        kind = e.schema.name if e.schema is not GENERIC else e.meta.get("type", "")
        rows.append(f"| [{cell(title)}]({e.rel}/index.md) | {cell(kind)} | {cell(e.meta.get('year'))} | "
                    f"{cell(e.meta.get('unit'))} | {cell(e.meta.get('状态'))} |")
    return "\n".join(rows) + "\n"


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
