"""Split build: an archive too big for one machine, built as parts (one per year, or per unit
group) on several machines and joined under one nginx root.

    python -m deploy.split list [--groups 分组.yml]
    python -m deploy.split build PART --version V [--groups 分组.yml] [--drafts] [--site-url http://…/] [--out parts]
    python -m deploy.split join [--parts parts] --dest /srv/gongwen/site --version V [--title 标题]

A material belongs to the part of its year (front matter `year`, else a year in its folder
name), or, with --groups, to the group listing its unit. `build` copies docs/ without the
other parts' materials into .cache/split/PART/docs and runs the strict publish build
(drafts left out, as `make publish`) on it with site_url <site>/<V>/<PART>/, into
parts/PART: a full site with its own search index, plus _gongwen/part.json (what it holds).

`join` checks that the parts are of one version and together hold every material, builds a
small top site (one page: the parts and their materials, with a search box), and writes a
new root beside --dest holding the earlier versions and this one:

    <dest>/versions.json          mike's format, one list for all versions
    <dest>/index.html, latest     redirect and alias (a symlink) to the newest version
    <dest>/<V>/                   the top site; <V>/<PART>/ each part's site
    <V>/search/peers.json, <V>/<PART>/search/peers.json
                                  {"v": 1, "peers": [...]}: the other sites' roots, relative to
                                  this one, whose search indexes the search worker reads too

then swaps the --dest symlink to it in one rename (as deploy/nginx.py checkout): a failed
join leaves the old root as it was, and nginx (deploy/nginx.py render --root <dest>) needs
no reload. Exit status: 0 done, 1 build or join failed, 2 wrong arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ALIAS = "latest"
MANIFEST = "_gongwen/part.json"  # nginx answers 404 under _gongwen/ (deploy/nginx.conf)
PEERS = "search/peers.json"
PART_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
# Names the top site itself uses at <V>/: a part may not take them.
RESERVED_PARTS = {ALIAS, "assets", "search", "similar", "_gongwen", "rules", "404.html", "index.html", "sitemap.xml",
                  "sitemap.xml.gz", "versions.json"}
STAGE = Path(".cache") / "split"
YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


class SplitError(Exception):
    """A user error: printed in Chinese, exit status 2 (arguments) or 1 (build or join)."""

    def __init__(self, text: str, code: int = 1):
        super().__init__(text)
        self.code = code


def say(text: str) -> None:
    print(text, flush=True)


# --- which material goes where --------------------------------------------------------------

@dataclass
class Material:
    rel: str  # folder relative to docs/, POSIX
    title: str
    unit: str
    year: str
    draft: bool


def _title(index: Path, meta: dict) -> str:
    if meta.get("title"):
        return str(meta["title"])
    from gongwen.read.source import read_text, split_front_matter

    src = read_text(index)
    fm = split_front_matter(src)
    for line in src.lines[fm.end_line:]:
        if line.startswith("# "):
            return line[2:].strip()
    return index.parent.name


def materials(docs: Path) -> list[Material]:
    """Every material folder under docs (a folder with an index.md whose front matter is not
    empty; below one, nothing more), in path order. Folders starting with . or _ are skipped,
    as the catalogue does."""
    from gongwen.read import is_material_folder
    from gongwen.read.markdown import read_meta

    found = []
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        folder = Path(dirpath)
        if folder == docs or "index.md" not in filenames or not is_material_folder(folder):
            continue
        dirnames[:] = []
        rel = folder.relative_to(docs).as_posix()
        try:
            meta = read_meta(folder / "index.md")
        except Exception:  # noqa: BLE001 - the part's strict build reports the broken front matter
            meta = {}
        year = str(meta.get("year") or "").strip()
        if not re.fullmatch(r"\d{4}", year):
            m = YEAR_IN_NAME.search(folder.name)
            year = m.group(1) if m else ""
        found.append(Material(rel, _title(folder / "index.md", meta), str(meta.get("unit") or ""), year,
                              str(meta.get("状态", "")).strip() == "草稿"))
    return sorted(found, key=lambda m: m.rel)


def load_groups(path: str | Path | None) -> dict[str, dict] | None:
    """--groups: {PART: {title: 名称, units: [单位, …]}} from a small YAML file."""
    if not path:
        return None
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SplitError(f"分组文件 {path} 无法读取：{exc}", 2) from None
    groups = data.get("parts") if isinstance(data, dict) else None
    if not isinstance(groups, dict) or not groups:
        raise SplitError(f"分组文件 {path} 应为 parts: {{部分名: {{title: 名称, units: [单位, …]}}}}", 2)
    out = {}
    for part, spec in groups.items():
        units = (spec or {}).get("units") if isinstance(spec, dict) else None
        if not isinstance(units, list) or not units:
            raise SplitError(f"分组文件 {path} 中部分 {part} 没有 units 列表", 2)
        out[str(part)] = {"title": str(spec.get("title") or part), "units": [str(u).strip() for u in units]}
    return out


def part_of(mat: Material, groups: dict[str, dict] | None) -> str:
    if groups is None:
        return mat.year
    return next((p for p, g in groups.items() if mat.unit.strip() in g["units"]), "")


def part_title(part: str, groups: dict[str, dict] | None) -> str:
    if groups is not None and part in groups:
        return groups[part]["title"]
    return f"{part}年" if re.fullmatch(r"\d{4}", part) else part


def check_part(part: str) -> str:
    part = part.strip()
    if not PART_ID.match(part) or part in RESERVED_PARTS:
        raise SplitError(f"部分名“{part}”不可用：只能用字母、数字和 . _ -（如年度 2024），且不能是 {ALIAS}、assets、search 等保留名", 2)
    return part


def check_version(version: str) -> str:
    from deploy.publish import RESERVED, VERSION_ID

    version = version.strip()
    if not VERSION_ID.match(version) or version in RESERVED:
        raise SplitError(f"版本号“{version}”不可用：只能用字母、数字和 . _ -，且不能是 {ALIAS} 等保留名", 2)
    return version


def site_url(base: str, *path: str) -> str:
    if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", base):
        raise SplitError(f"站点地址“{base}”无效，应形如 http://gongwen.example/ ", 2)
    return base.rstrip("/") + "/" + "".join(p + "/" for p in path)


# --- build one part -------------------------------------------------------------------------

def _run_build(config_file: Path, docs_dir: Path, out: Path, env_extra: dict) -> None:
    """The strict build of docs_dir with the project's mkdocs.yml (INHERIT: every hook, the theme
    and the settings as in `make publish`); the version selector is off, since Material looks
    for versions.json one level above the site and a part sits two levels down."""
    derived = config_file.parent / f".gongwen-split-{os.getpid()}.yml"
    derived.write_text(
        f"INHERIT: {json.dumps(config_file.name)}\n"
        f"docs_dir: {json.dumps(os.path.relpath(docs_dir, config_file.parent))}\n"
        "extra:\n  version:\n    provider: gongwen-split\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGWEN_", "MIKE_"))}
    env.update(NO_MKDOCS_2_WARNING="1", GONGWEN_PUBLISH="1", **env_extra)
    try:
        done = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "--clean",
                               "--config-file", str(derived), "--site-dir", str(out)], check=False, env=env)
    finally:
        derived.unlink(missing_ok=True)
    if done.returncode != 0:
        raise SplitError("构建未通过（见上方的错误和警告）；可先运行 make check 查看材料的问题")


def build(part: str, *, version: str, docs: Path, out: Path, config_file: Path, groups=None,
          drafts: bool = False, base_url: str = "http://gongwen.invalid/") -> dict:
    part, version = check_part(part), check_version(version)
    url = site_url(base_url, version, part)
    if not config_file.is_file():
        raise SplitError(f"找不到配置文件 {config_file}，请在项目根目录运行", 2)
    if not docs.is_dir():
        raise SplitError(f"找不到材料目录 {docs}", 2)
    all_mats = materials(docs)
    mine = [m for m in all_mats if part_of(m, groups) == part]
    others = {m.rel for m in all_mats if part_of(m, groups) != part}
    shown = [m for m in mine if drafts or not m.draft]
    say(f"构建部分 {part}（{part_title(part, groups)}）：{len(shown)} 份材料"
        + (f"（另有草稿 {len(mine) - len(shown)} 份未发布）" if len(mine) > len(shown) else "")
        + f"，版本 {version}，地址 {url}")
    if not mine:
        raise SplitError(f"部分 {part} 没有材料：请检查 PART 列表（按年度时为材料的 year）", 2)
    stage = config_file.parent / STAGE / part
    shutil.rmtree(stage, ignore_errors=True)

    def ignore(dirpath: str, names: list[str]) -> set[str]:
        rel = Path(dirpath).relative_to(docs).as_posix()
        return {n for n in names if (n if rel == "." else f"{rel}/{n}") in others}

    shutil.copytree(docs, stage / "docs", ignore=ignore)
    home = stage / "docs" / "index.md"
    if home.is_file():
        # Raw HTML: a Markdown link out of the site would fail the strict build's link check.
        note = (f'\n\n<p class="gongwen-split-note">本站是材料库按{"单位分组" if groups else "年度"}分拆构建的一部分，'
                f'只收录{_esc(part_title(part, groups))}的材料；<a href="../">各部分总目录</a>。</p>\n')
        home.write_text(home.read_text(encoding="utf-8-sig") + note, encoding="utf-8")
    out = out.absolute()
    try:
        _run_build(config_file.absolute(), stage / "docs", out,
                   {"GONGWEN_DRAFTS": "1" if drafts else "0", "GONGWEN_SITE_URL": url})
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    manifest = {"format": 1, "part": part, "title": part_title(part, groups), "version": version,
                "drafts": drafts, "by": "group" if groups else "year",
                "materials": [{"rel": m.rel, "title": m.title, "unit": m.unit, "year": m.year} for m in shown]}
    (out / MANIFEST).parent.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    say(f"部分 {part} 构建完成：{out}")
    return manifest


# --- join -----------------------------------------------------------------------------------

def _esc(text) -> str:
    from gongwen.untrusted import esc

    return esc(text)


def read_parts(parts_dir: Path) -> dict[str, dict]:
    found = {}
    for sub in sorted(parts_dir.iterdir()) if parts_dir.is_dir() else []:
        f = sub / MANIFEST
        if sub.is_dir() and f.is_file():
            manifest = json.loads(f.read_text(encoding="utf-8"))
            if manifest.get("part") != sub.name:
                raise SplitError(f"{sub} 中的部分名是 {manifest.get('part')}，与目录名不符")
            found[sub.name] = manifest
    if not found:
        raise SplitError(f"{parts_dir} 中没有构建好的部分（每个部分一个目录，含 {MANIFEST}）：先运行 build")
    return found


def check_coverage(parts: dict[str, dict], docs: Path, groups=None) -> None:
    """Every material the parts should publish is in one of them: a part missing from the PART
    list (a new year) would otherwise drop its materials from the site without a word."""
    versions = {m["version"] for m in parts.values()}
    if len(versions) != 1:
        raise SplitError("各部分的版本号不一致（" + "、".join(f"{p}：{m['version']}" for p, m in parts.items())
                         + "），请用同一个版本号重新构建")
    drafts = any(m.get("drafts") for m in parts.values())
    have = {mat["rel"] for m in parts.values() for mat in m["materials"]}
    missing = [(m, part_of(m, groups)) for m in materials(docs) if (drafts or not m.draft) and m.rel not in have]
    if missing:
        lines = [f"  {m.rel}（应属部分：{p or '无法确定'}）" for m, p in missing[:20]]
        raise SplitError("以下材料不在任何已构建的部分中，没有合并：\n" + "\n".join(lines)
                         + ("\n  ……" if len(missing) > 20 else "")
                         + "\n请在 .gitlab-ci.yml 的 PART 列表中加入相应部分"
                         + ("，或在分组文件中列出其单位" if groups else "（年度取自材料的 year）"))


def top_page(site_name: str, version: str, title: str, parts: dict[str, dict], versions: list[dict]) -> str:
    """The top site's only page (Markdown with one HTML block): the parts and their materials.
    Titles and units come from the materials' files: escaped."""
    from urllib.parse import quote

    from gongwen.untrusted import md_line

    total = sum(len(m["materials"]) for m in parts.values())
    out = [f"# {md_line(site_name)}", "",
           '<div class="gongwen-split" markdown="0">',
           (f"<p>版本：{_esc(title)}。材料库分为 {len(parts)} 个部分，共 {total} 份材料；"
            "每个部分是一个独立的站点，页面上方的搜索框可同时搜索各部分。</p>")]
    if len(versions) > 1:
        out.append("<p>其他版本：" + "、".join(
            f'<a href="../{quote(v["version"])}/">{_esc(v.get("title") or v["version"])}</a>'
            for v in versions if v["version"] != version) + "</p>")
    for part, m in parts.items():
        out.append(f'<h2 id="part-{_esc(part)}"><a href="{quote(part)}/">{_esc(m["title"])}</a>'
                   f"（{len(m['materials'])} 份）</h2>")
        out.append('<table class="gongwen-split-list"><thead><tr><th>材料</th><th>单位</th></tr></thead><tbody>')
        for mat in m["materials"]:
            link = f"{quote(part)}/{quote(mat['rel'])}/"
            out.append(f'<tr><td><a href="{_esc(link)}">{_esc(mat["title"])}</a></td><td>{_esc(mat["unit"])}</td></tr>')
        out.append("</tbody></table>")
    out.append("</div>")
    return "\n".join(out) + "\n"


