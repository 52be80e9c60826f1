"""The page cache of `make build` (hooks/page_cache_hooks.py, gongwen/site/pagecache.py): a build
after an unchanged one writes the same site without rendering the unchanged materials again,
an edit renders its material again, and a page that warned is never kept."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import copy_project

REUSED = re.compile(r"页面缓存：(\d+) / (\d+) 份材料未变，沿用上次构建的 (\d+) 个页面")
SEED = "2023-zhuti-jiaoyu-banzi"
EXAMPLE = "示例-2024-青禾镇党委"


def _build(project: Path, *, engine: str = "properdocs", strict: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGWEN_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    cmd = [sys.executable, "-m", engine, "build", "-f", "mkdocs.yml"] + (["--strict"] if strict else [])
    run = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stderr


def _reused(log: str) -> tuple[int, int] | None:
    m = REUSED.search(log)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _files(site: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(site.rglob("*")):
        if not p.is_file():
            continue
        data = p.read_bytes()
        if p.suffix == ".xlsx":  # openpyxl stamps the time of writing into docProps/core.xml
            with zipfile.ZipFile(p) as z:
                data = b"".join(z.read(n) for n in sorted(z.namelist()) if n != "docProps/core.xml")
        out[p.relative_to(site).as_posix()] = data
    return out


def _assert_same_site(a: Path, b: Path) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    differ = [name for name in fa if fa[name] != fb[name]]
    assert differ == []


@pytest.mark.parametrize("engine", ["properdocs", "mkdocs"])
def test_a_second_build_writes_the_same_site_without_rendering_again(tmp_path, engine):
    project = copy_project(tmp_path)
    first = _build(project, engine=engine)
    assert _reused(first) is None
    shutil.move(project / "site", tmp_path / "site-first")
    second = _build(project, engine=engine)
    # Every page of both materials came from the cache, and the site is byte for byte the same:
    # pages, search index, Word files, sitemap.
    assert _reused(second) == (2, 2)
    _assert_same_site(tmp_path / "site-first", project / "site")


def test_an_edit_renders_its_material_again_and_nothing_else(tmp_path):
    project = copy_project(tmp_path)
    _build(project)
    section = project / "docs" / EXAMPLE / "04-原因剖析.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n新加的一段：页面缓存测试。\n", encoding="utf-8")
    log = _build(project)
    assert _reused(log) == (1, 2)
    page = (project / "site" / EXAMPLE / "04-原因剖析" / "index.html").read_text(encoding="utf-8")
    assert "新加的一段：页面缓存测试。" in page
    # The same as a build that renders everything.
    shutil.move(project / "site", tmp_path / "site-warm")
    shutil.rmtree(project / ".cache" / "pages")
    assert _reused(_build(project)) is None
    _assert_same_site(tmp_path / "site-warm", project / "site")


def test_a_change_to_the_theme_or_the_home_page_renders_every_page(tmp_path):
    project = copy_project(tmp_path)
    _build(project)
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block config %}", "{% block extrahead %}<meta name=\"x-cache-test\" content=\"1\">{% endblock %}\n"
        "{% block config %}", 1), encoding="utf-8")
    assert _reused(_build(project)) is None
    page = (project / "site" / SEED / "01-存在的问题" / "index.html").read_text(encoding="utf-8")
    assert 'name="x-cache-test"' in page
    assert _reused(_build(project)) == (2, 2)
    # The home page's title is in every material's sidebar.
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8").replace("\n", "\n\n本页为测试而改。\n", 1), encoding="utf-8")
    assert _reused(_build(project)) is None


def test_a_page_that_warned_is_rendered_again_and_warns_again(tmp_path):
    project = copy_project(tmp_path)
    section = project / "docs" / EXAMPLE / "04-原因剖析.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n参见[不存在的页面](不存在.md)。\n", encoding="utf-8")
    warning = "不存在.md"
    first = _build(project, strict=False)
    assert warning in first
    second = _build(project, strict=False)
    # The material with the warning is rendered again, so its warning is printed again (and
    # would fail a strict build again); the other material comes from the cache.
    assert warning in second
    assert _reused(second) == (1, 2)


def test_the_key_follows_the_inherited_configuration_and_the_environment(tmp_path, monkeypatch):
    # The reviewer's workbench inherits the repository's mkdocs.yml (INHERIT:): a change there,
    # or in an environment variable it reads, is a change to every page.
    from gongwen.site.pagecache import site_inputs

    base, own = tmp_path / "base.yml", tmp_path / "review" / "mkdocs.yml"
    own.parent.mkdir()
    base.write_text("site_name: 公文材料库\nsite_url: !ENV [GONGWEN_SITE_URL, null]\n", encoding="utf-8")
    own.write_text(f"INHERIT: {base}\ndocs_dir: docs\n", encoding="utf-8")
    monkeypatch.delenv("GONGWEN_SITE_URL", raising=False)
    first = site_inputs(own, [], [])
    assert site_inputs(own, [], []) == first
    monkeypatch.setenv("GONGWEN_SITE_URL", "http://intranet.example/")
    second = site_inputs(own, [], [])
    assert second != first
    base.write_text("site_name: 材料库\nsite_url: !ENV [GONGWEN_SITE_URL, null]\n", encoding="utf-8")
    third = site_inputs(own, [], [])
    assert third not in (first, second)
    # gongwen's own switches, which the hooks read directly (a schema folder, a release …).
    monkeypatch.setenv("GONGWEN_SCHEMAS", str(tmp_path))
    assert site_inputs(own, [], []) != third
