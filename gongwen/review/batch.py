"""The batch: every INBOX file -> a row; readable, unclassified ones -> a material in OUT/docs.

Re-running on the same INBOX rewrites nothing: a material is imported again only when its
file changed (content hash in OUT/.gongwen-review/state.json), and the summary and the
workbook are written only when a row changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import intake
from ..check.run import resolve_schema
from ..diagnostics import InputError, crash_error, input_error
from ..files import TMP_PREFIX, make_readable, replace_folder, write_if_changed
from ..intake.markdown import import_material
from ..model import Material
from ..schema import GENERIC
from . import extras
from .inbox import discover, folder_names, guess_stage, guess_unit, supported, symlink_in
from .rows import Row, conclude, fill_from_diagnostics, load_rules
from .workbench import write_workbench
from .xlsx import write_xlsx

SUMMARY_JSON = "审核汇总.json"
SUMMARY_XLSX = "审核汇总.xlsx"
STATE = ".gongwen-review"


@dataclass
class Result:
    rows: list[Row]
    xlsx: Path
    changed: bool  # whether the summary changed on this run


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _hash(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.rglob("*")) if path.is_dir() else [path]:  # a Markdown folder: all its files
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def review(inbox: str | Path, out: str | Path, *, reference: str | Path | None = None,
           previous: str | Path | None = None, stock: str | Path | None = None,
           rules_file: str | Path | None = None, log: Callable[[str], None] = _stderr) -> Result:
    inbox, out = Path(inbox), Path(out)
    rules = load_rules(rules_file)
    docs = out / "docs"
    state_dir = out / STATE
    state_path = state_dir / "state.json"
    state: dict = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
    cache = state_dir / "convert"

    _sweep(out)
    files = discover(inbox, skip=out)
    names = folder_names(inbox, files)
    rows: dict[str, Row] = {}
    mats: dict[str, Material] = {}
    schemas: dict[str, object] = {}
    row_of_path: dict[str, Row] = {}

    # Office files first, in one LibreOffice run (a start costs 1-2 s per call).
    office = [p for p in files if p.suffix.lower() in intake.office.SUFFIXES]
    converted: dict[Path, Path] = {}
    if office:
        log(f"转换 {len(office)} 个 Word/WPS 旧格式文件（LibreOffice；转换过的取缓存）……")
        try:
            converted = intake.convert_many(office, cache, missing_ok=True)
        except InputError as exc:  # LibreOffice did not finish: each file says so below
            log(exc.diagnostic.format())

    new_state: dict = {}
    paths: dict[str, Path] = {}
    for i, path in enumerate(files, 1):  # 1. read every file; classified ones stop here
        rel = path.relative_to(inbox).as_posix()
        row = Row(file=rel, page=names[path])
        rows[rel] = row
        if i % 25 == 0 or i == len(files):
            log(f"读取 [{i}/{len(files)}] {rel}")
        link = symlink_in(path)
        if link is not None:
            _unreadable(row, input_error(link, "符号链接，未读取：收件箱中的链接可能指向收件箱以外的文件或文件夹，本工具不跟随",
                                         "请把文件本身（而不是链接）放入收件箱", rule="input.symlink"))
            continue
        if not supported(path):
            row.status = "unreadable"
            row.note = f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请报送 .docx、.doc、.pdf（带文字层）或 .txt"
            continue
        try:
            if path.suffix.lower() in intake.office.SUFFIXES and path not in converted:
                raise (intake.office.missing(path) if intake.office.soffice() is None
                       else intake.office.failed(path))
            mat = intake.load(path, cache=cache, converted=converted.get(path))
            secret = intake.classified(intake.check_file(path, mat=mat, rules=["security.classified"]))
        except InputError as exc:
            _unreadable(row, exc)
            continue
        except Exception as exc:  # noqa: BLE001 - a file that breaks a reader stops nothing else
            _unreadable(row, _crash(path, exc, log))
            continue
        if secret:
            row.status = "classified"  # nothing read from a classified file is kept: the unit
            row.unit = guess_unit("", path.stem)  # comes from its file name, never from its text
            row.note = "涉密文件：标有秘密、机密或绝密，属于国家秘密；未生成材料，请按保密规定另行处理"
            _remove_material(docs, state.get(rel, {}).get("folder"))
            if path in converted:  # nor the Word file LibreOffice made of it
                converted.pop(path).unlink(missing_ok=True)
            continue
        row.unit = str(mat.meta.get("unit") or "") or guess_unit(mat.title, path.stem, [p.text for p in mat.closing])
        mats[mat.path] = mat
        paths[mat.path] = path
        row_of_path[mat.path] = row

    # 2. copy detection across the batch (and against the reference texts)
    refs = _references(Path(reference), cache, log) if reference else []
    last_year = _references(Path(previous), cache, log) if previous else []
    stock_texts = _references(Path(stock), cache, log) if stock else []
    matches = extras.compare(mats, refs, log, last_year, stock_texts) if mats else None

    # Each material's reports in one pass (a scan of all of them per material is quadratic).
    copies_of: dict[str, list] = {}
    for m in matches or ():
        copies_of.setdefault(m.a.material, []).append(m)
    today = dt.date.today()
    for n, (key, mat) in enumerate(mats.items(), 1):  # 3. check, import, fill the row
        path, row = paths[key], row_of_path[key]
        if n % 25 == 0 or n == len(mats):
            log(f"检查 [{n}/{len(mats)}] {row.file}")
        copies = copies_of.get(key, []) if matches else None
        try:
            diags = intake.check_file(path, mat=mat, copies=copies, today=today)
        except Exception as exc:  # noqa: BLE001 - as above: this file's row says so, the batch goes on
            _unreadable(row, _crash(path, exc, log))
            del row_of_path[key]
            continue
        schema, _ = resolve_schema(mat)
        row.title = mat.title
        row.type = schema.name if schema is not GENERIC else "未能识别"
        row.type_known = schema is not GENERIC
        row.stage = guess_stage(mat)
        fill_from_diagnostics(row, diags)
        row.folder = names[path]
        digest = _hash(path)
        target = docs / row.folder
        if state.get(row.file, {}).get("hash") != digest or not (target / "index.md").is_file():
            if mat.format == "md":  # already a material: copied as it is (tables and all)
                _copy_material(path, target)
            else:
                import_material(mat, target, overwrite=True, meta_overrides={"unit": row.unit, "状态": "定稿"})
            for f in target.iterdir():  # copied files keep the sender's modes
                make_readable(f)
        new_state[row.file] = {"hash": digest, "folder": row.folder}
        schemas[key] = schema

    # Materials whose file left the INBOX leave OUT/docs too.
    for rel, info in state.items():
        if rel not in new_state and info.get("folder") and info["folder"] not in {r.folder for r in rows.values()}:
            _remove_material(docs, info["folder"])

    name_of = {p: f"{r.unit}（{r.file}）" if r.unit else r.file for p, r in row_of_path.items()}
    for ref in refs:
        name_of[ref.path] = f"参考：{Path(ref.path).name}"
    for ref in last_year:
        name_of[ref.path] = f"上年：{Path(ref.path).name}"
    extras.fill_copied(row_of_path, matches, name_of)
    for key, row in row_of_path.items():
        try:
            row.ledger_text = extras.ledger_text(mats[key], schemas[key], today)
        except Exception as exc:  # noqa: BLE001 - the rest of the row stands
            _crash(paths[key], exc, log)
            row.ledger_text = "台账统计出错（见终端输出）"

    for row in rows.values():
        conclude(row, rules)
    ordered = [rows[k] for k in sorted(rows)]

    summary = json.dumps({"inbox": str(inbox.resolve()), "rows": [r.to_dict() for r in ordered]},
                         ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    json_path, xlsx = out / SUMMARY_JSON, out / SUMMARY_XLSX
    changed = not (json_path.is_file() and json_path.read_text(encoding="utf-8") == summary)
    if changed or not xlsx.is_file():  # the workbook first: a run killed between the two redoes both
        write_xlsx(ordered, xlsx)
    write_if_changed(json_path, summary)
    write_workbench(out)
    write_if_changed(state_path, json.dumps(new_state, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return Result(ordered, xlsx, changed)


def _sweep(out: Path) -> None:
    """Remove what a run killed mid-write left: temporary files and material folders (each
    write goes to a temporary beside its target and is renamed into place)."""
    from .workbench import SITE

    left = [p for folder in (out, out / "docs", out / STATE) for p in folder.glob(f"{TMP_PREFIX}*")]
    left += (out / SITE).rglob(f"{TMP_PREFIX}*")
    for p in left:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def _copy_material(src: Path, target: Path) -> None:
    """A Markdown material into OUT/docs, atomically."""
    def fill(tmp: Path) -> None:
        if src.is_dir():
            shutil.copytree(src, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
        else:
            shutil.copy2(src, tmp / "index.md")

    replace_folder(target, fill)


def _crash(path: Path, exc: Exception, log) -> InputError:
    import traceback

    log(f"{path}：处理时出错（程序错误，请报告）：\n" + "".join(traceback.format_exception(exc)).rstrip())
    return crash_error(path, exc)


def _unreadable(row: Row, exc: InputError) -> None:
    d = exc.diagnostic
    row.status = "unreadable"
    row.note = d.message + (f"（{d.hint}）" if d.hint else "")
    row.findings = [{"where": getattr(d, "where", "") or f"第{d.line}行", "line": d.line, "column": d.column,
                     "page": 0, "rule": d.rule, "severity": "error", "message": d.message, "hint": d.hint}]


def _remove_material(docs: Path, folder: str | None) -> None:
    if folder and (docs / folder).is_dir():
        shutil.rmtree(docs / folder)


def _references(folder: Path, cache: Path, log) -> list[Material]:
    refs = []
    for p in discover(folder):
        if not supported(p):
            continue
        try:
            refs.append(intake.load(p, cache=cache))
        except InputError as exc:
            log(f"参考文本无法读取，已跳过：{exc.diagnostic.format()}")
    return refs
