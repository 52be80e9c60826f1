"""Counts over a ledger for reviewers (the 整改进度 page, the batch review)."""

from __future__ import annotations

import datetime

from ..model import Material
from ..schema import Schema
from .reader import read_ledger
from .refs import ProblemIndex
from .types import DONE, IN_PROGRESS, NOT_STARTED, STANDING, Ledger, LedgerRow, LedgerSummary


def is_overdue(row: LedgerRow, today: datetime.date) -> bool:
    """Deadline passed and the measure neither 已完成 nor 长期坚持."""
    d = row.deadline
    return d.kind == "date" and d.date is not None and d.date < today and row.state not in (DONE, STANDING)


def summarise_ledger(ledger: Ledger, today: datetime.date) -> LedgerSummary:
    rows = ledger.rows
    return LedgerSummary(
        has_ledger=True,
        problems=len(ledger.problem_points),
        problems_without_measure=len(ledger.unmatched()),
        measures=len(rows),
        done=sum(r.state == DONE for r in rows),
        in_progress=sum(r.state == IN_PROGRESS for r in rows),
        not_started=sum(r.state == NOT_STARTED for r in rows),
        standing=sum(r.state == STANDING for r in rows),
        overdue=sum(is_overdue(r, today) for r in rows),
        rows_missing_owner=sum(not (r.leader or r.person) for r in rows),
        rows_missing_deadline=sum(not r.deadline.understood for r in rows),
    )


def summarise(mat: Material, schema: Schema, today: datetime.date) -> LedgerSummary:
    ledger = read_ledger(mat, schema)
    if ledger is not None:
        return summarise_ledger(ledger, today)
    tops = [s for s in mat.sections if (spec := schema.section_for(s.title)) and spec.problems]
    problems = len(ProblemIndex(mat, schema, tops).problem_points) if tops else 0
    return LedgerSummary(has_ledger=False, problems=problems, problems_without_measure=problems)
