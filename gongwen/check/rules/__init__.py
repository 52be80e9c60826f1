"""All rules, registered on import. Ids are stable (DESIGN.md §3)."""

from __future__ import annotations

from . import comments, content, copied, ledger, meta, numbering, security, structure, typography  # noqa: F401  (registers rules)
from .registry import RULES, Context, Finding, Rule, rule

__all__ = ["RULES", "Context", "Finding", "Rule", "rule"]
