"""Debian's nginx serving the published branch (two versions), checked over HTTP and in
headless chromium: version selector, staying on the same material, basic auth, allow-list."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest

from deploy.nginx import render

from .conftest import ARTIFACTS, free_port
from .publishing import BRANCH, EXAMPLE, TITLES, two_versions

NGINX = "/usr/sbin/nginx"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian nginx not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    repo = two_versions(tmp_path_factory)
    dest = tmp_path_factory.mktemp("www") / "site"
    p = subprocess.run([sys.executable, "-m", "deploy.nginx", "checkout", "--branch", BRANCH, "--dest", str(dest)],
                       cwd=repo, check=False, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert dest.is_symlink() and (dest / "latest").is_symlink() and os.readlink(dest / "latest") == "v2"
    return dest


@contextmanager
def nginx(tmp: Path, root: Path, **access):
    """Debian's nginx in the foreground on a free 127.0.0.1 port, pid and logs under tmp."""
    port = free_port()
    prefix = tmp / f"nginx-{port}"
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    # Under pytest's 0700 tmp folder only root can read the files, so workers stay root here;
    # a real deployment renders with --user www-data (README).
    conf.write_text(render(root, listen=f"127.0.0.1:{port}", standalone=True, prefix=prefix,
                           user="root" if os.geteuid() == 0 else None, **access), encoding="utf-8")
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"nginx exited: {proc.stderr.read().decode()} "
                                     f"{(prefix / 'error.log').read_text() if (prefix / 'error.log').exists() else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def get(url: str, user: str | None = None, password: str | None = None):
    req = urllib.request.Request(url)
    if user is not None:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def material_url(base: str, version: str, page: str = "02-存在的问题") -> str:
    return f"{base}/{version}/{quote(EXAMPLE)}/{quote(page)}/"


def test_served_versions_cache_headers_and_aliases(checkout, tmp_path):
    with nginx(tmp_path, checkout) as base:
        status, headers, body = get(base + "/versions.json")
        assert status == 200 and headers.get("Cache-Control") == "no-cache"
        assert [v["title"] for v in json.loads(body)] == [TITLES["v2"], TITLES["v1"]]
        assert get(base + "/")[1].get("Cache-Control") == "no-cache"  # the redirect to latest/
        # The alias is a symlink in the checkout, followed; it is the same page as v2.
        latest, v2 = get(material_url(base, "latest")), get(material_url(base, "v2"))
        assert latest[0] == v2[0] == 200 and latest[2] == v2[2]
        assert latest[1].get("Cache-Control") == "no-cache" and "Cache-Control" not in v2[1]
        assert get(material_url(base, "v1"))[0] == 200
        # The sources snapshot is for the next publish, not for readers.
        assert get(base + "/v2/_gongwen/snapshot.json")[0] == 404


def test_version_selector_lists_both_and_switch_keeps_the_material(checkout, tmp_path, browser):
    with nginx(tmp_path, checkout) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + "/", wait_until="networkidle")
        assert urlparse(page.url).path == "/latest/"
        page.goto(material_url(base, "v2"), wait_until="networkidle")
        current = page.locator(".md-version__current")
        current.wait_for(timeout=10000)
        assert current.inner_text().strip() == TITLES["v2"]
        links = page.locator(".md-version__list .md-version__link")
        assert [t.strip() for t in links.all_inner_texts()] == [TITLES["v2"], TITLES["v1"]]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".md-version").hover()
        page.screenshot(path=str(ARTIFACTS / "nginx-version-selector.png"))
        page.locator(".md-version__list .md-version__link", has_text=TITLES["v1"]).click()
        page.wait_for_url(material_url(base, "v1"), timeout=10000)
        assert unquote(urlparse(page.url).path) == f"/v1/{EXAMPLE}/02-存在的问题/"
        page.locator(".md-version__current", has_text=TITLES["v1"]).wait_for(timeout=10000)
        assert "存在的问题" in page.locator("article h1").inner_text()
        # v1 of this material has no redline note; v2 has one (it changed).
        assert page.locator(".gongwen-redline-note").count() == 0
        outside = {urlparse(u).hostname for u in requests} - {"127.0.0.1"}
        assert outside == set(), outside
        page.close()


def test_basic_auth_and_allow_list(checkout, tmp_path, browser):
    htpasswd = tmp_path / "htpasswd"
    p = subprocess.run([sys.executable, "-m", "deploy.nginx", "passwd", str(htpasswd), "reviewer", "--password-stdin"],
                       input="对照 检查\n", check=False, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert p.returncode == 0, p.stderr
    assert htpasswd.read_text().startswith("reviewer:$apr1$")
    with nginx(tmp_path, checkout, htpasswd=htpasswd, allow=["127.0.0.1/32"]) as base:
        status, headers, _ = get(base + "/latest/")
        assert status == 401 and headers.get("WWW-Authenticate", "").startswith("Basic")
        assert get(base + "/versions.json")[0] == 401
        assert get(base + "/latest/", "reviewer", "wrong")[0] == 401
        assert get(base + "/latest/", "reviewer", "对照 检查")[0] == 200
        # A browser with the password sees the site, version selector included.
        ctx = browser.new_context(http_credentials={"username": "reviewer", "password": "对照 检查"})
        page = ctx.new_page()
        page.goto(material_url(base, "v2"), wait_until="networkidle")
        page.locator(".md-version__list .md-version__link").first.wait_for(state="attached", timeout=10000)
        assert page.locator(".md-version__list .md-version__link").count() == 2
        ctx.close()
    # An address outside the allow-list is refused even with the right password.
    with nginx(tmp_path, checkout, htpasswd=htpasswd, allow=["10.11.12.0/24"]) as base:
        assert get(base + "/latest/", "reviewer", "对照 检查")[0] == 403


def test_checkout_again_and_render_refuses_bad_input(checkout, tmp_path, tmp_path_factory):
    from deploy.nginx import UsageError

    target = os.readlink(checkout)
    p = subprocess.run([sys.executable, "-m", "deploy.nginx", "checkout", "--branch", BRANCH, "--dest", str(checkout)],
                       cwd=two_versions(tmp_path_factory), check=False, capture_output=True, text=True)
    assert p.returncode == 0 and os.readlink(checkout) == target  # same commit: same folder
    for bad in ({"allow": ["10.0.0.0/8; deny all"]}, {"listen": "80; include /etc/passwd"},
                {"server_name": "x; root /"}):
        with pytest.raises(UsageError):
            render(tmp_path, **bad)
