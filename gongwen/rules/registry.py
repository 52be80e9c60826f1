"""The rule registry: every rule has a stable id, a default severity and Chinese docs.

A rule is a function of a Context that yields Findings; the checker turns them
into Diagnostics (severity from stage and schema, suppressions applied).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..model import Material, Node, TextLine
from ..schema import Schema

STAGES = ("草稿", "征求意见稿", "定稿")


@dataclass
class Finding:
    node: Node | TextLine
    message: str
    hint: str = ""
    column: int | None = None  # absolute column, overriding node.column
    severity: str | None = None  # a finding-specific severity (rare: e.g. info for a note)


@dataclass
class Context:
    material: Material
    schema: Schema
    stage: str  # 草稿 | 征求意见稿 | 定稿
    type_known: bool = True
    for_site: bool = False  # a site build (security.classified applies)
    publish: bool = False  # a publish build (raw HTML becomes an error)

    def text_lines(self) -> Iterator[TextLine]:
        return iter(self.material.lines)


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
