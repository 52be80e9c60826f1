"""A bounded soak: generated hostile file names and titles through `gongwen review` -> 审核汇总.xlsx
-> the workbench build. Whatever units send: no formula cell, no `<` from outside unescaped in
any page, no traceback, exit code 0, 1 or 2 only. Kept within a minute (8 batches)."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import REPO, build_site

FIXTURES = REPO / "tests" / "fixtures" / "review"
# `gwx` is an element name no page of the project writes: any `<gwx` in a page came from outside.
FRAGMENTS = ["<gwx>", "<gwx onerror=alert(1)>", "</title><gwx>", "<!--", "-->", "&lt;gwx&gt;", "&#60;gwx", "=", "+", "-",
             "@", "\t", "\r", "\n", "\n\n", " ", "　", "#", "%", "?", '"', "'", "[x](javascript:alert(1))", "*", "_",
             "`", ".", "甲镇党委", "ＡＢＣ", "abc", "ABC", "=HYPERLINK(\"http://x/\",\"点我\")", "审核总览", "rules", "similar"]
hostile = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join)
RAW = re.compile(r"<\s*/?\s*gwx", re.IGNORECASE)


def _file_name(text: str, suffix: str) -> str | None:
    name = text.replace("/", "").replace("\0", "")
    if not name.strip(" .") or len((name + suffix).encode()) > 200:
        return None
    return name + suffix


def _write(box: Path, name: str, title_tail: str, src: Path) -> None:
    lines = src.read_text(encoding="utf-8").split("\n")
    lines[0] += title_tail.replace("\n", "").replace("\r", "")  # the title stays the first line
    lines.insert(3, "如，" + title_tail)  # and the same text in the body
    (box / name).write_text("\n".join(lines), encoding="utf-8")


@settings(max_examples=8, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(names=st.lists(hostile, min_size=2, max_size=2), titles=st.lists(hostile, min_size=2, max_size=2))
def test_hostile_names_and_titles_never_get_through(names, titles):
    with tempfile.TemporaryDirectory() as tmp:
        box = Path(tmp) / "INBOX"
        box.mkdir()
        sources = sorted(FIXTURES.glob("*.txt"))
        written = 0
        for i, (name, title) in enumerate(zip(names, titles)):
            fname = _file_name(name, ".txt")
            if fname and not (box / fname).exists():
                _write(box, fname, title, sources[i])
                written += 1
        out = Path(tmp) / "OUT"
        proc = subprocess.run([sys.executable, "-m", "gongwen.cli", "review", str(box), "-o", str(out)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, 1, 2) and "Traceback" not in proc.stderr, proc.stderr
        if not written:
            return
        ws = openpyxl.load_workbook(out / "审核汇总.xlsx").active
        assert [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
        site = build_site(out, strict=False)
        for page in site.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert not RAW.search(html), (page.relative_to(site), RAW.search(html).group(0))
