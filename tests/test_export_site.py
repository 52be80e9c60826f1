"""The site's Word downloads (hooks/export_hooks.py) and the print stylesheet, on a real
build in tmp_path; the print test drives Debian's chromium headless."""

from __future__ import annotations

import logging
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from docx import Document

from .conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, build_site
from .office import MM, fontconfig_env

SEED = "2023-zhuti-jiaoyu-banzi"
SAMPLE = "示例-2024-青禾镇党委"
LINK = re.compile(r'<a class="md-content__button gongwen-download" data-gongwen-page="(\w+)" data-search-exclude '
                  r'href="([^"]+)" download="([^"]+)"')


def docx_of(site: Path, folder: str) -> Path:
    """A material's Word file in the built site: named as the browser saves it (its title)."""
    (docx,) = (site / folder).glob("*.docx")
    return docx


def _link(page: Path):
    m = LINK.search(page.read_text(encoding="utf-8"))
    assert m, f"no download link in {page}"
    return m.groups()


@pytest.mark.parametrize("folder", [SEED, SAMPLE])
def test_each_material_page_links_its_docx(built_site, folder):
    docx = docx_of(built_site, folder)
    doc = Document(str(docx))
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.sections[0].page_height.mm == pytest.approx(297, abs=0.5)
    pages = sorted((built_site / folder).glob("*/index.html")) + [built_site / folder / "index.html"]
    assert len(pages) >= 4
    for page in pages:
        kind, href, name = _link(page)
        assert kind == ("title" if page.parent.name == folder else "section")
        # The relative link, resolved as a browser would, reaches the file.
        url = urljoin(page.relative_to(built_site).as_posix(), href)
        assert (built_site / unquote(url)).resolve() == docx.resolve()
        assert name == docx.name and name.endswith(".docx") and "/" not in name  # one file name everywhere
        assert "下载 Word 版（GB/T 9704）" in page.read_text(encoding="utf-8")


def test_long_title_marked_in_lines_for_print(built_site):
    html = (built_site / SEED / "index.html").read_text(encoding="utf-8")
    assert ('<span class="gongwen-title-line">2023年第二批主题教育</span>'
            '<span class="gongwen-title-line">专题民主生活会领导班子对照检查材料</span>') in html
    assert "assets/print.css" in html


def test_publish_build_leaves_out_what_it_does_not_publish(project):
    """With GONGWEN_PUBLISH=1 the 草稿 seed is not published: neither its pages nor its Word file."""
    site = build_site(project, env={"GONGWEN_PUBLISH": "1"})
    assert not (site / SEED).exists()
    assert docx_of(site, SAMPLE).is_file()


# --- printing a material page ---------------------------------------------------------------

@pytest.fixture(scope="module")
def print_browser(browser, tmp_path_factory):
    """chromium with the repo's font aliases (so 仿宋 resolves as in the Word export),
    launched from the session's playwright (only one sync playwright may run at a time)."""
    env = fontconfig_env(tmp_path_factory.mktemp("fc"))
    second = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
    yield second
    second.close()


def _platform_font(page, selector: str) -> str:
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return max(fonts, key=lambda f: f["glyphCount"])["postScriptName"]


