"""Import a legacy material (.txt or .docx) into the Markdown material layout.

Numbers are dropped (they are computed), run-in headings are split into heading
and points, examples stay inside their point, and paste residue is removed and
reported. Writing is atomic: the target folder appears complete or not at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..check.secrecy import HINT, marks_in_file
from ..diagnostics import Diagnostic, InputError, input_error
from ..files import replace_folder
from ..mdtext import md_escape, md_paragraph
from ..model import Material, Point, Section, Table
from ..schema import Schema, detect_schema
from ..textpatterns import RESIDUE

MAX_SECTION_FILES = 50
UNIT_BEFORE_YEAR = re.compile(r"^(.{2,30}?)(?:20\d\d年)")


def _clean(text: str, node, removed: list[Diagnostic]) -> str:
    def drop(m: re.Match) -> str:
        removed.append(Diagnostic(node.path, node.line, node.column + m.start(), "content.residue", "info",
                                  f"已删除网页残留“{m.group(0)}”", ""))
        return ""

    return RESIDUE.sub(drop, text)


def guess_meta(mat: Material, schema: Schema | None) -> dict:
    title = mat.title
    year = re.search(r"(20\d\d)", title)
    unit = UNIT_BEFORE_YEAR.match(title)
    meta = {
        "type": schema.id if schema else "",
        "year": int(year.group(1)) if year else "",
        "unit": unit.group(1) if unit and "关于" not in unit.group(1) else "",
        "密级": "内部",
        "状态": "草稿",
    }
    if mat.closing:
        for p in mat.closing:
            if re.match(r"^\d{4}年", p.text):
                meta["date"] = p.text
            elif not meta["unit"]:
                meta["unit"] = p.text
    return meta


def to_files(mat: Material, meta: dict, removed: list[Diagnostic]) -> dict[str, str]:
    """File name -> Markdown text for the material layout."""
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    title = _clean(mat.title, mat.title_node, removed) if mat.title_node else mat.title
    parts = [f"---\n{head}\n---", f"# {md_escape(title.strip())}"]
    parts += [md_paragraph(_clean(p.text, p, removed)) for p in mat.lead]
    files = {"index.md": "\n\n".join(p for p in parts if p) + "\n"}

    # One file per 一级 section, as writers keep a material; past a few dozen (a hostile or
    # broken file) all in index.md, where `#` is the title: a thousand pages would each carry
    # a thousand-entry navigation and take the workbench build minutes and gigabytes.
    shift = 1 if len(mat.sections) > MAX_SECTION_FILES else 0

    def emit(sec: Section, out: list[str]) -> None:
        out.append(f"{'#' * (sec.level + shift)} {md_escape(_clean(sec.title, sec, removed).strip())}")
        for block in sec.blocks:
            if isinstance(block, Table):  # a Word table (e.g. a 整改清单) stays a table
                from ..numbering import table_markdown

                out.append(table_markdown([c.text for c in block.header], [r.texts() for r in block.rows]))
            elif isinstance(block, Point):
                lead = _clean(block.lead, block, removed)
                body = _clean(block.body, block, removed)
                if lead.strip():
                    out.append(f"**{md_escape(lead.strip())}**{md_escape(body.strip())}")
            else:
                text = _clean(block.text, block, removed)
                if text.strip():
                    out.append(md_paragraph(text))
        for child in sec.children:
            emit(child, out)

    if shift:
        out: list[str] = []
        for sec in mat.sections:
            emit(sec, out)
        files["index.md"] += "\n" + "\n\n".join(out) + "\n"
        return files
    width = max(2, len(str(len(mat.sections))))
    for i, sec in enumerate(mat.sections, 1):
        out: list[str] = []
        emit(sec, out)
        name = re.sub(r'[\\/:*?"<>|\s]+', "", sec.title)[:20] or "section"
        files[f"{i:0{width}d}-{name}.md"] = "\n\n".join(out) + "\n"
    return files


def import_material(mat: Material, out_dir: str | Path, *, overwrite: bool = False,
                    meta_overrides: dict | None = None) -> list[Diagnostic]:
    out_dir = Path(out_dir)
    # No suppression: a state secret is never turned into a material, whatever else is asked.
    marks = [m for f in mat.files for m in marks_in_file(f)]
    if marks:
        raise InputError(Diagnostic(marks[0].path, marks[0].line, 1, "security.classified", "error",
                                    marks[0].message() + "，未导入，没有写入任何文件", HINT))
    if out_dir.exists() and any(out_dir.iterdir()) and not overwrite:
        raise input_error(out_dir, "目标文件夹已存在且不为空", "换一个目标文件夹，或加 --force 覆盖", rule="input.write")
    schema = detect_schema(mat.title)
    meta = guess_meta(mat, schema)
    meta.update({k: v for k, v in (meta_overrides or {}).items() if v not in (None, "")})
    removed: list[Diagnostic] = []
    files = to_files(mat, meta, removed)
    def fill(tmp: Path) -> None:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")

    replace_folder(out_dir, fill)
    return removed
