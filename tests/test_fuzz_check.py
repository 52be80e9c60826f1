"""Hypothesis: parsing and checking never crash on generated or mutated materials.

Every input either is read (and then checked, giving well-formed diagnostics) or is
rejected with an InputError (exit 2 in the CLI); nothing else may escape.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongwen.check.run import check
from gongwen.diagnostics import InputError
from gongwen.read import load

from .conftest import CLEAN, SEED_DIR, SEED_TXT, make_docx

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SEED_LINES = SEED_TXT.read_text(encoding="utf-8").split("\n")
SEED_FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.md"))}

# Pieces that matter to the parser and the rules: numbers, points, quotes, Markdown, HTML, residue.
TOKENS = [
    "一、", "（一）", "(二)", "1.", "2、", "（1）", "一是", "二是", "三是", "第一是", "如，", "比如", "在会议中，",
    "“", "”", "‘", "’", "《", "》", "【", "】", "（", "）", "(", ")", "\"", ",", ".", "...", "……", ";", ":", "?", "!",
    "**", "*", "\\*", "`", "[附件](a.md)", "](", "<script>", "<!-- gongwen-disable-next-line typography -->",
    "<span onclick=\"x\">", "javascript:", "https://a.cn/x?y=1", "##paidbegin##", "浏览量：", "XX", "202X", "××",
    "新世代", "“三个自信”", "在理论学习方面", "在政治素养方面", "存在的问题", "原因剖析", "整改措施", "# ", "## ",
    "### ", "##### ", "- ", "> ", "\n", "\n\n", " ", "\u3000", "\t", "\r\n", "3.5", "2023年", "---", "|", "\ufeff",
]
text_piece = st.one_of(st.sampled_from(TOKENS), st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
                       st.text(alphabet="理论学习不深不透政治素质班子成员问题整改措施方面我镇", max_size=20))
random_text = st.lists(text_piece, max_size=40).map("".join)


@st.composite
def mutated(draw, text: str) -> str:
    """A text with a few edits: lines dropped, doubled or swapped, pieces inserted, a slice cut."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["drop", "dup", "swap", "insert", "cut"]))
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(random_text) + lines[i][pos:]
        else:
            a = draw(st.integers(0, len(lines[i])))
            b = draw(st.integers(a, len(lines[i])))
            lines[i] = lines[i][:a] + lines[i][b:]
    return "\n".join(lines)


def run(path: Path, **kwargs) -> None:
    try:
        mat = load(path)
    except InputError as exc:
        assert exc.diagnostic.severity == "error" and exc.diagnostic.message
        return
    for stage in (None, "草稿", "定稿"):
        for d in check(mat, stage=stage, **kwargs):
            assert d.line >= 0 and d.column >= 1, d
            assert d.severity in ("error", "warning", "info") and d.message and d.rule, d


@SETTINGS
@given(files=st.fixed_dictionaries({name: mutated(text) for name, text in SEED_FILES.items()}),
       extra=st.dictionaries(st.sampled_from(["04-补充.md", "05-x.md"]), random_text, max_size=2),
       site=st.booleans())
def test_markdown_folder(files, extra, site):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "material"
        folder.mkdir()
        for name, text in {**files, **extra}.items():
            (folder / name).write_text(text, encoding="utf-8")
        run(folder, for_site=site, publish=site)


@SETTINGS
@given(body=st.one_of(random_text, mutated("\n".join(CLEAN.values()))), front=st.sampled_from([
    "", "---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: 2023\n状态: 定稿\n---\n", "---\nyear: [1, 2\n---\n",
    "---\n- a\n---\n", "---\n密级: 机密\nyear: true\n状态: 7\ngongwen-disable: typography\n---\n", "---\n",
]))
def test_single_markdown_file(body, front):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "材料.md"
        path.write_text(front + body, encoding="utf-8")
        run(path, for_site=True)


@SETTINGS
@given(text=st.one_of(mutated("\n".join(SEED_LINES)), random_text), encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_text_file(text, encoding):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "来文.txt"
        path.write_bytes(text.encode(encoding, errors="replace"))
        run(path)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_text_file_of_arbitrary_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "来文.txt"
        path.write_bytes(data)
        run(path)


def _xml_safe(s: str) -> str:
    # Word cannot hold control characters; an office's file never has them.
    return "".join(ch for ch in s if ch in "\t" or (ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF
                                                    and ch not in "\ufffe\uffff"))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated("\n".join(SEED_LINES)))
def test_docx_file(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = make_docx([_xml_safe(line) for line in text.split("\n")], Path(tmp) / "来文.docx")
        run(path)
