"""The reviewer's workbench: OUT of `gongwen review` is a site with the 审核总览 page."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from gongwen.review import review

from .conftest import REPO, build_site, free_port, wait_for
from .review_files import scanned_pdf

FIXTURES = REPO / "tests" / "fixtures" / "review"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("workbench")
    box = tmp / "INBOX"
    box.mkdir()
    for f in FIXTURES.glob("*.txt"):
        shutil.copy2(f, box / f.name)
    scanned_pdf(box / "扫描件.pdf", pages=1)
    out = tmp / "OUT"
    review(box, out, log=lambda _msg: None)
    return out


@pytest.fixture(scope="module")
def site(out) -> Path:
    return build_site(out, strict=False)  # materials with findings log errors; the site is still built


def _links(html: str) -> list[str]:
    return re.findall(r'<a[^>]+href="([^"#]+)"', html)


def test_overview_page_lists_every_file_and_links_resolve(site):
    page = site / "审核总览" / "index.html"
    html = page.read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-unit=\"([^\"]*)\" data-type=\"([^\"]*)\" data-conclusion=\"([^\"]*)\"", html)
    assert sorted(r[2] for r in rows) == ["通过", "需修改", "需修改", "需重写"]
    assert ("某局党组", "2023年主题教育专题民主生活会领导班子对照检查材料", "需重写") in rows
    base = "http://x/审核总览/"
    for href in _links(html.split('id="gw-review-table"', 1)[1]):
        target = unquote(urljoin(base, href)[len("http://x/"):])
        assert (site / target / "index.html").is_file() or (site / target).is_file(), href
    assert "<script" in html and "https://" not in html.split('id="gw-review-table"', 1)[1]


def test_findings_page_shows_locations_in_the_received_file(site):
    html = (site / "审核意见" / "某街道党工委" / "index.html").read_text(encoding="utf-8")
    assert "第7行" in html and "content.placeholder" in html and "需修改" in html
    assert "../../某街道党工委/" in [unquote(h) for h in _links(html)]  # the material
    # named as its folder would be (a name unique in the batch)
    scan = (site / "审核意见" / "扫描件" / "index.html").read_text(encoding="utf-8")
    assert "没有文字层" in scan


def test_home_page_links_the_overview(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "审核总览" in html and "审核工作台" in html


@pytest.mark.browser
def test_overview_sorts_and_filters_in_the_browser(site, browser, serve_dir):
    url = serve_dir(site) + "审核总览/"
    page = browser.new_page()
    page.goto(url)

    def visible_files():
        return page.eval_on_selector_all("#gw-review-table tbody tr:not([hidden]) td:first-child",
                                         "els => els.map(e => e.getAttribute('data-value'))")

    assert len(visible_files()) == 4 and "显示 4 / 4" in page.inner_text("#gw-review-count")
    page.select_option('select[data-gw-filter="conclusion"]', "需修改")
    assert sorted(visible_files()) == ["扫描件.pdf", "某街道党工委.txt"]
    assert "显示 2 / 4" in page.inner_text("#gw-review-count")
    page.select_option('select[data-gw-filter="conclusion"]', "")
    page.select_option('select[data-gw-filter="unit"]', "某局党组")
    assert visible_files() == ["某局党组.txt"]
    page.select_option('select[data-gw-filter="unit"]', "")
    page.click("#gw-review-table th:has-text('错误')")
    page.click("#gw-review-table th:has-text('错误')")  # descending: most errors first
    errors = page.eval_on_selector_all("#gw-review-table tbody tr td:nth-child(5)",
                                       "els => els.map(e => e.getAttribute('data-value'))")
    assert [float(e) for e in errors] == sorted((float(e) for e in errors), reverse=True)
    assert visible_files()[0] == "某局党组.txt"
    page.close()


@pytest.mark.slow
def test_make_serve_in_out_is_the_workbench(out):
    port = free_port()
    proc = subprocess.Popen(["make", "serve", f"PORT={port}", f"PYTHON={sys.executable}"], cwd=out, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        html = wait_for(f"http://127.0.0.1:{port}/%E5%AE%A1%E6%A0%B8%E6%80%BB%E8%A7%88/", lambda b: "gw-review-table" in b,
                        timeout=120)
        assert "某乡党委" in html
    finally:
        import os

        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
