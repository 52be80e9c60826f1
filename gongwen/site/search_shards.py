"""The search index cut into pieces a browser fetches on demand (format 2, for built sites).

Format 1 (`search_index.py`) is one file holding every section's text: the worker scans it
with `indexOf`. At 10,000 materials that file is ~100 MB (UTF-16) and real text gzips only
about 2x, so a reader would download ~50 MB before the first search. Format 2 keeps the same
exact-substring semantics but splits the index so that a page load fetches only the meta file
and a query only the shards of its terms:

    search/gongwen_meta.bin.gz     a JSON line (pages, anchors, sections as in format 1, plus
                                   bits, chunks, titles length), then the section titles one a
                                   line (titles are matched by scanning, as in format 1)
    search/grams/NNNN.bin.gz       postings of the text's characters and character pairs
    search/text/NNNN.bin.gz        section texts, one a line, a chunk of sections per file;
                                   fetched only for the excerpts of the first results

All text is UTF-16LE and compared in UTF-16 code units, as JavaScript strings are. A gram is a
code unit c (key c) or a pair of adjacent code units (key c1 << 16 | c2) in a section's folded
text; a gram lives in shard (key * 2654435761 mod 2**32) >> (32 - bits). A single character's
postings hold (section, count); a pair's also hold every position where it starts, so the
worker finds a term of length L exactly: it looks up the pairs at offsets 0, 2, 4 ... and L-2,
and keeps the starts where every pair is where it must be. No tokenizer, no false hits.

Shard layout (little-endian):
    u32 magic "GWS1", G keys, E entries, P positions, position width (2 or 4)
    u32 keys[G] (sorted), u32 entry_start[G+1], u32 pos_start[G+1]
    u32 section[E], u32 count[E], u16|u32 positions[P]
Entries of key g are entry_start[g]..entry_start[g+1]; their positions, entry after entry,
pos_start[g]..pos_start[g+1] (count[e] of them for a pair, none for a single character).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from gongwen.files import replace_folder
from gongwen.site.search_index import BIN_PATH, GZ_PATH, SCRIPT_PATH, fold, load_index

FORMAT_VERSION = 2
META_PATH = "search/gongwen_meta.bin.gz"
GRAMS_DIR = "search/grams"
TEXT_DIR = "search/text"
PEERS_PATH = "search/peers.json"
MAGIC = 0x31535747  # "GWS1"
HASH = 2654435761
SEP = 10  # "\n" between sections; never inside one

SHARD_BYTES = 256 * 1024  # aimed-at raw size of a gram shard
CHUNK_CHARS = 8 * 1024  # section text per text chunk (about 8 KB gzipped for real text)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-16-le"), dtype="<u2")


def shard_of(keys: np.ndarray, bits: int) -> np.ndarray:
    """The shard of each gram key (the worker computes the same with Math.imul)."""
    if bits == 0:
        return np.zeros(len(keys), dtype=np.uint16)
    h = (keys.astype(np.uint64) * HASH) & 0xFFFFFFFF
    return (h >> (32 - bits)).astype(np.uint16)


def _bits_for(raw_bytes: int, shard_bytes: int) -> int:
    bits = 0
    while bits < 14 and raw_bytes >> bits > shard_bytes:
        bits += 1
    return bits


def _shard_blob(keys: np.ndarray, pos: np.ndarray, has_pos: np.ndarray,
                sec_start: np.ndarray) -> bytes:
    """One shard from its grams: keys[i] starts at global position pos[i] (sorted by pos)."""
    order = np.argsort(keys, kind="stable")  # by key, then position (pos came sorted)
    keys, pos, has_pos = keys[order], pos[order], has_pos[order]
    sec = np.searchsorted(sec_start, pos, side="right") - 1
    n = len(keys)
    new_key = np.ones(n, dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_entry = new_key.copy()
    new_entry[1:] |= sec[1:] != sec[:-1]
    key_at = np.flatnonzero(new_key)
    entry_at = np.flatnonzero(new_entry)
    ukeys = keys[key_at].astype("<u4")
    counts = np.diff(np.append(entry_at, n))
    # Which key each entry belongs to, and where each key's entries start
    entry_start = np.searchsorted(entry_at, key_at).astype("<u4")
    entry_start = np.append(entry_start, np.uint32(len(entry_at))).astype("<u4")
    positions = (pos - sec_start[sec])[has_pos]
    pos_counts = np.add.reduceat(has_pos.astype(np.int64), key_at) if n else np.zeros(0, np.int64)
    pos_start = np.concatenate(([0], np.cumsum(pos_counts))).astype("<u4")
    width = 2 if not len(positions) or positions.max() < 65536 else 4
    parts = [np.array([MAGIC, len(ukeys), len(entry_at), len(positions), width], dtype="<u4"),
             ukeys, entry_start, pos_start, sec[entry_at].astype("<u4"),
             counts.astype("<u4")]
    parts.append(positions.astype("<u2" if width == 2 else "<u4"))
    return b"".join(p.tobytes() for p in parts)


WINDOW = 1 << 22  # code units hashed at a time (bounded temporaries)
PASS_GRAMS = 12_000_000  # grams sorted into shards per pass (~200 MB of arrays)
NONE = np.uint16(0xFFFF)  # "no gram here" (a section break); above any shard number


def _shards(codes: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """The shard of the character at each position and of the pair starting there (NONE
    where there is none), hashed window by window to keep temporaries small."""
    n = len(codes)
    uni, pair = np.full(n, NONE, np.uint16), np.full(n, NONE, np.uint16)
    for a in range(0, n, WINDOW):
        w = codes[a:min(n, a + WINDOW + 1)]  # one more: the pair starting at the window's end
        m = min(WINDOW, n - a)
        ok = w[:m] != SEP
        uni[a:a + m] = np.where(ok, shard_of(w[:m].astype(np.uint32), bits), NONE)
        if len(w) > 1:
            k = min(m, len(w) - 1)
            ok2 = ok[:k] & (w[1:k + 1] != SEP)
            keys = (w[:k].astype(np.uint32) << 16) | w[1:k + 1].astype(np.uint32)
            pair[a:a + k] = np.where(ok2, shard_of(keys, bits), NONE)
    return uni, pair


def _grams(codes: np.ndarray, uni: np.ndarray, pair: np.ndarray, lo: int, hi: int):
    """The grams in shards lo..hi-1 as arrays (key, position, has positions, shard); each
    key's positions ascending (a key is either a character or a pair)."""
    at = np.flatnonzero((uni >= lo) & (uni < hi))
    pat = np.flatnonzero((pair >= lo) & (pair < hi))
    keys = np.concatenate((codes[at].astype(np.uint32),
                           (codes[pat].astype(np.uint32) << 16) | codes[pat + 1].astype(np.uint32)))
    pos = np.concatenate((at, pat))
    has_pos = np.concatenate((np.zeros(len(at), bool), np.ones(len(pat), bool)))
    return keys, pos, has_pos, np.concatenate((uni[at], pair[pat]))


