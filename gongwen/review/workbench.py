"""OUT as a site that travels: mkdocs.yml, a Makefile, a home page, and in OUT/.gongwen-site/ a
copy of the project's site config (its mkdocs.yml, hooks/ and overrides/), so nothing in OUT
names a path of the machine it was made on. OUT can be moved, copied to another machine or
outlive the checkout; `make serve` needs only a Python with gongwen installed, found through
the installed `gongwen` command (or PYTHON=…).

The hooks and theme overrides are taken from the source checkout (hooks/, overrides/) next
to the installed gongwen package (`pip install -e .`, as `make setup` does). Files are
written only when their content changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import gongwen

REPO = Path(gongwen.__file__).resolve().parent.parent
SITE = ".gongwen-site"  # hidden: not a material, not listed by the INBOX scan
HOME = """# 审核工作台

本站由 `gongwen review` 生成：收到的每个文件导入为一份材料，检查结果汇总在 **[审核总览](审核总览.md)**
（可排序、按单位、类型、结论筛选，每行链接到材料及其审核意见）；同样的表格在 `审核汇总.xlsx`。

## 材料一览

<!-- gongwen:materials -->

检查规则见 [检查规则](rules.md)。
"""


def project_root() -> Path | None:
    return REPO if (REPO / "mkdocs.yml").is_file() and (REPO / "hooks").is_dir() else None


def _hooks(config_text: str) -> list[str]:
    m = re.search(r"^hooks:\s*\n((?:[ \t]*(?:#.*|-\s*\S.*)?\n)+)", config_text, re.MULTILINE)
    return re.findall(r"^[ \t]*-\s*(\S+)", m.group(1), re.MULTILINE) if m else []


def mkdocs_yml(root: Path) -> str:
    hooks = _hooks((root / "mkdocs.yml").read_text(encoding="utf-8"))
    lines = ["# 由 gongwen review 生成：审核工作台的网站配置（在本文件夹运行 make serve）。",
             f"# 继承 {SITE}/ 中项目网站配置的副本；路径都相对于本文件夹，文件夹可以整体搬动。",
             f"INHERIT: {SITE}/mkdocs.yml", "site_name: 审核工作台", "docs_dir: docs", "site_dir: site",
             "theme:", f"  custom_dir: {SITE}/overrides", "hooks:"]
    lines += [f"  - {SITE}/{h}" for h in hooks]
    return "\n".join(lines) + "\n"


def makefile() -> str:
    return """# 由 gongwen review 生成。make serve：在 http://127.0.0.1:$(PORT) 打开审核工作台；make build：生成 site/。
# 需要一个装有 gongwen 的 Python：默认用 PATH 中 gongwen 命令所属的 Python（激活 gongwen 仓库的
# .venv 即可），也可以指定：make serve PYTHON=gongwen仓库/.venv/bin/python
GONGWEN_PYTHON := $(shell sed -n '1s/^\\#!//p' "$$(command -v gongwen)" 2>/dev/null)
PYTHON ?= $(or $(GONGWEN_PYTHON),python3)
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build env
serve: env
\t$(PYTHON) -m properdocs serve -f mkdocs.yml --dirty --dev-addr 127.0.0.1:$(PORT)

build: env
\t$(PYTHON) -m properdocs build -f mkdocs.yml --site-dir site

env:
\t@$(PYTHON) -c "import gongwen, properdocs" 2>/dev/null || { echo "找不到装有 gongwen 的 Python（试了 $(PYTHON)）：请先激活 gongwen 仓库的环境（. gongwen仓库/.venv/bin/activate），或运行 make $(or $(MAKECMDGOALS),serve) PYTHON=gongwen仓库/.venv/bin/python" >&2; exit 2; }
"""


def _site_files(root: Path) -> dict[str, bytes]:
    """The project's site config, as OUT/.gongwen-site/ holds it: relative path -> content."""
    files = {"mkdocs.yml": (root / "mkdocs.yml").read_bytes()}
    for folder in ("hooks", "overrides"):
        for f in sorted((root / folder).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                files[f.relative_to(root).as_posix()] = f.read_bytes()
    return files


def write_workbench(out: Path) -> list[str]:
    """Write the site files of OUT that are missing or stale; the names of those written."""
    from ..files import write_bytes_atomic, write_if_changed

    root = project_root()
    written = []
    if root is None:  # installed without the source checkout: no hooks to point at
        return written
    site = out / SITE
    wanted = _site_files(root)
    for rel, data in wanted.items():
        target = site / rel
        if not (target.is_file() and target.read_bytes() == data):
            write_bytes_atomic(target, data)
            written.append(f"{SITE}/{rel}")
    for f in sorted(site.rglob("*"), reverse=True):  # files the project no longer has
        if f.is_file() and f.relative_to(site).as_posix() not in wanted and "__pycache__" not in f.parts:
            f.unlink()
    for name, text in (("mkdocs.yml", mkdocs_yml(root)), ("Makefile", makefile())):
        if write_if_changed(out / name, text):
            written.append(name)
    home = out / "docs" / "index.md"
    if not home.exists():  # the reviewer may edit it: never overwritten
        write_if_changed(home, HOME)
        written.append("docs/index.md")
    return written
