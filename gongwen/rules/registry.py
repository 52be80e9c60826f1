"""The rule registry: every rule has a stable id, a default severity and Chinese docs.

A rule is a function of a Context that yields Findings; the checker turns them
into Diagnostics (severity from stage and schema, suppressions applied).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..model import Material, Node, Section, TextLine
from ..schema import Schema, SectionSpec
from ..textpatterns import mask_markdown
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

    _cache: dict = field(default_factory=dict, repr=False)  # per-check memo shared by the rules

    def text_lines(self) -> Iterator[TextLine]:
        return iter(self.material.lines)

    def visible(self, tl: TextLine) -> str:
        """The text of a line as prose rules see it: Markdown syntax masked, same length."""
        if self.material.format != "md":
            return tl.text
        key = ("visible", id(tl))
        if key not in self._cache:
            self._cache[key] = mask_markdown(tl.text)
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

    def severity_for(self, stage: str) -> str:
        return self.stages.get(stage, self.severity)


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, title: str, description: str, *, bad: str = "", good: str = "",
         stages: dict[str, str] | None = None):
    def register(func: Callable[[Context], Iterable[Finding]]):
        if id in RULES:
            raise ValueError(f"duplicate rule id {id}")
        RULES[id] = Rule(id, severity, title, description, bad, good, dict(stages or {}), func)
        return func

    return register
