"""MkDocs adapter for the page cache (logic in gongwen/site/pagecache.py).

In a full build (`make build`), the pages of a material whose files, and whose site around it,
are unchanged since an earlier build are not rendered again: the engine still reads each page
and every hook still sees its content (the Word link, the search text, the 整改台账 link are
added as always), but the Markdown render is replaced by its earlier result and the theme's
templates by the page it wrote then (overrides/gongwen-reused.html passes it through).

A material's pages are kept only when nothing warned while they were read or rendered, so a
warning is never hidden by the cache. The preview (its own dirty rebuilds), `make publish` and `make offline`
render every page.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from gongwen.site.catalogue import catalogue_for, folder_hash
from gongwen.site.pagecache import CachedPage, PageStore, material_key, site_inputs, site_key

log = logging.getLogger("mkdocs.plugins.gongwen.pages")
REUSED_TEMPLATE = "gongwen-reused.html"  # in overrides/: `{{ page.content }}` and nothing else
CACHE = Path(".cache") / "pages"  # beside mkdocs.yml; `make clean` removes it

_state: dict = {"active": False, "enabled": False}


def on_startup(*, command, dirty):
    _state["active"] = command == "build" and not dirty


class _WarningsByPage(logging.Handler):
    """Notes the page being read or built when anything logs a warning."""

    def __init__(self, config):
        super().__init__(logging.WARNING)
        self.config = config

    def emit(self, record):
        page = getattr(self.config, "_current_page", None)
        _state["warned"].add(page.file.src_uri if page is not None else None)


_LOGGERS = ("", "properdocs", "mkdocs")  # the engine's loggers do not propagate to the root


def _listen(handler: logging.Handler | None) -> None:
    old = _state.pop("handler", None)
    for name in _LOGGERS:
        if old is not None:
            logging.getLogger(name).removeHandler(old)
        if handler is not None:
            logging.getLogger(name).addHandler(handler)
    if handler is not None:
        _state["handler"] = handler


@event_priority(-100)  # after the plugins have settled the configuration
def on_config(config):
    _state.update(enabled=False, hits={}, keys={}, pages_of={}, rendered={}, kept={}, warned=set(), opened=None)
    offline = config.plugins.get("material/offline")
    if (not _state["active"] or os.environ.get("GONGWEN_PUBLISH") == "1"
            or (offline is not None and offline.config.enabled)
            or not any((Path(d) / REUSED_TEMPLATE).is_file() for d in config.theme.dirs)):
        return config
    config_file = Path(config.config_file_path or "mkdocs.yml").resolve()
    trees = [Path(m.__file__) for m in (config.hooks or {}).values() if getattr(m, "__file__", None)]
    if config.theme.custom_dir:
        trees.append(Path(config.theme.custom_dir))
    # What the build command's options can change in a page (-t, --[no-]directory-urls).
    settings = [f"theme={config.theme.name}", f"directory_urls={config.use_directory_urls}"]
    _state["inputs"] = site_inputs(config_file, trees, settings)
    _state["store"] = PageStore(config_file.parent / CACHE)
    _state["enabled"] = True
    _listen(_WarningsByPage(config))
    return config


@event_priority(-100)  # after every hook has added its pages and gongwen_hooks made the sidebars
def on_nav(nav, *, config, files):
    if not _state["enabled"]:
        return nav
    cat = catalogue_for(config.docs_dir)
    home = nav.homepage.file.content_bytes if nav.homepage is not None else b""
    site = site_key(_state["inputs"], sorted(f"{f.src_uri}\t{f.url}" for f in files), home)
    pages_of: dict[str, set[str]] = {}
    for f in files.documentation_pages():
        src = f.abs_src_path
        entry = cat.entry_for(src) if src else None
        # Only a material's own Markdown files: what else is in its folder is not in its key.
        if entry is None or entry.material is None or entry.classified or not entry.digest \
                or os.path.dirname(src) != str(entry.folder):
            continue
        pages_of.setdefault(entry.rel, set()).add(f.src_uri)
    store: PageStore = _state["store"]
    hits, keys = {}, {}
    for rel, uris in pages_of.items():
        keys[rel] = material_key(site, rel, cat.entries[rel].digest)
        kept = store.load(rel, keys[rel])
        if kept is not None and set(kept) == uris:
            hits.update(kept)
    _state.update(hits=hits, keys=keys, pages_of=pages_of,
                  material_of={uri: rel for rel, uris in pages_of.items() for uri in uris})
    reused = sum(1 for uris in pages_of.values() if uris <= hits.keys())
    if reused:
        log.info(f"页面缓存：{reused} / {len(pages_of)} 份材料未变，沿用上次构建的 {len(hits)} 个页面"
                 f"（make clean 清除缓存）")
    return nav


@event_priority(100)
def on_pre_page(page, *, config, files):
    if not _state["enabled"]:
        return page
    uri = page.file.src_uri
    if uri not in _state["material_of"]:
        return page
    hit = _state["hits"].get(uri)
    if hit is not None:
        page.gongwen_reused = True  # gongwen_hooks then leaves out the numbering: not rendered
        page.render = lambda config, files: _restore(page, hit, files)
        return page
    render = page.render

    def render_and_keep(config, files):
        render(config, files)
        links = tuple((f.src_uri, tuple(sorted(anchors.items())))
                      for f, anchors in (page.links_to_anchors or {}).items())
        _state["rendered"][uri] = (page.content, page._title_from_render,
                                   tuple(sorted(page.present_anchor_ids or ())), links)

    page.render = render_and_keep
    return page


def _restore(page, hit: CachedPage, files) -> None:
    """What Page.render would have set, as it set it in the build that kept the page."""
    page.content = hit.content
    page._title_from_render = hit.title
    page.present_anchor_ids = set(hit.anchors)
    page.links_to_anchors = {f: dict(anchors) for uri, anchors in hit.links
                             if (f := files.get_file_from_path(uri)) is not None}


def on_page_content(html, *, page, config, files):
    # The engine picks the template before the page_context event.
    if _state["enabled"] and page.file.src_uri in _state["hits"]:
        page.meta["template"] = REUSED_TEMPLATE
    return html


@event_priority(-200)  # after the other plugins have seen the content (Material's search plugin
# rewrites it: on the whole page that would cost as much again)
def on_page_context(context, *, page, config, nav):
    uri = page.file.src_uri
    if not _state["enabled"] or uri not in _state["hits"]:
        return context
    # The written pages are read a material at a time, as its pages are written.
    rel = _state["material_of"][uri]
    opened = _state.get("opened")
    if opened is None or opened[0] != rel:
        opened = _state["opened"] = (rel, _state["store"].outputs(rel, _state["keys"][rel]) or {})
    if uri not in opened[1]:
        raise PluginError(f"页面缓存在构建过程中被改动或删除（{uri}），请重新构建")
    page.content = opened[1].pop(uri)
    return context


@event_priority(-200)  # after the privacy plugin has rewritten the page: what is written
def on_post_page(output, *, page, config):
    if not _state["enabled"]:
        return output
    uri = page.file.src_uri
    hit = _state["hits"].get(uri)
    if hit is not None:
        page.content = hit.content  # as after a render: the build holds every page's content
        return output
    rendered = _state["rendered"].pop(uri, None)
    rel = _state["material_of"].get(uri)
    if rendered is None or rel is None:
        return output
    content, title, anchors, links = rendered
    kept = _state["kept"].setdefault(rel, {})
    kept[uri] = CachedPage(content, output, title, anchors, links)
    if len(kept) == len(_state["pages_of"][rel]):
        del _state["kept"][rel]
        entry = catalogue_for(config.docs_dir).entries.get(rel)
        # Kept only if nothing warned, and under the key of what was rendered: a file saved
        # during the build may have been read after the catalogue hashed the folder.
        if not (_state["pages_of"][rel] & _state["warned"]) and entry is not None \
                and folder_hash(entry.folder) == entry.digest:
            _state["store"].save(rel, _state["keys"][rel], kept)
    return output


def on_post_build(*, config):
    if _state["enabled"]:
        _state["store"].prune(_state["pages_of"])
    _finish()


def on_build_error(*, error):
    _finish()


def _finish() -> None:
    _listen(None)
    _state.update(enabled=False, hits={}, rendered={}, kept={}, opened=None)
