"""Shared test helpers: paths, and a real site build in tmp_path with the project's config."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_TXT = REPO / "tests" / "fixtures" / "seed" / "2023-zhuti-jiaoyu-banzi.txt"  # see its README.md
SEED_DIR = REPO / "docs" / "2023-zhuti-jiaoyu-banzi"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# The project runs on ProperDocs (`make serve/build`); its alias makes every `mkdocs.*` import
# in this process (hooks, Material, the tests) load ProperDocs' modules, so in-process builds
# use the same engine as `make build`. tests/test_engines.py also builds with plain MkDocs.
import properdocs.replacement  # noqa: F401

# As the properdocs command does: plugins' `mkdocs.*` loggers (ours: mkdocs.plugins.gongwen)
# feed the `properdocs` logger, whose warning counter makes `--strict` fail.
logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")

ENGINE = "properdocs"


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
    """Build with load_config + build, as `properdocs build -f mkdocs.yml` would, from inside
    the project."""
    from properdocs.commands.build import build
    from properdocs.config import load_config

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


# --- checker helpers (tests/test_rules_*.py, test_cli_check.py, test_fuzz_check.py) -------

FRONT = "---\ntype: {type}\nyear: 2023\nunit: 某镇党委领导班子\n密级: 内部\n状态: {stage}\n---\n\n"
CLEAN_TITLE = "某镇党委2023年主题教育专题民主生活会领导班子对照检查材料"
# A complete, clean 2023 主题教育 material (realistic text, every problem with an example).
CLEAN = {
    "index.md": f"# {CLEAN_TITLE}\n\n"
                "按照县委关于开好主题教育专题民主生活会的通知要求，镇党委班子会前集中学习4次，"
                "发放征求意见表120份，梳理意见建议26条。现对照检查如下：\n",
    "01-存在的问题.md": """# 存在的问题

## 在理论学习方面

**理论学习不深不透。**对党的创新理论满足于读原文、记笔记，联系实际思考不够。如，今年理论学习中心组学习12次，其中4次以传达文件代替专题研讨。

**学用结合不够紧密。**运用党的创新理论指导乡村振兴的办法不多。如，2023年确定的3个调研课题，有2个没有形成解决问题的具体措施。

## 在政治素质方面

**执行民主集中制不够严格。**个别“三重一大”事项会前酝酿不充分。如，6月研究农贸市场改造项目时，会议材料会前1天才送达班子成员。

## 在能力本领方面

**破解发展难题的能力不强。**对产业项目落地中的堵点研究不深。如，全年签约项目5个，落地开工的只有2个。

## 在担当作为方面

**直面矛盾的担当不够。**遇到群众利益交织的复杂问题存在求稳怕乱心理。如，老旧小区加装电梯因12户居民意见不一，协调工作拖了半年。

## 在工作作风方面

**调查研究不够深入。**下基层有时走马观花。如，班子成员全年到村调研38次，其中一半以上只听汇报、不进农户。

## 在廉洁自律方面

**落实“一岗双责”有温差。**对分管领域廉政风险排查不够深入。如，2个村党组织年度考核得分低于全镇平均分8分以上，联系班子成员全年只开展过1次谈话提醒。
""",
    "02-原因剖析.md": """# 原因剖析

## 理论武装还不够深入

班子对学习贯彻习近平新时代中国特色社会主义思想重要性的认识是到位的，但在学深悟透、融会贯通上下功夫不够，存在以干代学、以会代学的现象。

## 宗旨意识有所淡化

有的班子成员联系群众不够经常，对群众急难愁盼问题研究不深，坚决做到“两个维护”的具体要求落实得还不够细。
""",
    "03-整改措施.md": """# 整改措施

## 持续强化理论武装

坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，2024年围绕党的二十大精神开展专题学习不少于10次，每次学习后形成落实清单。

## 压实管党治党责任

党委书记认真履行第一责任人职责，班子成员落实“一岗双责”，每半年至少到联系村开展1次廉政谈话。
""",
}


def write_material(root: Path, files: dict[str, str] | None = None, *, name: str = "material",
                   type: str = "2023-zhuti-jiaoyu-banzi", stage: str = "定稿", front: bool = True) -> Path:
    """A folder material under root: CLEAN with `files` replacing or adding files (None deletes)."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    merged = {**CLEAN, **(files or {})}
    for fname, text in merged.items():
        if text is None:
            continue
        if fname == "index.md" and front:
            text = FRONT.format(type=type, stage=stage) + text
        (folder / fname).write_text(text, encoding="utf-8")
    return folder


# Files that give a material findings of many kinds (CLEAN has none): a renamed section, a
# half-width comma, a placeholder, a missing file, a title-only index with raw HTML.
SLIPS = [
    {},
    {"02-原因剖析.md": "# 原因分析\n\n思想认识不到位，学习不够深入,没有把理论学习摆在首位。\n"},
    {"01-存在的问题.md": "# 存在的问题\n\n## 在政治素养方面\n\n**学风不实。**有*个村的学习记录不全。\n"},
    {"03-整改措施.md": None},
    {"index.md": "# 标题\n\n导语中有“未闭合的引号。<script>x</script>\n"},
]


def check_path(path, **kwargs):
    """Parse and check one input as the CLI does (load + check)."""
    from gongwen.check.run import check
    from gongwen.read import load

    return check(load(path), **kwargs)


def of_rule(diags, rule: str) -> list:
    """Diagnostics of a rule id or of its sub-ids."""
    return [d for d in diags if d.rule == rule or d.rule.startswith(rule + ".")]


def make_docx(lines: list[str], path: Path) -> Path:
    """A Word file with one paragraph per line, as an office would send it."""
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def wait_for(url: str, predicate, timeout: float = 60, decode=lambda raw: raw.decode("utf-8")) -> str:
    """Poll url until predicate(decoded body) holds (a server rebuilding after an edit)."""
    import time
    import urllib.request

    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                last = decode(resp.read())
            if predicate(last):
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not reach the expected state; last body:\n{last[:500]}")
