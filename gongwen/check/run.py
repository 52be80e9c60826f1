"""The checker: schema + rules -> Diagnostics, for any Material."""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import sys
from pathlib import Path

from ..diagnostics import SEVERITIES, Diagnostic, InputError, crash_error
from ..model import Material
from ..read import find_inputs, is_material_folder, load
from ..read.source import read_text, split_front_matter
from ..schema import GENERIC, Schema, all_schemas, detect_schema, find_schema
from .rules import RULES
from .rules.registry import STAGES, Context, Rule


def resolve_schema(mat: Material, type_name: str | None = None) -> tuple[Schema, list[Diagnostic]]:
    """--type, then front matter `type:`, then detection from the title; else generic rules."""
    notes: list[Diagnostic] = []
    where = mat.meta_node or mat.title_node
    path, line = (where.path, where.line) if where else (mat.path, 1)
    wanted = type_name or mat.meta.get("type")
    if wanted:
        schema = find_schema(str(wanted))
        if schema:
            return schema, notes
        notes.append(Diagnostic(path, line, 1, "meta.field", "warning",
                                f"未知的材料类型“{wanted}”，仅按通用规则检查",
                                "可用类型见“检查规则”页面，或运行 gongwen types"))
        return GENERIC, notes
    schema = detect_schema(mat.title)
    if schema:
        notes.append(Diagnostic(path, line, 1, "meta.type", "info", f"根据标题识别材料类型：{schema.name}", ""))
        return schema, notes
    notes.append(Diagnostic(path, line, 1, "meta.type", "info", "未能识别材料类型，仅按通用规则检查",
                            "在文件头写 type:，或用 --type 指定"))
    return GENERIC, notes


def resolve_stage(mat: Material, stage: str | None = None) -> str:
    """--stage, then front matter 状态; a file without one (a .txt or .docx you received) is a 定稿."""
    value = stage or mat.stage
    return value if value in STAGES else "定稿"


def _severity(rule: Rule, ctx: Context) -> str:
    if rule.fixed:
        return rule.severity
    return ctx.schema.severity(rule.id, rule.severity_for(ctx.stage))


def check(mat: Material, *, type_name: str | None = None, stage: str | None = None,
          for_site: bool = False, publish: bool = False, rules: list[str] | None = None,
          today: datetime.date | None = None, copies: list | None = None) -> list[Diagnostic]:
    schema, notes = resolve_schema(mat, type_name)
    ctx = Context(mat, schema, resolve_stage(mat, stage), type_known=schema is not GENERIC,
                  for_site=for_site, publish=publish, today=today, copies=copies)
    out: list[Diagnostic] = list(mat.notes) + notes
    for rule in RULES.values():
        if rules and not rule.fixed and not any(rule.id == r or rule.id.startswith(r + ".") for r in rules):
            continue
        severity = _severity(rule, ctx)
        if severity == "off":
            continue
        for f in rule.func(ctx):
            node = f.node
            col = f.column if f.column is not None else node.column
            rule_id = f"{rule.id}.{f.sub}" if f.sub else rule.id
            sev = severity if rule.fixed else _finding_severity(rule, rule_id, f.severity, severity, ctx.schema)
            if sev not in SEVERITIES:
                continue
            out.append(Diagnostic(node.path, node.line, col, rule_id, sev, f.message, f.hint))
    fixed = {r.id for r in RULES.values() if r.fixed}
    out = [d for d in out if d.rule in fixed or not _suppressed(mat, d)]
    return sorted(set(out), key=lambda d: (d.path, d.line, d.column, d.rule, d.message))


def _finding_severity(rule: Rule, rule_id: str, own: str | None, rule_severity: str, schema: Schema) -> str:
    """A schema entry naming the sub-id wins; then a finding's own severity (e.g. an alias
    is only info, raw HTML is an error when publishing); then the rule's (stage, schema)."""
    if rule_id != rule.id:
        key = max((k for k in schema.rules if rule_id.startswith(k + ".") or rule_id == k),
                  key=len, default=None)
        if key is not None and len(key) > len(rule.id):
            return str(schema.rules[key])
    return own or rule_severity


def _suppressed(mat: Material, d: Diagnostic) -> bool:
    for key in ((d.path, d.line), (d.path, 0)):
        for r in mat.suppressed.get(key, ()):
            if r in ("all", "*") or d.rule == r or d.rule.startswith(r + "."):
                return True
    # Front matter of index.md applies to the whole folder material.
    for (path, line), rules in mat.suppressed.items():
        if line == 0 and path.endswith("index.md") and mat.format == "md" and d.path in mat.files:
            if any(r in ("all", "*") or d.rule == r or d.rule.startswith(r + ".") for r in rules):
                return True
    return False


def worst(diags: list[Diagnostic]) -> str | None:
    for sev in SEVERITIES:
        if any(d.severity == sev for d in diags):
            return sev
    return None


def expand_inputs(paths: list[str | Path], suffixes=None) -> tuple[list[Path], list[Diagnostic]]:
    """The materials behind the paths given to `gongwen check` (pre-commit passes changed files).

    A file of a folder material stands for its folder, checked once however many of its
    files are given. A .md with no front matter outside any material folder (a README, the
    site's home page) is not a material: it is skipped with a note, not checked as one.
    """
    wanted: list[Path] = []
    notes: list[Diagnostic] = []
    for p in map(Path, paths):
        if p.is_file() and p.suffix.lower() == ".md":
            if is_material_folder(p.parent):
                p = p.parent
            elif not _has_front_matter(p):
                notes.append(Diagnostic(str(p), 1, 1, "meta.field", "info",
                                        "不是材料：没有文件头（front matter），未检查",
                                        "如是单文件材料，在开头加上文件头：type、year、unit、密级、状态"))
                continue
        if p not in wanted:
            wanted.append(p)
    found: list[Path] = []
    seen: set[Path] = set()  # a list alone makes this quadratic in the number of materials
    for p in (find_inputs(wanted, suffixes) if suffixes else find_inputs(wanted)) if wanted else []:
        if p not in seen:
            seen.add(p)
            found.append(p)
    return found, notes


