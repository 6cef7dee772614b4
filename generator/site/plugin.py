"""The ``guide`` MkDocs plugin: thin hooks that bring the catalog into a normal MkDocs project.

on_config loads the catalog (the one loader) and teaches jieba its words; on_files adds the
generated pages as virtual files and sets the grouped navigation; on_page_* fill them with
HTML rendered by ``structure`` (autoescaped Jinja2, never Markdown); on_post_build writes
the short links, copies print files and the offline zip, and writes the service worker.
With a cache store (set by ``guide build``), unchanged pages skip Material's search
segmentation and theme render (``pagecache``).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from ..cache import Store, digest, file_digest
from ..catalog import CatalogError, load
from ..charts import ChartError, catalog_charts
from ..memory import release
from ..packed import Packed
from .config import GuideConfig
from .pagecache import PageCache, StoredBytecode, search_index_of
from .structure import CONTENT_PAGES, Renderer, Site
from .structure.offline import write_release, write_service_worker
from .structure.render import toc_tokens
from .structure.search import augment_index, release_converters, release_segmenter, segment_terms

log = logging.getLogger("mkdocs.plugins.guide")

SHIM = "assets/javascripts/vendor/iframe-worker/shim.js"
OFFLINE_MARKER = "<!-- guide:offline-download -->"


def _search_langs(config) -> list[str] | None:
    """The languages of Material's search plugin (None without it: then every lunr file is kept)."""
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search" and getattr(plugin, "config", None) is not None:
            lang = plugin.config.get("lang")
            return list(lang) if lang else None
    return None


def _offline_enabled(config) -> bool:
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "offline" and getattr(plugin, "config", None) is not None:
            if plugin.config.get("enabled", True):
                return True
    return False


