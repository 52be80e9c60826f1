"""`make offline`: the zip opens from file:// in headless chromium, search finds a material by
a Chinese term, and nothing is requested from any host."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from urllib.parse import unquote, urlparse

import pytest

from .conftest import ARTIFACTS, REPO
from .publishing import EXAMPLE, SEED

pytestmark = pytest.mark.browser
TERM = "茶叶产业"  # in the 示例 material only


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("offline")
    out = tmp / "dist" / "离线版.zip"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGWEN_", "MIKE_"))}
    p = subprocess.run([sys.executable, "-m", "deploy.offline", "--output", str(out)], cwd=REPO, env=env, check=False,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "已生成" in p.stdout
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        z.extractall(tmp / "unpacked")
    return tmp / "unpacked" / "gongwen-offline", names


def test_bundle_carries_the_shim_and_no_draft(bundle):
    root, names = bundle
    assert all(n.startswith("gongwen-offline/") for n in names)
    assert "gongwen-offline/assets/vendor/iframe-worker/shim.js" in names
    assert not [n for n in names if f"/{SEED}/" in n]
    assert f"gongwen-offline/{EXAMPLE}/index.html" in names
    for page in root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "iframe-worker/shim.js" in text, page
        assert 'class="md-version' not in text  # no versions.json beside a bundle


def test_search_from_file_url_without_any_host(bundle, browser):
    root, _ = bundle
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((root / "index.html").as_uri(), wait_until="load")
    assert "公文材料库" in page.title()
    page.click("label.md-search__icon, .md-search__input", timeout=5000)
    box = page.locator("input.md-search__input")
    box.fill(TERM)
    box.press("End")  # Material runs the query on a key event
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20000)
    texts = results.all_inner_texts()
    assert any("青禾镇" in t for t in texts), texts
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "offline-search.png"))
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and EXAMPLE in unquote(page.url)
    assert TERM in page.locator("article").inner_text()
    schemes = {urlparse(u).scheme for u in requests}
    assert schemes <= {"file", "data", "blob", "about"}, [u for u in requests if not u.startswith("file:")]
    assert not [u for u in requests if urlparse(u).hostname], requests
    page.close()