def _has_front_matter(path: Path) -> bool:
    try:
        return split_front_matter(read_text(path)).end_line > 0
    except Exception:  # noqa: BLE001 - unreadable: treat it as a material so loading reports why
        return True


# Below this many inputs a worker process costs more than it saves.
PARALLEL_MIN_INPUTS = 32
_CHUNK = 8  # inputs a process takes at a time (about 20 ms of work)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_inputs(paths: list[Path], *, type_name: str | None = None, stage: str | None = None,
                 jobs: int = 1, today: datetime.date | None = None,
                 check_file=None) -> tuple[list[Diagnostic], int]:
    """Load and check each input: the diagnostics in input order, and how many inputs could
    not be read. With jobs > 1 and many inputs, forked processes share the inputs and the
    results are put back in input order, so the output is the same as without them.
    `check_file(path, type_name=, stage=)` replaces load + check (the CLI passes intake's,
    which reads .doc and .pdf too; gongwen/read does not know those formats)."""
    results = None
    if jobs > 1 and len(paths) >= PARALLEL_MIN_INPUTS and _can_fork():
        results = _check_forked(paths, type_name, stage, min(jobs, len(paths)), today, check_file)
    if results is None:
        results = [_check_one(p, *_args(type_name, stage, today), **_kw(check_file)) for p in paths]
    return [d for diags, _ in results for d in diags], sum(n for _, n in results)


def _args(type_name: str | None, stage: str | None, today: datetime.date | None) -> tuple:
    # `today` only when given: _check_one keeps its three-argument form for everything else.
    return (type_name, stage) if today is None else (type_name, stage, today)


def _kw(check_file) -> dict:
    # Likewise `check_file` only when given (the CLI's intake reader).
    return {} if check_file is None else {"check_file": check_file}


def _check_one(path: Path, type_name: str | None, stage: str | None,
               today: datetime.date | None = None, check_file=None) -> tuple[list[Diagnostic], int]:
    try:
        if check_file is not None:
            return check_file(path, type_name=type_name, stage=stage, today=today), 0
        mat = load(path)
        return check(mat, type_name=type_name, stage=stage, today=today), 0
    except InputError as exc:
        return [exc.diagnostic], 1
    except Exception as exc:  # noqa: BLE001 - one file that breaks a reader or a rule hides no other file's findings
        return [crash_error(path, exc).diagnostic], 1


def _can_fork() -> bool:
    # fork keeps the parent's imports and compiled patterns; macOS and Windows lack a safe fork.
    return sys.platform.startswith("linux")


def _check_forked(paths: list[Path], type_name: str | None, stage: str | None, jobs: int,
                  today: datetime.date | None = None, check_file=None):
    """Check the inputs in `jobs` processes: the parent and jobs - 1 forked children take
    chunks of inputs from one queue (a pipe holding their start indexes), so a process on a
    slower core simply takes fewer; children send their results back through a pipe, and
    the results are put back in input order. None when anything failed: the caller then
    checks every input itself, so an error is raised (or a crash happens) as without workers."""
    import pickle

    with contextlib.suppress(Exception):  # read the schemas once, before forking; a broken
        all_schemas()  # one still fails where it is used, as without workers
    # At most 1024 chunks: their indexes (4 KiB) fit in a pipe and are written in one go.
    size = max(_CHUNK, -(-len(paths) // 1024))
    queue_read, queue_write = os.pipe()
    os.write(queue_write, b"".join(i.to_bytes(4, "little") for i in range(0, len(paths), size)))
    children: list[tuple[int, int]] = []

    def take_chunks() -> dict[int, list]:
        done = {}
        while start := os.read(queue_read, 4):  # 4 bytes at a time: reads never split an index
            if len(start) != 4:
                raise RuntimeError("short read from the work queue")
            i = int.from_bytes(start, "little")
            done[i] = [_check_one(p, *_args(type_name, stage, today), **_kw(check_file))
                       for p in paths[i:i + size]]
        return done

    try:
        for _ in range(1, jobs):
            result_read, result_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: check chunks, send them, and leave without cleanup
                code = 1
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
                    os.close(queue_write)
                    os.close(result_read)
                    done = take_chunks()
                    with os.fdopen(result_write, "wb") as out:
                        pickle.dump(done, out, protocol=pickle.HIGHEST_PROTOCOL)
                    code = 0
                finally:
                    os._exit(code)
            os.close(result_write)
            children.append((pid, result_read))
        os.close(queue_write)
        queue_write = -1
        done = take_chunks()
        while children:
            pid, result_read = children[0]
            with os.fdopen(result_read, "rb") as pipe:
                children[0] = (pid, -1)  # closed by the with
                data = pipe.read()
            children.pop(0)
            _, status = os.waitpid(pid, 0)
            if status != 0 or not data:
                return None
            done.update(pickle.loads(data))
    except Exception:  # noqa: BLE001 - checked again without workers, which raises it as usual
        return None
    finally:
        for pid, result_read in children:  # interrupted or failed: stop the others
            with contextlib.suppress(OSError):
                if result_read >= 0:
                    os.close(result_read)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
        for fd in (queue_read, queue_write):
            with contextlib.suppress(OSError):
                if fd >= 0:
                    os.close(fd)
    return [result for i in sorted(done) for result in done[i]]
