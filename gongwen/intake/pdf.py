"""PDF with a text layer -> paragraphs, each remembering the page and line of its pieces.

Page headers, footers and page numbers are dropped; the lines of a paragraph are joined
(a paragraph ends at a short line, an indented or centred next line, a wider gap, or a
heading number). A PDF without text (a scan) is refused: there is no OCR here.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from ..check.secrecy import SecretMark, mark_level, marks_anywhere
from ..diagnostics import Diagnostic, input_error
from ..numerals import split_number
from ..read.budget import MAX_PDF_PAGES, over

# — 1 —, - 1 -, 1, 第1页, 第 1 页 共 3 页, 1/3, Page 1
PAGE_NUMBER = re.compile(r"^[\s—–\-－~·]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|[Pp]age\s*\d+|\d{1,4})[\s—–\-－~·]*$")
HEADER_ZONE = 0.12  # share of the page height at the top (and bottom) where headers live
SCAN_HINT = "本工具不做文字识别（OCR）：请向报送单位索要 Word 原稿或带文字层的 PDF（由 Word/WPS 直接导出）"


@dataclass(frozen=True, order=True)
class PageDiagnostic(Diagnostic):
    """A diagnostic in a PDF: `line` is the line on `page` (headers and footers not counted)."""

    page: int = 0

    def format(self) -> str:
        from ..diagnostics import SEVERITY_ZH

        text = f"{self.path}:第{self.page}页第{self.line}行:{self.column}: {SEVERITY_ZH[self.severity]} {self.rule} {self.message}"
        return f"{text}（{self.hint}）" if self.hint else text

    @property
    def where(self) -> str:
        return f"第{self.page}页第{self.line}行"


@dataclass
class Line:
    page: int
    number: int  # 1-based among the page's body lines
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class PdfText:
    paragraphs: list[str] = field(default_factory=list)
    # per paragraph: (offset in the paragraph, page, line on the page) of each joined line
    pieces: list[list[tuple[int, int, int]]] = field(default_factory=list)
    marks: list[tuple[int, SecretMark]] = field(default_factory=list)  # (page, mark) on any line of any page

    def locate(self, paragraph: int, column: int) -> tuple[int, int, int]:
        """(page, line, column) of a 1-based paragraph number and column."""
        if not self.pieces:
            return 1, 1, column
        pieces = self.pieces[min(max(paragraph, 1), len(self.pieces)) - 1]
        offset = max(column - 1, 0)
        start, page, line = pieces[0]
        for s, p, n in pieces:
            if s <= offset:
                start, page, line = s, p, n
        return page, line, offset - start + 1

    def relocate(self, path: str, diags: list[Diagnostic]) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        for d in diags:
            if d.path != path or isinstance(d, PageDiagnostic):
                out.append(d)
                continue
            page, line, col = self.locate(d.line, d.column)
            out.append(PageDiagnostic(d.path, line, col, d.rule, d.severity, d.message, d.hint, page=page))
        return out


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(str(path))
    except (PDFSyntaxError, Exception) as exc:
        raise input_error(path, "无法打开 PDF 文件：文件已损坏或不是 PDF", "请向报送单位索要原文件", rule="input.read") from exc


def read_pdf(path: str | Path) -> PdfText:
    path = Path(path)
    pages: list[list[Line]] = []
    heights: list[float] = []
    images = 0
    marks: list[tuple[int, SecretMark]] = []
    with _open(path) as pdf:
        if getattr(pdf.doc, "encryption", None) is not None and not pdf.pages:
            raise input_error(path, "PDF 已加密，无法读取", "请报送未加密的文件", rule="input.read")
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise over(path, "pages", where=f"本文件 {len(pdf.pages)} 页")
        # The document properties are shown by every PDF reader (the title bar): scanned too.
        info = " ".join(str(v) for k, v in (pdf.metadata or {}).items() if k in ("Title", "Subject", "Keywords"))
        marks += [(1, m) for m in marks_anywhere(str(path), [info], place="文档属性")] if info else []
        try:
            for i, page in enumerate(pdf.pages, 1):
                raw = page.extract_text_lines(strip=True, return_chars=False)
                images += len(page.images)
                heights.append(float(page.height))
                lines = [Line(i, 0, _despace(r["text"]), float(r["x0"]), float(r["x1"]), float(r["top"]),
                              float(r["bottom"])) for r in raw if r["text"].strip()]
                # Every line, headers and footers included, before running lines are dropped.
                marks += [(i, SecretMark(str(path), n, x.text, level))
                          for n, x in enumerate(lines, 1) if (level := mark_level(x.text))]
                pages.append(lines)
                page.close()  # its parsed objects: a 2000-page file is read in bounded memory
        except Exception as exc:
            raise input_error(path, f"PDF 内容无法解析：{type(exc).__name__}", "请向报送单位索要 Word 原稿", rule="input.read") from exc
    if not any(pages):
        if images:
            raise input_error(path, f"PDF 没有文字层，是扫描件或图片（共 {len(pages)} 页），无法检查", SCAN_HINT,
                              rule="input.scanned")
        raise input_error(path, "PDF 中没有文字", "确认文件是否正确", rule="input.empty")
    _drop_running_lines(pages, heights)
    text = _paragraphs(pages)
    text.marks = marks
    return text


# pdfplumber puts a space wherever glyphs stand apart (Word's character spacing, a digit set in
# another font): next to Chinese text such a space is layout, not a character of the text.
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…·]) +| +(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…·])")


def _despace(text: str) -> str:
    return _CJK_SPACE.sub("", text.strip())


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[list[Line]], heights: list[float]) -> None:
    """Remove page numbers, and header/footer lines that repeat on several pages."""
    seen: dict[str, int] = {}
    for lines, h in zip(pages, heights):
        for ln in {_norm(x.text) for x in lines if x.top < h * HEADER_ZONE or x.bottom > h * (1 - HEADER_ZONE)}:
            seen[ln] = seen.get(ln, 0) + 1
    repeated = {k for k, n in seen.items() if n >= 2 and len(pages) >= 2}
    for idx, (lines, h) in enumerate(zip(pages, heights)):
        keep = []
        for j, x in enumerate(lines):
            in_zone = x.top < h * HEADER_ZONE or x.bottom > h * (1 - HEADER_ZONE)
            last = j == len(lines) - 1
            if (in_zone or last) and PAGE_NUMBER.match(x.text):
                continue
            if in_zone and _norm(x.text) in repeated:
                continue  # a 密级 mark there was found before (PdfText.marks)
            keep.append(x)
        for n, x in enumerate(keep, 1):
            x.number = n
        pages[idx] = keep


# What a line break cannot split: a character with its closing punctuation, a run of digits
# or Latin letters, and the character after it (如，2023年 moves to the next line as one).
_CHUNK = re.compile(r"^.?[，。、；：！？”’）》」』]*[0-9A-Za-z.%/\-]*.?")


def _chunk_width(text: str, cw: float) -> float:
    chunk = _CHUNK.match(text).group(0)
    return sum(0.55 * cw if ch.isascii() else cw for ch in chunk)


def _paragraphs(pages: list[list[Line]]) -> PdfText:
    body = [x for lines in pages for x in lines]
    out = PdfText()
    if not body:
        return out
    widths = [(x.x1 - x.x0) / len(x.text) for x in body if len(x.text) >= 8]
    cw = statistics.median(widths) if widths else 10.0
    left = statistics.median(sorted(x.x0 for x in body)[: max(1, len(body) // 4)])
    right = statistics.median(sorted((x.x1 for x in body), reverse=True)[: max(1, len(body) // 4)])
    pitches = [b.top - a.top for lines in pages for a, b in itertools.pairwise(lines) if b.top > a.top]
    pitch = statistics.median(pitches) if pitches else cw * 1.5

    def centred(x: Line) -> bool:
        lgap, rgap = x.x0 - left, right - x.x1
        return lgap > 1.5 * cw and rgap > 1.5 * cw and abs(lgap - rgap) < 1.5 * cw

    text = ""
    pieces: list[tuple[int, int, int]] = []
    prev: Line | None = None
    for x in body:
        new = prev is None
        if prev is not None:
            same_page = prev.page == x.page
            new = (right - prev.x1 > _chunk_width(x.text, cw) + 0.5 * cw  # the next line's start would have fit
                   or x.x0 > left + 0.8 * cw  # indented first line, or centred
                   or (same_page and x.top - prev.top > 1.6 * pitch)  # a gap between paragraphs
                   or split_number(x.text)[0] is not None)
            # A title set on two or three centred lines of one size (GB/T 9704) is one paragraph.
            if new and same_page and centred(prev) and centred(x) and not split_number(x.text)[0] \
                    and abs((x.bottom - x.top) - (prev.bottom - prev.top)) < 0.15 * (prev.bottom - prev.top) \
                    and x.top - prev.bottom < 2 * (prev.bottom - prev.top):
                new = False
        if new and prev is not None:
            out.paragraphs.append(text)
            out.pieces.append(pieces)
            text, pieces = "", []
        if text and text[-1].isascii() and text[-1].isalnum() and x.text[0].isascii() and x.text[0].isalnum():
            text += " "
        pieces.append((len(text), x.page, x.number))
        text += x.text
        prev = x
    out.paragraphs.append(text)
    out.pieces.append(pieces)
    return out