class GuidePlugin(BasePlugin[GuideConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalog = None
        self.site: Site | None = None
        self.renderer: Renderer | None = None
        self.offline = False
        # Set by ``guide build`` before the build: the catalog it already checked, and its cache.
        self.preloaded = None
        self.store: Store = Store(None)
        self.preview = False  # ``guide serve``: keep what the next edit will need again
        self._taught = False
        self.bodies: dict[str, str] = {}  # src_uri -> digest of the generated body
        self.waiting = Packed()  # src_uri -> HTML of a page converted, not yet rendered

    # ------------------------------------------------------------ config

    @event_priority(100)  # before search (jieba words) and offline (its shim)
    def on_config(self, config):
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        path = Path(self.config.catalog)
        if not path.is_absolute():
            path = root / path
        self.catalog_path = path
        try:
            self.catalog = self.preloaded if self.preloaded is not None else load(path)
        except CatalogError as exc:
            raise PluginError("目录文件有错误,网站未构建:\n" + "\n".join(d.text() for d in exc.diagnostics))
        except OSError as exc:
            raise PluginError(f"无法读取目录文件 {path}:{exc.strerror}")
        meta = self.catalog.meta
        if not config.site_url:
            config.site_url = meta.site_url + "/"
        self._taught = False  # jieba learns the keywords only if a page is segmented (a cache miss)
        self.offline = _offline_enabled(config)
        extra = config.extra
        if self.offline:
            # Material's offline plugin would add the shim from unpkg; the local copy comes first.
            extra["polyfills"] = [p for p in extra.get("polyfills", []) if "iframe-worker" not in str(p)] + [SHIM]
        extra["guide_sw"] = bool(self.config.service_worker and not self.offline)
        extra["guide_version"] = meta.version
        extra["guide_date"] = meta.date.isoformat()
        extra["guide_help_desk"] = str(escape(meta.help_desk.name))  # the theme prints it unescaped
        return config

    def _jieba_words(self) -> list[str]:
        return sorted({w for s in self.catalog.services for w in s.keywords if len(w) > 1})

    def _teach_jieba(self) -> None:
        """Every keyword becomes one jieba word, so 办护照 is one search term (names stay split,
        so 护照 still finds 普通护照签发)."""
        if self._taught:
            return
        self._taught = True
        try:
            import jieba
        except ImportError:  # Material then indexes unsegmented text; the browser tests catch it.
            return
        jieba.setLogLevel(logging.WARNING)
        for w in self._jieba_words():
            jieba.add_word(w)

    # ------------------------------------------------------------ files and navigation

    def on_files(self, files: Files, *, config) -> Files:
        if not self.config.enabled:
            return files
        manifest = self._print_manifest()
        self.site = Site(self.catalog, directory_urls=config.use_directory_urls, with_print=manifest is not None)
        checklist = self._checklist_html()
        zip_path = self._offline_zip()
        self.renderer = Renderer(self.site, checklist_html=checklist, print_manifest=manifest,
                                 offline_zip=zip_path is not None, charts=self._charts())
        # The page templates' compiled code is kept too (0.5 s a build); the environment is per process.
        self.renderer.env.bytecode_cache = StoredBytecode(self.store) if self.store.enabled else None
        for spec in self.site.pages.values():
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"content/{spec.src_uri} 与生成的页面冲突,请改名或删除")
            files.append(File.generated(config, spec.src_uri, content=""))
        present = [src for src, _ in CONTENT_PAGES if files.get_file_from_path(src) is not None]
        config.nav = _escape_nav(self.site.nav(present))
        self._generated = self.site.by_src()
        return files

    def _print_manifest(self) -> dict | None:
        if not self.config.print_dir:
            return None
        path = Path(self.config.print_dir) / "manifest.json"
        if not path.is_file():
            raise PluginError(f"印刷品目录中没有 manifest.json:{path}")
        return json.loads(path.read_text(encoding="utf-8"))

    def _offline_zip(self) -> Path | None:
        if not self.config.offline_zip:
            return None
        path = Path(self.config.offline_zip)
        if not path.is_file():
            raise PluginError(f"找不到离线版压缩包:{path}")
        return path

    def _charts(self) -> Packed:
        """业务流程图 for the home page and every service page, drawn once per build."""
        try:
            return Packed(catalog_charts(self.catalog, cache=self.store))
        except ChartError as exc:
            raise PluginError(str(exc))

    def _checklist_html(self) -> str:
        from ..checklist.page import render

        return render(self.catalog)

    def on_nav(self, nav, *, config, files):
        self._nav, self.files = nav, files
        return nav

    @event_priority(-100)  # every page is final: the keys see what the theme will
    def on_env(self, env, *, config, files):
        if not self.config.enabled:
            return env
        self.pagecache = PageCache(self.store)
        self.env = env
        pages = [f.page for f in files.documentation_pages()]
        hits = self.pagecache.use_stored_pages(env, config, self._nav, pages)
        # MkDocs converts every page before it renders the first, which loads jieba's dictionary:
        # the pages wait compressed (at 1,000 services, 23 MB of HTML that sat under 55 MB of jieba).
        self.waiting = Packed({p.file.src_uri: p.content for p in pages if p.content is not None})
        for page in pages:
            page.content = None
        if not self.preview:  # the preview's next edit would only take the memory back
            release()
        index = search_index_of(config)
        if index is not None:
            self.pagecache.cache_search_entries(index, self._jieba_words(), self._teach_jieba)
            self.pagecache.cache_search_index(index, self._search_inputs, self._augment_search)
        log.debug(f"page cache: {hits} pages unchanged; rendering {self.pagecache.rendering}")
        return env

    @event_priority(100)  # before search indexes the page
    def on_page_context(self, context, *, page, config, nav):
        if self.config.enabled and page.content is None:
            page.content = self.waiting.pop(page.file.src_uri)
        return context

    def on_post_page(self, output, *, page, config):
        if self.config.enabled:
            self.pagecache.rendered(page, output)
            # Written and indexed: nothing reads the body again. At 1,000 services the bodies
            # held to the end were a third of the build's peak memory.
            page.content = None
        return output

    # ------------------------------------------------------------ pages

    def on_page_markdown(self, markdown: str, *, page, config, files):
        if not self.config.enabled:
            return markdown
        page.update_date = self.catalog.meta.date.isoformat()  # sitemap: no build date
        spec = self._generated.get(page.file.src_uri)
        if spec is None:
            if OFFLINE_MARKER in markdown:
                markdown = markdown.replace(OFFLINE_MARKER, self.renderer.offline_download(page.file.src_uri))
            return markdown
        page.meta["title"] = str(escape(spec.title))  # theme templates print titles unescaped
        if spec.kind != "service":  # a service page lists its sections (renderer.toc)
            page.meta["hide"] = ["toc"]
        search: dict = {}
        if not spec.search:
            search["exclude"] = True
        if spec.boost:
            search["boost"] = spec.boost
        if search:
            page.meta["search"] = search
        return ""

    def on_page_content(self, html: str, *, page, config, files):
        if not self.config.enabled:
            return html
        spec = self._generated.get(page.file.src_uri)
        if spec is None:
            return html
        return self.fill(page, spec, self.renderer.render(spec.key))

    def fill(self, page, spec, html: str) -> str:
        """Give a generated page its body (returned) and what goes with it."""
        if spec.kind == "service":
            # The body is not Markdown, so MkDocs found no headings: give the theme its contents list.
            page.toc = get_toc(toc_tokens(html))
        self.bodies[page.file.src_uri] = digest(html)  # what ``incremental`` compares an edit with
        if hasattr(self, "pagecache"):
            self.pagecache.forget(page)  # a page filled again is rendered again
        return html

    # ------------------------------------------------------------ after the build

    @event_priority(-50)  # after search wrote its index; before offline (-100) inlines it
    def on_post_build(self, *, config):
        if not self.config.enabled:
            return
        site_dir = Path(config.site_dir)
        self.write_shortlinks(site_dir, sorted(s.id for s in self.catalog.services))
        if self.config.print_dir:
            shutil.copytree(self.config.print_dir, site_dir / "print", dirs_exist_ok=True)
        zip_path = self._offline_zip()
        if zip_path is not None:
            (site_dir / "download").mkdir(exist_ok=True)
            shutil.copyfile(zip_path, site_dir / "download" / "offline.zip")
        if config.extra.get("guide_sw"):
            write_release(site_dir, self.catalog)
            version, count = write_service_worker(site_dir, _search_langs(config))
            log.info(f"service worker {version}: {count} files precached")

    def write_shortlinks(self, site_dir: Path, ids: list[str]) -> None:
        for sid in ids:
            out = site_dir / self.site.shortlink_path(sid)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(self.renderer.shortlink(sid), encoding="utf-8")

    def write_search_index(self, config) -> None:
        """Material's search index file again, from the entries of every page (after ``incremental``)."""
        index = search_index_of(config)
        if index is None:
            return
        self.pagecache.collect_entries(index)
        path = Path(config.site_dir) / "search" / "search_index.json"
        path.write_bytes(index.generate_search_index(None).encode("utf-8"))

    def _search_terms(self) -> dict[str, dict]:
        return {self.site.url(f"service:{s.id}"): {"name": s.name, "keywords": list(s.keywords), "summary": s.summary}
                for s in self.site.active()}

    def _search_inputs(self) -> str:
        return digest(self._search_terms(), self._jieba_words(), _search_code())

    def _augment_search(self, data: dict) -> None:
        """Keywords, other spellings and the browser's tables, added to the index before it is written."""
        self._teach_jieba()
        terms = self._search_terms()
        if not self.preview:  # a build's peak: one big dictionary at a time (the preview keeps them)
            segment_terms(list(terms.values()))
            release_segmenter()
        augment_index(data, terms, remember=self.preview)
        if not self.preview:
            release_converters()  # before Material writes the index out

    def on_serve(self, server, *, config, builder):
        if self.config.enabled:
            server.watch(str(self.catalog_path))
            server.watch(str(Path(__file__).parent / "templates"))
        return server


def _search_code() -> str:
    """The augmenting code and the versions of what it reads (a cached index must match both)."""
    from importlib import metadata

    from .structure import search

    versions = []
    for name in ("jieba", "pypinyin", "opencc"):
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return digest(file_digest([Path(search.__file__)]), versions)


def _escape_nav(nav):
    """Navigation titles come from the catalog; the theme prints them unescaped."""
    if isinstance(nav, list):
        return [_escape_nav(x) for x in nav]
    if isinstance(nav, dict):
        return {str(escape(k)): _escape_nav(v) for k, v in nav.items()}
    return nav
