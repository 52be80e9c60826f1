"""OUT as a site: mkdocs.yml (inheriting the project's config, hooks by absolute path),
a Makefile whose `make serve` runs the project's mkdocs, and a home page.

The project's hooks and theme overrides live in the source checkout (hooks/, overrides/),
next to the installed gongwen package when it is installed with `pip install -e .`
(as `make setup` does). Files are written only when their content changes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import gongwen

REPO = Path(gongwen.__file__).resolve().parent.parent
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
    base = root / "mkdocs.yml"
    hooks = [str((root / h).resolve()) for h in _hooks(base.read_text(encoding="utf-8"))]
    lines = ["# 由 gongwen review 生成：审核工作台的网站配置（在本文件夹运行 make serve）。",
             "# 继承项目的 mkdocs.yml；钩子和主题覆盖用项目中的绝对路径。",
             f"INHERIT: {_q(base)}", "site_name: 审核工作台", "docs_dir: docs", "site_dir: site",
             "theme:", f"  custom_dir: {_q(root / 'overrides')}", "hooks:"]
    lines += [f"  - {_q(Path(h))}" for h in hooks]
    return "\n".join(lines) + "\n"


def makefile() -> str:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    return f"""# 由 gongwen review 生成。make serve：在 http://127.0.0.1:$(PORT) 打开审核工作台；make build：生成 site/。
MKDOCS := {mkdocs}
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build
serve:
\t$(MKDOCS) serve --dirty --dev-addr 127.0.0.1:$(PORT)

build:
\t$(MKDOCS) build --site-dir site
"""


def _q(path: Path) -> str:
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_workbench(out: Path) -> list[str]:
    """Write the site files of OUT that are missing or stale; the names of those written."""
    from ..files import write_if_changed

    root = project_root()
    written = []
    if root is None:  # installed without the source checkout: no hooks to point at
        return written
    for name, text in (("mkdocs.yml", mkdocs_yml(root)), ("Makefile", makefile())):
        if write_if_changed(out / name, text):
            written.append(name)
    home = out / "docs" / "index.md"
    if not home.exists():  # the reviewer may edit it: never overwritten
        write_if_changed(home, HOME)
        written.append("docs/index.md")
    return written