def _site_name(config_file: Path) -> str:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/…
    cfg = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader) or {}
    return str(cfg.get("site_name") or "公文材料库")


def _copy(src: Path, dst: Path, *, link: bool = False) -> None:
    """A tree copied, symlinks kept as symlinks. link=True: as hard links where the file system
    allows, for the earlier versions (nothing writes into a served tree; a part's folder may be
    built again in place, so parts are copied)."""
    def hard(s, d):
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, symlinks=True, copy_function=hard if link else shutil.copy2)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def peers_json(peers: list[str]) -> str:
    return json.dumps({"v": 1, "peers": peers}, ensure_ascii=False) + "\n"


REDIRECT = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>正在跳转到最新版本</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<script>location.replace("{target}" + location.hash)</script>
</head>
<body><p>正在跳转到<a href="{target}">最新版本</a>……</p></body>
</html>
"""


def join(parts_dir: Path, dest: Path, *, version: str | None, title: str | None, docs: Path,
         config_file: Path, groups=None, base_url: str = "http://gongwen.invalid/") -> Path:
    parts = read_parts(parts_dir)
    check_coverage(parts, docs, groups)
    built = next(iter(parts.values()))["version"]
    version = check_version(version or built)
    if version != built:
        raise SplitError(f"各部分按版本 {built} 构建，不能合并为版本 {version}（站点地址中含版本号）：请用同一版本号重新构建")
    title = (title or "").strip() or version
    dest = dest.absolute()
    if dest.exists() and not dest.is_symlink():
        raise SplitError(f"{dest} 已存在且不是符号链接：请换一个目录，或先移走它", 2)
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = dest.resolve() if dest.is_symlink() and dest.resolve().is_dir() else None
    old_versions = json.loads((old / "versions.json").read_text(encoding="utf-8")) \
        if old and (old / "versions.json").is_file() else []
    versions = [{"version": version, "title": title, "aliases": [ALIAS]}] + [
        {**v, "aliases": [a for a in v.get("aliases", []) if a != ALIAS]}
        for v in old_versions if v["version"] != version]
    say(f"合并版本 {version}（{title}）：{len(parts)} 个部分（{'、'.join(parts)}），"
        f"共 {sum(len(m['materials']) for m in parts.values())} 份材料，到 {dest}")

    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        tree = work / "root"
        tree.mkdir()
        # The earlier versions, as they are (their own peers and top pages).
        for v in versions[1:]:
            if old and (old / v["version"]).is_dir():
                _copy(old / v["version"], tree / v["version"], link=True)
        # The top site: one page and the search box; then the parts inside it.
        say("【1/3】构建总目录站点……")
        top_docs = work / "top-docs"
        _write(top_docs / "index.md", top_page(_site_name(config_file), version, title, parts, versions))
        _run_build(config_file.absolute(), top_docs, tree / version,
                   {"GONGWEN_SITE_URL": site_url(base_url, version)})
        say("【2/3】放入各部分站点，写入搜索的相邻站点列表（search/peers.json）……")
        names = list(parts)
        _write(tree / version / PEERS, peers_json([f"{p}/" for p in names]))
        for p in names:
            _copy(parts_dir / p, tree / version / p)
            _write(tree / version / p / PEERS, peers_json([f"../{q}/" for q in names if q != p]))
        say(f"【3/3】写入版本列表 versions.json，{ALIAS} 指向 {version}……")
        write_versions(tree, versions)
        os.symlink(version, tree / ALIAS)
        _write(tree / "index.html", REDIRECT.format(target=f"{ALIAS}/"))
        os.chmod(tree, 0o755)
        final = dest.parent / f".{dest.name}.{time.time_ns()}"
        tree.rename(final)
        link = work / "link"
        os.symlink(final.name, link)
        os.replace(link, dest)  # the one step readers can see
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if old and old != final and old.parent == dest.parent and old.name.startswith(f".{dest.name}."):
        shutil.rmtree(old, ignore_errors=True)
    say(f"合并完成：{dest} → {final.name}；版本 {'、'.join(v['version'] for v in versions)}")
    say(f"nginx 配置：python -m deploy.nginx render --root {dest} -o /etc/nginx/conf.d/gongwen.conf")
    return final


def write_versions(tree: Path, versions: list[dict]) -> None:
    _write(tree / "versions.json", json.dumps(versions, ensure_ascii=False, indent=1) + "\n")


# --- command line ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m deploy.split", description="分拆构建：按年度或单位分组分部分构建，再合并为一个站点")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for p in (sub.add_parser("list", help="列出各部分及其材料份数"),
              b := sub.add_parser("build", help="构建一个部分"),
              j := sub.add_parser("join", help="把各部分合并到 nginx 的站点目录（原子切换）")):
        p.add_argument("--groups", help="按单位分组：分组文件（YAML），不指定则按年度")
        p.add_argument("--docs", default="docs", help="材料目录（默认 docs）")
        p.add_argument("--config-file", default="mkdocs.yml")
    b.add_argument("part", help="部分名：年度（如 2024）或分组文件中的部分名")
    b.add_argument("--out", default="parts", help="输出目录，部分站点写入 <out>/<部分名>（默认 parts）")
    b.add_argument("--drafts", action="store_true", help="一并发布状态为草稿的材料")
    for p in (b, j):
        p.add_argument("--version", required=p is b, help="版本号，如 2025-01（各部分须相同）")
        p.add_argument("--site-url", default=os.environ.get("GONGWEN_SITE_URL") or "http://gongwen.invalid/",
                       help="站点根目录在内网的地址")
    j.add_argument("--parts", default="parts", help="各部分站点所在目录（默认 parts）")
    j.add_argument("--dest", required=True, help="nginx 的 root，一个符号链接")
    j.add_argument("--title", help="版本标题，如 征求意见稿")
    args = ap.parse_args(argv)
    try:
        groups = load_groups(args.groups)
        docs, config_file = Path(args.docs), Path(args.config_file)
        if args.cmd == "list":
            counts: dict[str, list[Material]] = {}
            for m in materials(docs):
                counts.setdefault(part_of(m, groups), []).append(m)
            for part, mats in sorted(counts.items()):
                drafts = sum(m.draft for m in mats)
                say(f"{part or '（无法确定）'}\t{len(mats)} 份" + (f"（其中草稿 {drafts} 份）" if drafts else ""))
        elif args.cmd == "build":
            build(args.part, version=args.version, docs=docs, out=Path(args.out) / args.part.strip(),
                  config_file=config_file, groups=groups, drafts=args.drafts, base_url=args.site_url)
        else:
            join(Path(args.parts), Path(args.dest), version=args.version, title=args.title, docs=docs,
                 config_file=config_file, groups=groups, base_url=args.site_url)
    except SplitError as exc:
        print(f"分拆构建失败：{exc}", file=sys.stderr, flush=True)
        return exc.code
    return 0


if __name__ == "__main__":
    sys.exit(main())
