"""`make offline`: a zip of the site that opens from file:// with search.

    python -m deploy.offline [--output dist/gongwen-offline.zip] [--drafts]

A strict build with GONGWEN_OFFLINE=true (a YAML boolean, read by mkdocs.yml: Material's
offline plugin gives .html links, the search index as a script and the iframe-worker shim,
which mkdocs.yml serves from the site itself) and GONGWEN_PUBLISH=1 (the bundle is handed
out, so the publish gates apply: no 草稿 unless --drafts). The zip holds one folder:
unpack it and open index.html.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

FOLDER = "gongwen-offline"
REMOTE_SCRIPT = re.compile(r"<script[^>]+src=\"(?:https?:)?//", re.IGNORECASE)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m deploy.offline", description="生成可离线浏览和搜索的网站压缩包")
    ap.add_argument("--output", default="dist/gongwen-offline.zip")
    ap.add_argument("--drafts", action="store_true", help="包含状态为草稿的材料（每页标注草稿）")
    ap.add_argument("--config-file", default="mkdocs.yml")
    args = ap.parse_args(argv)

    out = Path(args.output).absolute()
    work = Path(tempfile.mkdtemp(prefix="gongwen-offline-"))
    try:
        site = work / FOLDER
        env = dict(os.environ, GONGWEN_OFFLINE="true", GONGWEN_PUBLISH="1", GONGWEN_DRAFTS="1" if args.drafts else "0",
                   NO_MKDOCS_2_WARNING="1")
        for name in ("GONGWEN_RELEASE", "MIKE_DOCS_VERSION", "GONGWEN_SITE_URL"):
            env.pop(name, None)
        print("【1/2】严格构建离线版（" + ("含草稿" if args.drafts else "不含草稿") + "）……", flush=True)
        build = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "--clean",
                                "--config-file", args.config_file, "--site-dir", str(site)], check=False, env=env)
        if build.returncode != 0:
            print("离线版生成失败：构建未通过（见上方的错误和警告）", file=sys.stderr)
            return 1
        remote = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if REMOTE_SCRIPT.search(p.read_text(encoding="utf-8"))]
        if remote:
            print(f"离线版生成失败：{remote[0]} 等页面引用了外部脚本，离线和内网环境无法加载", file=sys.stderr)
            return 1
        print(f"【2/2】打包到 {out} ……", flush=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        files = sorted(p for p in site.rglob("*") if p.is_file())
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for p in files:
                z.write(p, p.relative_to(work).as_posix())
        tmp.replace(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"已生成 {out}（{len(files)} 个文件，{out.stat().st_size / 1e6:.1f} MB）。"
          f"解压后用浏览器打开 {FOLDER}/index.html 即可浏览和搜索，无需网络")
    return 0


if __name__ == "__main__":
    sys.exit(main())