@pytest.mark.browser
@pytest.mark.slow
def test_print_gives_the_gbt9704_page(built_site, serve_dir, print_browser, tmp_path):
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Type 3 fonts: noisy, harmless
    base = serve_dir(built_site)
    page = print_browser.new_page()
    page.goto(f"{base}{SEED}/01-存在的问题/", wait_until="networkidle")
    nav_texts = page.evaluate(
        "[...document.querySelectorAll('.md-header, .md-sidebar, .md-footer, .md-search')]"
        ".map(e => e.innerText).join('\\n')")
    assert "公文材料库" in nav_texts  # the screen page has them …
    page.emulate_media(media="print")
    size = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p:not([class])')).fontSize")
    assert float(size.removesuffix("px")) * 72 / 96 == pytest.approx(16, abs=0.01)
    assert _platform_font(page, ".md-typeset p:not([class])") == "FandolFang-Regular"
    assert _platform_font(page, ".md-typeset h1") == "FandolHei-Regular"
    pdf_path = tmp_path / "print.pdf"
    page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True)
    page.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print-material-page.pdf").write_bytes(pdf_path.read_bytes())

    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) >= 2
        text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() or "" for p in pdf.pages))
        for n, p in enumerate(pdf.pages, 1):
            assert abs(p.width / MM - 210) < 0.5 and abs(p.height / MM - 297) < 0.5
            chars = [c for c in p.chars if c["text"].strip() and c["text"].isprintable()]  # Type 3 spaces: \x01
            body = [c for c in chars if c["top"] < (297 - 35) * MM]
            assert min(c["x0"] for c in body) / MM == pytest.approx(28, abs=0.5)
            assert max(c["x1"] for c in body) / MM <= 184.5
            assert min(c["top"] for c in body) / MM >= 37 - 0.5
            assert {round(c["size"]) for c in body} == {16}
            foot = sorted((c for c in chars if c["top"] > (297 - 35) * MM), key=lambda c: c["x0"])
            assert unicodedata.normalize("NFKC", "".join(c["text"] for c in foot)) == f"—{n}—"
            if n % 2:
                assert foot[-1]["x1"] / MM == pytest.approx(184 - 14 / MM, abs=1)
            else:
                assert foot[0]["x0"] / MM == pytest.approx(28 + 14 / MM, abs=1)
        lines_p2 = {round(c["bottom"]) for c in pdf.pages[1].chars if c["top"] < (297 - 35) * MM}
        assert len(lines_p2) == 22
    # … the printed page has none of them.
    for absent in ("公文材料库", "检查规则", "搜索", "下载 Word 版", "检查结果"):
        assert absent not in text
    assert "一、存在的问题" in text and "一是理论学习不深不透" in text
    assert text.lstrip().startswith("草稿")  # the seed is a draft: marked on paper as in Word


# --- the Word export cache --------------------------------------------------------------------

def _docx_text(docx: Path, tmp: Path) -> str:
    """The file's text as LibreOffice reads it (headless conversion to UTF-8 text)."""
    from .office import SOFFICE

    out = tmp / "txt"
    cmd = [SOFFICE, f"-env:UserInstallation={(tmp / 'lo-profile').resolve().as_uri()}", "--headless", "--norestore",
           "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(out), str(docx)]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return (out / (docx.stem + ".txt")).read_text(encoding="utf-8-sig")


@pytest.mark.slow
def test_rebuild_exports_only_the_edited_material(project, tmp_path):
    """A full build keeps each material's Word file in .cache/docx; the next build exports
    again only the materials whose files changed, and copies the others."""
    cache = project / ".cache" / "docx"
    site = build_site(project)
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.docx")}
    assert len(first) == 2  # one per material
    sample_before = docx_of(site, SAMPLE).read_bytes()

    section = project / "docs" / SEED / "01-存在的问题.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n**缓存测试新增的要点。**如，2024年走访12户。\n",
                       encoding="utf-8")
    site = build_site(project)
    second = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.docx")}
    assert second.keys() == first.keys()  # still one file per material
    assert len([name for name in second if second[name] != first[name]]) == 1  # the other one not written again
    # The unchanged material's file in the site is the cached one, byte for byte.
    assert docx_of(site, SAMPLE).read_bytes() == sample_before
    # The edited material's file has the edit, as LibreOffice reads it.
    assert "缓存测试新增的要点" in _docx_text(docx_of(site, SEED), tmp_path)
    assert "缓存测试新增的要点" not in _docx_text(docx_of(site, SAMPLE), tmp_path)


def test_exporter_change_invalidates_the_cache(project, monkeypatch):
    """The cache key holds the exporter version: a changed exporter exports everything again."""
    from gongwen.site import export as export_site

    cache = project / ".cache" / "docx"
    build_site(project)
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.docx")}
    monkeypatch.setattr(export_site, "_EXPORTER", "another-exporter")
    build_site(project)
    second = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.docx")}
    assert second.keys() == first.keys() and len(second) == 2
    assert all(second[name] != first[name] for name in second)
