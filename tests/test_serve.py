"""`mkdocs serve` as a writer uses it: diagnostics shown on the page at their lines, and
the page and the home listing stay right after an edit (rebuilds reuse cached materials)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_project, free_port, wait_for

SEED_PAGE = "2023-zhuti-jiaoyu-banzi/01-%E5%AD%98%E5%9C%A8%E7%9A%84%E9%97%AE%E9%A2%98/"


@pytest.fixture(params=["full", "dirty"])
def served(tmp_path: Path, request):
    copy_project(tmp_path)
    extra = ["--dirty"] if request.param == "dirty" else []
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml",
                             "--dev-addr", f"127.0.0.1:{port}", *extra],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield tmp_path, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def panel_items(page: str) -> list[str]:
    panel = re.search(r"<details class=\"admonition [a-z]+ gongwen-panel\".*?</details>", page, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", panel.group(0), re.S) if panel else []


def test_preview_shows_diagnostics_and_follows_edits(served):
    root, base = served
    page = wait_for(base + SEED_PAGE, lambda p: "gongwen-panel" in p)
    items = panel_items(page)
    # The seed's * redactions are info in a draft, at their lines of 01-存在的问题.md.
    star_lines = {int(m) for it in items if "content.placeholder" in it for m in re.findall(r"第 (\d+) 行", it)}
    source = (root / "docs/2023-zhuti-jiaoyu-banzi/01-存在的问题.md").read_text(encoding="utf-8").split("\n")
    expected = {i + 1 for i, line in enumerate(source) if "\\*" in line}
    assert star_lines == expected and expected
    assert all("提示" in it for it in items if "content.placeholder" in it)

    # Edit: a web residue pasted into the section, and the status changed in index.md.
    section = root / "docs/2023-zhuti-jiaoyu-banzi/01-存在的问题.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n发布时间：2023-12-01\n", encoding="utf-8")
    index = root / "docs/2023-zhuti-jiaoyu-banzi/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("状态: 草稿", "状态: 征求意见稿"), encoding="utf-8")
    page = wait_for(base + SEED_PAGE, lambda p: "content.residue" in p)
    residue = [it for it in panel_items(page) if "content.residue" in it]
    assert residue and f"第 {len(source) + 1} 行" in residue[0]
    # In a 征求意见稿 the redactions are warnings now.
    assert all("警告" in it for it in panel_items(page) if "content.placeholder" in it)
    home = wait_for(base, lambda p: "征求意见稿" in p)
    assert "草稿" not in re.sub(r"<[^>]+>", "", home.split("材料一览")[1])

    # A new section file renumbers the files after it, though they were not edited.
    (root / "docs/2023-zhuti-jiaoyu-banzi/015-典型案例剖析.md").write_text(
        "# 典型案例剖析\n\n## 某村集体经济项目推进缓慢\n\n2023年该项目延误3个月。\n", encoding="utf-8")
    causes = base + "2023-zhuti-jiaoyu-banzi/02-%E5%8E%9F%E5%9B%A0%E5%89%96%E6%9E%90/"
    page = wait_for(causes, lambda p: "三、原因剖析" in p)
    assert "二、原因剖析" not in page
