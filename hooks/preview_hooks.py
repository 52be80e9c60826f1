"""MkDocs adapter for the focused preview (`make serve`): the engine's file walk skips the
materials outside the preview, edits are watched with inotify, the theme's templates are
compiled once, and the dirty-build notice is dropped. Which materials are in the preview is
decided engine-free in gongwen/site/preview.py; gongwen_hooks applies it to the file list."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from mkdocs.plugins import event_priority

from gongwen.site.catalogue import catalogue_for
from gongwen.site.preview import preview_for

log = logging.getLogger("mkdocs.plugins.gongwen")
DIRTY_WARNING = "A 'dirty' build is being performed"

_state: dict = {"serving": False, "preview": None}


def on_startup(*, command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"
    if _state["serving"]:
        _quiet_dirty_warning()


@event_priority(100)  # before Material's search plugin asks the theme for its templates
def on_config(config):
    if _state["serving"]:
        cat = catalogue_for(config.docs_dir, publish=os.environ.get("GONGWEN_PUBLISH") == "1")
        _state["preview"] = preview_for(cat)
        _reuse_template_env(config)
        _walk_only_the_preview()
    return config


class _DropDirtyWarning(logging.Filter):
    """MkDocs/ProperDocs warn on every `serve --dirty` build that navigation may be inaccurate.
    These hooks rebuild what a dirty build would miss (numbering across a material's files,
    the home listing: tests/test_serve.py), so in the preview that one message is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


def _quiet_dirty_warning() -> None:
    from mkdocs.commands import build as engine_build  # properdocs.commands.build under ProperDocs

    if not any(isinstance(f, _DropDirtyWarning) for f in engine_build.log.filters):
        engine_build.log.addFilter(_DropDirtyWarning())


try:  # Linux only; elsewhere the engine's polling observer stays
    from watchdog import events as _events
    from watchdog.observers.inotify import InotifyObserver as _InotifyObserver
except (ImportError, OSError):  # pragma: no cover
    _InotifyObserver = None
else:
    class _EditObserver(_InotifyObserver):
        """inotify, passing on only events that change something: reading a file raises
        events too (opened, closed without writing), and every build reads docs/."""
        EDITS = (_events.FileCreatedEvent, _events.FileModifiedEvent, _events.FileDeletedEvent,
                 _events.FileMovedEvent, _events.FileClosedEvent, _events.DirCreatedEvent,
                 _events.DirDeletedEvent, _events.DirMovedEvent)

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or list(self.EDITS))

        def start(self):
            # on_serve starts it (so that a failure falls back to polling there); the server's
            # own start() that follows is then a no-op.
            if not self.is_alive():
                super().start()


def on_serve(server, *, config, builder):
    """Watch with inotify instead of the engine's 0.5 s polling observer, which stats every
    file under docs/ twice a second (about 5900 at 1000 materials) and adds up to half a second
    before an edit is noticed. Falls back to polling where inotify is not available."""
    watched = dict(getattr(server, "_watched_paths", None) or {})
    if _InotifyObserver is None or not watched or server.observer.is_alive():
        return server
    polling = server.observer
    _rewatch(server, watched, _EditObserver())
    preview = _state["preview"]
    docs = os.path.abspath(config.docs_dir)
    recorder = _Recorder(preview) if preview is not None and docs in watched else None
    if recorder is not None:
        # The paths it reports let a rebuild look again only at the folders they are in,
        # instead of every file of docs/ (most of a rebuild at 10,000 materials).
        server.observer.schedule(recorder, docs, recursive=True)
    try:
        # Started here, not by the server: it fails here, in the main thread, if inotify cannot
        # watch. Each start walks every folder of docs/ (a second at 10,000 materials): once.
        server.observer.start()
    except OSError as exc:  # e.g. the inotify watch limit
        log.info(f"预览：无法使用 inotify（{exc}），沿用轮询监视文件")
        failed = server.observer
        with contextlib.suppress(Exception):
            failed.stop()
        # Its watches are abandoned with it (one that failed to start cannot be unscheduled).
        server._watched_paths.clear()
        server._watch_refs.clear()
        server.observer = polling
        for path, count in watched.items():
            for _ in range(count):
                server.watch(path)
        return server
    if recorder is not None:
        preview.start_recording()
    return server


def _rewatch(server, watched: dict, observer) -> None:
    """Move the server's watched paths to another observer."""
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = observer
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)


if _InotifyObserver is not None:
    class _Recorder(_events.FileSystemEventHandler):
        def __init__(self, preview):
            self.preview = preview

        def on_any_event(self, event):
            paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
            self.preview.record([os.fsdecode(p) for p in paths], folder=event.is_directory)


class _PreviewWalk:
    """Stands in for the `os` module inside the engine's file discovery (structure/files.py)
    during a focused preview: its os.walk skips the folders of materials outside the preview,
    so a rebuild does not list and wrap in File objects the 5900 files of 1000 materials only
    for on_files to drop them (about a third of a rebuild). Everything else is the real os."""

    def __init__(self):
        self.path = os.path
        self.sep = os.sep

    def __getattr__(self, name):
        return getattr(os, name)

    def walk(self, top, *args, **kwargs):
        skip = _state["preview"].skip if _state["preview"] else ()
        for dirpath, dirnames, filenames in os.walk(top, *args, **kwargs):
            if skip:
                dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skip]
            yield dirpath, dirnames, filenames


def _walk_only_the_preview() -> None:
    from mkdocs.structure import files as engine_files

    if not isinstance(engine_files.os, _PreviewWalk):
        engine_files.os = _PreviewWalk()


_envs: dict = {}


def _reuse_template_env(config) -> None:
    """Keep the theme's Jinja environment across preview rebuilds. The engine makes a new one
    for every rebuild, compiles Material's templates again and walks the theme's folders for
    its static files: together about half of a rebuild of one material. auto_reload, and the
    listing cached only while no folder of a custom_dir changes, keep edits to overrides/
    taking effect."""
    theme = config.theme
    key = (tuple(theme.dirs), str(theme.locale), tuple(theme.static_templates))
    make = theme.get_env
    custom = [d for d in theme.dirs if theme.custom_dir and Path(d) == Path(theme.custom_dir)]

    def get_env():
        if key not in _envs:
            env = make()
            env.auto_reload = True
            listed: dict = {}
            plain = env.list_templates

            def list_templates(extensions=None, filter_func=None):
                stamp = tuple((d, os.stat(d).st_mtime_ns) for c in custom for d, _, _ in os.walk(c))
                k = (stamp, tuple(extensions or ()), getattr(filter_func, "__code__", filter_func))
                if k not in listed:
                    listed.clear()
                    listed[k] = plain(extensions=extensions, filter_func=filter_func)
                return listed[k]

            env.list_templates = list_templates
            _envs[key] = env
        return _envs[key]

    theme.get_env = get_env
