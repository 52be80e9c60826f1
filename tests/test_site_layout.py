"""Issue 24, in Debian's chromium: the 整改进度 table stays within the content column at the
widths offices use, and the Word download link reads as a link, not as a disabled grey."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
SAMPLE = "示例-2024-青禾镇党委"


def _luminance(rgb: str) -> float:
    parts = [float(x) for x in rgb[rgb.index("(") + 1:-1].split(",")]
    r, g, b = (c / 255 for c in parts[:3])
    alpha = parts[3] if len(parts) == 4 else 1.0
    # Over the white page: a translucent colour is lighter than its channels say.
    r, g, b = (alpha * c + (1 - alpha) for c in (r, g, b))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("width", [1280, 1600])
def test_overview_table_within_the_content_column(built_site, serve_dir, browser, width):
    base = serve_dir(built_site)
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + quote("整改进度") + "/", wait_until="networkidle")
    box = page.evaluate("""() => {
        const t = document.querySelector('article table'), a = document.querySelector('article');
        const ths = [...t.querySelectorAll('th')], last = ths[ths.length - 1];
        return {right: a.getBoundingClientRect().right, table: t.getBoundingClientRect().right,
                last: last.getBoundingClientRect().right, lastText: last.textContent};
    }""")
    assert box["lastText"] == "没有措施的问题"
    assert box["last"] <= box["right"] + 1 and box["table"] <= box["right"] + 1, box
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"整改进度-{width}.png"))
    page.close()


def test_download_link_is_visible_and_names_the_file_it_links(built_site, serve_dir, browser):
    base = serve_dir(built_site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + quote(SAMPLE) + "/", wait_until="networkidle")
    link = page.locator("a.gongwen-download")
    assert link.is_visible() and "下载 Word 版" in link.inner_text()
    color = page.evaluate("el => getComputedStyle(el).color", link.element_handle())
    contrast = 1.05 / (_luminance(color) + 0.05)  # against the white page
    assert contrast >= 4.5, (color, contrast)  # WCAG AA for text; the old grey was about 2.2
    href, name = link.get_attribute("href"), link.get_attribute("download")
    assert unquote(href).rsplit("/", 1)[-1] == name  # the file saved is the file linked
    assert (built_site / SAMPLE / name).is_file()
    page.close()
