"""Intake: every format a unit sends (.docx .doc .wps .rtf .odt .pdf .txt) into the one model.

Entry points: `load(path)` -> Material (what gongwen/read parses, plus LibreOffice
conversion, PDF text, web-chrome removal and Word tables), `check_file(path)` -> diagnostics placed in
the file the user has (PDF findings as 第3页第12行), `classified(diags)`.
gongwen/read never imports this package; the CLI and the review batch choose it.
"""

from __future__ import annotations

from pathlib import Path

from ..check.secrecy import HINT as SECRET_HINT
from ..check.secrecy import marks_in_package
from ..diagnostics import Diagnostic, input_error
from ..model import Material
from ..read import load as read_load
from ..read.legacy import parse_lines
from . import office
from .chrome import chrome_notes, split_chrome
from .office import SUFFIXES as OFFICE_SUFFIXES
from .office import convert_many, to_docx
from .pdf import PageDiagnostic, PdfText, read_pdf
from .word_tables import add_tables

SUFFIXES = {".md", ".txt", ".docx", ".pdf", *OFFICE_SUFFIXES}
LEGACY = {".txt", ".docx", ".pdf", *OFFICE_SUFFIXES}

__all__ = ["LEGACY", "SUFFIXES", "PageDiagnostic", "check_file", "classified", "convert_many", "load", "office"]


def load(path: str | Path, *, cache: str | Path | None = None, converted: Path | None = None) -> Material:
    """Read any supported input. `converted` is a .docx already made from an Office file
    (the review batch converts many in one LibreOffice run)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        return read_load(path)  # its "does not exist" message
    if path.is_dir() or suffix in (".md", ".txt", ".docx"):
        mat = read_load(path)
        if mat.format == "md":
            return mat
        mat = _without_chrome(mat)
        if suffix == ".docx":
            add_tables(mat, path, str(path))
        return mat
    if suffix in OFFICE_SUFFIXES:
        # An .odt is itself a package the scan reads (its properties too), before conversion.
        own = marks_in_package(path) if suffix == ".odt" else []
        docx = converted or to_docx(path, cache)
        mat = _relabel(read_load(docx), str(path), suffix.lstrip("."))
        add_tables(mat, docx, str(path))
        # The classified rule reads the file itself, which it cannot for these formats: the
        # converted Word file is scanned (every part), in the original's name.
        mat.notes.extend(_secret_notes(str(path), own + marks_in_package(docx, name=path)))
        return mat
    if suffix == ".pdf":
        text = read_pdf(path)
        mat = _from_lines(str(path), text.paragraphs, "pdf", [])
        first = text.marks[0][0] if text.marks else 0  # a header mark repeats on every page: its first page says it
        mat.notes.extend(PageDiagnostic(str(path), m.line, 1, "security.classified", "error", m.message(), SECRET_HINT,
                                        page=page) for page, m in text.marks if page == first)
        mat.pdf = text  # where each paragraph's pieces sit: check_file reports page and line
        if not mat.lines:
            raise input_error(path, "PDF 中没有可检查的正文", "确认文件是否正确", rule="input.empty")
        return mat
    return read_load(path)  # its "unsupported type" message


def _secret_notes(path: str, marks) -> list[Diagnostic]:
    return [Diagnostic(path, m.line, 1, "security.classified", "error", m.message(), SECRET_HINT) for m in marks]


def _source_lines(mat: Material) -> list[str]:
    """The legacy lines the material was parsed from (blank lines included)."""
    last = max((tl.line for tl in mat.lines), default=0)
    lines = [""] * last
    for tl in mat.lines:
        lines[tl.line - 1] = " " * (tl.column - 1) + tl.text
    return lines


def _from_lines(path: str, lines: list[str], fmt: str, notes: list[Diagnostic]) -> Material:
    chrome = split_chrome(lines)
    residue = chrome_notes(path, lines, chrome)
    if chrome:
        lines = list(lines)
        for i in chrome:
            lines[i] = ""
    mat = parse_lines(path, lines, fmt)
    mat.notes.extend(notes + residue)
    return mat


def _without_chrome(mat: Material) -> Material:
    lines = _source_lines(mat)
    if not split_chrome(lines):
        return mat
    return _from_lines(mat.path, lines, mat.format, mat.notes)


def _relabel(mat: Material, path: str, fmt: str) -> Material:
    """A material read from a converted .docx, with every location in the original file."""
    notes = [Diagnostic(path, d.line, d.column, d.rule, d.severity, d.message, d.hint) for d in mat.notes]
    return _from_lines(path, _source_lines(mat), fmt, notes)


def check_file(path: str | Path, *, type_name: str | None = None, stage: str | None = None,
               mat: Material | None = None, rules: list[str] | None = None, today=None,
               copies: list | None = None) -> list[Diagnostic]:
    """Load (unless given) and check one input; PDF findings carry page and line."""
    from ..check.run import check

    mat = mat or load(path)
    diags = check(mat, type_name=type_name, stage=stage, rules=rules, today=today, copies=copies)
    pdf: PdfText | None = getattr(mat, "pdf", None)
    return pdf.relocate(mat.path, diags) if pdf else diags


def classified(diags: list[Diagnostic]) -> list[Diagnostic]:
    """The security.classified findings: such a file must not become a material."""
    return [d for d in diags if d.rule == "security.classified" or d.rule.startswith("security.classified.")]
