"""Shared test helpers: paths, and a real site build in tmp_path with the project's config."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_TXT = REPO.parent / "shared" / "corpus" / "2023-zhuti-jiaoyu-banzi.txt"
SEED_DIR = REPO / "docs" / "2023-zhuti-jiaoyu-banzi"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def copy_project(dest: Path, docs: Path | None = None) -> Path:
    """Copy the site config (mkdocs.yml, hooks, overrides, dictionary) into dest, with docs."""
    for name in ("mkdocs.yml",):
        shutil.copy2(REPO / name, dest / name)
    for name in ("hooks", "overrides"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "gongwen" / "data").mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "gongwen" / "data", dest / "gongwen" / "data", dirs_exist_ok=True)
    shutil.copytree(docs or REPO / "docs", dest / "docs")
    return dest


def build_site(project: Path, *, strict: bool = True, env: dict | None = None) -> Path:
    """Build with load_config + build, as `mkdocs build` would, from inside the project."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    old_cwd, old_env = os.getcwd(), dict(os.environ)
    os.chdir(project)
    os.environ.update(env or {})
    try:
        cfg = load_config(config_file=str(project / "mkdocs.yml"), strict=strict)
        build(cfg)
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    return project / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project's own docs built once per session (read-only for tests)."""
    root = tmp_path_factory.mktemp("site")
    copy_project(root)
    return build_site(root)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve_dir():
    """Serve a folder over HTTP on 127.0.0.1 (a random port) for browser tests."""
    import functools
    import http.server
    import threading

    servers = []

    def start(root: Path) -> str:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
        handler.log_message = lambda *a, **k: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
