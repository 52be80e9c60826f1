"""Issue 25, items 2 and 6: LibreOffice converts a unit's file in a sandbox of its own. Files
whose conversion would fetch linked content (an HTML page saved as .doc with <img src=http://…>,
an .odt with a linked image) send no request to a local HTTP server; a conversion killed with
SIGTERM leaves no folder behind, and one killed with SIGKILL is cleaned up by the next."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from gongwen.intake import convert_many

from .conftest import REPO, free_port
from .review_files import SOFFICE

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is needed")
TITLE = "某镇党委2023年主题教育专题民主生活会领导班子对照检查材料"


@pytest.fixture
def server():
    """A local HTTP server that records every request it gets."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", seen
    httpd.shutdown()


def html_doc(path: Path, url: str) -> Path:
    """What Word writes when a web page is saved as .doc: HTML under a .doc name."""
    path.write_text(f'<html><body><p>{TITLE}</p><p>一、存在的问题</p><img src="{url}/doc.png" width="50" height="50">'
                    "</body></html>", encoding="utf-8")
    return path


def linked_odt(path: Path, url: str) -> Path:
    """An OpenDocument text whose image is linked, not embedded."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:xlink="http://www.w3.org/1999/xlink"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:text><text:p>{TITLE}</text:p><text:p><draw:frame draw:name="图" '
               f'text:anchor-type="paragraph" svg:width="2cm" svg:height="2cm"><draw:image xlink:href="{url}/odt.png" '
               'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>'
               "</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_conversion_sends_no_request_for_linked_content(tmp_path, server):
    url, seen = server
    doc, odt = html_doc(tmp_path / "网页.doc", url), linked_odt(tmp_path / "链接.odt", url)
    done = convert_many([doc, odt], tmp_path / "cache")
    time.sleep(1)  # a request sent late would still be counted
    assert seen == []
    from docx import Document

    assert set(done) == {doc, odt}  # converted all the same, without the remote images
    assert TITLE in [p.text for p in Document(str(done[doc])).paragraphs]


def test_without_a_network_namespace_the_profile_alone_sends_no_request(tmp_path, server, monkeypatch):
    """Where `unshare` cannot make a namespace (no user namespaces for a non-root user), the
    fresh profile (links never updated, every proxy a closed local port) still holds."""
    from gongwen.intake import sandbox

    monkeypatch.setattr(sandbox, "no_network_prefix", lambda: ())
    url, seen = server
    done = convert_many([html_doc(tmp_path / "网页.doc", url), linked_odt(tmp_path / "链接.odt", url)], tmp_path / "cache")
    time.sleep(1)
    assert len(done) == 2 and seen == []


def _folders(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("gongwen-convert-*"))


def _soffice_using(folder: Path) -> list[int]:
    """Processes whose command line names the folder (LibreOffice's profile is inside it)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(folder).encode() in (proc / "cmdline").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


def _start_import(tmp_path: Path, name: str, tmpdir: Path) -> subprocess.Popen:
    doc = html_doc(tmp_path / f"{name}.doc", "http://127.0.0.1:9")
    env = {**os.environ, "TMPDIR": str(tmpdir), "GONGWEN_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.Popen([sys.executable, "-m", "gongwen.cli", "import", str(doc), "-o", str(tmp_path / name)],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_soffice(tmpdir: Path) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        folders = _folders(tmpdir)
        if folders and _soffice_using(folders[0]):
            return folders[0]
        time.sleep(0.05)
    raise AssertionError("the conversion never started")


def test_a_conversion_stopped_with_sigterm_leaves_no_folder_and_no_soffice(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = _start_import(tmp_path, "来文", tmpdir)
    folder = _wait_for_soffice(tmpdir)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) != 0
    assert _folders(tmpdir) == [] and not (tmp_path / "来文").exists()
    time.sleep(0.5)
    assert _soffice_using(folder) == []


def test_a_folder_left_by_sigkill_is_removed_by_the_next_conversion(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = _start_import(tmp_path, "来文", tmpdir)
    folder = _wait_for_soffice(tmpdir)
    proc.kill()
    proc.wait(timeout=30)
    for pid in _soffice_using(folder):  # soffice of the killed run: ended here, as a reboot would
        os.kill(pid, signal.SIGKILL)
    assert _folders(tmpdir) == [folder]
    again = _start_import(tmp_path, "再次", tmpdir)
    assert again.wait(timeout=120) == 0
    assert _folders(tmpdir) == []
