"""`make publish VERSION=… TITLE=…`: a strict build, then mike commits that exact build.

    python -m deploy.publish VERSION [--title 标题] [--drafts] [--push] [--site-url http://…/]

1. Reads the site branch (mkdocs.yml `remote_branch`): versions.json and the snapshot each
   version carries (`<version>/_gongwen/snapshot.json`: its date, changed materials and
   material sources). The previous version is the one `latest` points at.
2. Builds with `properdocs build --strict` (the engine, see README) into a temporary folder, with GONGWEN_PUBLISH=1 (the
   草稿 gate and publish-level checks), GONGWEN_RELEASE (this version and its history, for
   the 修订对照 and 修订记录 pages), GONGWEN_SITE_URL (mkdocs.yml site_url, for the
   sitemap the version selector reads) and MIKE_DOCS_VERSION (mike's plugin appends it).
3. Only if that passed: mike's deploy commits the built folder as VERSION with the title,
   moves the `latest` alias to it (a symlink), and on the first publish sets `latest` as
   the default (the root index.html redirect). PUSH=1 then pushes the branch.

The build is done once, here, and mike commits that folder rather than building again, so
what is published is exactly what passed the strict build. A failed build never touches
the branch. Exit status: 0 published, 1 build or commit failed, 2 wrong arguments.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ALIAS = "latest"
SNAPSHOT = "_gongwen/snapshot.json"  # as written by hooks/publish_hooks.py
VERSION_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
RESERVED = {ALIAS, "versions.json", "index.html", "_gongwen", "assets", "search"}
# The sitemap needs absolute URLs for Material's version selector to keep the reader on the
# same page; it swaps in the host the page came from, so a placeholder name works (.invalid:
# RFC 2606, never resolves). SITE_URL=http://<server>/ makes the canonical links right too.
DEFAULT_SITE_URL = "http://gongwen.invalid/"


def say(text: str) -> None:
    print(text, flush=True)


def fail(text: str, code: int = 1) -> int:
    print(f"发布失败：{text}", file=sys.stderr, flush=True)
    return code


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], check=False, capture_output=True, text=True)


def branch_file(branch: str, path: str) -> str | None:
    p = git("show", f"refs/heads/{branch}:{path}")
    return p.stdout if p.returncode == 0 else None


def branch_head(branch: str) -> str | None:
    p = git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    return p.stdout.strip() if p.returncode == 0 else None


def history(branch: str, version: str) -> tuple[dict | None, list[dict]]:
    """The previous version's snapshot (the one `latest` points at; when VERSION itself is
    being published again, the one before it) and the records of the versions before this
    one, newest first, following each snapshot's `previous`."""
    text = branch_file(branch, "versions.json")
    if not text:
        return None, []
    versions = json.loads(text)
    snaps: dict[str, dict | None] = {}

    def snap(v: str | None) -> dict | None:
        if v and v not in snaps:
            raw = branch_file(branch, f"{v}/{SNAPSHOT}")
            snaps[v] = json.loads(raw) if raw else None
        return snaps.get(v) if v else None

    latest = next((v["version"] for v in versions if ALIAS in v.get("aliases", [])),
                  versions[0]["version"] if versions else None)
    prev_id = latest if latest != version else (snap(version) or {}).get("previous")
    previous = snap(prev_id)
    records, seen, cur = [], set(), previous
    while cur and cur["version"] not in seen and cur["version"] != version:
        seen.add(cur["version"])
        records.append({k: cur.get(k) for k in ("version", "title", "date", "previous", "changes")})
        cur = snap(cur.get("previous"))
    return previous, records


