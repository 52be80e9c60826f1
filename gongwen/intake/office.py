"""Old Office formats (.doc, .wps, .rtf, .odt) to .docx through LibreOffice headless, in a
sandbox of its own (sandbox.py: no network, a fresh profile, its folder removed on exit).

Conversions are cached by content hash, so a batch run again converts nothing, and many
files are converted in one soffice start (each start costs 1-2 s).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from ..diagnostics import input_error
from . import sandbox

SUFFIXES = {".doc", ".wps", ".rtf", ".odt"}
INSTALL_HINT = "安装 LibreOffice 后重试：sudo apt-get install libreoffice-writer-nogui（或在 Word/WPS 中另存为 .docx）"


def default_cache() -> Path:
    base = os.environ.get("GONGWEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gongwen")
    return Path(base) / "convert"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def content_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cached_docx(path: Path, cache: Path | None = None) -> Path | None:
    """The cached conversion of path, if there is one."""
    target = (cache or default_cache()) / f"{content_hash(path)}.docx"
    return target if target.is_file() else None


# How each format starts. LibreOffice would read any bytes as plain text, so a damaged file
# would otherwise come out as a "material" of garbage.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC = {
    ".doc": (_OLE, b"PK\x03\x04", b"{\\rtf", b"<", b"MIME-Version"),  # Word also saves HTML/MHT as .doc
    ".wps": (_OLE, b"PK\x03\x04"),
    ".rtf": (b"{\\rtf",),
    ".odt": (b"PK\x03\x04",),
}


def looks_right(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(16).lstrip(b"\xef\xbb\xbf \r\n\t")
    return head.startswith(_MAGIC.get(path.suffix.lower(), (b"",)))


def to_docx(path: str | Path, cache: str | Path | None = None) -> Path:
    """The .docx LibreOffice makes of path (from the cache when converted before)."""
    path = Path(path)
    done = convert_many([path], cache)
    if path not in done:
        raise failed(path)
    return done[path]


def convert_many(paths: list[Path], cache: str | Path | None = None, timeout: float = 60,
                 missing_ok: bool = False) -> dict[Path, Path]:
    """Convert every path not yet in the cache in one soffice run. Files LibreOffice could
    not convert are missing from the result (the caller reports them). Without LibreOffice:
    an InputError, or with missing_ok just the cached conversions."""
    cache = Path(cache) if cache else default_cache()
    done: dict[Path, Path] = {}
    todo: dict[str, list[Path]] = {}
    for p in paths:
        try:
            digest = content_hash(p)
        except OSError as exc:
            raise input_error(p, f"无法读取文件：{exc.strerror or exc}", "请检查路径和读取权限", rule="input.read") from exc
        target = cache / f"{digest}.docx"
        if target.is_file():
            done[p] = target
        elif not looks_right(p):
            continue  # left out: the caller reports it as damaged
        else:
            todo.setdefault(digest, []).append(p)
    if not todo:
        return done
    exe = soffice()
    if exe is None and missing_ok:
        return done
    if exe is None:
        raise missing(next(iter(todo.values()))[0])
    cache.mkdir(parents=True, exist_ok=True)
    with sandbox.work_folder() as work:
        src_dir, out_dir = work / "in", work / "out"
        src_dir.mkdir()
        # Named by hash: two files called 材料.doc in different folders do not collide.
        inputs = []
        for digest, group in todo.items():
            src = src_dir / f"{digest}{group[0].suffix.lower()}"
            shutil.copyfile(group[0], src)
            inputs.append(str(src))
        # A fresh profile of its own (no network, no macros, no linked content): a running
        # LibreOffice (or another conversion) does not block this one either.
        sandbox.write_profile(work / "profile")
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), *inputs]
        try:
            sandbox.run(cmd, work, timeout=timeout + 10 * len(inputs))
        except subprocess.TimeoutExpired as exc:
            first = next(iter(todo.values()))[0]
            raise input_error(first, "LibreOffice 转换超时", "文件可能已损坏；用 Word/WPS 打开并另存为 .docx",
                              rule="input.convert") from exc
        for digest, group in todo.items():
            made = out_dir / f"{digest}.docx"
            if made.is_file() and made.stat().st_size > 0:
                target = cache / f"{digest}.docx"
                tmp_target = cache / f".{digest}.{os.getpid()}.docx"
                shutil.copyfile(made, tmp_target)
                os.replace(tmp_target, target)
                for p in group:
                    done[p] = target
    return done


def missing(path: Path):
    return input_error(path, f"读取 {path.suffix} 文件需要 LibreOffice，但本机没有安装（找不到 soffice）",
                       INSTALL_HINT, rule="input.convert")


def failed(path: Path):
    return input_error(path, "LibreOffice 无法转换此文件：文件已损坏或不是 Word/WPS 文件",
                       "用 Word 或 WPS 打开后另存为 .docx 再报送", rule="input.convert")
