"""Word export in GB/T 9704 layout: the docx read back with python-docx, and the seed
rendered by LibreOffice headless to PDF, measured with pdfplumber."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from gongwen.check.run import resolve_schema
from gongwen.export.docx import write_docx
from gongwen.export.layout import (
    _user_words,
    em_width,
    format_date,
    marking,
    set_width,
    signature,
    split_title,
)
from gongwen.numbering import numbered_blocks
from gongwen.read import load

from .conftest import ARTIFACTS, SEED_DIR
from .office import MM, fontconfig_env, fonts_missing, soffice_to_pdf

TYPE_TOP, TYPE_BOTTOM, TYPE_LEFT, TYPE_RIGHT = 37.0, 297.0 - 35.0, 28.0, 210.0 - 26.0
PAGE_NO_EM = 14 / MM  # one 4号 character, in mm


def export(src: Path, out: Path, **meta) -> Path:
    mat = load(src)
    mat.meta.update(meta)
    schema, _ = resolve_schema(mat)
    write_docx(mat, schema, out)
    return out


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> Path:
    return export(SEED_DIR, tmp_path_factory.mktemp("docx") / "seed.docx")


# --- the docx itself -------------------------------------------------------------------

def _fonts(style) -> dict[str, str]:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return {k: rfonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia")}


def test_docx_page_geometry_grid_and_styles(seed_docx):
    doc = Document(str(seed_docx))
    sec = doc.sections[0]
    for got, want in ((sec.page_width, 210), (sec.page_height, 297), (sec.top_margin, 37),
                      (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
        assert abs(got.mm - want) <= 0.5, (got.mm, want)
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert doc.settings.odd_and_even_pages_header_footer

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"

    normal = doc.styles["Normal"]
    assert _fonts(normal) == {"ascii": "仿宋_GB2312", "hAnsi": "仿宋_GB2312", "eastAsia": "仿宋_GB2312"}
    assert normal.font.size.pt == 16
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    ppr = normal.element.pPr
    assert ppr.find(qn("w:widowControl")).get(qn("w:val")) == "0"
    assert ppr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert normal.paragraph_format.first_line_indent.pt == 32  # two 16 pt characters

    title = doc.styles["Title"]
    assert _fonts(title)["eastAsia"] == "方正小标宋简体" and title.font.size.pt == 22
    assert title.paragraph_format.alignment == 1  # centre
    for name, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312"),
                       ("Heading 3", "仿宋_GB2312"), ("Heading 4", "仿宋_GB2312")):
        style = doc.styles[name]
        assert _fonts(style)["eastAsia"] == font, name
        assert style.font.size.pt == 16 and not style.font.bold, name
    odd, even = doc.styles["页码（单页）"], doc.styles["页码（双页）"]
    assert _fonts(odd)["eastAsia"] == "宋体" and odd.font.size.pt == 14
    assert odd.paragraph_format.alignment == 2 and odd.paragraph_format.right_indent.pt == 14
    assert even.paragraph_format.alignment == 0 and even.paragraph_format.left_indent.pt == 14

    # Fallback names for Word/WPS without the GB fonts.
    blob = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml").blob.decode()
    assert 'w:name="仿宋_GB2312"' in blob and "FangSong" in blob

    # Styles, not direct formatting: body runs carry at most a character style.
    for p in doc.paragraphs:
        for run in p.runs:
            rpr = run._r.rPr
            assert rpr is None or [c.tag for c in rpr] == [qn("w:rStyle")], p.text[:20]

    # Header marking (草稿) and the page-number footers.
    assert sec.header.paragraphs[0].text == "草稿" and sec.even_page_header.paragraphs[0].text == "草稿"
    assert sec.footer.paragraphs[0].text == "— 1 —"
    assert "PAGE" in sec.footer._element.xml and "PAGE" in sec.even_page_footer._element.xml


def test_numbers_from_numbering_and_stable_output(seed_docx, tmp_path):
    again = export(SEED_DIR, tmp_path / "again.docx")
    first = [(p.style.name, p.text) for p in Document(str(seed_docx)).paragraphs]
    assert first == [(p.style.name, p.text) for p in Document(str(again)).paragraphs]
    texts = [t for _, t in first]
    assert ("Heading 1", "一、存在的问题") in first
    assert ("Heading 2", "（一）在理论学习方面") in first
    assert any(t.startswith("一是理论学习不深不透。") for t in texts)
    assert texts[0] == "2023年第二批主题教育\n专题民主生活会领导班子对照检查材料"
    # Points run in with their label; the label and the lead sentence carry the 要点 style
    # (two runs: the label stays outside the source anchor, see gongwen/revisions).
    point = next(p for p in Document(str(seed_docx)).paragraphs if p.text.startswith("一是"))
    assert [r.style.name for r in point.runs[:2]] == ["要点", "要点"]
    assert point.runs[0].text + point.runs[1].text == "一是理论学习不深不透。"
    # Unit at the end (no date in the seed's front matter).
    assert first[-1] == ("落款", "某镇领导班子")
    assert not list(tmp_path.glob(".*.tmp")), "temporary file left behind"


def test_docx_reads_back_as_the_same_material(seed_docx):
    mat, back = load(SEED_DIR), load(seed_docx)
    assert back.title == mat.title  # the title's line break joins without a space
    assert [s.title for s in back.walk()] == [s.title for s in mat.walk()]
    assert [p.text for p in back.points()] == [p.text for p in mat.points()]


def test_signature_date_and_marking(tmp_path):
    out = export(SEED_DIR, tmp_path / "dated.docx", date=dt.date(2024, 1, 5), 状态="征求意见稿", 密级="秘密")
    doc = Document(str(out))
    tail = [(p.style.name, p.text, p.paragraph_format.right_indent) for p in doc.paragraphs[-2:]]
    assert [t[:2] for t in tail] == [("落款", "某镇领导班子"), ("落款", "2024年1月5日")]
    # Date 2 characters in from the right; the unit starts 2 characters before the date.
    unit_right, date_right = (t[2].pt / 16 for t in tail)
    assert date_right == 2
    assert unit_right + set_width("某镇领导班子") == pytest.approx(date_right + set_width("2024年1月5日") + 2)
    assert doc.sections[0].header.paragraphs[0].text == "秘密　征求意见稿"


def test_layout_helpers():
    assert format_date("2024-01-05") == format_date(dt.date(2024, 1, 5)) == "2024年1月5日"
    assert format_date("二〇二三年十二月三十一日") == "2023年12月31日"
    assert format_date("2024.1.5") == format_date("2024年01月05日") == "2024年1月5日"
    assert marking({"密级": "内部", "状态": "定稿"}) == ""
    assert marking({"密级": "内部", "状态": "草稿"}) == "草稿"


@pytest.mark.parametrize("title", [
    "2023年第二批主题教育专题民主生活会领导班子对照检查材料",
    "中共某某县委常委班子2024年度民主生活会对照检查材料",
    "关于某镇党委落实全面从严治党主体责任情况的整改方案",
    "某某市某某区某某街道党工委领导班子2024年度民主生活会“四个带头”对照检查材料",
])
def test_title_breaks_between_words(title):
    lines = split_title(title)
    assert "".join(lines) == title and len(lines) >= 2
    assert all(em_width(line) <= 20 for line in lines)
    assert em_width(lines[0]) <= em_width(lines[-1]) + 1  # trapezoid: not wider on top
    cuts, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        cuts.append(at)
    for word in _user_words():
        start = title.find(word)
        while start >= 0:
            assert not any(start < c < start + len(word) for c in cuts), (word, lines)
            start = title.find(word, start + 1)


def test_short_title_stays_on_one_line():
    assert split_title("整改方案") == ["整改方案"]


def test_signature_from_closing_lines():
    mat = load(SEED_DIR)
    mat.meta["date"] = "2024-1-5"
    assert [t for t, _ in signature(mat)] == ["某镇领导班子", "2024年1月5日"]
    mat.meta.pop("unit")
    assert signature(mat) == [("2024年1月5日", 2.0)]


# --- rendered by LibreOffice -------------------------------------------------------------

def _rows(page) -> list[list[dict]]:
    """Text lines of a PDF page: characters clustered by their bottom (faces differ slightly)."""
    rows: list[list[dict]] = []
    for c in sorted(page.chars, key=lambda c: (c["bottom"], c["x0"])):
        if rows and abs(c["bottom"] - rows[-1][0]["bottom"]) < 3 * MM:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [sorted(r, key=lambda c: c["x0"]) for r in rows]


def _text(row) -> str:
    return "".join(c["text"] for c in row)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFA"


@pytest.fixture(scope="module")
def seed_pdf(seed_docx, tmp_path_factory) -> Path:
    missing = fonts_missing()
    if missing:
        pytest.fail(missing)
    work = tmp_path_factory.mktemp("soffice")
    return soffice_to_pdf(seed_docx, work / "out", work / "profile", fontconfig_env(work / "fc"))


@pytest.fixture(scope="module")
def pages(seed_pdf):
    import pdfplumber

    with pdfplumber.open(seed_pdf) as pdf:
        yield [(p.width, p.height, _rows(p), {c["fontname"].split("+")[-1] for c in p.chars}) for p in pdf.pages]


def _body(rows):
    return [r for r in rows if TYPE_TOP * MM < r[0]["bottom"] <= TYPE_BOTTOM * MM + 1]


@pytest.mark.slow
def test_pdf_uses_the_cjk_stand_ins(pages):
    fonts = set().union(*(p[3] for p in pages))
    assert {"FandolFang-Regular", "FandolSong-Bold", "FandolHei-Regular", "FandolKai-Regular",
            "FandolSong-Regular"} <= fonts, fonts
    for width, height, *_ in pages:
        assert abs(width / MM - 210) < 0.5 and abs(height / MM - 297) < 0.5


@pytest.mark.slow
def test_pdf_22_lines_a_page(pages):
    assert len(pages) >= 3
    counts = [len(_body(rows)) for _, _, rows, _ in pages]
    # Page 1 has the title block and a blank line; the last page ends where the text does.
    assert all(n == 22 for n in counts[1:-1]), counts
    assert counts[0] + 1 == 22, counts  # title lines, the blank line, then body lines
    pitch = [b[0]["bottom"] - a[0]["bottom"] for a, b in zip(_body(pages[1][2]), _body(pages[1][2])[1:])]
    assert all(abs(p / MM - 225 / 22) < 0.5 for p in pitch), pitch


OPENING = set("（《〈「『【〔“‘")
CLOSING = set("，。、；：？！）》〉」』】〕”’…")


@pytest.mark.slow
def test_pdf_28_characters_a_line(pages):
    rows = [r for _, _, page_rows, _ in pages for r in _body(page_rows)]
    full, moved = [], []
    for row, nxt in zip(rows, rows[1:] + [None]):
        text = _text(row)
        assert row[-1]["x1"] / MM < TYPE_RIGHT + 0.2, f"past the right margin: {text}"
        starts_flush = abs(row[0]["x0"] / MM - TYPE_LEFT) < 0.5
        if not starts_flush or not all(_wide(ch) for ch in text) or round(row[0]["size"]) != 16:
            continue
        if abs(row[-1]["x1"] / MM - TYPE_RIGHT) > 0.8:
            continue  # the last line of a paragraph
        following = _text(nxt) if nxt else ""
        # Line-breaking rules move one character down when the next line would otherwise
        # start with a closing mark, or this one end with an opening mark.
        if len(text) == 27 and following and (following[0] in OPENING or following[1:2] in CLOSING):
            moved.append(text)
        else:
            full.append(text)
    assert len(full) >= 50, full
    assert all(len(t) == 28 for t in full), [t for t in full if len(t) != 28]
    assert len(moved) < len(full) / 4, moved


@pytest.mark.slow
def test_pdf_loses_no_character(pages, seed_docx):
    """Every character of the numbered text is on the pages (LibreOffice's hanging
    punctuation in justified lines once dropped 13 marks of the seed)."""
    printed = Counter(c["text"] for _, _, rows, _ in pages for r in _body(rows) for c in r)
    mat = load(SEED_DIR)
    schema, _ = resolve_schema(mat)
    wanted = Counter("".join(b.label + b.text for b in numbered_blocks(mat, schema)) + "某镇领导班子")
    missing = {ch: n for ch, n in (wanted - printed).items() if not ch.isspace()}
    assert not missing, missing


@pytest.mark.slow
def test_pdf_page_numbers_alternate_sides(pages):
    for n, (_, _, rows, _) in enumerate(pages, 1):
        below = [r for r in rows if r[0]["top"] > TYPE_BOTTOM * MM]
        assert len(below) == 1 and _text(below[0]) == f"— {n} —", [_text(r) for r in below]
        row = below[0]
        assert all(round(c["size"]) == 14 and "FandolSong" in c["fontname"] for c in row)
        assert TYPE_BOTTOM + 3 < row[0]["top"] / MM < TYPE_BOTTOM + 9
        if n % 2:  # odd: right, one character in
            assert abs(row[-1]["x1"] / MM - (TYPE_RIGHT - PAGE_NO_EM)) < 0.5
        else:
            assert abs(row[0]["x0"] / MM - (TYPE_LEFT + PAGE_NO_EM)) < 0.5
        above = [r for r in rows if r[0]["bottom"] < TYPE_TOP * MM]
        assert [_text(r) for r in above] == ["草稿"]


@pytest.mark.slow
def test_pdf_title_on_page_one_above_the_body(pages):
    body = _body(pages[0][2])
    title_rows = [r for r in body if round(r[0]["size"]) == 22]
    assert _text(title_rows[0]) + _text(title_rows[1]) == load(SEED_DIR).title
    assert body[:2] == title_rows
    assert all(round(r[0]["size"]) == 16 for r in body[2:])
    for row in title_rows:  # centred on the type area
        centre = (row[0]["x0"] + row[-1]["x1"]) / 2 / MM
        assert abs(centre - (TYPE_LEFT + TYPE_RIGHT) / 2) < 1.5
    assert _text(body[2]).startswith("按照市委")


@pytest.mark.slow
def test_pdf_page_one_picture(seed_pdf):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy2(seed_pdf, ARTIFACTS / "export-seed.pdf")
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(seed_pdf),
                    str(ARTIFACTS / "export-page1")], check=True, timeout=60)
    png = ARTIFACTS / "export-page1.png"
    from PIL import Image

    with Image.open(png) as im:
        assert abs(im.width / im.height - 210 / 297) < 0.01
        # Ink inside the type area only (plus the marking and the page number).
        gray = im.convert("L")
        px = gray.load()
        w, h = gray.size
        ink_left = min(x for x in range(w) for y in range(0, h, 4) if px[x, y] < 128)
        assert abs(ink_left / w * 210 - TYPE_LEFT) < 1.5


@pytest.mark.slow
def test_pdf_signature_block(tmp_path):
    """Unit and date at the end (GB/T 9704 7.3.5.2): the date 2 characters in from the right,
    the unit starting 2 characters before it, and never alone on the last page."""
    import pdfplumber

    docx = export(SEED_DIR, tmp_path / "dated.docx", date="2024-01-05")
    pdf = soffice_to_pdf(docx, tmp_path / "out", tmp_path / "profile", fontconfig_env(tmp_path / "fc"))
    with pdfplumber.open(pdf) as doc:
        rows = _body(_rows(doc.pages[-1]))
    texts = [_text(r) for r in rows]
    assert texts[-2:] == ["某镇领导班子", "2024年1月5日"], texts
    assert len(rows) > 2, "the signature stands alone on the last page"
    unit, date = rows[-2], rows[-1]
    char = 16 / MM
    assert date[-1]["x1"] / MM == pytest.approx(TYPE_RIGHT - 2 * char, abs=0.5)
    assert (date[0]["x0"] - unit[0]["x0"]) / MM == pytest.approx(2 * char, abs=1.5)
    # one blank line between the text and the signature
    assert (unit[0]["bottom"] - rows[-3][0]["bottom"]) / MM == pytest.approx(2 * 225 / 22, abs=0.5)


def test_readme_font_step_needs_no_root(tmp_path):
    """Issue 24: the README's font step, run as written by a user without root, makes 仿宋_GB2312
    resolve to the free Fandol stand-in (it used to copy into /etc/fonts)."""
    import re as _re

    from .conftest import REPO

    if fonts_missing():
        pytest.fail(fonts_missing())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = next(b for b in _re.findall(r"```sh\n(.*?)```", readme, _re.DOTALL) if "FONTCONFIG_FILE" in b)
    assert "/etc/fonts/conf.d" not in block and "sudo" not in block
    setup = "\n".join(line for line in block.splitlines() if not line.startswith("soffice"))
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["bash", "-c", setup + '\nfc-match -f "%{family}" "仿宋_GB2312"'], cwd=REPO, env=env,
                          capture_output=True, text=True, check=True)
    assert "FandolFang" in done.stdout, done.stdout + done.stderr
    assert (tmp_path / ".config" / "gongwen" / "fonts.conf").is_file()
