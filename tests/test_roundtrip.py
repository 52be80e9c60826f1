"""Import then export gives the original text back (whitespace and punctuation aside),
for the seed, a .docx copy of it, and generated materials; numbering is idempotent."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongwen.intake.markdown import import_material
from gongwen.numbering import to_markdown, to_text
from gongwen.numerals import number_label, point_label
from gongwen.read.legacy import parse_docx, parse_txt
from gongwen.read.markdown import parse_markdown
from gongwen.textpatterns import RESIDUE

from .conftest import SEED_TXT

GONGWEN = [sys.executable, "-m", "gongwen.cli"]


def content(text: str) -> str:
    """What must survive: every character that is not whitespace or punctuation, in order."""
    return "".join(ch for ch in RESIDUE.sub("", text) if ch.isalnum())


def roundtrip(mat, tmp: Path) -> str:
    import_material(mat, tmp / "md")
    return to_text(parse_markdown(tmp / "md"))


def test_seed_roundtrip_via_cli(tmp_path):
    subprocess.run(GONGWEN + ["import", str(SEED_TXT), "-o", str(tmp_path / "seed")], check=True, capture_output=True)
    subprocess.run(GONGWEN + ["export", str(tmp_path / "seed"), "--to", "txt", "-o", str(tmp_path / "out.txt")],
                   check=True, capture_output=True)
    original = SEED_TXT.read_text(encoding="utf-8")
    exported = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert content(exported) == content(original)
    assert "##paid" not in exported
    # Every number token survives, in order.
    tokens = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+是")
    assert tokens.findall(exported) == tokens.findall(original.replace("##paidend##", ""))


def test_seed_docx_roundtrip(tmp_path):
    doc = Document()
    for line in SEED_TXT.read_text(encoding="utf-8").split("\n"):
        doc.add_paragraph(line)
    doc.save(tmp_path / "seed.docx")
    exported = roundtrip(parse_docx(tmp_path / "seed.docx"), tmp_path)
    assert content(exported) == content(SEED_TXT.read_text(encoding="utf-8"))


# --- generated materials -------------------------------------------------------------

HAN = "党委班子成员理论学习政治素质能力本领担当作为工作作风廉洁自律群众干部制度落实推进基层组织建设问题措施责任监督管理服务发展"
phrase = st.text(alphabet=HAN, min_size=2, max_size=12)
number_fact = st.sampled_from(["全年开展3次", "2023年只召开了2次", "制定了45条措施", "*个村", "××同志", "比例为12.5%"])


@st.composite
def sentence(draw, with_fact=False):
    parts = draw(st.lists(phrase, min_size=1, max_size=4))
    if with_fact:
        parts.insert(draw(st.integers(0, len(parts))), draw(number_fact))
    return "，".join(parts) + "。"


@st.composite
def point_text(draw):
    lead = draw(phrase) + "。"
    body = "".join(draw(st.lists(sentence(), min_size=0, max_size=3)))
    if draw(st.booleans()):
        body += "如，" + draw(sentence(with_fact=True))
    return lead + body


@st.composite
def material_txt(draw):
    lines = ["", draw(phrase) + "对照检查材料", draw(sentence()) + "现对照检查如下："]
    for i in range(1, draw(st.integers(1, 4)) + 1):
        lines.append(number_label(1, i) + draw(phrase))
        for j in range(1, draw(st.integers(1, 7)) + 1):
            head = number_label(2, j) + draw(phrase) + "。"
            if draw(st.booleans()):
                points = draw(st.lists(point_text(), min_size=1, max_size=4))
                lines.append(head + "".join(point_label(k) + p for k, p in enumerate(points, 1)))
            else:
                lines.append(head + draw(sentence(with_fact=draw(st.booleans()))))
            for k in range(1, draw(st.integers(0, 2)) + 1):
                lines.append(number_label(3, k) + draw(phrase) + "。" + draw(sentence()))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(3, len(lines))), "##paidend##")
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(text=material_txt())
def test_generated_roundtrip_and_idempotence(tmp_path_factory, text):
    tmp = tmp_path_factory.mktemp("rt")
    (tmp / "m.txt").write_text(text, encoding="utf-8")
    exported = roundtrip(parse_txt(tmp / "m.txt"), tmp)
    assert content(exported) == content(text)
    # Numbering a numbered material changes nothing.
    mat = parse_markdown(tmp / "md")
    once = to_markdown(mat)
    (tmp / "n.md").write_text(once, encoding="utf-8")
    assert to_markdown(parse_markdown(tmp / "n.md")) == once


def test_seed_in_docs_is_what_the_importer_makes(tmp_path):
    subprocess.run(GONGWEN + ["import", str(SEED_TXT), "-o", str(tmp_path / "seed"), "--unit", "某镇领导班子"],
                   check=True, capture_output=True)
    from .conftest import SEED_DIR

    made = {p.name: p.read_bytes() for p in (tmp_path / "seed").iterdir()}
    kept = {p.name: p.read_bytes() for p in SEED_DIR.iterdir()}
    assert made == kept
    assert b"\\*" in kept["01-\u5b58\u5728\u7684\u95ee\u9898.md"]  # the * redactions are kept
