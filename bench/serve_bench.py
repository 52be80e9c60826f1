"""Edit → reload in `make serve` (`properdocs serve`), as a browser sees it, plus correctness
after the rebuild.

A session starts `properdocs serve --livereload [--dirty]` on a free 127.0.0.1 port over a copy
of the corpus, waits until the home page is served, then edits material files. For each
edit it does what Material's page does in a browser: it long-polls MkDocs' livereload
endpoint with the epoch of the page it holds, and when that returns, fetches the page again;
the time from writing the file to receiving the page with the new text is the edit→reload
time. The server's log lines, time-stamped as they arrive, split it into detection (MkDocs
watches with a polling observer, 0.5 s period, then waits 0.1 s for quiet) and rebuild.

Edits go to materials in 草稿 state: a new point with an `XX` placeholder (an info-level
diagnostic in a 草稿, so a strict config keeps building) appended to a section file, and a
title change in an index.md. After them, for the project's config, it checks that the
edited page shows its diagnostic at the right line, that the home page still lists every
material and shows the new title, and what the search index holds.

The project's preview is focused (hooks/gongwen_hooks.py): the session names the materials it
edits with M= (GONGWEN_PREVIEW), as a writer working on them would have them in the preview
(uncommitted changes do the same); `--serve-preview all` renders every material (ALL=1). A
last edit goes to a material outside the preview set: the time until its page is served.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from bench.build_bench import plain_allowed
from bench.common import (
    BIN,
    ENV,
    OUT,
    REPO,
    Context,
    Workspace,
    free_port,
    loadavg,
    median,
    mib,
    secs,
    section,
    table,
)
from bench.generate import page_url

LIVERELOAD = re.compile(rb"livereload\((\d+),\s*(\d+)\)")
MODES = {False: "serve", True: "serve --dirty"}
KIND_NAMES = {"project": "本项目", "plain": "原版 Material"}


class Server:
    def __init__(self, ws: Workspace, kind: str, dirty: bool, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [str(BIN / "properdocs"), "serve", "-f", str(ws.config(kind)), "--dev-addr", f"127.0.0.1:{self.port}",
               "--livereload"] + (["--dirty"] if dirty else [])
        self.lines: list[tuple[float, str]] = []
        self.t_start = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=REPO, env={**ENV, **(env or {})}, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for raw in self.proc.stdout:
            self.lines.append((time.perf_counter(), raw.decode("utf-8", "replace").rstrip()))

    def get(self, path: str, timeout: float = 900) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + quote(path), timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def wait_ready(self, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                raise RuntimeError("properdocs serve exited:\n" + "\n".join(line for _, line in self.lines[-30:]))
            try:
                status, _ = self.get("/", timeout=5)
                if status == 200:
                    return time.perf_counter() - self.t_start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise TimeoutError("properdocs serve did not come up")

    def epoch(self, body: bytes) -> int:
        m = LIVERELOAD.search(body)
        if not m:
            raise RuntimeError("no livereload script in the served page")
        return int(m.group(1))

    def reload_until(self, path: str, marker: str, epoch: int, timeout: float) -> tuple[float, bytes]:
        """Like the browser: long-poll /livereload/<epoch>/<id>; on a newer epoch, fetch the page."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            _, answer = self.get(f"/livereload/{epoch}/1", timeout=120)
            new = int(answer.strip() or 0)
            if new > epoch:
                _, body = self.get(path)
                epoch = self.epoch(body)
                if marker.encode() in body:
                    return time.perf_counter(), body
        raise TimeoutError(f"edit not served within {timeout:.0f} s")

    def phases(self, t0: float, t1: float) -> dict:
        after = [(t, line) for t, line in self.lines if t0 <= t <= t1 + 0.5]
        detect = next((t for t, line in after if "Detected file changes" in line), None)
        built = next((t for t, line in after if "Reloading browsers" in line and detect and t >= detect), None)
        reported = [float(m.group(1)) for _, line in after if (m := re.search(r"built in ([\d.]+) seconds", line))]
        return {"detect": detect - t0 if detect else None, "rebuild": built - detect if built and detect else None,
                "reported": reported[-1] if reported else None}

    def stop(self) -> int:
        """Stop with SIGINT (MkDocs cleans its temp site), return the process's peak RSS in bytes."""
        self.proc.send_signal(signal.SIGINT)
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return usage.ru_maxrss * 1024
            time.sleep(0.1)
        self.proc.kill()
        _, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_maxrss * 1024


SEARCH_FILES = ("search/search_index.json", "search/gongwen_index.bin", "search/gongwen_index.js")


def search_text(srv: Server) -> str:
    """The served search index files as text: Material's JSON (unescaped) or gongwen's index
    (UTF-16LE .bin, or .js)."""
    out = []
    for path in SEARCH_FILES:
        status, raw = srv.get("/" + path)
        if status != 200:
            continue
        if path.endswith(".bin"):
            out.append(raw.decode("utf-16-le", "replace"))
        elif path.endswith(".json"):
            out.append(json.dumps(json.loads(raw), ensure_ascii=False))
        else:
            out.append(json.loads(raw.decode("utf-8").split("=", 1)[1].rstrip().rstrip(";")))
    return "\n".join(out)


