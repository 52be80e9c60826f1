"""A material's ledger, read from the model: the tables under a 整改清单 / 整改台账 heading
(an 一级 section of its own, or a 二级 heading inside 整改措施)."""

from __future__ import annotations

from ..model import Material, Section, Table
from ..schema import Schema
from .conventions import REQUIRED, Conventions, conventions, fold
from .deadline import material_year, parse_deadline
from .refs import ProblemIndex
from .types import NOT_STARTED, Ledger, LedgerRow, LedgerTable


def _spec_flag(schema: Schema, sec: Section, flag: str) -> bool:
    spec = schema.section_for(sec.title)
    return bool(spec and getattr(spec, flag))


def ledger_sections(mat: Material, schema: Schema, conv: Conventions) -> list[Section]:
    found = []
    for top in mat.sections:
        if _spec_flag(schema, top, "ledger") or conv.is_heading(top.title):
            found.append(top)
            continue
        # Inside 整改措施 (or any 一级 section of a type the schema does not know).
        if _spec_flag(schema, top, "measures") or schema.section_for(top.title) is None:
            found.extend(c for c in top.children if c.level == 2 and conv.is_heading(c.title))
    return found


def _columns(table: Table, conv: Conventions) -> dict[str, list[int]]:
    cols: dict[str, list[int]] = {}
    for i, cell in enumerate(table.header):
        meaning = conv.meaning(cell.text)
        if meaning:
            cols.setdefault(meaning, []).append(i)
    return cols


def read_ledger(mat: Material, schema: Schema) -> Ledger | None:
    """The material's ledger, or None when it has no 整改清单 table. Problem references
    are resolved to the material's problem points (numbers as the site shows them)."""
    conv = conventions(schema)
    sections = ledger_sections(mat, schema, conv)
    if not sections:
        return None
    tables = [(sec, t) for top in sections for sec in top.walk() for t in sec.tables()]
    if not tables:
        return None
    problem_tops = [s for s in mat.sections if _spec_flag(schema, s, "problems")]
    index = ProblemIndex(mat, schema, problem_tops)
    year = material_year(mat.meta)
    ledger = Ledger([], [], index.problem_points, index.labels, index)
    for sec, table in tables:
        cols = _columns(table, conv)
        missing = [m for m in REQUIRED if m not in cols]
        if "leader" not in cols and "person" not in cols:
            missing.append("owner")
        ledger.tables.append(LedgerTable(table, sec, cols, missing))
        if "problem" not in cols or "measure" not in cols:
            continue  # not readable as a ledger; ledger.columns reports it
        previous_problem = ""
        kept = [(i, c.text) for i, c in enumerate(table.header) if conv.meaning(c.text) in (None, "other")]
        meanings = [(m, idx) for m, idx in cols.items() if m != "other"]
        for row in table.rows:
            texts = row.texts()
            if not any(texts):
                continue
            # meaning -> the text of its column(s): several columns of one meaning are joined by ；
            v = {m: texts[idx[0]] if len(idx) == 1 else "；".join(texts[i] for i in idx if texts[i])
                 for m, idx in meanings}
            own_problem = v.get("problem", "")
            problem = own_problem or previous_problem  # a blank cell repeats the one above
            previous_problem = problem
            word = v.get("status", "")
            state = conv.states.get(fold(word)) if word else NOT_STARTED
            ledger.rows.append(LedgerRow(
                problems=index.resolve_cell(problem) if problem else [], problem_text=problem,
                measure=v.get("measure", ""), leader=v.get("leader", ""), person=v.get("person", ""),
                deadline=parse_deadline(v.get("deadline", ""), year, conv),
                state=state or NOT_STARTED, status_word=word, status_known=state is not None,
                path=row.path, line=row.line, row=row,
                cells={m: row.cells[idx[0]] for m, idx in meanings},
                others={name: texts[i] for i, name in kept}))
    return ledger
