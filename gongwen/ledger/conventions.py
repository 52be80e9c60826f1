"""The schema's ledger conventions (schemas/ledger-base.yaml): column names, status words,
standing deadlines. Names are compared after folding width, spaces and punctuation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..schema import Schema, load_schema

_PUNCT = re.compile(r"[\W_]+")
REQUIRED = ("problem", "measure", "deadline")
MEANING_ZH = {"problem": "问题", "measure": "整改措施", "leader": "责任领导", "person": "责任人",
              "deadline": "完成时限", "status": "状态", "owner": "责任领导或责任人"}


@lru_cache(maxsize=8192)  # status words, headers and leads repeat across rows and materials
def fold(text: str) -> str:
    """Text compared as a name or a lead sentence: width folded, punctuation and spaces gone."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Conventions:
    headings: frozenset[str]
    columns: dict[str, str]  # folded header -> meaning
    states: dict[str, str]  # folded word -> state
    standing: frozenset[str]
    unit_suffixes: tuple[str, ...]
    expected: bool

    def meaning(self, header: str) -> str | None:
        return self.columns.get(fold(header))

    def is_heading(self, title: str) -> bool:
        return fold(title) in self.headings


@lru_cache(maxsize=64)
def _build(schema_id: str) -> Conventions:
    data = dict(load_schema("ledger-base").ledger)
    if schema_id != "generic":
        data.update(load_schema(schema_id).ledger)
    return _from_data(data)


def _from_data(data: dict) -> Conventions:
    columns = {fold(name): meaning for meaning, names in (data.get("columns") or {}).items() for name in names or ()}
    states = {fold(word): state for state, words in (data.get("states") or {}).items() for word in words or ()}
    return Conventions(
        headings=frozenset(fold(h) for h in data.get("headings") or ()),
        columns=columns,
        states=states,
        standing=frozenset(fold(s) for s in data.get("standing") or ()),
        unit_suffixes=tuple(data.get("unit_suffixes") or ()),
        expected=bool(data.get("expected")),
    )


def conventions(schema: Schema) -> Conventions:
    """The ledger conventions of a document type (ledger-base's for types without them)."""
    if schema.id == "generic" or not schema.ledger:
        return _build("generic")
    try:
        return _build(schema.id)
    except KeyError:  # a schema built in memory, not from a file
        return _from_data({**load_schema("ledger-base").ledger, **schema.ledger})
