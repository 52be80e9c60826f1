"""A received .docx/.odt/.xlsx is a zip of XML parts, looked at before any XML parser builds a tree.

`check_package(path, kind)`: the zip itself. Refused, each with a Chinese message: a truncated
or damaged zip, a member that inflates past a bound (a zip bomb: the readers would hold it in
memory), and an XML part that declares a DOCTYPE (Word, WPS and Excel never write one; it is how
external entities and billion-laughs expansions get in). Only the zip's directory and each XML
part's first bytes are read, so it costs milliseconds whatever the file claims to hold.

`package_lines(path)` / `check_budgets(path)`: every piece of text a Word (.docx) or
OpenDocument (.odt) package can show, part by part: the body with its tables, text boxes, shapes
and content controls; headers and footers of every kind; footnotes, endnotes and comments; the
document properties. Read as a stream (no whole tree in memory), with the budgets of `budget`
checked on the way. This is what the 密级 scan reads; the reader of the model
(legacy.parse_docx) calls both first, so a hostile file is refused before python-docx builds its tree.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import InputError, input_error
from .budget import MAX_DEPTH, MAX_PARAGRAPH_CHARS, MAX_XML_BYTES, BoundedReader, Counter, over

MAX_TOTAL = 1 << 30  # all members inflated (pictures included)
MAX_RATIO = 200  # inflated/compressed for a member past 8 MB: text XML deflates ~10x, zeros ~1000x
RATIO_FLOOR = 8 << 20
_HEAD = 4096  # a DOCTYPE must come before the root element
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
HINT = "请报送单位用 Word、WPS 或 Excel 重新保存后再报送；本工具不读取这样的文件"


def check_package(path: str | Path, kind: str) -> None:
    """Raise InputError unless `path` is a whole zip of sane size without DOCTYPE declarations.
    `kind` names the file for the message (Word 文件, Excel 文件)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = xml_total = 0
            for info in infos:
                total += info.file_size
                bomb = info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
                if info.filename.lower().endswith((".xml", ".rels")):
                    xml_total += info.file_size
                    if xml_total > MAX_XML_BYTES:  # the text parts' budget, as the headers declare it
                        raise over(path, "xml", where=f"其中 {info.filename} 达 {_mb(info.file_size)}"
                                                      + ("，疑似“压缩炸弹”" if bomb else ""))
                if total > MAX_TOTAL or bomb:
                    raise input_error(path, f"无法读取 {kind}：解压后过大（其中 {info.filename} 达 "
                                      f"{_mb(info.file_size)}），疑似“压缩炸弹”，已拒绝", HINT, rule="input.package")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")) and not info.is_dir():
                    with zf.open(info) as fh:
                        head = fh.read(_HEAD)
                    if _DOCTYPE.search(head):
                        raise input_error(path, f"无法读取 {kind}：{info.filename} 中含有 DOCTYPE/实体声明"
                                          "（可用来读取本机文件或耗尽内存），已拒绝", HINT, rule="input.package")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise input_error(path, f"无法读取 {kind}：不是完整的 zip 包（{_zip_reason(exc)}）",
                          "可能是改了扩展名的旧格式文件，或文件已损坏、没有传完；请报送单位用 Word、WPS 或 Excel "
                          "另存后重新发送", rule="input.read") from None
    except (NotImplementedError, RuntimeError, ValueError) as exc:  # encrypted, unknown compression
        raise input_error(path, f"无法读取 {kind}：无法解压（{type(exc).__name__}）", HINT, rule="input.read") from None


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


def _zip_reason(exc: Exception) -> str:
    return "不是 zip 格式" if "not a zip file" in str(exc).lower() else "zip 结构损坏或被截断"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"

