"""The rule registry: every rule has a stable id, a default severity and Chinese docs.

A rule is a function of a Context that yields Findings; the checker turns them
into Diagnostics (severity from stage and schema, suppressions applied).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ...model import Material, Node, Section, TextLine
from ...schema import Schema, SectionSpec
from ...textpatterns import mask_markdown
from ._files import source_lines
from ._names import guess_spec

STAGES = ("草稿", "征求意见稿", "定稿")


@dataclass
class Finding:
    node: Node | TextLine
    message: str
    hint: str = ""
    column: int | None = None  # absolute column, overriding node.column
    severity: str | None = None  # overrides stage and schema (an alias is only info) unless the schema names the sub-id
    sub: str | None = None  # a sub-id: the diagnostic is reported as f"{rule.id}.{sub}"


@dataclass
class Context:
    material: Material
    schema: Schema
    stage: str  # 草稿 | 征求意见稿 | 定稿
    type_known: bool = True
    for_site: bool = False  # a site build (security.classified applies)
    publish: bool = False  # a publish build (raw HTML becomes an error)
    today: datetime.date | None = None  # for ledger.overdue (`check --today`); None: the day it runs
    # Copy reports (gongwen.similar Match objects whose side `a` is in this material), supplied
    # by the caller that compared the corpus (site catalogue, CLI): one material alone has none.
    copies: list | None = None

    _cache: dict = field(default_factory=dict, repr=False)  # per-check memo shared by the rules
    _visible: dict = field(default_factory=dict, repr=False)  # id(TextLine) -> masked text

    def text_lines(self) -> Iterator[TextLine]:
        return iter(self.material.lines)

    def visible_lines(self) -> list[tuple[TextLine, str]]:
        """Every text line with its visible text (see visible), worked out once per check."""
        found = self._cache.get("visible_lines")
        if found is None:
            lines = self.material.lines
            if self.material.format != "md":
                found = [(tl, tl.text) for tl in lines]
            else:
                found = [(tl, self._visible.get(id(tl)) or mask_markdown(tl.text)) for tl in lines]
            self._cache["visible_lines"] = found
        return found

    def visible_text(self) -> str:
        """All visible lines joined by newlines: one regex search over it tells whether any
        line can match (a match inside one line is a match here), so clean text costs one scan."""
        found = self._cache.get("visible_text")
        if found is None:
            found = self._cache["visible_text"] = "\n".join(text for _, text in self.visible_lines())
        return found

    def raw_text(self) -> str:
        """As visible_text, for the text as written (Markdown syntax not masked)."""
        found = self._cache.get("raw_text")
        if found is None:
            found = self._cache["raw_text"] = "\n".join(tl.text for tl in self.material.lines)
        return found

    def sections(self) -> list[Section]:
        """All sections in reading order (Material.walk), listed once per check."""
        found = self._cache.get("sections")
        if found is None:
            found = self._cache["sections"] = list(self.material.walk())
        return found

    def visible(self, tl: TextLine) -> str:
        """The text of a line as prose rules see it: Markdown syntax masked, same length."""
        if self.material.format != "md":
            return tl.text
        text = self._visible.get(id(tl))
        if text is None:
            text = self._visible[id(tl)] = mask_markdown(tl.text)
        return text

    def source_lines(self, path: str) -> tuple[str, ...]:
        """The lines of one source file, looked up once per check (rules ask per section)."""
        key = ("lines", path)
        if key not in self._cache:
            self._cache[key] = source_lines(path)
        return self._cache[key]

    def spec(self, section: Section) -> SectionSpec | None:
        """The schema's spec of a 一级 section, by name or alias, else the one it most resembles."""
        if section.level != 1:
            return None
        key = ("spec", id(section))
        if key not in self._cache:
            self._cache[key] = self.schema.section_for(section.title) or guess_spec(section.title, self.schema.sections)
        return self._cache[key]

    def sections_where(self, flag: str) -> Iterator[Section]:
        """Top-level sections whose spec has `flag` set (problems, measures, …)."""
        for sec in self.material.sections:
            spec = self.spec(sec)
            if spec is not None and getattr(spec, flag):
                yield sec


@dataclass
class Rule:
    id: str
    severity: str
    title: str
    description: str
    bad: str = ""
    good: str = ""
    # Severity per stage, where the stage matters (placeholders: info in a 草稿 …).
    stages: dict[str, str] = field(default_factory=dict)
    func: Callable[[Context], Iterable[Finding]] | None = None
    # A fixed rule keeps its severity in every stage and schema and cannot be suppressed
    # (security.classified: a state secret must never be built, whatever a file says).
    fixed: bool = False

    def severity_for(self, stage: str) -> str:
        return self.stages.get(stage, self.severity)


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, title: str, description: str, *, bad: str = "", good: str = "",
         stages: dict[str, str] | None = None, fixed: bool = False):
    def register(func: Callable[[Context], Iterable[Finding]]):
        if id in RULES:
            raise ValueError(f"duplicate rule id {id}")
        RULES[id] = Rule(id, severity, title, description, bad, good, dict(stages or {}), func, fixed)
        return func

    return register
