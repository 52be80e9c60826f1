"""Exact-substring site search: the index our search worker reads, and the same search in Python.

A page matches a query when its text contains every whitespace-separated term of the query
as a substring (ASCII letters compared case-insensitively). No tokenizer is involved, so a
word is never split differently at build time and at query time, and an unknown word finds
nothing. The index is each page's text, split into sections at its headings; the worker
(`overrides/assets/javascripts/gongwen-search.js`) scans it with `indexOf`. At 1000
materials that is about five million characters, which a linear scan covers in tens of
milliseconds; an n-gram or suffix index would be larger than the text it indexes and still
need the text for excerpts.

Served over http the index is UTF-16 (`gongwen_index.bin`: smaller than UTF-8 for Chinese,
and turned into a string without decoding work), fetched gzipped. From file:// a page can
load only scripts, so an offline build gets the same string as `gongwen_index.js`.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

BIN_PATH = "search/gongwen_index.bin"
GZ_PATH = "search/gongwen_index.bin.gz"
SCRIPT_PATH = "search/gongwen_index.js"
INDEX_GLOBAL = "gongwenSearchIndex"
FORMAT_VERSION = 1

# Ranking weights; the worker uses the same numbers (see gongwen-search.js).
W_TITLE = 1000  # the query is in the page title (its h1)
W_HEADING = 100  # ... in a heading of the page, per heading, at most HEADING_CAP
HEADING_CAP = 5
TEXT_CAP = 99  # occurrences in body text counted per page

_SKIP = {"script", "style", "svg", "template", "noscript", "button", "select", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_HEADING = re.compile(r"h[1-6]")
# A comment, a tag (closing?, name, attributes with quoted values), text, or a stray "<".
_TOKEN = re.compile(
    r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|([^<]+)|<", re.DOTALL)
_ATTR_ID = re.compile(r"""(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_ATTR_CLASS = re.compile(r"""(?:^|\s)class\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b\u3000]+")  # as WS in the worker
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalize(text: str) -> str:
    """Whitespace as the index stores it: runs collapsed to one space, ends trimmed."""
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """The comparison form: ASCII letters lower-cased, nothing else touched (length kept)."""
    return text.translate(_ASCII_UPPER)


def query_terms(query: str) -> list[str]:
    """A query's terms: split at whitespace, folded, duplicates dropped (order kept)."""
    seen: list[str] = []
    for term in _WS.sub(" ", query).split(" "):
        term = fold(term)
        if term and term not in seen and len(seen) < 30:
            seen.append(term)
    return seen


@dataclass
class Section:
    anchor: str  # "" for the part before the first heading below the page title
    title: str
    text: str
    level: int = 1


@dataclass
class PageText:
    """A built page reduced to what search needs."""

    src_uri: str  # POSIX, relative to docs_dir
    url: str  # relative to the site root, as MkDocs writes it (page.url)
    title: str
    sections: list[Section] = field(default_factory=list)
    unit: str = ""  # a material's unit (front matter of its index.md), shown beside results


def extract_sections(content_html: str, page_title: str) -> list[Section]:
    """Split rendered page content into sections at h1-h6, as text.

    Skips scripts, styles, permalink anchors and elements marked `data-search-exclude`
    (Material's attribute for the same purpose). Block boundaries become spaces, so a query
    never matches across two paragraphs or table cells.
    """
    sections: list[Section] = [Section("", page_title, "", 1)]
    buf: list[str] = []
    heading: list[str] | None = None  # text of the heading being read
    head_id, head_level = "", 1
    skip_tag, skip_depth = "", 0

    def flush_text() -> None:
        sections[-1].text = normalize(sections[-1].text + " " + "".join(buf))
        buf.clear()

    for m in _TOKEN.finditer(content_html):
        closing, tag, attrs, text = m.group(1), m.group(2), m.group(3), m.group(4)
        if text is not None or (tag is None and m.group(0) == "<"):
            if not skip_depth:
                (heading if heading is not None else buf).append(html.unescape(text or "<"))
            continue
        if tag is None:  # comment
            continue
        tag = tag.lower()
        if skip_depth:
            if tag == skip_tag and tag not in _VOID and not attrs.rstrip().endswith("/"):
                skip_depth += -1 if closing else 1
            continue
        if not closing and (tag in _SKIP or "data-search-exclude" in attrs or (
                tag == "a" and "headerlink" in _class(attrs))):
            if tag not in _VOID and not attrs.rstrip().endswith("/"):
                skip_tag, skip_depth = tag, 1
            continue
        if _HEADING.fullmatch(tag):
            if not closing:
                flush_text()
                heading = []
                idm = _ATTR_ID.search(attrs)
                head_id = html.unescape(next(g for g in idm.groups() if g is not None)) \
                    if idm else ""
                head_level = int(tag[1])
            elif heading is not None:
                title = normalize("".join(heading))
                heading = None
                if head_level == 1 and len(sections) == 1 and not sections[0].text:
                    sections[0].title = title or page_title  # the page's own h1
                elif title or head_id:
                    sections.append(Section(head_id, title, "", head_level))
            continue
        if tag in _BLOCK:
            (heading if heading is not None else buf).append(" ")
    flush_text()
    # Keep the article entry even when empty (the result list needs it); drop empty others.
    return [s for i, s in enumerate(sections) if i == 0 or s.text or s.title]


def _class(attrs: str) -> str:
    m = _ATTR_CLASS.search(attrs)
    return (m.group(1) or m.group(2) or "") if m else ""


def article_html(page_html: str) -> str:
    """The content part of a full page Material wrote (for pages not rendered in this run)."""
    start = page_html.find('<article class="md-content__inner')
    if start < 0:
        return ""
    start = page_html.find(">", start) + 1
    end = page_html.rfind("</article>")
    return page_html[start:end if end > start else len(page_html)]


def page_from_html(src_uri: str, url: str, page_html: str) -> PageText:
    """A PageText from a full built HTML page (fallback for `mkdocs build --dirty`)."""
    m = re.search(r"<title>(.*?)</title>", page_html, re.DOTALL)
    title = html.unescape(m.group(1)).rsplit(" - ", 1)[0].strip() if m else ""
    return PageText(src_uri, url, title, extract_sections(article_html(page_html), title))


def _context(page: PageText, by_src: dict[str, int]) -> str | int:
    """What the result list shows beside a page title, so that the 存在的问题 pages of a
    thousand materials can be told apart: a material's index page carries its unit, a section
    page the number of its material's index page (the worker shows that page's title and unit)."""
    p = PurePosixPath(page.src_uri)
    if p.name == "index.md":
        return page.unit
    if str(p.parent) in ("", "."):
        return ""
    home = by_src.get(str(p.parent / "index.md"))
    return home if home is not None else ""


def _compact_url(url: str) -> str:
    # Page URLs come percent-encoded (9 bytes a Chinese character); the browser encodes them
    # again when it resolves the link, so store them readable unless decoding is ambiguous.
    raw = unquote(url)
    return raw if not any(c in raw for c in "%#?") else url


def build_index(pages: list[PageText]) -> dict:
    """The index as a JSON-able dict.

    pages:   [url, title, context, number of sections] per page, in site order
    anchors: the distinct heading ids; sections: one anchor number per section, page by page
             (the first section of a page is the page itself, anchor "")
    titles, text: section titles and section texts, one line per section
    """
    by_src = {p.src_uri: i for i, p in enumerate(pages)}
    out_pages, sections, titles, texts = [], [], [], []
    anchors: dict[str, int] = {"": 0}
    for page in pages:
        secs = page.sections or [Section("", page.title, "", 1)]
        out_pages.append([_compact_url(page.url), secs[0].title or page.title,
                          _context(page, by_src), len(secs)])
        for k, s in enumerate(secs):
            anchor = "" if k == 0 else s.anchor
            sections.append(anchors.setdefault(anchor, len(anchors)))
            titles.append(s.title.replace("\n", " "))
            texts.append(s.text.replace("\n", " "))
    return {
        "v": FORMAT_VERSION,
        "pages": out_pages,
        "anchors": list(anchors),
        "sections": sections,
        "titles": "\n".join(titles),
        "text": "\n".join(texts),
    }


def serialize(index: dict) -> str:
    """The index as the one string the worker reads: a JSON line (everything but the two
    text blocks, plus the length of the titles block in UTF-16 units), the titles, the text."""
    meta = {k: v for k, v in index.items() if k not in ("titles", "text")}
    meta["titles"] = len(index["titles"].encode("utf-16-le")) // 2
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    return f"{head}\n{index['titles']}\n{index['text']}"


def deserialize(data: str) -> dict:
    head, _, rest = data.partition("\n")
    meta = json.loads(head)
    if meta.get("v") != FORMAT_VERSION:
        raise ValueError("not a gongwen search index (or another version)")
    n = len(meta["sections"])
    lines = rest.split("\n") if n else []  # an empty site: no sections, no lines
    if len(lines) != 2 * n:
        raise ValueError("search index: blocks do not match the header")
    return {**meta, "titles": "\n".join(lines[:n]), "text": "\n".join(lines[n:])}


def write_index(index: dict, site_dir: str | Path, *, offline: bool = False,
                compress: bool = True) -> list[Path]:
    """Write the index where the worker looks for it; returns the files.

    Served over http: gongwen_index.bin, UTF-16LE (2 bytes a Chinese character, and the
    browser makes a string of it without decoding work), and the same gzipped (.bin.gz),
    which the worker fetches first and inflates with DecompressionStream (the .bin is for
    browsers without it). From file:// (Material's offline plugin) a page can load only
    scripts: an offline build gets the same string as gongwen_index.js instead.
    compress=False (a local preview, where it saves nothing) writes no .gz and removes a
    stale one, so the worker reads the .bin. Unchanged files are not rewritten."""
    data = serialize(index)
    site = Path(site_dir)
    if offline:
        script = f"self.{INDEX_GLOBAL}={json.dumps(data, ensure_ascii=False)};\n"
        out = [(site / SCRIPT_PATH, script.encode())]
    else:
        raw = data.encode("utf-16-le")
        bin_path, gz_path = site / BIN_PATH, site / GZ_PATH
        same = bin_path.is_file() and gz_path.is_file() and bin_path.read_bytes() == raw
        out = [(bin_path, raw)]
        if not compress:
            gz_path.unlink(missing_ok=True)
        elif not same:
            out.append((gz_path, gzip.compress(raw, 6, mtime=0)))
    for path, blob in out:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != blob:
            path.write_bytes(blob)
    if offline:
        return [site / SCRIPT_PATH]
    return [site / BIN_PATH] + ([site / GZ_PATH] if compress else [])


def load_index(path: str | Path) -> dict:
    """Read a written index back (.bin, .bin.gz or .js; tests and benchmarks)."""
    path = Path(path)
    if path.suffix == ".gz":
        return deserialize(gzip.decompress(path.read_bytes()).decode("utf-16-le"))
    if path.suffix == ".js":
        text = path.read_text(encoding="utf-8")
        prefix = f"self.{INDEX_GLOBAL}="
        if not text.startswith(prefix):
            raise ValueError(f"{path}: not a gongwen search index")
        return deserialize(json.loads(text[len(prefix):].rstrip().rstrip(";")))
    return deserialize(path.read_bytes().decode("utf-16-le"))


@dataclass
class Hit:
    url: str
    score: int
    sections: list[str]  # locations of the matching sections, best first


def search(index: dict, query: str) -> list[Hit]:
    """The worker's search in Python: same matching, same scores, same order."""
    terms = query_terms(query)
    if not terms:
        return []
    pages, anchors = index["pages"], index["anchors"]
    titles = fold(index["titles"]).split("\n")
    texts = fold(index["text"]).split("\n")
    hits, k = [], 0
    for p, (url, _title, _ctx, nsec) in enumerate(pages):
        found = [False] * len(terms)
        title_score = heading_hits = text_hits = 0
        sec_score: dict[int, int] = {}
        for j in range(k, k + nsec):
            for t, term in enumerate(terms):
                in_title = term in titles[j]
                count = min(texts[j].count(term), TEXT_CAP)
                if not (in_title or count):
                    continue
                found[t] = True
                s = count
                if in_title:
                    if j == k:
                        title_score += W_TITLE
                        s += W_TITLE
                    else:
                        heading_hits += 1
                        s += W_HEADING
                text_hits += count
                sec_score[j] = sec_score.get(j, 0) + s
        if all(found):
            total = (title_score + W_HEADING * min(heading_hits, HEADING_CAP)
                     + min(text_hits, TEXT_CAP))
            secs = sorted(sec_score, key=lambda j: (-sec_score[j], j))
            locations = [_location(url, anchors[index["sections"][j]]) for j in secs]
            hits.append((total, p, Hit(url, total, locations)))
        k += nsec
    hits.sort(key=lambda h: (-h[0], h[1]))
    return [h for _, _, h in hits]


def _location(url: str, anchor: str) -> str:
    return f"{url}#{anchor}" if anchor else url