def site_config(config_file: str) -> tuple[str, str]:
    """mike's branch and remote from mkdocs.yml (remote_branch, remote_name), read as plain
    YAML: loading the MkDocs config would import every plugin (~1 s) for two strings."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/…
    cfg = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=Loader) or {}
    return cfg.get("remote_branch") or "gh-pages", cfg.get("remote_name") or "origin"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m deploy.publish", description="构建并发布一个版本到站点分支")
    ap.add_argument("version", help="版本号，如 2025-01 或 v2（字母、数字、. _ -）")
    ap.add_argument("--title", help="版本标题，显示在版本选择器中，如 征求意见稿")
    ap.add_argument("--drafts", action="store_true", help="一并发布状态为草稿的材料（每页标注草稿）")
    ap.add_argument("--push", action="store_true", help="发布后推送站点分支到远程仓库")
    ap.add_argument("--site-url", default=os.environ.get("GONGWEN_SITE_URL") or DEFAULT_SITE_URL,
                    help="站点在内网的地址，用于规范链接和站点地图（浏览器不会访问它）")
    ap.add_argument("--force", action="store_true",
                    help="docs/ 或配置有未提交的修改时仍然发布（发布记录中的源提交不含这些修改）")
    ap.add_argument("--config-file", default="mkdocs.yml")
    args = ap.parse_args(argv)

    version, title = args.version.strip(), (args.title or "").strip() or args.version.strip()
    if not VERSION_ID.match(version) or version in RESERVED:
        return fail(f"版本号“{version}”不可用：只能用字母、数字和 . _ -，且不能是 {ALIAS} 等保留名", 2)
    if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", args.site_url):
        return fail(f"站点地址“{args.site_url}”无效，应形如 http://gongwen.example/ ", 2)
    if not Path(args.config_file).is_file():
        return fail(f"找不到配置文件 {args.config_file}，请在项目根目录运行", 2)
    if git("rev-parse", "--git-dir").returncode != 0:
        return fail("当前目录不是 git 仓库，版本要提交到 git 分支", 2)
    for key in ("user.name", "user.email"):
        if not git("config", key).stdout.strip() and not os.environ.get(
                "GIT_COMMITTER_" + key.split(".")[1].upper()):
            return fail(f"git 未设置 {key}，发布记录需要发布人：git config {key} '…'", 2)

    branch, remote = site_config(args.config_file)
    if args.push:
        # As `mike deploy --push` does: start from the remote's branch when it is ahead, so
        # versions someone else published are kept and the push is a fast-forward.
        from mike import git_utils

        git("fetch", "--quiet", remote, branch)
        try:
            git_utils.update_from_upstream(remote, branch)
        except git_utils.GitError as exc:
            return fail(f"本地分支 {branch} 与 {remote}/{branch} 已分叉，请先核对两边发布的版本：{exc}", 1)
    head = branch_head(branch)
    previous, records = history(branch, version)
    date = os.environ.get("GONGWEN_PUBLISH_DATE") or datetime.date.today().isoformat()
    say(f"发布版本 {version}（{title}），分支 {branch}，日期 {date}")
    say(f"上一版本：{previous['version']}（{previous.get('title')}）" if previous else "上一版本：无（首次发布）")
    dirty = git("-c", "core.quotePath=false", "status", "--porcelain", "--", "docs", args.config_file).stdout.splitlines()
    if dirty and not args.force:
        # The record names the source commit: a version built from uncommitted files could
        # not be traced back to it (nor rebuilt from it).
        listed = "\n".join(f"  {line}" for line in dirty[:10]) + ("\n  ……" if len(dirty) > 10 else "")
        return fail(f"docs/ 或配置有未提交的修改，没有发布（发布记录的源提交中没有这些内容）：\n{listed}\n"
                    "请先提交（git add docs && git commit），或确需发布当前文件时加 FORCE=1（make publish … FORCE=1）", 2)
    if dirty:
        say("注意：docs/ 或配置有未提交的修改（FORCE=1），发布的是当前文件内容，发布记录中注明")

    work = Path(tempfile.mkdtemp(prefix="gongwen-publish-"))
    try:
        release = work / "release.json"
        release.write_text(json.dumps({"version": version, "title": title, "date": date,
                                       "previous": previous, "history": records}, ensure_ascii=False),
                           encoding="utf-8")
        site = work / "site"
        env = dict(os.environ, GONGWEN_PUBLISH="1", GONGWEN_DRAFTS="1" if args.drafts else "0",
                   GONGWEN_RELEASE=str(release), MIKE_DOCS_VERSION=version, NO_MKDOCS_2_WARNING="1",
                   GONGWEN_SITE_URL=args.site_url)
        env.pop("GONGWEN_OFFLINE", None)
        say("【1/3】严格构建（发布模式：" + ("含草稿，逐页标注" if args.drafts else "不含草稿") + "）……")
        build = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "--clean",
                                "--config-file", args.config_file, "--site-dir", str(site)], check=False, env=env)
        if build.returncode != 0:
            return fail(f"构建未通过（见上方的错误和警告），没有发布；分支 {branch} 保持不变。"
                        "可先运行 make check 查看材料的问题")
        snapshot = json.loads((site / SNAPSHOT).read_text(encoding="utf-8"))

        say(f"【2/3】提交版本 {version} 到分支 {branch}，并把 {ALIAS} 指向它……")
        from mike import commands, git_utils

        sha = git("rev-parse", "--short", "HEAD").stdout.strip() or "无提交"
        message = f"发布 {version}（{title}）：源 {sha}{'（另含未提交的修改）' if dirty else ''}，日期 {date}"
        try:
            with commands.deploy({"site_dir": str(site), "use_directory_urls": True}, version, title,
                                 [ALIAS], update_aliases=True, alias_type=commands.AliasType.symlink,
                                 branch=branch, message=message):
                pass
            if branch_file(branch, "index.html") is None:
                say(f"【3/3】设置默认版本为 {ALIAS}（站点根目录跳转到最新版本）……")
                commands.set_default(ALIAS, branch=branch, message=f"默认版本设为 {ALIAS}")
            else:
                say(f"【3/3】默认版本已是 {ALIAS}，无需更改")
        except (git_utils.GitError, ValueError) as exc:
            return fail(f"提交到分支 {branch} 时出错：{exc} {getattr(exc, 'stderr', '') or ''}".strip())
        if args.push:
            say(f"推送分支 {branch} 到 {remote}……")
            try:
                git_utils.push_branch(remote, branch)
            except git_utils.GitError as exc:
                return fail(f"已在本地发布，但推送失败：{exc.stderr or exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    changed = snapshot.get("changes") or []
    say(f"发布完成：{version}（{title}），{ALIAS} → {version}；分支 {branch} "
        f"{(head or '（新建）')[:7]} → {branch_head(branch)[:7]}")
    if previous:
        say(f"较上一版本修改的材料 {len(changed)} 份" + ("：" + "；".join(
            f"{c['title']}（{c['kind']}）" for c in changed) if changed else ""))
    say(f"部署到内网服务器：python -m deploy.nginx checkout --branch {branch} --dest <站点目录>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
