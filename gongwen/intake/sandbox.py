"""LibreOffice in a sandbox of its own, for files nobody here wrote.

- No network: soffice runs in a new network namespace (`unshare --net`, as root, or with
  `--user --map-root-user` where unprivileged user namespaces are allowed), where not even the
  host's loopback is reachable, so a linked image or an HTML `<img src=http://…>` saved as
  .doc cannot tell anyone that the file was opened. Where no namespace can be made, the
  profile below still points every proxy at a closed local port.
- A fresh profile per run that blocks macros, linked content and link updates; HOME and
  TMPDIR point into the run's own folder, so nothing is written elsewhere.
- Its folder (copies of the inputs, the profile, the output) is removed on any exit: normal,
  an exception, Ctrl-C, SIGTERM or SIGHUP (soffice's whole process group is killed first).
  A SIGKILL cannot be caught: the folder then carries the dead process's id in its name and
  the next conversion removes it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

PREFIX = "gongwen-convert-"

_SETTINGS = {
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel"): ("xs:int", "3"),
    ("org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution"): ("xs:boolean", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks"): ("xs:boolean", "true"),
    ("org.openoffice.Office.Writer/Content/Update", "Link"): ("xs:short", "2"),  # never update links
    ("org.openoffice.Office.Calc/Content/Update", "Link"): ("xs:int", "2"),
    ("org.openoffice.Office.Common/Misc", "ShowTipOfTheDay"): ("xs:boolean", "false"),
    # Where there is no network namespace: every proxy is a closed port on this machine.
    ("org.openoffice.Inet/Settings", "ooInetProxyType"): ("xs:int", "1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyName"): ("xs:string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyPort"): ("xs:int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyName"): ("xs:string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort"): ("xs:int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyName"): ("xs:string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyPort"): ("xs:int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetNoProxy"): ("xs:string", ""),
}


def write_profile(profile: Path) -> None:
    """A new LibreOffice user profile holding only the settings above."""
    from xml.sax.saxutils import quoteattr

    items = "".join(f'<item oor:path={quoteattr("/" + path)}><prop oor:name={quoteattr(name)} oor:op="fuse" '
                    f'oor:type={quoteattr(kind)}><value>{value}</value></prop></item>\n'
                    for (path, name), (kind, value) in _SETTINGS.items())
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def no_network_prefix() -> tuple[str, ...]:
    """The command prefix that runs a program without network, or () where none works here."""
    exe = shutil.which("unshare")
    if exe is None:
        return ()
    tries = [(exe, "--net")] if os.geteuid() == 0 else []
    tries.append((exe, "--user", "--map-root-user", "--net"))
    for prefix in tries:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False).returncode == 0:
                return prefix
    return ()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale(base: Path | None = None) -> None:
    """Remove the folders of conversions whose process is gone (killed with SIGKILL)."""
    base = Path(base or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for folder in base.glob(f"{PREFIX}*"):
            pid = folder.name[len(PREFIX):].split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


class _Stopped(BaseException):
    """SIGTERM or SIGHUP during a conversion: unwinds like Ctrl-C, so the folder is removed."""


@contextlib.contextmanager
def work_folder():
    """A private folder for one conversion, removed on any exit a process can see."""
    reap_stale()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    old = {}
    if threading.current_thread() is threading.main_thread():
        def stop(signum, frame):
            raise _Stopped(signum)

        for sig in (signal.SIGTERM, signal.SIGHUP):
            old[sig] = signal.signal(sig, stop)
    try:
        yield folder
    except _Stopped as exc:
        shutil.rmtree(folder, ignore_errors=True)
        for sig, handler in old.items():
            signal.signal(sig, handler)
        old.clear()
        os.kill(os.getpid(), exc.args[0])  # die of the signal as it was meant, now that nothing is left
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for sig, handler in old.items():
            signal.signal(sig, handler)


def run(cmd: list[str], work: Path, timeout: float) -> None:
    """Run soffice `cmd` inside the sandbox (profile already in `work`), its whole process
    group killed if anything interrupts the wait. Raises subprocess.TimeoutExpired."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work), "TMPDIR": str(work),
           "LANG": "C.UTF-8", "SAL_USE_VCLPLUGIN": "svp"}
    if os.environ.get("FONTCONFIG_FILE"):  # the fonts the user chose for rendering
        env["FONTCONFIG_FILE"] = os.environ["FONTCONFIG_FILE"]
    proc = subprocess.Popen([*no_network_prefix(), *cmd], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
