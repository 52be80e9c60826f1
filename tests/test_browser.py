"""The built site in Debian's headless chromium: Chinese renders, search finds the seed
material, and no request leaves 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_search_finds_seed_and_no_request_leaves_the_host(built_site, serve_dir, browser):
    base = serve_dir(built_site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base, wait_until="networkidle")
    assert "公文材料库" in page.title()
    page.click("label.md-search__icon, .md-search__input", timeout=5000)
    box = page.locator("input.md-search__input")
    box.fill("三会一课")
    box.press("End")  # Material runs the query on a key event after IME-style input
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    texts = results.all_inner_texts()
    assert any("2023年第二批主题教育" in t or "存在的问题" in t for t in texts), texts
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-三会一课.png"))
    page.locator('.md-search-result__link[href*="2023-zhuti-jiaoyu-banzi"]').first.click()
    page.wait_for_load_state("networkidle")
    assert "2023-zhuti-jiaoyu-banzi" in page.url
    page.screenshot(path=str(ARTIFACTS / "material-page.png"), full_page=False)
    # Chinese renders with a CJK font (not boxes): the heading has real width per glyph.
    width = page.evaluate("() => { const h = document.querySelector('article h1'); "
                          "const r = document.createRange(); r.selectNodeContents(h); return r.getBoundingClientRect().width; }")
    assert width > 100
    outside = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https")} - {"127.0.0.1"}
    assert outside == set(), outside
    assert not [u for u in requests if urlparse(u).scheme not in ("http", "https", "data", "blob")]
    page.close()
