"""洗稿, the paraphrase level: a problem point rewritten in other words (synonyms, clause order,
不够 written as 有待加强) shares no long run with its source, so it is compared word by word.

Each sentence becomes a set of words: its variants replaced by one wording (the shipped table
gongwen/data/similar_variants.txt and an office's own), then segmented by jieba, single
characters (的、和、在 …) left out. Word order inside a sentence does not count. Two points are
candidates when, after the variant table, they share a clause of para_clause characters (an
index of clause hashes, like the k-gram index: no candidate is missed by chance); candidates'
sentences are aligned with rapidfuzz (token_sort_ratio of the sorted words, so clause order
does not count), and a point is reported when its aligned sentences hold para_share of its
characters. jieba runs only on candidates: segmenting every point would cost seconds per
thousand materials."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path

VARIANTS = Path(__file__).resolve().parent.parent / "data" / "similar_variants.txt"
USER_DICT = Path(__file__).resolve().parent.parent / "data" / "jieba_user_dict.txt"
_SENTENCE_END = re.compile(r"[。！？；!?;]+")
_CLAUSE_END = re.compile(r"[。！？；!?;，,、：:]+")
_DROPPED = re.compile(r"[^\w]+|_")  # punctuation, spaces, Markdown marks
_DIGITS = re.compile(r"[0-9０-９]+")
_DROPPED_KEEP_STOPS = re.compile(r"[^\w。！？；!?;，,、：:]+|_")


@dataclass(frozen=True, slots=True)
class Sentences:
    """A unit's sentences: where each is in the unit's text, its words, its size."""

    spans: tuple[tuple[int, int], ...]
    counts: tuple[int, ...]  # distinct words of each sentence (not the words: a set each costs kilobytes a point)
    sizes: tuple[int, ...]  # characters kept after dropping punctuation
    sorted_words: tuple[str, ...] = ()  # each sentence's words sorted and joined (what is aligned)

    @property
    def total(self) -> int:
        return sum(self.sizes)


def read_variants(path: Path) -> list[list[str]]:
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            groups.append(line.split())
    return groups


@functools.lru_cache(maxsize=4)
def variant_table(extra: str = "") -> tuple[re.Pattern | None, dict[str, str]]:
    """(one regex of every variant, longest first; variant -> its group's wording). A word in
    two groups keeps the first; the office's table comes after the shipped one."""
    canon: dict[str, str] = {}
    for path in [VARIANTS] + ([Path(extra)] if extra else []):
        for group in read_variants(path):
            head = canon.get(group[0], group[0])
            for w in group:
                canon.setdefault(w, head)
    if not canon:
        return None, {}
    return re.compile("|".join(re.escape(w) for w in sorted(canon, key=len, reverse=True))), canon


@functools.lru_cache(maxsize=4)
def _tokenizer(extra: str = ""):
    """A jieba tokenizer of its own (the one other modules use keeps its dictionary), which
    knows the project's words and every wording of the table."""
    import jieba

    if jieba.default_logger.level < logging.WARNING:
        jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.load_userdict(str(USER_DICT))
    for word in set(variant_table(extra)[1].values()):
        tok.add_word(word, freq=100000)
    return tok


def sentences_of(text: str, extra: str = "") -> Sentences:
    pattern, canon = variant_table(extra)
    spans, pieces = [], []
    pos = 0
    for m in list(_SENTENCE_END.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = _DIGITS.sub("#", _DROPPED.sub("", text[pos:end]))
        if piece:
            spans.append((pos, m.end() if m else len(text)))
            pieces.append(pattern.sub(lambda x: canon[x.group()], piece) if pattern else piece)
        if m is None:
            break
        pos = m.end()
    words = [_words(p, extra) for p in pieces]
    return Sentences(tuple(spans), tuple(n for n, _ in words), tuple(len(p) for p in pieces),
                     tuple(w for _, w in words))


@functools.lru_cache(maxsize=1 << 17)
def _words(piece: str, extra: str) -> tuple[int, str]:
    """A sentence's distinct words (two characters or more, no digit) sorted and joined, and
    how many. Cached: materials written from one template repeat its sentences thousands of
    times. jieba segments text between full stops on its own, so a sentence alone gives the
    words it gave inside its unit."""
    words = {w for w in _tokenizer(extra).lcut(piece, HMM=False) if len(w) >= 2 and "#" not in w}
    return len(words), " ".join(sorted(words))


def clause_keys(text: str, min_chars: int, extra: str = "") -> list[str]:
    """The point's clauses of at least min_chars characters, each in the table's wording
    (three regex passes over the whole point, not per clause: this runs on every point)."""
    pattern, canon = variant_table(extra)
    text = _DIGITS.sub("#", _DROPPED_KEEP_STOPS.sub("", text))
    if pattern is not None:
        text = pattern.sub(lambda x: canon[x.group()], text)
    return [c for c in _CLAUSE_END.split(text) if len(c) >= min_chars]


def align(a: Sentences, b: Sentences, min_score: float, min_words: int) -> list[tuple[int, int, float]]:
    """Sentences of a aligned one to one with sentences of b: (i, j, score), best first."""
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    ia = [i for i, n in enumerate(a.counts) if n >= min_words]
    ib = [j for j, n in enumerate(b.counts) if n >= min_words]
    if not ia or not ib:
        return []
    scores = cdist([a.sorted_words[i] for i in ia], [b.sorted_words[j] for j in ib],
                   scorer=fuzz.token_sort_ratio, score_cutoff=min_score)
    cells = sorted(((float(scores[x, y]), x, y) for x in range(len(ia)) for y in range(len(ib))
                    if scores[x, y] >= min_score), key=lambda c: (-c[0], c[1], c[2]))
    used_a, used_b, out = set(), set(), []
    for score, x, y in cells:
        if x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            out.append((ia[x], ib[y], score))
    return sorted(out)
