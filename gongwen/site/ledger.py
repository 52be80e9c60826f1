"""What the site's 整改进度 overview needs of each material, kept across rebuilds and, on disk,
across processes (pure, no mkdocs).

At 10,000 materials working out every material's summary (its problem points, whether it has a
整改清单) was the largest part of a warm `make serve` start. A material's record is keyed by its
catalogue entry's digest (the contents of its files); the file as a whole by code_version()
and the docs folder, so an edited material or changed code is worked out again. Only materials
without a 整改清单 are kept, and their summary does not depend on the day (what is overdue
does: a material with a ledger is worked out in every process)."""

from __future__ import annotations

import datetime
import hashlib
import pickle
from pathlib import Path

from ..ledger import read_ledger, summarise, summarise_ledger
from ..ledger.types import Ledger, LedgerSummary
from .catalogue import PARALLEL_MIN, Entry, code_version, read_table, write_cache

CACHE_FILE = "ledger-summaries.pickle"


class LedgerSummaries:
    """Per material: its ledger (None without a 整改清单) and its overview summary."""

    def __init__(self, docs_dir: str | Path, cache_dir: str | Path | None = None):
        self.docs_dir = Path(docs_dir).resolve()
        self.cache_dir = Path(cache_dir) if cache_dir else None
        # rel -> (entry, today, ledger, summary): this process's results, for the same entry object
        self._memo: dict[str, tuple] = {}
        # rel -> (digest, summary): materials without a ledger, as the disk holds them
        self._disk: dict[str, tuple[bytes, LedgerSummary]] | None = None
        self._fresh = 0
        self._saved = False

    def _where(self) -> tuple[Path, bytes] | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(f"gongwen-ledger-summaries\0{code_version()}\0{self.docs_dir}\0".encode()).digest()
        return self.cache_dir / CACHE_FILE, key

    def _load(self) -> None:
        if self._disk is not None:
            return
        self._disk, self._saved = read_table(self._where()) or {}, False

    def get(self, entry: Entry, today: datetime.date) -> tuple[Ledger | None, LedgerSummary]:
        """(ledger, summary) of a catalogued material (entry.material is not None)."""
        memo = self._memo.get(entry.rel)
        if memo and memo[0] is entry and memo[1] == today:
            return memo[2], memo[3]
        self._load()
        known = self._disk.get(entry.rel)
        if entry.digest and known is not None and known[0] == entry.digest:
            ledger, summary = None, known[1]  # only materials without a ledger are kept
        else:
            ledger = read_ledger(entry.material, entry.schema)
            summary = (summarise_ledger(ledger, today) if ledger is not None
                       else summarise(entry.material, entry.schema, today))
        if ledger is None and entry.digest:
            if self._disk.get(entry.rel, (None,))[0] != entry.digest:
                self._disk[entry.rel] = (entry.digest, summary)
                self._fresh += 1
        else:
            # A material with a ledger is read in every process (its page needs the rows).
            self._fresh += self._disk.pop(entry.rel, None) is not None
        self._memo[entry.rel] = (entry, today, ledger, summary)
        return ledger, summary

    def forget(self, keep: set[str]) -> None:
        """Drop what is kept of materials no longer listed (removed or renamed)."""
        for rel in [r for r in self._memo if r not in keep]:
            del self._memo[rel]
        if self._disk is not None:
            gone = [r for r in self._disk if r not in keep]
            for rel in gone:
                del self._disk[rel]
            self._fresh += len(gone)

    def save(self) -> None:
        """Write the records on disk (atomically) after the first pass of a process and after
        passes that worked out many: a preview rebuild after one edit does not rewrite them."""
        if not self._fresh or self._disk is None:
            return
        if self._saved and self._fresh < PARALLEL_MIN:
            return
        where = self._where()
        if where is not None:
            write_cache(where[0], where[1] + pickle.dumps(self._disk, protocol=pickle.HIGHEST_PROTOCOL))
            self._saved = True
        self._fresh = 0
