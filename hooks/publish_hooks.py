"""MkDocs adapter for publishing (deploy/publish.py, `make publish`, `make offline`).

- The 草稿 gate: with GONGWEN_PUBLISH=1, materials whose 状态 is 草稿 are left out (files and
  home-page listing) unless GONGWEN_DRAFTS=1, which publishes them with a draft banner.
- With GONGWEN_RELEASE=<json> (written by deploy/publish.py: this version, the previous
  version's snapshot and the earlier versions' records): a 修订对照 page per changed
  material, the 修订记录 page, and this version's snapshot for the next publish.
- With GONGWEN_OFFLINE=true (Material's offline plugin on): no version selector.

Logic lives in gongwen/ (site.published, redline).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from gongwen.export import redline
from gongwen.read.markdown import section_files
from gongwen.site.catalogue import catalogue_for, is_draft, published
from gongwen.untrusted import esc, href

log = logging.getLogger("mkdocs.plugins.gongwen.publish")

SNAPSHOT = "_gongwen/snapshot.json"
REVISIONS = "revisions.md"
REDLINE = "redline.md"
SNAPSHOT_FORMAT = 1

_state: dict = {}


def on_config(config):
    publish = os.environ.get("GONGWEN_PUBLISH") == "1"
    release = os.environ.get("GONGWEN_RELEASE")
    _state.clear()
    _state.update(
        publish=publish,
        drafts=os.environ.get("GONGWEN_DRAFTS") == "1",
        release=json.loads(Path(release).read_text(encoding="utf-8")) if publish and release else None,
        catalogue=catalogue_for(config.docs_dir, publish=publish),
        draft_rels=set(), changed={}, redlines={},
    )
    if os.environ.get("GONGWEN_OFFLINE") in ("1", "true"):
        # A file:// bundle has no versions.json beside it; the selector would only fail.
        config.extra.pop("version", None)
    return config


def on_files(files, *, config):
    if not _state["publish"]:
        return files  # no scan here: serve's dirty rebuilds read Catalogue.changed of their own scan
    entries = _state["catalogue"].scan()
    shown = published(entries, drafts=_state["drafts"])
    for e in entries:
        if e not in shown:
            for f in [f for f in files if f.src_uri.startswith(e.rel + "/")]:
                files.remove(f)
            log.info(f"草稿未发布：{e.rel}（状态为草稿；如需一并发布，请加 DRAFTS=1）")
    _state["draft_rels"] = {e.rel for e in shown if is_draft(e)}
    release = _state["release"]
    if release:
        _release_files(files, config, release, [e for e in shown if e.material])
    return files


def _release_files(files, config, release: dict, entries) -> None:
    current = {e.rel: {"title": e.material.title or e.rel,
                       "meta": {k: str(v) for k, v in e.meta.items()},
                       "files": {p.name: p.read_text(encoding="utf-8-sig") for p in section_files(e.folder)}}
               for e in entries}
    prev = release.get("previous")
    changes = redline.changes(prev["materials"], current) if prev else []
    cur = {"version": release["version"], "title": release.get("title"), "date": release["date"],
           "previous": prev["version"] if prev else None,
           "changes": [c.__dict__ for c in changes]}
    for c in changes:
        if c.kind != "修改":
            continue
        diffs = redline.diff_material(prev["materials"][c.rel]["files"], current[c.rel]["files"])
        page = redline.redline_page(c.title, prev, cur, diffs)
        f = File.generated(config, f"{c.rel}/{REDLINE}", content=page)
        files.append(f)
        _state["redlines"][c.rel] = f
    _state["changed"] = {c.rel: c for c in changes}
    revisions = File.generated(config, REVISIONS, content="")
    revisions.content_string = redline.revisions_page(cur, release.get("history", []), _href(revisions, config))
    files.append(revisions)
    snapshot = dict(cur, format=SNAPSHOT_FORMAT, drafts=_state["drafts"], materials=current)
    files.append(File.generated(config, SNAPSHOT, content=json.dumps(snapshot, ensure_ascii=False, indent=1)))


def _href(page_file, config):
    """Links from the 修订记录 page to a version's redline or material page (None: no page)."""
    up = "../" * page_file.url.count("/")
    current = _state["release"]["version"]

    def href(version: str, rel: str, kind: str) -> str | None:
        if kind == "删除":
            return None
        target = quote(rel) + ("/" if config.use_directory_urls else "/index.html")
        if kind == "修改":
            target = quote(rel) + ("/redline/" if config.use_directory_urls else "/redline.html")
        return up + target if version == current else f"{up}../{quote(version)}/{target}"

    return href


def on_page_markdown(markdown, *, page, config, files):
    if not _state["publish"]:
        return markdown
    if page.is_homepage and _state["release"]:
        markdown += f"\n\n各版本的修改情况见[修订记录]({REVISIONS})。\n"
    return markdown


def on_page_content(html_text, *, page, config, files):
    rel = _material_of(page.file.src_uri)
    if rel is None:
        return html_text
    notes = []
    if rel in _state["draft_rels"]:
        notes.append('<div class="admonition warning gongwen-draft" data-gongwen-draft>'
                     '<p class="admonition-title">草稿，仅供内部审阅</p>'
                     '<p>本材料尚未定稿，内容可能变动，请勿引用或外传。</p></div>')
    redline_file = _state["redlines"].get(rel)
    if redline_file is not None and page.file is not redline_file:
        prev = _state["release"]["previous"]
        url = get_relative_url(redline_file.url, page.url)
        notes.append(f'<p class="gongwen-redline-note">本材料较上一版本（{esc(prev.get("title") or prev["version"])}）'
                     f'有修改，<a href="{href(url)}">查看修订对照</a>。</p>')
    return "".join(notes) + html_text


def _material_of(src_uri: str) -> str | None:
    if not (_state["draft_rels"] or _state["redlines"]):
        return None
    for parent in PurePosixPath(src_uri).parents:
        rel = parent.as_posix()
        if rel in _state["draft_rels"] or rel in _state["redlines"]:
            return rel
    return None
