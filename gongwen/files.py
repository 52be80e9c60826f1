"""Writing files so that a failure or a kill never leaves half of one: the floor that the
commands, the review and the site code all stand on."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

TMP_PREFIX = ".gongwen-tmp-"  # hidden (the site skips it); what a killed run leaves is found by it


def make_readable(path, folder: bool = False) -> None:
    """Temporary files and folders are private (0600/0700); give them the permissions the
    user's umask grants, so the site server and other users can read what we write."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, (0o777 if folder else 0o666) & ~umask)


def write_atomic(path: Path, text: str) -> None:
    """Write text (UTF-8, line ends as given) via a temporary file in the same folder."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename it into place: a kill leaves
    the old file or the new one, never half of one (and a temporary named TMP_PREFIX…)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        make_readable(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """write_atomic, skipped when the file already holds text (its mtime then stays, so a
    watching preview does not rebuild). Returns whether it wrote."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True


def replace_folder(target: Path, fill) -> None:
    """Make `target` hold what fill(tmp) writes into a temporary folder beside it, atomically:
    the folder appears complete, or stays as it was if anything fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{target.name}-", dir=target.parent))
    try:
        fill(tmp)
        make_readable(tmp, folder=True)  # mkdtemp made it 0700
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
