"""Files a reviewing office receives, made in the test: Word (.docx, and .doc/.pdf written by
LibreOffice from it), a scanned PDF (an image, no text layer), GBK text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .conftest import CLEAN, make_docx, write_material

SOFFICE = shutil.which("soffice")


def material_lines(tmp: Path, files: dict | None = None, name: str = "m") -> list[str]:
    """The lines of a legacy file (numbered, as units write them) of the clean 2023 material."""
    from gongwen.check.run import resolve_schema
    from gongwen.numbering import to_text
    from gongwen.read import load

    folder = write_material(tmp / "_src", files, name=name)
    mat = load(folder)
    return to_text(mat, resolve_schema(mat)[0]).splitlines()


def convert(src: Path, fmt: str, outdir: Path) -> Path:
    """LibreOffice headless, as an office would save the file (doc: Word 97-2003, pdf)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    target = {"doc": "doc:MS Word 97", "pdf": "pdf", "odt": "odt", "rtf": "rtf"}[fmt]
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt}"
    assert out.is_file(), f"LibreOffice did not write {out}"
    return out


def docx_with_running_lines(lines: list[str], path: Path, header: str) -> Path:
    """A Word file with a header line and a PAGE field in the footer on every page."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    section = doc.sections[0]
    section.header.paragraphs[0].text = header
    p = section.footer.paragraphs[0]
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    p._p.append(fld)
    doc.save(str(path))
    return path


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """What a scanner makes: page images, no text layer."""
    from PIL import Image, ImageDraw

    images = []
    for _ in range(pages):
        img = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(img)
        for y in range(200, 1500, 60):  # lines of "text" as a scan shows them
            draw.rectangle((150, y, 1090, y + 24), fill="black")
        images.append(img)
    images[0].save(str(path), "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


__all__ = ["CLEAN", "convert", "docx_with_running_lines", "make_docx", "material_lines", "scanned_pdf"]
