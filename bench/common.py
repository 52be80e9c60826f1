"""Shared pieces of the benchmark runner: the section registry, workspaces, measured runs.

Adding a benchmark section (e.g. `bench/search_bench.py`):

    from bench.common import Context, section

    @section("search", "搜索", order=40)
    def search(ctx: Context) -> str:
        ws = ctx.workspace(ctx.sizes[-1])    # generated corpus for N (docs in ws.docs)
        site = ws.ensure_built("project")     # a built site (untimed if the build section did not run)
        ...
        ctx.record("search", {...})           # raw numbers, saved to bench/out/results.json
        return "### 搜索\\n\\n| ... |\\n"       # Markdown, printed by the runner

`bench/run.py` imports the known section modules (a missing optional one is skipped) and
runs the sections in `order`. A module may instead define `TITLE = "…"` and
`def bench(ctx) -> str`; the runner registers it under the module's name.
Sections measure and report; they never assert timings.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import MARKER, generate

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}


# --------------------------------------------------------------------------- registry

@dataclass
class Section:
    name: str
    title: str
    func: Callable[[Context], str]
    order: int = 50


SECTIONS: dict[str, Section] = {}


def section(name: str, title: str, order: int = 50):
    """Register a benchmark section: a function of the Context returning Markdown."""
    def register(func):
        SECTIONS[name] = Section(name, title, func, order)
        return func
    return register


# --------------------------------------------------------------------------- measured processes

@dataclass
class Measure:
    wall: float  # seconds, whole process including interpreter start-up
    maxrss: int  # bytes, peak resident set of the child (from wait4)
    rc: int
    output: str = ""
    cpu: float = 0.0  # seconds of user + system CPU of the child: less sensitive than wall time
    # to other load on the machine


def run_measured(cmd: list[str], *, cwd: Path = REPO, stdout=None, env: dict | None = None) -> Measure:
    """Run cmd, return wall time and the child's own peak RSS (os.wait4 gives per-child rusage)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=stdout if stdout is not None else err,
                                stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        output = err.read().decode("utf-8", "replace")
    return Measure(wall, usage.ru_maxrss * 1024, proc.returncode, output, usage.ru_utime + usage.ru_stime)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- workspaces

PLAIN_YML = """# Plain Material for comparison: same theme and language, Material's own search with
# jieba, the project's Markdown extensions; no hooks, no custom_dir, no privacy, no features.
site_name: 公文材料库
docs_dir: docs
site_dir: site-plain
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
{user_dict}
{extensions}"""
USER_DICT = "gongwen/data/jieba_user_dict.txt"  # relative to the repo root, the builds' cwd


def _block(text: str, pattern: str) -> str | None:
    m = re.search(pattern, text, re.MULTILINE)
    return m.group(0).rstrip("\n") + "\n" if m else None


def plain_config(project_yml: str) -> str:
    """The plain config; markdown_extensions copied verbatim from the project's mkdocs.yml."""
    exts = _block(project_yml, r"^markdown_extensions:\n(?:(?:  .*)?\n)*") or ""
    user = f"      jieba_dict_user: {USER_DICT}" if (REPO / USER_DICT).exists() else ""
    return PLAIN_YML.format(user_dict=user, extensions=exts)


@dataclass
class Workspace:
    """bench/out/n{N}/: the generated docs plus the project's config (mkdocs.yml, hooks/,
    overrides/ copied verbatim) and a plain Material config, built with cwd = repo root so
    relative paths in mkdocs.yml (the jieba user dictionary) resolve as in `make build`."""
    n: int
    root: Path
    built: set = field(default_factory=set)

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def config(self, kind: str) -> Path:
        return self.root / ("mkdocs.yml" if kind == "project" else "plain.yml")

    def site(self, kind: str) -> Path:
        return self.root / ("site" if kind == "project" else "site-plain")

    def md_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.docs.rglob("*.md"))

    def build_cmd(self, kind: str, *extra: str) -> list[str]:
        # The project's engine (`make build`), for both configurations.
        return [str(BIN / "properdocs"), "build", "-f", str(self.config(kind)), *extra]

    def build(self, kind: str) -> Measure:
        m = run_measured(self.build_cmd(kind))
        if m.rc == 0:
            self.built.add(kind)
        return m

    def ensure_built(self, kind: str = "project") -> Path:
        """The built site for kind, building it (untimed) if this run has not yet."""
        if kind not in self.built or not (self.site(kind) / "index.html").exists():
            m = self.build(kind)
            if m.rc != 0:
                raise RuntimeError(f"mkdocs build ({kind}, N={self.n}) failed:\n{m.output[-3000:]}")
        return self.site(kind)

    def copy_to(self, root: Path) -> Workspace:
        """A copy of docs and configs (for benches that edit files, e.g. serve)."""
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        install_configs(root)
        shutil.copytree(self.docs, root / "docs")
        return Workspace(self.n, root)


def install_configs(root: Path) -> None:
    for name in ("hooks", "overrides"):
        if (root / name).exists():
            shutil.rmtree(root / name)
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    project = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(project, encoding="utf-8")
    (root / "plain.yml").write_text(plain_config(project), encoding="utf-8")


# --------------------------------------------------------------------------- context

@dataclass
class Context:
    sizes: list[int]
    runs: int
    seed: int = 0
    options: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)
    _workspaces: dict = field(default_factory=dict)

    def log(self, msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    def record(self, key: str, value) -> None:
        self.results[key] = value

    def workspace(self, n: int) -> Workspace:
        """The corpus for N, generated once per run into bench/out/n{N}/docs."""
        if n not in self._workspaces:
            root = OUT / f"n{n}"
            root.mkdir(parents=True, exist_ok=True)
            install_configs(root)
            t0 = time.perf_counter()
            docs = root / "docs"
            if docs.exists() and not (docs / MARKER).exists():
                shutil.rmtree(docs)
            generate(n, docs, self.seed)
            ws = Workspace(n, root)
            self.log(f"N={n}：已生成语料 {ws.md_bytes() / 1e6:.2f} MB（{time.perf_counter() - t0:.1f} 秒）")
            self._workspaces[n] = ws
        return self._workspaces[n]


# --------------------------------------------------------------------------- formatting

def table(headers: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def mib(b: float) -> str:
    return f"{b / 2**20:.0f} MiB"


def size(b: float) -> str:
    if b >= 1e9:
        return f"{b / 1e9:.1f} GB"
    if b >= 1e6:
        return f"{b / 1e6:.1f} MB"
    return f"{b / 1e3:.1f} KB"


def secs(s: float) -> str:
    return f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"
