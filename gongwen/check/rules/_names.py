"""Matching names an author wrote against official ones (sections, 方面)."""

from __future__ import annotations

from ...schema import SectionSpec, normalise_name


def closest(name: str, candidates: list[str], cutoff: float = 0.5) -> str | None:
    """The candidate most like `name` after normalisation (width, punctuation, 在…方面)."""
    import difflib  # only for names that match no official one

    key = normalise_name(name)
    by_key = {normalise_name(c): c for c in candidates}
    found = difflib.get_close_matches(key, list(by_key), n=1, cutoff=cutoff)
    return by_key[found[0]] if found else None


def guess_spec(title: str, specs: list[SectionSpec], cutoff: float = 0.6) -> SectionSpec | None:
    """The section spec a misnamed 一级 title most likely meant (by its name or an alias)."""
    names = {n: s for s in specs for n in (s.name, *s.aliases)}
    best = closest(title, list(names), cutoff)
    return names[best] if best else None
