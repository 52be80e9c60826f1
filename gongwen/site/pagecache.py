"""Rendered pages kept between builds (.cache/pages/ beside mkdocs.yml).

A full build renders about five pages per material through Markdown and the theme's templates,
most of its time. A material's pages depend on its own files and on what is the same for the
whole site (configuration, theme, code, installed libraries, the list of files, the home page):
when none of these changed since a build that rendered them without a warning, the pages it
wrote then are the pages it would write now. The hook (hooks/page_cache_hooks.py) decides
which pages to reuse and hands them to the engine; this module only keys and stores them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from .catalogue import code_version, hash_tree, read_cache, write_cache

FORMAT = 1  # bump when CachedPage changes


@dataclass(frozen=True)
class CachedPage:
    """What a rendered page leaves behind: the content the Markdown render gave (the hooks'
    page events run on it again), the page as written, and what the engine keeps of the render
    for other pages (the title, the anchors it has, the anchors it links to)."""
    content: str
    output: str
    title: str | None
    anchors: tuple[str, ...]
    links: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (file src_uri, ((anchor, link), ...))


def _installed() -> str:
    # Every installed library and its version: Markdown, its extensions, the theme, the engine
    # and whatever they call all shape a page.
    names = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    return "\n".join(names)


_ENV_TAG = re.compile(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)")
_INHERIT = re.compile(r"^INHERIT:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def _config_chain(config_file: Path) -> list[bytes]:
    """The configuration file and those it inherits from (INHERIT:, as the reviewer's
    workbench does), as bytes."""
    texts, seen, path = [], set(), config_file
    while path is not None and path.is_file() and path not in seen:
        seen.add(path)
        text = path.read_bytes()
        texts.append(text)
        m = _INHERIT.search(text.decode("utf-8", "replace"))
        path = (path.parent / m.group(1).strip()).resolve() if m else None
    return texts


def site_inputs(config_file: Path, trees: Iterable[Path], settings: Iterable[str]) -> str:
    """A hash of what every page of the site is made from, besides the docs: the configuration
    file (and those it inherits from), the environment variables it reads (!ENV) and gongwen's
    own (GONGWEN_*), settings the command line can change, gongwen's code and schemas, the
    given folders or files (hooks, theme overrides) and the installed libraries."""
    h = hashlib.sha256(f"gongwen-pages {FORMAT}\0{code_version()}\0{_installed()}\0".encode())
    texts = _config_chain(config_file)
    h.update(b"\0".join(texts) + b"\1")
    # gongwen's own switches (GONGWEN_*) reach the hooks without passing through the file.
    names = {n for t in texts for n in _ENV_TAG.findall(t.decode("utf-8", "replace"))}
    names |= {n for n in os.environ if n.startswith("GONGWEN_")}
    for name in sorted(names):
        h.update(f"{name}={os.environ.get(name)!r}\0".encode())
    h.update(("\0".join(settings) + "\0").encode())
    for tree in trees:
        hash_tree(h, Path(tree))
    return h.hexdigest()


def site_key(inputs: str, listing: Iterable[str], home: bytes) -> str:
    """What every material's pages share in this build: the site's inputs, its file list (it
    decides each page's links and neighbours) and the home page (its title is in every sidebar)."""
    h = hashlib.sha256(inputs.encode() + b"\0")
    for item in listing:
        h.update(item.encode() + b"\0")
    h.update(b"\1" + home)
    return h.hexdigest()


def material_key(site: str, rel: str, digest: bytes) -> str:
    """The key of a material's pages: the site's key, the material's folder and the hash of its files."""
    return hashlib.sha256(f"{site}\0{rel}\0".encode() + digest).hexdigest()


class PageStore:
    """Two files per material, named by its folder, each starting with the key its pages were
    made for: what the render left (small, read before the pages are read) and the written
    pages (read only when they are written, one material at a time, so a build never holds
    every page at once). A new key replaces both; a file that cannot be read is a miss."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _paths(self, rel: str) -> tuple[Path, Path]:
        name = hashlib.sha256(rel.encode()).hexdigest()[:24]
        return self.root / f"{name}.pickle", self.root / f"{name}.html.pickle"

    def load(self, rel: str, key: str) -> dict[str, CachedPage] | None:
        """The material's pages without their output (output == ""), if both files hold `key`."""
        head, body = self._paths(rel)
        if not read_cache(body, key.encode("ascii"), header_only=True):
            return None
        pages = read_cache(head, key.encode("ascii"))
        return pages if isinstance(pages, dict) else None

    def outputs(self, rel: str, key: str) -> dict[str, str] | None:
        """The written pages of a material, by src_uri."""
        out = read_cache(self._paths(rel)[1], key.encode("ascii"))
        return out if isinstance(out, dict) else None

    def save(self, rel: str, key: str, pages: dict[str, CachedPage]) -> None:
        head, body = self._paths(rel)
        prefix = key.encode("ascii")
        # The pages first: a head is only ever found beside the pages it was saved with.
        write_cache(body, prefix + pickle.dumps({uri: p.output for uri, p in pages.items()},
                                                protocol=pickle.HIGHEST_PROTOCOL))
        write_cache(head, prefix + pickle.dumps({uri: replace(p, output="") for uri, p in pages.items()},
                                                protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, keep: Iterable[str]) -> None:
        """Remove the files of materials not in `keep` (deleted or renamed folders)."""
        wanted = {p.name for rel in keep for p in self._paths(rel)}
        try:
            names = os.listdir(self.root)
        except OSError:
            return
        for name in names:
            if name.endswith(".pickle") and name not in wanted:
                with contextlib.suppress(OSError):
                    os.remove(self.root / name)