PARAGRAPHS = {f"{_W}p", f"{_A}p", f"{_TEXT}p", f"{_TEXT}h"}
_OOXML_TEXT = {f"{_W}t", f"{_W}delText", f"{_A}t"}  # field codes (instrText) are not shown
_OOXML_BREAK = {f"{_W}br", f"{_W}cr"}
_CELLS = {f"{_W}tc", f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"}
_NESTS = {f"{_W}tbl", f"{_W}txbxContent", f"{_TABLE}table", f"{_DRAW}text-box"}
_GRID_SPAN, _V_MERGE = f"{_W}gridSpan", f"{_W}vMerge"
_BODIES = {f"{_W}body", "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text"}
_ODF_SPANS = (f"{_TABLE}number-columns-spanned", f"{_TABLE}number-rows-spanned")

# Where a part's text is shown, as the user knows it.
_PLACES = (("word/document", "正文"), ("word/header", "页眉"), ("word/footer", "页脚"),
           ("word/footnotes", "脚注"), ("word/endnotes", "尾注"), ("word/comments", "批注"),
           ("word/glossary", "文档部件"), ("word/charts", "图表"), ("word/diagrams", "图形"),
           ("docProps/custom", "自定义属性"), ("docProps", "文档属性"), ("customXml", "绑定数据"),
           ("content.xml", "正文"), ("styles.xml", "页眉页脚"), ("meta.xml", "文档属性"))
# Parts that hold data rather than text (the text of docProps and customXml is each element's own).
_DATA_PARTS = ("docProps/", "customXml/", "meta.xml")


@dataclass(frozen=True)
class PartLine:
    place: str  # 正文 | 页眉 | 脚注 | 文档属性 …
    line: int  # in the body: the body paragraph it is in or after; elsewhere 1
    text: str


def place_of(name: str) -> str:
    for prefix, place in _PLACES:
        if name.startswith(prefix):
            return place
    return name


def _text_parts(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    parts = [i for i in zf.infolist() if i.filename.endswith(".xml") and not i.filename.startswith("[")
             and "/_rels/" not in f"/{i.filename}"]
    # The body first, so a mark there is reported before one in the properties.
    return sorted(parts, key=lambda i: (place_of(i.filename) != "正文", i.filename))


def package_lines(path: str | Path) -> Iterator[PartLine]:
    """The lines of text of every part of the package, checking the budgets as it goes.
    Raises InputError for a file that is not a readable package or is over a budget."""
    from lxml import etree

    path = Path(path)
    counter = Counter(path)
    used = [0]
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise input_error(path, "无法打开文件：不是有效的 Word/OpenDocument 文件（可能已损坏）",
                          "用 Word 或 WPS 打开后另存为 .docx 再报送", rule="input.read") from exc
    with zf:
        for info in _text_parts(zf):
            place = place_of(info.filename)
            data = info.filename.startswith(_DATA_PARTS)
            try:
                with zf.open(info) as raw:
                    events = etree.iterparse(BoundedReader(raw, path, used), events=("start", "end"), resolve_entities=False,
                                             no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
                    yield from (_data_lines(events, place) if data else _paragraph_lines(events, place, counter))
            except InputError:
                raise
            except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise input_error(path, f"文件内容已损坏，无法读取（{place}：{info.filename}）",
                                  "用 Word 或 WPS 打开后另存为 .docx 再报送", rule="input.read") from exc


def check_budgets(path: str | Path) -> None:
    """Read the whole package once, raising InputError at the first budget passed."""
    for _ in package_lines(path):
        pass


def _paragraph_lines(events, place: str, counter: Counter) -> Iterator[PartLine]:
    depth = 0
    body_paragraphs = 0  # paragraphs ended at the top of the body: line N is the N-th
    for event, el in events:
        tag = el.tag
        if event == "start":
            if tag in _NESTS:
                depth += 1
                if depth > MAX_DEPTH:
                    raise over(counter.path, "depth", where=place)
            elif tag in _CELLS:
                counter.add("cells", where=place)
                if any((el.get(a) or "1") != "1" for a in _ODF_SPANS):
                    counter.add("merged", where=place)
            elif _merges(el):
                counter.add("merged", where=place)
            continue
        if tag in _NESTS:
            depth -= 1
            continue
        if tag not in PARAGRAPHS:
            continue
        counter.add("paragraphs", where=place)
        text = _own_text(el)
        if len(text) > MAX_PARAGRAPH_CHARS:
            raise over(counter.path, "chars", where=place)
        parent = el.getparent()
        top = parent is not None and parent.tag in _BODIES
        line = 1
        if place == "正文":
            body_paragraphs += top
            line = body_paragraphs if top else body_paragraphs + 1  # in a table or text box: the next one
        for piece in text.split("\n"):
            if piece.strip():
                yield PartLine(place, line, piece)
        # Done with it: keep only its tail (ODF text after it in its parent) in memory.
        el.clear(keep_tail=True)
        if top:
            while el.getprevious() is not None:
                del parent[0]


def _merges(el) -> bool:
    if el.tag == _GRID_SPAN:
        return (el.get(f"{_W}val") or "1") not in ("0", "1")
    return el.tag == _V_MERGE and el.get(f"{_W}val") == "restart"


def _own_text(el) -> str:
    """A paragraph's text without the paragraphs nested in it (text boxes: already read)."""
    if el.tag.startswith(_TEXT):
        return "".join(el.itertext())
    out = []
    for node in el.iter():
        if node.tag in _OOXML_TEXT:
            out.append(node.text or "")
        elif node.tag in _OOXML_BREAK:
            out.append("\n")
        elif node.tag == f"{_W}tab":
            out.append(" ")
    return "".join(out)


def _data_lines(events, place: str) -> Iterator[PartLine]:
    for event, el in events:
        if event == "end":
            if el.text and el.text.strip():
                for piece in el.text.split("\n"):
                    if piece.strip():
                        yield PartLine(place, 1, piece)
            el.clear(keep_tail=True)
