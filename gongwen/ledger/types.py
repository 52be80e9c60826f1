"""The ledger's values: rows of problem -> measure -> owners -> deadline -> state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Cell, Point, Row, Section, Table

if TYPE_CHECKING:  # refs imports types: only for the annotation
    from .refs import ProblemIndex

STATES = ("未开始", "推进中", "已完成", "长期坚持")
NOT_STARTED, IN_PROGRESS, DONE, STANDING = STATES


@dataclass(frozen=True)  # shared between rows that write the same deadline (parse_deadline is cached)
class Deadline:
    """A 完成时限 as written and as understood.

    kind: "date" (`date` set; `form` says how it was written: 日, 月底, 年底, 上半年 …),
    "standing" (长期坚持, 立行立改, 持续推进: never overdue), "missing", "unknown" (尽快, 近期)."""

    text: str
    kind: str
    date: datetime.date | None = None
    form: str = ""

    @property
    def understood(self) -> bool:
        return self.kind in ("date", "standing")


@dataclass
class ProblemRef:
    """One problem named in a row's problem cell (cells may name several, split by ；)."""

    text: str  # as written
    point: Point | None = None  # the problem point it names, when resolved
    label: str = ""  # number path as the site shows it within 存在的问题: （一）一是
    full_label: str = ""  # with the 一级 number: 二（一）一是
    error: str = ""  # "" | unknown | ambiguous | mismatch | empty
    hint: str = ""  # for errors: which references exist, the closest lead sentence
    key: str = ""  # a number written alone, normalised (refs.bare_key); "" when a lead was written too

    @property
    def lead(self) -> str:
        return self.point.lead if self.point else ""


@dataclass
class LedgerRow:
    problems: list[ProblemRef]
    problem_text: str  # the problem cell as written (after filling a blank cell from above)
    measure: str
    leader: str  # 责任领导
    person: str  # 责任人 / 责任单位 / 责任部门 (joined when there are several such columns)
    deadline: Deadline
    state: str  # one of STATES
    status_word: str  # the status as written ("" = not written: 未开始)
    status_known: bool
    path: str
    line: int
    row: Row
    cells: dict[str, Cell] = field(default_factory=dict)  # meaning -> cell (problem, measure, …)
    others: dict[str, str] = field(default_factory=dict)  # kept columns: header -> text

    @property
    def owners(self) -> str:
        return "；".join(x for x in (self.leader, self.person) if x)


@dataclass
class LedgerTable:
    table: Table
    section: Section
    columns: dict[str, list[int]]  # meaning -> column indexes
    missing: list[str]  # required meanings with no column (problem, measure, deadline, owner)


@dataclass
class Ledger:
    rows: list[LedgerRow]
    tables: list[LedgerTable]
    problem_points: list[Point]  # every problem point of the material (in 存在的问题)
    labels: dict[int, tuple[str, str]]  # id(point) -> (short label, full label)
    index: ProblemIndex | None = field(default=None, repr=False)  # resolves leads to numbers (fmt, stale refs)

    def rows_for(self, point: Point) -> list[LedgerRow]:
        return [r for r in self.rows if any(p.point is point for p in r.problems)]

    def unmatched(self) -> list[Point]:
        answered = {id(p.point) for r in self.rows for p in r.problems if p.point is not None}
        return [p for p in self.problem_points if id(p) not in answered]


@dataclass
class LedgerSummary:
    """Counts a reviewer compares across materials. Without a ledger, has_ledger is False,
    problems counts the material's problem points and every one is without a measure."""

    has_ledger: bool
    problems: int = 0
    problems_without_measure: int = 0
    measures: int = 0  # ledger rows
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    standing: int = 0
    overdue: int = 0
    rows_missing_owner: int = 0
    rows_missing_deadline: int = 0  # no deadline, or one not understood (尽快, 近期)
