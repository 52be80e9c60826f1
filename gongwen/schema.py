"""Document types as YAML data in schemas/, with `extends:` and detection from the title."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .read.source import safe_load


def _schema_dir() -> Path:
    # In the repo (and an editable install) schemas/ sits beside the package; an installed
    # package (e.g. a pre-commit hook environment) carries a copy as gongwen/schemas.
    if os.environ.get("GONGWEN_SCHEMAS"):
        return Path(os.environ["GONGWEN_SCHEMAS"])
    here = Path(__file__).resolve().parent
    beside = here.parent / "schemas"
    return beside if beside.is_dir() else here / "schemas"


SCHEMA_DIR = _schema_dir()


@dataclass
class SectionSpec:
    name: str
    aliases: list[str] = field(default_factory=list)
    optional: bool = False
    holds_aspects: bool = False
    problems: bool = False
    measures: bool = False
    needs_owner_and_deadline: bool = False
    ledger: bool = False  # a 整改清单 section: a table of measures (gongwen/ledger/)

    def matches(self, title: str) -> bool:
        return normalise_name(title) in _name_keys((self.name, *self.aliases))


@dataclass
class Schema:
    id: str
    name: str
    sections: list[SectionSpec]
    aspects: list[str]
    numbering: dict
    rules: dict
    meeting: str = ""
    detect: dict = field(default_factory=dict)
    abstract: bool = False
    ledger: dict = field(default_factory=dict)  # 整改清单 conventions (schemas/ledger-base.yaml)

    def section_for(self, title: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.matches(title)), None)

    def severity(self, rule: str, default: str) -> str:
        """A schema may override a rule's severity by id or prefix (error/warning/info/off)."""
        best = None
        for key, value in self.rules.items():
            if rule == key or rule.startswith(key + "."):
                if best is None or len(key) > len(best[0]):
                    best = (key, value)
        return str(best[1]) if best else default

    @property
    def run_in_levels(self) -> set[int]:
        return set(self.numbering.get("run_in", []))


GENERIC = Schema(id="generic", name="未识别类型（仅通用规则）", sections=[], aspects=[],
                 numbering={"levels": ["一、", "（一）", "1.", "（1）"], "points": "一是", "run_in": [2, 3, 4]},
                 rules={})


_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "、": "、"})


@lru_cache(maxsize=4096)  # the same few dozen names are compared over and over
def normalise_name(name: str) -> str:
    """Compare names after folding width, dropping punctuation and the 在…方面 / …情况 wrapper."""
    s = unicodedata.normalize("NFKC", name).translate(_WIDTH).strip()
    s = re.sub(r"[\s。．.，、；：,;:“”\"'‘’（）()]", "", s)
    if s.startswith("在") and s.endswith("方面"):
        s = s[1:-2]
    elif s.endswith("方面"):
        s = s[:-2]
    if s.endswith("情况") and len(s) > 4:
        s = s[:-2]
    return s


@lru_cache(maxsize=1024)
def _name_keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise_name(n) for n in names)


def _raw(schema_id: str) -> dict:
    path = SCHEMA_DIR / f"{schema_id}.yaml"
    if not path.is_file():
        raise KeyError(schema_id)
    return safe_load(path.read_text(encoding="utf-8")) or {}


def _resolve(schema_id: str, seen: tuple[str, ...] = ()) -> dict:
    if schema_id in seen:
        raise ValueError(f"schema extends 成环：{' -> '.join(seen + (schema_id,))}")
    data = _raw(schema_id)
    parent_id = data.get("extends")
    if not parent_id:
        return dict(data)
    merged = _resolve(parent_id, seen + (schema_id,))
    merged.pop("abstract", None)
    for key, value in data.items():
        if key == "add_sections":
            continue
        if key in ("rules", "ledger"):  # a child names only the keys it changes
            merged[key] = {**merged.get(key, {}), **value}
        else:
            merged[key] = value
    sections = list(merged.get("sections", []))
    for extra in data.get("add_sections", []):
        extra = dict(extra)
        after = extra.pop("after", None)
        pos = next((i + 1 for i, s in enumerate(sections) if s["name"] == after), len(sections))
        sections.insert(pos, extra)
    merged["sections"] = sections
    return merged


@lru_cache(maxsize=None)
def load_schema(schema_id: str) -> Schema:
    data = _resolve(schema_id)
    return Schema(
        id=data.get("id", schema_id),
        name=data.get("name", schema_id),
        sections=[SectionSpec(**s) for s in data.get("sections", [])],
        aspects=list(data.get("aspects") or []),
        numbering={**GENERIC.numbering, **(data.get("numbering") or {})},
        rules=dict(data.get("rules") or {}),
        meeting=data.get("meeting", ""),
        detect=dict(data.get("detect") or {}),
        abstract=bool(data.get("abstract")),
        ledger=dict(data.get("ledger") or {}),
    )


@lru_cache(maxsize=1)
def all_schemas() -> tuple[Schema, ...]:
    return tuple(s for s in (load_schema(p.stem) for p in sorted(SCHEMA_DIR.glob("*.yaml"))) if not s.abstract)


def find_schema(name: str) -> Schema | None:
    """By id or by Chinese name (front matter `type:` or `--type`)."""
    name = str(name).strip()
    for s in all_schemas():
        if name in (s.id, s.name):
            return s
    return None


SUBJECT_BANZI = re.compile(r"领导班子|班子|党委|党组|党工委|党总支|支部委员会")


def detect_schema(title: str) -> Schema | None:
    """Guess the document type from a title: year, meeting keywords and 个人 vs 班子."""
    if not title:
        return None
    m = re.search(r"(20\d\d)", title)
    year = int(m.group(1)) if m else None
    subject = "个人" if "个人" in title else ("班子" if SUBJECT_BANZI.search(title) else None)
    best = None
    for s in all_schemas():
        d = s.detect
        if not d:
            continue
        if "year" in d and d["year"] != year:
            continue
        if not all(k in title for k in d.get("all", [])):
            continue
        if any(k in title for k in d.get("none", [])):
            continue
        want = d.get("subject")
        if want and subject and want != subject:
            continue
        score = len(d) + int(d.get("priority", 0)) + (1 if want and want == subject else 0)
        if best is None or score > best[0]:
            best = (score, s)
    return best[1] if best else None
