"""Word comes back: a leader's tracked changes (修订) and comments (批注) in returned copies of
an exported .docx, mapped onto the material's Markdown sources.

One entry point, `collect(copies, folder)`: reads each returned copy (a .docx; .doc, .wps,
.odt through LibreOffice, which keeps tracked changes), maps its changes through the source
anchors export wrote (gongwen.export.docx), merges the copies and returns the accepted edits,
the conflicts and the comments. `apply(result)` writes them: every file replaced atomically
after all of them were worked out and checked, the comments into the folder's 批注.yaml.

What comes back is untrusted: inserted words are escaped as Markdown (they never become
syntax or HTML), and a classified mark anywhere in the copy or among the changes stops
everything before a file is written."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from ..check.run import resolve_schema
from ..check.secrecy import HINT as SECRET_HINT
from ..check.secrecy import mark_level, marks_in_file, marks_in_lines
from ..diagnostics import input_error
from ..export.docx import anchor_name, build_document
from ..files import write_atomic
from ..model import Material
from ..read import load
from ..read.comments import SidecarComment, comments_path, comments_yaml, read_comments
from ..read.package import check_package
from .mapping import Conflict, Edit, Sources, map_copy, short_date
from .ooxml import Copy, read_copy

CONVERTED = {".doc", ".wps", ".odt", ".rtf"}
QUOTED = 60  # characters of the commented text kept with a comment in 批注.yaml


@dataclass
class Revisions:
    material: Material
    folder: Path
    texts: dict[str, str]  # source path -> text as read (newlines normalised)
    raw: dict[str, tuple[str, bool]]  # source path -> (BOM, CRLF) to write back as found
    edits: list[Edit] = field(default_factory=list)  # accepted, every copy merged
    conflicts: list[Conflict] = field(default_factory=list)
    comments: list[SidecarComment] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # changes to what export adds (numbers, 落款)

    def new_texts(self) -> dict[str, str]:
        out = {}
        for path, text in self.texts.items():
            mine = sorted((e for e in self.edits if e.path == path), key=lambda e: (e.start, e.end, e.seq))
            if not mine:
                continue
            for e in reversed(mine):
                text = text[:e.start] + e.text + text[e.end:]
            out[path] = text
        return out

    def diff(self) -> str:
        """The source edits as a unified diff, paths relative to the material's folder."""
        chunks = []
        for path, new in self.new_texts().items():
            rel = Path(path).name
            chunks.extend(difflib.unified_diff(self.texts[path].splitlines(keepends=True),
                                               new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"))
        return "".join(c if c.endswith("\n") else c + "\n\\ No newline at end of file\n" for c in chunks)


def source_texts(mat: Material) -> tuple[dict[str, str], dict[str, tuple[str, bool]]]:
    texts, raw = {}, {}
    for path in mat.files:
        data = Path(path).read_bytes()
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        text = data.decode("utf-8-sig")
        raw[path] = (bom, "\r\n" in text)
        texts[path] = text.replace("\r\n", "\n")
    return texts, raw


def current_anchors(mat: Material) -> tuple[dict[str, str], set[str]]:
    """What export writes inside each anchor today, and which anchors are points: the same
    reader applied to a fresh export, so the two sides are compared in one way."""
    schema, _ = resolve_schema(mat)
    buf = BytesIO()
    build_document(mat, schema).save(buf)
    buf.seek(0)
    today = read_copy(buf, mat.path)
    points = {anchor_name(p.path, p.line, p.column) for p in mat.points()}
    return {name: a.original() for name, a in today.anchors.items()}, points


def read_returned(path: Path, cache: Path | None = None) -> Copy:
    """A returned copy: .docx read directly, the older formats converted by LibreOffice."""
    from ..intake.office import looks_right, to_docx

    if not path.is_file():
        raise input_error(path, "文件不存在", "请检查路径", rule="input.read")
    suffix = path.suffix.lower()
    if suffix in CONVERTED:
        if not looks_right(path):
            raise input_error(path, f"不是 {suffix} 文件或已损坏", "用 Word 或 WPS 打开后另存为 .docx 再试", rule="input.read")
        docx = to_docx(path, cache)
    elif suffix == ".docx":
        check_package(path, "Word 文件")  # the intake's boundary: bombs, DOCTYPE, truncated zips
        docx = path
    else:
        raise input_error(path, f"不支持的文件类型：{path.suffix or '无扩展名'}",
                          "返回的 Word 稿应为 .docx、.doc、.wps 或 .odt", rule="input.read")
    _refuse_classified_file(path, docx)
    return read_copy(docx, str(path))


def _refuse_classified_file(path: Path, docx: Path) -> None:
    for m in marks_in_file(docx):
        raise input_error(path, f"返回的 Word 稿标有密级（{m.text}），不予合并，没有写入任何文件", SECRET_HINT,
                          line=m.line, rule="security.classified")


def collect(copies: list[str | Path], folder: str | Path, cache: Path | None = None) -> Revisions:
    """Map and merge the returned copies onto the material in folder."""
    folder = Path(folder)
    mat = load(folder)
    if mat.format != "md":
        raise input_error(folder, "第二个参数应为 Markdown 材料文件夹（docs/<材料>）", "如 docs/示例-2024-青禾镇党委",
                          rule="input.read")
    texts, raw = source_texts(mat)
    current, points = current_anchors(mat)
    sources = Sources(mat.files, texts, current)
    rev = Revisions(mat, folder if folder.is_dir() else folder.parent, texts, raw)
    every: list[Edit] = []
    for path in map(Path, copies):
        copy = read_returned(path, cache)
        if not copy.anchors:
            raise input_error(path, "这份 Word 稿不是由 gongwen 导出的（没有源文件标记），无法对应到 Markdown",
                              "请用 gongwen export … --to docx 或网站上的“下载 Word 版”导出后再送审", rule="input.read")
        if not any(sources.place(name) for name in copy.anchors):
            raise input_error(path, f"这份 Word 稿不是从 {folder.name} 导出的（书签指向的源文件都不在这份材料中）",
                              "检查是否给错了材料文件夹；材料文件夹导出后改过名的，改回原名再合并", rule="input.read")
        edits, conflicts = map_copy(copy, sources, points)
        for e in edits:  # insertions at one place keep the order of the copies given
            e.seq += len(every)
        every.extend(edits)
        rev.conflicts.extend(conflicts)
        rev.ignored.extend(f"{path.name}：{o.author or '未署名'}{'插入' if o.change == 'ins' else '删除'}“{o.text}”"
                           for o in copy.outside)
        for c in copy.comments:
            name = sources.resolve(copy.anchors[c.anchor]) if c.anchor in copy.anchors else None
            place = sources.place(name or c.anchor or "")
            if place is None:
                rev.conflicts.append(Conflict("", 0, "批注所在的文字在导出以后已经修改，无法确定批注的位置",
                                              texts=[f"{c.author}批注：{c.text}"]))
                continue
            quote = copy.anchors[c.anchor].original() if c.anchor in copy.anchors else ""
            found = SidecarComment(Path(place.path).name, place.line, c.author, short_date(c.date), c.text,
                                   quote if len(quote) <= QUOTED else quote[:QUOTED] + "……")
            if all(found.key() != other.key() for other in rev.comments):  # the same comment in two copies
                rev.comments.append(found)
    rev.edits = _merge(every, rev.conflicts)
    _refuse_classified_changes(rev)
    return rev


def _merge(edits: list[Edit], conflicts: list[Conflict]) -> list[Edit]:
    """One list from several copies: the same change from two people is one change with both
    names; changes of the same words that differ are a conflict, neither applied."""
    merged: list[Edit] = []
    for e in edits:
        twin = next((m for m in merged if m.same_change(e)), None)
        if twin is not None:
            twin.authors = tuple(dict.fromkeys(twin.authors + e.authors))
            continue
        merged.append(e)
    clash: set[int] = set()
    for i, a in enumerate(merged):
        for j in range(i + 1, len(merged)):
            b = merged[j]
            both_new = a.kind == b.kind == "新增段落"  # two new paragraphs after one block: both go in
            if a.copy != b.copy and a.overlaps(b) and not both_new:
                clash.update((i, j))
                conflicts.append(Conflict(a.path, a.line, "两位领导对同一处文字作了不同的修改，请商定后手工修改",
                                          [a, b]))
    return [e for i, e in enumerate(merged) if i not in clash]


def _refuse_classified_changes(rev: Revisions) -> None:
    for e in rev.edits:
        for line in e.new.split("\n"):
            if level := mark_level(line):
                raise input_error(e.path, f"{e.who()}插入的文字中有密级标志“{line.strip()}”（{level}），不予合并，没有写入任何文件",
                                  SECRET_HINT, line=e.line, rule="security.classified")
    for c in rev.comments:
        for line in c.text.split("\n"):
            if level := mark_level(line):
                raise input_error(rev.folder / c.file, f"{c.author}的批注中有密级标志“{line.strip()}”（{level}），"
                                  "不予合并，没有写入任何文件", SECRET_HINT, line=c.line, rule="security.classified")
    for path, text in rev.new_texts().items():
        for m in marks_in_lines(path, text.split("\n")):
            raise input_error(path, f"合并后出现{m.message()}，不予合并，没有写入任何文件", SECRET_HINT, line=m.line,
                              rule="security.classified")


def apply(rev: Revisions) -> list[Path]:
    """Write the accepted edits and the comments; returns the files written. Every new text
    is worked out (and checked) before the first file is replaced."""
    todo: list[tuple[Path, str]] = []
    for path, text in rev.new_texts().items():
        bom, crlf = rev.raw[path]
        todo.append((Path(path), bom + (text.replace("\n", "\r\n") if crlf else text)))
    if rev.comments:
        sidecar = comments_path(rev.folder)
        old = read_comments(rev.folder)
        seen = {c.key() for c in old}
        new = [c for c in rev.comments if c.key() not in seen]
        if new:
            todo.append((sidecar, comments_yaml(old + new)))
    # Each file is replaced atomically; should one fail (a full disk), those already replaced
    # get their old text back, so the change is all or nothing.
    done: list[tuple[Path, str | None]] = []
    try:
        for path, text in todo:
            old_text = path.read_bytes().decode("utf-8") if path.is_file() else None  # CRLF kept
            write_atomic(path, text)
            done.append((path, old_text))
    except BaseException:
        for path, old_text in reversed(done):
            if old_text is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, old_text)
        raise
    return [p for p, _ in todo]


__all__ = ["Revisions", "apply", "collect", "read_returned"]