def _listing_rows(home: bytes) -> int:
    # Rows of the home page table: links to a material folder (…-0001/).
    return len(set(re.findall(rb'href="\.?/?([^"/]+-\d{4,5})/"', home)))


def session(ctx: Context, ws: Workspace, kind: str, dirty: bool, edits: int, preview: str = "focus") -> dict:
    rng = random.Random(f"serve:{ws.n}:{kind}:{dirty}")
    copy = ws.copy_to(OUT / f"n{ws.n}" / "serve")
    # Edit targets spread over the corpus, made 草稿 in this copy before the server starts, so an
    # inserted placeholder is an info (a strict build keeps going) and shows in the panel.
    folders = sorted(p.parent for p in copy.docs.glob("*/index.md"))
    targets = [folders[(k * len(folders)) // (edits + 1) + len(folders) // (2 * (edits + 1))] for k in range(edits + 1)]
    targets = list(dict.fromkeys(targets))
    for folder in targets:
        index = folder / "index.md"
        index.write_text(re.sub(r"^状态: .*$", "状态: 草稿", index.read_text(encoding="utf-8"), count=1,
                                flags=re.MULTILINE), encoding="utf-8")
    env = {k: "" for k in ("GONGWEN_PREVIEW", "GONGWEN_PREVIEW_ALL")}
    if kind == "project" and preview == "all":
        env["GONGWEN_PREVIEW_ALL"] = "1"
        shown = len(folders)
    elif kind == "project":
        env["GONGWEN_PREVIEW"] = " ".join(str(f) for f in targets)
        shown = len(targets)
    else:
        shown = len(folders)
    load0 = loadavg().split()[0]
    srv = Server(copy, kind, dirty, env)
    res: dict = {"n": ws.n, "kind": kind, "mode": MODES[dirty], "edits": [], "preview": preview if kind == "project" else "all",
                 "shown": shown}
    try:
        res["ready"] = srv.wait_ready(timeout=3600)
        ctx.log(f"serve N={ws.n} {KIND_NAMES[kind]} {MODES[dirty]}：{res['ready']:.1f} s 后可访问")
        # Body edits: append a point with an info-level placeholder to the first section file.
        for i, folder in enumerate(targets[:edits]):
            f = min(p for p in folder.glob("*.md") if p.name != "index.md")
            rel = f.relative_to(copy.docs).as_posix()
            url = "/" + page_url(rel)
            _, body = srv.get(url)
            epoch = srv.epoch(body)
            marker = f"基准测试第{i + 1}次修改{rng.randint(100000, 999999)}"
            text = f.read_text(encoding="utf-8")
            line = text.count("\n") + 2
            new = text + f"\n**{marker}。**如，2024年3月在XX村调研时，发现问题12个，整改到位的只有5个。\n"
            t0 = time.perf_counter()
            f.write_text(new, encoding="utf-8")
            t1, page = srv.reload_until(url, marker, epoch, timeout=1800)
            e = {"file": rel, "total": t1 - t0, **srv.phases(t0, t1), "page_bytes": len(page),
                 "panel_ok": bool(re.search(rb'data-line="%d" data-rule="content\.placeholder"' % line, page))}
            res["edits"].append(e)
            ctx.log(f"  修改 {i + 1}：{e['total']:.2f} s（发现 {e['detect']}，重建 {e['rebuild']}）")
            time.sleep(0.3)
        # Title edit in index.md: the material's page and the home page listing should both show it.
        folder = targets[-1]
        index = folder / "index.md"
        url = "/" + page_url(index.relative_to(copy.docs).as_posix())
        _, body = srv.get(url)
        epoch = srv.epoch(body)
        marker = f"修订稿{rng.randint(100000, 999999)}"
        text = index.read_text(encoding="utf-8")
        new = re.sub(r"^(# .+)$", lambda m: m.group(1) + f"（{marker}）", text, count=1, flags=re.MULTILINE)
        t0 = time.perf_counter()
        index.write_text(new, encoding="utf-8")
        t1, _ = srv.reload_until(url, marker, epoch, timeout=1800)
        res["title_edit"] = {"total": t1 - t0, **srv.phases(t0, t1)}
        _, home = srv.get("/")
        res["home_rows"] = _listing_rows(home)
        res["home_title_ok"] = marker.encode() in home
        # Panels of all edited pages, after every edit (the first edited page was not rebuilt since).
        res["panels_after"] = []
        for e in res["edits"]:
            _, page = srv.get("/" + page_url(e["file"]))
            res["panels_after"].append(b"data-gongwen-panel" in page and b"content.placeholder" in page)
        # The search index, whatever its format: which materials it still covers, and the edits.
        text = search_text(srv)
        folders = [p.name for p in copy.docs.glob("*/index.md") for p in [p.parent]]
        res["search_materials"] = sum(1 for f in folders if f in text)
        res["search_has_edit"] = "基准测试第" in text
        res["search_has_title"] = marker in text
        # A material outside the preview set: edited, it joins the preview on the next rebuild.
        outside = [f for f in sorted(p.parent for p in copy.docs.glob("*/index.md")) if f not in targets]
        if kind == "project" and preview != "all" and outside:
            folder = outside[len(outside) // 2]
            f = min(p for p in folder.glob("*.md") if p.name != "index.md")
            url = "/" + page_url(f.relative_to(copy.docs).as_posix())
            marker = f"加入预览{rng.randint(100000, 999999)}"
            t0 = time.perf_counter()
            f.write_text(f.read_text(encoding="utf-8") + f"\n**{marker}。**如，2024年走访12户。\n", encoding="utf-8")
            while time.perf_counter() - t0 < 600:
                status, body = srv.get(url)
                if status == 200 and marker.encode() in body:
                    res["join"] = time.perf_counter() - t0
                    break
                time.sleep(0.05)
    finally:
        res["load"] = f"{load0} → {loadavg().split()[0]}"
        res["maxrss"] = srv.stop()
        res["log_tail"] = [line for _, line in srv.lines[-5:]]
    return res


@section("serve", "预览：修改→页面刷新", order=30)
def serve(ctx: Context) -> str:
    sizes = [int(x) for x in str(ctx.options.get("serve_sizes") or max(ctx.sizes)).split(",") if x]
    kinds = [k for k in str(ctx.options.get("serve_kinds") or "project,plain").split(",") if k]
    edits = int(ctx.options.get("serve_edits") or 3)
    modes = [m == "dirty" for m in str(ctx.options.get("serve_modes") or "serve,dirty").split(",") if m]
    previews = [x for x in str(ctx.options.get("serve_preview") or "focus").split(",") if x]
    results, rows, checks = [], [], []
    for n in sizes:
        ws = ctx.workspace(n)
        pages = sum(1 for _ in ws.docs.rglob("*.md"))
        for kind in kinds:
            if kind == "plain" and not plain_allowed(ctx, pages):
                rows.append([n, KIND_NAMES[kind], "—", "未测（页数超出 --plain-max-pages）"] + [""] * 10)
                continue
            for dirty, preview in [(d, pv) for d in modes for pv in (previews if kind == "project" else ["all"])]:
                r = session(ctx, ws, kind, dirty, edits, preview)
                results.append(r)
                es = r["edits"]

                def med(key, es=es):
                    vals = [e[key] for e in es if e.get(key) is not None]
                    return secs(median(vals)) if vals else "—"

                t = r.get("title_edit", {})
                scope = (f"{r['shown']} 份（M=）" if r["preview"] == "focus" else
                         ("全部（ALL=1）" if kind == "project" else "全部"))
                rows.append([n, KIND_NAMES[kind], f"`{r['mode']}`", secs(r["ready"]), med("total"),
                             " / ".join(f"{e['total']:.2f}" for e in es), med("detect"), med("rebuild"), med("reported"),
                             secs(t["total"]) if t else "—", mib(r["maxrss"]), scope,
                             secs(r["join"]) if r.get("join") else "—", r.get("load", "")])
                if kind == "project":
                    checks.append([n, f"`{r['mode']}`", scope, "是" if all(e["panel_ok"] for e in es) else "否",
                                   "是" if all(r.get("panels_after", [])) else "否",
                                   f"{r.get('home_rows')} / {n}", "是" if r.get("home_title_ok") else "**否**",
                                   f"{r.get('search_materials')} / {r['shown']}",
                                   "是" if r.get("search_has_edit") else "否",
                                   "是" if r.get("search_has_title") else "否"])
    ctx.record("serve", results)
    head = ["N", "配置", "命令", "启动到可访问", "修改→页面更新（中位数）", "各次（秒）", "其中：发现修改", "重建",
            "引擎报告的构建耗时", "改标题→页面更新", "serve 进程峰值内存", "预览范围",
            "改预览范围外的材料→其页面可访问", "负载（1 分钟，开始 → 结束）"]
    out = (f"每种组合 {edits} 次正文修改（在一份草稿材料的章节文件末尾加一个要点）加 1 次标题修改（index.md）。"
           "“修改→页面更新”= 写入文件到浏览器式长轮询 `/livereload/…` 返回后重新取回的页面含新文字。\n\n"
           + table(head, rows))
    if checks:
        out += ("\n修改后的正确性（本项目配置）：\n\n"
                + table(["N", "命令", "预览范围", "被改页面显示诊断（行号正确）", "先改的页面仍有诊断", "首页列出材料数",
                         "首页显示新标题", "搜索索引覆盖的材料", "索引含正文修改", "索引含新标题"], checks))
    return out
