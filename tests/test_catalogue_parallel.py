"""The first scan of a large site reads its materials in two processes; what the site shows
(each material's parse and findings) must be what reading them one by one gives."""

from __future__ import annotations

from unittest import mock

import pytest

from gongwen.site import catalogue as site_module
from gongwen.site.catalogue import PARALLEL_MIN, Catalogue

from .conftest import SLIPS, write_material


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    root = tmp_path_factory.mktemp("docs")
    for i in range(PARALLEL_MIN + 6):
        write_material(root, SLIPS[i % len(SLIPS)], name=f"m{i:03d}", stage=["草稿", "定稿"][i % 2])
    bad = write_material(root, name="m900")
    (bad / "01-存在的问题.md").write_bytes("# 存在的问题\n\n问题。\n".encode("gbk"))
    return root


def shown(cat: Catalogue) -> list:
    return [(rel, e.material.title if e.material else None, e.diagnostics) for rel, e in cat.entries.items()]


def test_parallel_first_scan_equals_one_by_one(docs, tmp_path):
    forked = []
    real = site_module.ProcessPoolExecutor

    def counting(*args, **kwargs):
        forked.append(1)
        return real(*args, **kwargs)

    with mock.patch.object(site_module, "ProcessPoolExecutor", counting):
        parallel = Catalogue(docs, cache_dir=tmp_path / "cache")
        parallel.scan()
    assert forked, "a site this large is read in two processes"
    with mock.patch.object(site_module, "PARALLEL_MIN", 10**6):
        serial = Catalogue(docs)
        serial.scan()
    assert list(parallel.entries) == list(serial.entries)  # the same order (the listing's)
    assert shown(parallel) == shown(serial)
    assert any(e.diagnostics for e in parallel.entries.values())
    assert parallel.entries["m900"].material is None  # the unreadable one says why, as alone
    # Both processes filled the cache: the next scan reads again only the unreadable one
    # (never cached: it says why each time), in no second process.
    forked.clear()
    read = []
    real_read = Catalogue._read

    def reading(self, folder, rel, *rest):
        read.append(rel)
        return real_read(self, folder, rel, *rest)

    with mock.patch.object(site_module, "ProcessPoolExecutor", counting), mock.patch.object(Catalogue, "_read", reading):
        again = Catalogue(docs, cache_dir=tmp_path / "cache")
        again.scan()
    assert read == ["m900"] and not forked and shown(again) == shown(serial)
