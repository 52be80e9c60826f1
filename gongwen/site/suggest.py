"""Did-you-mean for the site search: a query that finds nothing but is a known wrong form or a
near miss of a key term is answered with the corrected query's hits, under a first result
"您要找的是否是：…".

The table is built from data the project already keeps: the fixes of the content.term rule
(TERM_FIXES), the numbered formulations (SLOGAN_COUNTS: 两个确立, 四个自信, …) and the terms
of gongwen/data/jieba_user_dict.txt. The worker reads it as search/gongwen_suggest.json (or
search/gongwen_suggest.js from file://) and runs the same candidates() in
overrides/assets/javascripts/gongwen-suggest.js: keep the two in step.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from pathlib import Path

from gongwen.site.search_index import Hit, fold, query_terms, search
from gongwen.textpatterns import SLOGAN_COUNTS, TERM_FIXES

TABLE_PATH = "search/gongwen_suggest.json"
SCRIPT_PATH = "search/gongwen_suggest.js"
TABLE_GLOBAL = "gongwenSuggestTable"
USER_DICT = Path(__file__).resolve().parent.parent / "data" / "jieba_user_dict.txt"
MIN_LENGTH = 3  # shorter terms are near misses of too many others
MAX_TRIES = 16  # corrected queries tried (combinations of the terms' candidates)
_REGEX_META = re.compile(r"[\\.^$*+?{}\[\]|()]")


def _dict_terms() -> list[str]:
    out = []
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        word = line.split(" ", 1)[0].strip()
        if word and not word.startswith("#"):
            out.append(word)
    return out


def _pieces(wrong: str, right: str, known: set[str]) -> list[tuple[str, str]]:
    """Shorter (wrong, right) pairs inside a same-length fix: the known term of `right`
    covering the change, then within it the stretch between known terms (新世代中国特色社会主义
    -> 新世代 / 新时代), so that the short form a reader types is a known wrong form too."""
    if len(wrong) != len(right) or wrong == right:
        return []
    diff = [i for i, (a, b) in enumerate(zip(wrong, right)) if a != b]
    lo, hi = diff[0], diff[-1] + 1
    out: list[tuple[str, str]] = []
    while True:
        spans = [(m.start(), m.start() + len(t)) for t in known if t != right and len(t) < len(right)
                 for m in re.finditer(re.escape(t), right)]
        covering = [s for s in spans if s[0] <= lo and hi <= s[1]]
        if covering:
            a, b = min(covering, key=lambda s: (s[1] - s[0], s[0]))
        else:
            a = max([e for _, e in spans if e <= lo], default=0)
            b = min([s for s, _ in spans if s >= hi], default=len(right))
        if (a, b) == (0, len(right)):
            return out
        wrong, right, lo, hi = wrong[a:b], right[a:b], lo - a, hi - a
        if len(right) >= MIN_LENGTH:
            out.append((wrong, right))


@functools.cache
def table() -> dict:
    """{"terms": correct terms (>= MIN_LENGTH, folded, in a fixed order),
        "fixes": {known wrong form: its correct term}}"""
    slogans = [f"{num}个{word}" for word, num in SLOGAN_COUNTS.items()]
    terms = list(TERM_FIXES.values()) + slogans + _dict_terms()
    known = {fold(t) for t in terms}
    fixes: dict[str, str] = {}
    for pattern, right in TERM_FIXES.items():
        if _REGEX_META.search(pattern):
            continue  # only literal wrong forms: a regex names no one string to look up
        wrong, right = fold(pattern), fold(right)
        fixes.setdefault(wrong, right)
        for w, r in _pieces(wrong, right, known):
            if w not in known:
                fixes.setdefault(w, r)
                terms.append(r)
    seen: dict[str, None] = {}
    for t in terms:
        t = fold(t)
        if len(t) >= MIN_LENGTH:
            seen.setdefault(t, None)
    return {"terms": list(seen), "fixes": {w: r for w, r in fixes.items() if w not in seen}}


def near_miss(a: str, b: str) -> bool:
    """Edit distance exactly 1: one substitution, insertion, deletion or swap of neighbours."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


def candidates(term: str, tab: dict | None = None) -> list[str]:
    """Correct terms a query term may have meant: its fix when it is a known wrong form, else
    the table's terms one edit away (same length first). None for a short or a correct term."""
    tab = tab or table()
    t = fold(term)
    if len(t) < MIN_LENGTH:
        return []
    if t in tab["fixes"]:
        return [tab["fixes"][t]]
    if t in tab["terms"]:
        return []
    near = [c for c in tab["terms"] if near_miss(t, c)]
    return sorted(near, key=lambda c: len(c) != len(t))  # stable: table order within


def corrections(terms: list[str], tab: dict | None = None) -> list[list[str]]:
    """Corrected term lists to try, in order (each term's candidates, the term itself where it
    has none; the last term varies fastest), at most MAX_TRIES; none if no term has one."""
    options = [candidates(t, tab) for t in terms]
    if not any(options):
        return []
    options = [o or [t] for o, t in zip(options, terms)]
    return [list(c) for c in itertools.islice(itertools.product(*options), MAX_TRIES)]


def suggest(index: dict, query: str, tab: dict | None = None) -> tuple[str, list[Hit]] | None:
    """The worker's did-you-mean in Python: the first corrected query that has hits, with its
    hits, for a query without hits or with a known wrong form in it (never right, so its own
    hits are pages quoting the mistake, such as the rules page)."""
    tab = tab or table()
    terms = query_terms(query)
    if not terms or (search(index, query) and not any(t in tab["fixes"] for t in terms)):
        return None
    for combo in corrections(terms, tab):
        corrected = " ".join(combo)
        hits = search(index, corrected)
        if hits:
            return corrected, hits
    return None


def answer(index: dict, query: str, tab: dict | None = None) -> tuple[str | None, list[str]]:
    """The corrected query (None without a suggestion) and the page locations the worker
    lists: the suggestion (linking the best corrected page), the corrected query's pages,
    then the query's own pages not among them."""
    own = [h.url for h in search(index, query)]
    found = suggest(index, query, tab)
    if found is None:
        return None, own
    corrected, hits = found
    urls = [h.url for h in hits]
    return corrected, [urls[0]] + urls + [u for u in own if u not in urls]


def write_table(site_dir: str | Path) -> list[Path]:
    """Write the table where the worker looks for it: JSON for http, and a script for
    file:// (where a worker under Material's shim can load only scripts)."""
    data = json.dumps(table(), ensure_ascii=False, separators=(",", ":"))
    site = Path(site_dir)
    out = [(site / TABLE_PATH, data + "\n"), (site / SCRIPT_PATH, f"self.{TABLE_GLOBAL}={data};\n")]
    for path, text in out:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return [p for p, _ in out]
