"""整改台账: a material's 整改清单 read from the model (problem -> measure -> owners ->
deadline -> state), its checks' building blocks, counts, and Excel exchange.

Entry points:
    read_ledger(mat, schema) -> Ledger | None      the rows, problem references resolved
    summarise(mat, schema, today) -> LedgerSummary  counts for reviewers (has_ledger, overdue …)
Excel (openpyxl, imported only there): xlsx_out.sheet_rows(mat, ledger, today) + write_xlsx(rows, out);
xlsx_in.read_xlsx(path) -> Imported (.markdown()). Site pages: pages.py. CLI: command.py.
The schema is the material's (gongwen.check.resolve_schema(mat)[0]); conventions come from it.
"""

from __future__ import annotations

from .conventions import Conventions, conventions
from .deadline import material_year, parse_deadline
from .reader import ledger_sections, read_ledger
from .summary import is_overdue, summarise, summarise_ledger
from .types import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    STANDING,
    STATES,
    Deadline,
    Ledger,
    LedgerRow,
    LedgerSummary,
    LedgerTable,
    ProblemRef,
)

__all__ = [
    "DONE", "IN_PROGRESS", "NOT_STARTED", "STANDING", "STATES", "Conventions", "Deadline", "Ledger",
    "LedgerRow", "LedgerSummary", "LedgerTable", "ProblemRef", "conventions", "is_overdue", "ledger_sections",
    "material_year", "parse_deadline", "read_ledger", "summarise", "summarise_ledger",
]
