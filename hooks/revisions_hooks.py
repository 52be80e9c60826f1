"""MkDocs adapter for returned Word copies (gongwen revisions): a material's 批注.yaml is a
source, not a page asset (it is never copied into the site), and the material's title page
counts its open comments. Logic lives in gongwen/revisions/."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from gongwen.read.comments import COMMENTS_FILE
from gongwen.revisions.page import comments_note
from gongwen.site.catalogue import catalogue_for


def on_files(files, *, config):
    for f in list(files):
        if PurePosixPath(f.src_uri).name == COMMENTS_FILE:
            files.remove(f)
    return files


def on_page_content(html_text, *, page, config, files):
    src = page.file.abs_src_path
    if not src or os.path.basename(src) != "index.md":
        return html_text
    cat = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
    entry = cat.entry_for(src)
    if entry is None or entry.material is None:
        return html_text
    return comments_note(entry.diagnostics) + html_text
