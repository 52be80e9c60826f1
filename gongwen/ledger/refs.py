"""Problem references in a ledger's problem cell: a number path as the site shows it
(（一）一是, or 二（一）一是 with the 一级 number) or a lead sentence, several split by ；.

Numbers come from gongwen/numbering.py (the site's numbers), never computed here."""

from __future__ import annotations

import difflib
import re
import unicodedata

from ..model import Material, Point, Section
from ..numbering import point_labels, section_labels
from ..schema import Schema
from .conventions import fold
from .types import ProblemRef

SPLIT = re.compile(r"[；;\n]+")
_LABEL_NOISE = re.compile(r"[\s、.．,，:：]")


def _label_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).replace("(", "（").replace(")", "）")
    return _LABEL_NOISE.sub("", s)


_NUMBER_ONLY = re.compile(r"[一二三四五六七八九十百（）0-9是]+")


def bare_key(text: str) -> str:
    """A reference written as a number only (（三）一是, 二（一）一是) in normal form, else "":
    such a reference silently names another problem once the problems are renumbered."""
    key = _label_key(text)
    return key if _NUMBER_ONLY.fullmatch(key) else ""


def _plain_key(label: str) -> str:
    # Labels come from numbering.py, already full-width: only the separators go (as _label_key).
    return label.replace("、", "").replace(".", "").replace("．", "").replace(" ", "")


class ProblemIndex:
    """Every point of a material by its number paths and lead sentence; problem points first."""

    def __init__(self, mat: Material, schema: Schema, problem_tops: list[Section]):
        self.by_key: dict[str, list[Point]] = {}
        self.by_lead: dict[str, list[Point]] = {}
        self.labels: dict[int, tuple[str, str]] = {}
        self.problem_ids: set[int] = set()
        self.problem_points: list[Point] = []
        tops = {id(t) for t in problem_tops}
        slabels = section_labels(mat, schema)

        def visit(sec: Section, path: list[str], in_problems: bool) -> None:
            plabels = point_labels(sec, schema)
            for p in sec.points():
                short = "".join(path[1:]) + plabels[id(p)]
                # 二（一）一是 as the issue writes it; 一、二是 where no （一） follows the 一级 number.
                full = (path[0].rstrip("、.．") if len(path) > 1 else path[0]) + short
                self.labels[id(p)] = (short, full)
                for key in {_plain_key(short), _plain_key(full)}:
                    self.by_key.setdefault(key, []).append(p)
                lead = fold(p.lead)
                if lead:
                    self.by_lead.setdefault(lead, []).append(p)
                if in_problems:
                    self.problem_ids.add(id(p))
                    self.problem_points.append(p)
            for child in sec.children:
                visit(child, path + [slabels[id(child)]], in_problems)

        # Problem sections first; the others only when a reference names nothing there (most
        # name problems, and a short number or lead means a problem point first anyway).
        for top in mat.sections:
            if id(top) in tops:
                visit(top, [slabels[id(top)]], True)
        self._rest = [(top, slabels[id(top)]) for top in mat.sections if id(top) not in tops]
        self._visit = visit
        self._sort_keys()

    def _sort_keys(self) -> None:
        # Longest keys first: 二（一）一是 before （一）一是 when a cell starts with either.
        self._keys = sorted(self.by_key, key=len, reverse=True)

    def _index_the_rest(self) -> bool:
        if not self._rest:
            return False
        for top, label in self._rest:
            self._visit(top, [label], False)
        self._rest = []
        self._sort_keys()
        return True

    def _prefer_problems(self, points: list[Point]) -> list[Point]:
        if len(points) == 1:
            return points
        mine = [p for p in points if id(p) in self.problem_ids]
        return mine or points

    def resolve_cell(self, text: str) -> list[ProblemRef]:
        parts = [p.strip() for p in SPLIT.split(text) if p.strip()]
        return [self.resolve(p) for p in parts]

    def resolve(self, text: str) -> ProblemRef:
        ref = self._resolve(text)
        if ref.error in ("unknown", "mismatch") and self._index_the_rest():
            ref = self._resolve(text)
        ref.key = bare_key(text)
        return ref

    def _resolve(self, text: str) -> ProblemRef:
        key = _label_key(text)
        if key in self.by_key:  # the usual cell: just a number
            return self._by_number(text, key, "")
        for k in self._keys:
            if key.startswith(k):
                # _label_key drops only what fold drops too, so the rest folds as the words after the number.
                return self._by_number(text, k, fold(key[len(k):]))
        return self._by_lead(text)

    def _ref(self, text: str, point: Point, key: str = "") -> ProblemRef:
        short, full = self.labels[id(point)]
        return ProblemRef(text, point, short, full, key=key)


    def cite(self, point: Point) -> str:
        """How fmt writes a reference to `point`: its shortest unambiguous number and its lead."""
        short, full = self.labels[id(point)]
        label = short if len(self._prefer_problems(self.by_key.get(_plain_key(short), []))) == 1 else full
        return f"{label}：{point.lead.rstrip('。；;，,.')}"

    def find_lead(self, lead: str) -> Point | None:
        """The one problem point whose lead is `lead` (punctuation and width ignored), if any."""
        points = self._prefer_problems(self.by_lead.get(fold(lead), []))
        return points[0] if len(points) == 1 else None

    def _by_number(self, text: str, key: str, rest: str) -> ProblemRef:
        points = self._prefer_problems(self.by_key[key])
        if len(points) > 1:
            options = "、".join(self.labels[id(p)][1] for p in points)
            return ProblemRef(text, error="ambiguous", hint=f"“{text}”可指 {options}，请写完整编号（带一级标题编号）")
        point = points[0]
        if rest and not (fold(point.text).startswith(rest) or rest.startswith(fold(point.lead))):
            short, full = self.labels[id(point)]
            return ProblemRef(text, error="mismatch",
                              hint=f"{short}的首句是“{point.lead}”，与所写文字不符，请核对编号或首句")
        return self._ref(text, point)

    def _by_lead(self, text: str) -> ProblemRef:
        lead = fold(text)
        if not lead:
            return ProblemRef(text, error="empty", hint="写明问题的编号（如（一）一是）或首句")
        points = self.by_lead.get(lead)
        if not points and len(lead) >= 4:
            points = [p for p in self.problem_points if fold(p.lead).startswith(lead)] or None
        if points:
            points = self._prefer_problems(points)
            if len(points) == 1:
                return self._ref(text, points[0])
            options = "、".join(self.labels[id(p)][1] for p in points)
            return ProblemRef(text, error="ambiguous", hint=f"首句相同的问题有 {options}，请改写为编号")
        return ProblemRef(text, error="unknown", hint=self.suggestion(text))

    def suggestion(self, text: str) -> str:
        if not self.problem_points:
            self._index_the_rest()
        points = self.problem_points or [p for ps in self.by_key.values() for p in ps]
        if not points:
            return "本材料没有可对应的问题要点（以加粗首句开头的段落）"
        leads = {fold(p.lead): p for p in points}
        close = difflib.get_close_matches(fold(text), list(leads), n=1, cutoff=0.3)
        first, last = self.labels[id(points[0])][0], self.labels[id(points[-1])][0]
        hint = f"可写问题编号 {first}～{last}，或问题的首句"
        if close:
            p = leads[close[0]]
            hint += f"；最接近的是 {self.labels[id(p)][0]}“{p.lead}”"
        return hint