def write_sharded(index: dict, site_dir: str | Path, *, shard_bytes: int = SHARD_BYTES,
                  chunk_chars: int = CHUNK_CHARS) -> list[Path]:
    """Write format 2 for a format-1 index dict (search_index.build_index) into site_dir.

    The files are written to a fresh folder that replaces search/grams and search/text at
    once, so a reader never sees shards of two builds. Returns the meta file's path."""
    site = Path(site_dir)
    texts = index["text"].split("\n") if index["sections"] else []
    codes = _codes(index["text"]).copy() if texts else np.zeros(0, np.uint16)
    upper = (codes >= 65) & (codes <= 90)  # fold() in code units: ASCII capitals only
    codes[upper] += 32
    del upper
    # Section starts in code units (a section is one line of the text block)
    lengths = np.array([len(t.encode("utf-16-le")) // 2 for t in texts], dtype=np.int64)
    sec_start = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(texts) \
        else np.zeros(0, np.int64)
    bits = _bits_for(len(codes) * 7, shard_bytes)  # about 7 bytes of shard per character
    suffix = ".bin.gz"

    def blob(data: bytes) -> bytes:
        return gzip.compress(data, 6, mtime=0)

    # Text chunks: consecutive sections up to chunk_chars each
    chunks, size = [0] if texts else [], 0
    for k, length in enumerate(lengths.tolist()):
        if size and size + length > chunk_chars:
            chunks.append(k)
            size = 0
        size += length + 1

    def write_texts(tmp: Path) -> None:
        for c, first in enumerate(chunks):
            last = chunks[c + 1] if c + 1 < len(chunks) else len(texts)
            data = "\n".join(texts[first:last]).encode("utf-16-le")
            (tmp / "text" / f"{c:04d}{suffix}").write_bytes(blob(data))

    def write_shard(path: Path, keys, pos, has_pos) -> None:
        data = _shard_blob(keys, pos, has_pos, sec_start)
        # Level 1: a tenth of level 6's time for 5 % more bytes (measured)
        path.write_bytes(gzip.compress(data, 1, mtime=0))

    def fill(tmp: Path) -> None:
        (tmp / "grams").mkdir()
        (tmp / "text").mkdir()
        # zlib and most of numpy let go of the GIL: on a machine with more cores the chunks
        # and shards are compressed in threads (this is the serial tail of a build)
        with ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
            pending = [pool.submit(write_texts, tmp)]
            if len(codes):
                shards = 1 << bits
                passes = max(1, min(shards, -(-2 * len(codes) // PASS_GRAMS)))
                step = -(-shards // passes)
                uni, pair = _shards(codes, bits)
                for lo in range(0, shards, step):
                    hi = min(shards, lo + step)
                    keys, pos, has_pos, shard = _grams(codes, uni, pair, lo, hi)
                    order = np.argsort(shard, kind="stable")  # radix sort: positions stay in order
                    bounds = np.concatenate(([0], np.cumsum(np.bincount(shard - lo, minlength=hi - lo))))
                    del shard
                    for s in range(lo, hi):
                        take = order[bounds[s - lo]:bounds[s - lo + 1]]
                        if len(take):
                            pending.append(pool.submit(write_shard, tmp / "grams" / f"{s:04d}{suffix}",
                                                       keys[take], pos[take], has_pos[take]))
                    del keys, pos, has_pos, order
                    # A pass's shards are written before the next pass's arrays are made
                    for f in pending:
                        f.result()
                    pending = []
            for f in pending:
                f.result()

    # The folder swap keeps grams/ and text/ of one build together
    _replace_parts(site / "search", fill)
    meta = {k: v for k, v in index.items() if k not in ("titles", "text")}
    meta.update(v=FORMAT_VERSION, bits=bits, chunks=chunks,
                titles=len(index["titles"].encode("utf-16-le")) // 2)
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    data = f"{head}\n{index['titles']}".encode("utf-16-le")
    meta_path = site / META_PATH
    _write(meta_path, blob(data))
    peers = site / PEERS_PATH
    if not peers.exists():
        _write(peers, b'{"v":1,"peers":[]}\n')
    for old in ("search/gongwen_index.bin", "search/gongwen_index.bin.gz"):
        (site / old).unlink(missing_ok=True)
    return [meta_path]


def _replace_parts(search_dir: Path, fill) -> None:
    search_dir.mkdir(parents=True, exist_ok=True)
    parts = search_dir / "gongwen_parts"
    replace_folder(parts, fill)
    for name in ("grams", "text"):
        target = search_dir / name
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        (parts / name).rename(target)
    shutil.rmtree(parts, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def remove_sharded(site_dir: str | Path) -> None:
    """Remove format 2 files (a preview writes format 1 into a folder a build wrote)."""
    site = Path(site_dir)
    (site / META_PATH).unlink(missing_ok=True)
    for name in (GRAMS_DIR, TEXT_DIR):
        shutil.rmtree(site / name, ignore_errors=True)


# --- reading back (tests and benchmarks) ---------------------------------------------------

def _read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def _meta_file(site: Path) -> Path | None:
    return site / META_PATH if (site / META_PATH).is_file() else None


def load_meta(site_dir: str | Path) -> dict:
    path = _meta_file(Path(site_dir))
    if path is None:
        raise FileNotFoundError(f"{site_dir}: no {META_PATH}")
    head, _, titles = _read(path).decode("utf-16-le").partition("\n")
    meta = json.loads(head)
    if meta.get("v") != FORMAT_VERSION:
        raise ValueError("not a gongwen search index of format 2")
    meta["titles"] = titles
    return meta


def load_sharded(site_dir: str | Path) -> dict:
    """A format-2 index read back as the format-1 dict (search_index.search works on it)."""
    site = Path(site_dir)
    meta = load_meta(site)
    texts = [_read(site / TEXT_DIR / f"{c:04d}.bin.gz").decode("utf-16-le")
             for c in range(len(meta["chunks"]))]
    keys = ("v", "pages", "anchors", "sections", "titles")
    return {**{k: meta[k] for k in keys}, "v": 1, "text": "\n".join(texts)}


def load_built(site_dir: str | Path) -> dict:
    """The index of a built site in either format, as the format-1 dict."""
    site = Path(site_dir)
    if _meta_file(site) is not None:
        return load_sharded(site)
    for name in (GZ_PATH, BIN_PATH, SCRIPT_PATH):
        if (site / name).is_file():
            return load_index(site / name)
    raise FileNotFoundError(f"{site_dir}: no search index")


def posting(site_dir: str | Path, gram: str) -> dict[int, tuple[int, list[int]]]:
    """What the shards hold for one gram (one or two UTF-16 code units): section -> (count,
    positions). The worker's reading of the layout, in Python, for tests."""
    site = Path(site_dir)
    meta = load_meta(site)
    c = _codes(fold(gram)).astype(np.uint32)
    key = int(c[0]) if len(c) == 1 else int(c[0]) << 16 | int(c[1])
    shard = int(shard_of(np.array([key], dtype=np.uint32), meta["bits"])[0])
    path = site / GRAMS_DIR / f"{shard:04d}.bin.gz"
    if not path.is_file():
        return {}
    buf = _read(path)
    magic, g, e, p, width = np.frombuffer(buf, "<u4", 5)
    assert magic == MAGIC
    at = 20
    keys = np.frombuffer(buf, "<u4", g, at); at += 4 * g
    estart = np.frombuffer(buf, "<u4", g + 1, at); at += 4 * (g + 1)
    pstart = np.frombuffer(buf, "<u4", g + 1, at); at += 4 * (g + 1)
    secs = np.frombuffer(buf, "<u4", e, at); at += 4 * e
    counts = np.frombuffer(buf, "<u4", e, at); at += 4 * e
    positions = np.frombuffer(buf, "<u2" if width == 2 else "<u4", p, at)
    i = int(np.searchsorted(keys, key))
    if i >= g or keys[i] != key:
        return {}
    out, q = {}, int(pstart[i])
    for j in range(int(estart[i]), int(estart[i + 1])):
        n = int(counts[j]) if len(c) > 1 else 0
        out[int(secs[j])] = (int(counts[j]), positions[q:q + n].tolist())
        q += n
    return out
