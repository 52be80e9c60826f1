"""Test helpers for the real renderers: LibreOffice headless and the repo's font setup.

Both LibreOffice and chromium read fonts through fontconfig; FONTCONFIG_FILE points them
at a config that loads the repo's aliases (deploy/fontconfig) before the system's, so the
tests do not depend on anything copied into /etc/fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FONT_CONF = REPO / "deploy" / "fontconfig" / "gongwen-fonts.conf"
FANDOL_DIR = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
MM = 72 / 25.4  # PDF points per millimetre


def fonts_missing() -> str | None:
    """Why the 仿宋 stand-in cannot be used here, or None when it can."""
    if not (FANDOL_DIR / "FandolFang-Regular.otf").is_file():
        return f"{FANDOL_DIR} 中没有 Fandol 字体：请安装 Debian 包 texlive-lang-chinese（.ci/run 会安装）"
    return None


def fontconfig_env(workdir: Path) -> dict[str, str]:
    """Environment for a renderer: the repo's font aliases first, then the system config."""
    workdir.mkdir(parents=True, exist_ok=True)
    conf = workdir / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="no">{FONT_CONF}</include>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n',
        encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def soffice_to_pdf(docx: Path, outdir: Path, profile: Path, env: dict[str, str]) -> Path:
    """Convert with LibreOffice headless, with a private profile (no clash with a running one)."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), str(docx)]
    proc = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=180)
    pdf = outdir / (docx.stem + ".pdf")
    if proc.returncode != 0 or not pdf.is_file():
        raise AssertionError(f"soffice failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")
    return pdf
