"""Diagnostics as CI reports: GitLab Code Quality (Code Climate JSON) and SARIF 2.1.0.

Both are plain JSON values built from the same Diagnostics the text output prints.
Paths are made relative to the working directory (CI runs in the repository root).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic

# GitLab: info, minor, major, critical, blocker. Errors fail the strict build: major.
CODECLIMATE_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rel(path: str) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return p.as_posix() if not p.is_absolute() else os.path.relpath(p).replace(os.sep, "/")


def _where(d: Diagnostic) -> str:
    where = getattr(d, "where", "")  # a PDF finding: page and line
    return f"（{where}）" if where else ""


def _text(d: Diagnostic) -> str:
    return d.message + _where(d) + (f"（{d.hint}）" if d.hint else "")


def codeclimate(diags: list[Diagnostic]) -> list[dict]:
    """GitLab Code Quality issues. Info-level notes (e.g. the detected type) are left out:
    the merge request widget should list only what needs fixing."""
    out, seen = [], set()
    for d in diags:
        if d.severity == "info":
            continue
        path = _rel(d.path)
        fp = hashlib.sha256("\0".join([path, d.rule, str(d.line), str(d.column), d.message]).encode()).hexdigest()
        if fp in seen:
            continue
        seen.add(fp)
        out.append({
            "type": "issue",
            "check_name": d.rule,
            "description": f"{d.rule} {_text(d)}",
            "categories": ["Style"] if d.rule.startswith("typography") else ["Bug Risk"] if d.rule.startswith("security") else ["Clarity"],
            "severity": CODECLIMATE_SEVERITY[d.severity],
            "fingerprint": fp,
            "location": {"path": path, "lines": {"begin": max(d.line, 1)}},
        })
    return out


def sarif(diags: list[Diagnostic]) -> dict:
    from .rules import RULES

    rules = list(RULES.values())
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for d in diags:
        result: dict = {
            "ruleId": d.rule,
            "level": SARIF_LEVEL[d.severity],
            "message": {"text": _text(d)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": quote(_rel(d.path)), "uriBaseId": "%SRCROOT%"},
                # A PDF has no source lines: the page and line are in the message.
                **({} if getattr(d, "where", "") else
                   {"region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)}}),
            }}],
        }
        base = d.rule if d.rule in index else d.rule.rsplit(".", 1)[0]
        if base in index:
            result["ruleIndex"] = index[base]
            if base != d.rule:
                result["ruleId"] = base
                result["properties"] = {"subId": d.rule}
        results.append(result)
    driver = {
        "name": "gongwen",
        "version": __version__,
        "rules": [{
            "id": r.id,
            "name": r.id.replace(".", "-"),
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.description},
            "defaultConfiguration": {"level": SARIF_LEVEL.get(r.severity, "warning")},
        } for r in rules],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
