"""A leader's 批注 on the site: counted on the material's page until 批注.yaml is removed, never
published as a file, and shown (escaped) in the preview's findings panel at its line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from gongwen.check.rules.docs import rules_page_markdown
from gongwen.cli import main

from .conftest import REPO, build_site, copy_project, wait_for
from .test_revisions import FIXTURE, PROBLEMS
from .test_serve import Serve
from .wordedit import WordEdit

COMMENT = "这一方面请补充<b>事例</b>"


def project_with_comment(tmp_path: Path) -> Path:
    docs = tmp_path / "src"
    docs.mkdir()
    shutil.copy2(REPO / "docs" / "index.md", docs / "index.md")
    shutil.copytree(FIXTURE, docs / FIXTURE.name)
    root = tmp_path / "project"
    root.mkdir()
    copy_project(root, docs)
    folder = root / "docs" / FIXTURE.name
    exported = tmp_path / "稿.docx"
    assert main(["export", str(folder), "--to", "docx", "-o", str(exported)]) == 0
    edit = WordEdit(exported, "李副书记", "2025-01-11T08:00:00Z")
    edit.comment("带头增强党性、严守纪律、砥砺作风", COMMENT)
    assert main(["revisions", str(edit.save(tmp_path / "李.docx")), str(folder), "--apply"]) == 0
    assert (folder / "批注.yaml").is_file()
    return root


def test_the_rule_has_a_documentation_entry():
    page = rules_page_markdown()
    assert "## `review.comment` 领导批注" in page and "批注.yaml" in page


def test_the_material_page_counts_open_comments_and_the_sidecar_is_not_published(tmp_path):
    root = project_with_comment(tmp_path)
    site = build_site(root, strict=False)
    page = (site / FIXTURE.name / "index.html").read_text(encoding="utf-8")
    assert "领导批注 1 条未处理" in page
    assert not list(site.rglob("批注.yaml")), "the sidecar is a source, not a page asset"

    (root / "docs" / FIXTURE.name / "批注.yaml").unlink()
    shutil.rmtree(site)
    site = build_site(root, strict=False)
    assert "领导批注" not in (site / FIXTURE.name / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_the_preview_panel_shows_the_comment_at_its_heading(tmp_path, browser):
    root = project_with_comment(tmp_path)
    srv = Serve(root, {"GONGWEN_PREVIEW": f"docs/{FIXTURE.name}"})
    try:
        url = srv.base + quote(f"{FIXTURE.name}/{PROBLEMS[:-3]}/")
        wait_for(url, lambda p: "review.comment" in p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url, wait_until="domcontentloaded")
        panel = page.locator("details.gongwen-panel")
        assert re.search(r"提示 \d+", panel.locator("summary").inner_text())
        if panel.get_attribute("open") is None:  # only 提示: collapsed until clicked
            panel.locator("summary").click()
        item = panel.locator('li[data-rule="review.comment"]')
        assert item.count() == 1
        text = item.inner_text()
        assert "李副书记" in text and "2025-01-11" in text and COMMENT in text  # shown as typed
        assert item.locator("b").count() == 0, "the comment's markup must not become HTML"
        # Its line is the heading's, and the link scrolls to the heading on the page.
        link = item.locator("a.gongwen-diag__go")
        assert link.get_attribute("data-gw-line") == "9"
        link.click()
        heading = page.locator('.gongwen-flagged[data-gw-lines~="9"]')
        assert "带头增强党性" in heading.inner_text()
        page.close()

        # The writer deals with it and deletes the file: the finding goes with the next rebuild.
        (root / "docs" / FIXTURE.name / "批注.yaml").unlink()
        wait_for(url, lambda p: "review.comment" not in p and "gongwen" in p)
    finally:
        srv.stop()
