"""Skip Material's two costly steps for a page whose inputs did not change.

Measured on a 1,000-service catalog (1,027 pages, 31 s in all): Material's search plugin spends
about half the build segmenting every page with jieba, and the theme's ``main.html`` another
third. Both are pure functions of what a page shows, so each is cached under a key of all of it:

- a page's search entries under its URL, title, meta, body HTML and contents list, the search
  options, the words jieba was taught and the versions of Material and jieba;
- a page's finished HTML under all of that, the whole navigation (titles, URLs, nesting), the
  previous and next pages, the MkDocs configuration, every theme template and override file,
  and the versions of MkDocs, Material and Jinja2.

A hit renders the page through a one-line template that prints the stored HTML, so MkDocs still
writes every file itself and the output is byte-for-byte a clean build's (tests compare them).
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from jinja2 import BytecodeCache, ChoiceLoader, DictLoader

from ..cache import Store, digest, file_digest

CACHED_TEMPLATE = "guide-cached-page.html"
_ATTR = "guide_cached_html"
_CONFIG_KEYS = (
    "site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
    "edit_uri", "use_directory_urls", "extra", "extra_css", "extra_javascript", "nav",
)


def _versions(*names: str) -> list[str]:
    out = []
    for name in names:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==?")
    return out


def theme_files(config) -> list[Path]:
    """Every file of the project's theme folders (overrides/): templates, CSS, JS. Material's
    own files are covered by its version (walking its 10,000 icons took 1 s a build)."""
    import material

    package = Path(material.__file__).resolve().parent
    found: list[Path] = []
    for folder in config.theme.dirs:
        root = Path(folder).resolve()
        if not root.is_dir() or root == package or package in root.parents:
            continue
        found.extend(sorted(p for p in root.rglob("*") if p.is_file()))
    return found


def nav_signature(nav) -> list:
    """Titles, URLs and nesting of the whole navigation (what the theme's menus can show)."""

    def walk(items) -> list:
        out = []
        for item in items:
            children = getattr(item, "children", None)
            out.append([type(item).__name__, item.title, getattr(item, "url", None), walk(children) if children else None])
        return out

    return walk(nav.items)


def _toc(toc) -> list:
    return [[t.title, t.id, t.level, _toc(t.children)] for t in toc]


def _link(page) -> list | None:
    return None if page is None else [page.title, page.url]


def _meta(page) -> str:
    # Without the template a hit points the page at, so a page's search key is the same either way.
    meta = {k: v for k, v in page.meta.items() if not (k == "template" and v == CACHED_TEMPLATE)}
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str)


class StoredBytecode(BytecodeCache):
    """Jinja's compiled templates kept in the store: compiling Material's templates took ~0.6 s a build.

    Jinja checks each entry itself (its template's checksum and the Python version)."""

    def __init__(self, store: Store):
        self.store = store

    def _key(self, bucket) -> str:
        return digest("jinja-bytecode-1", _versions("jinja2"), bucket.key, bucket.checksum)

    def load_bytecode(self, bucket) -> None:
        data = self.store.get(self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.store.put(self._key(bucket), bucket.bytecode_to_string())


class PageCache:
    """One build's use of the ``site`` cache store."""

    def __init__(self, store: Store):
        self.store = store
        self._render_keys: dict[str, str] = {}  # src_uri -> key of a page rendered this build
        self._search_keys: dict[str, str] = {}  # src_uri -> key of its search entries, in build order
        self._entries: dict[str, list] = {}  # src_uri -> its search entries, in build order
        self.rendering: list[str] = []  # the pages the theme renders this build (src_uri)

    # ------------------------------------------------------------ finished pages

    def use_stored_pages(self, env, config, nav, pages: list) -> int:
        """Point every page whose finished HTML is stored at the one-line template; returns the hits."""
        env.loader = ChoiceLoader([DictLoader({CACHED_TEMPLATE: "{{ page.%s }}" % _ATTR}), env.loader])
        if self.store.enabled:
            env.bytecode_cache = StoredBytecode(self.store)
        settings = {k: config.get(k) for k in _CONFIG_KEYS}
        plugins = sorted(config.plugins.keys())
        common = digest(
            "page-html-1", _versions("mkdocs", "mkdocs-material", "jinja2"),
            file_digest(theme_files(config)), settings, plugins, dict(config.theme.items()),
            nav_signature(nav),
        )
        hits = 0
        self._render_keys.clear()
        for page in pages:
            key = digest(
                common, page.file.src_uri, page.url, page.canonical_url, page.title, _meta(page), page.content,
                _toc(page.toc), page.is_homepage, page.edit_url, _link(page.previous_page), _link(page.next_page),
                [a.title for a in page.ancestors],
            )
            data = self.store.get(key)
            if data is None:
                self._render_keys[page.file.src_uri] = key
                self.rendering.append(page.file.src_uri)
                continue
            setattr(page, _ATTR, data.decode("utf-8"))
            page.meta["template"] = CACHED_TEMPLATE
            hits += 1
        return hits

    def forget(self, page) -> None:
        """The page's stored HTML no longer applies (its body was made again): render it."""
        if page.meta.get("template") == CACHED_TEMPLATE:
            del page.meta["template"]
        if hasattr(page, _ATTR):
            delattr(page, _ATTR)

    def rendered(self, page, output: str) -> None:
        """Store the finished HTML of a page the theme just rendered."""
        key = self._render_keys.pop(page.file.src_uri, None)
        if key is not None:
            self.store.put(key, output.encode("utf-8"))

    # ------------------------------------------------------------ search entries

    def cache_search_entries(self, index, words: list[str], before_first_miss: Callable[[], None]) -> None:
        """Make Material's search index take stored entries for unchanged pages.

        ``words``: what jieba is taught (it changes segmentation anywhere); ``before_first_miss``
        runs once before the first page is indexed for real (teaching jieba costs ~0.7 s)."""
        original = index.add_entry_from_context
        options = {k: index.config.get(k) for k in ("lang", "separator", "pipeline", "fields")}
        common = digest("search-1", _versions("mkdocs-material", "jieba"), options, sorted(words))
        ready = [False]

        def add_entry_from_context(page) -> None:
            key = digest(common, page.url, page.title, _meta(page), page.content, _toc(page.toc))
            self._search_keys[page.file.src_uri] = key
            start = len(index.entries)
            data = self.store.get(key)
            if data is not None:
                index.entries.extend(json.loads(data))
            else:
                if not ready[0]:
                    before_first_miss()
                    ready[0] = True
                original(page)
                self.store.put(key, json.dumps(index.entries[start:], ensure_ascii=False).encode("utf-8"))
            self._entries[page.file.src_uri] = index.entries[start:]

        index.add_entry_from_context = add_entry_from_context

    def collect_entries(self, index) -> None:
        """The index's entries as a build would list them: page by page, in build order."""
        index.entries = [e for entries in self._entries.values() for e in entries]

    def cache_search_index(self, index, inputs: Callable[[], str], finish: Callable[[dict], None]) -> None:
        """Make Material write its index as ``finish`` completes it (in place), stored whole.

        The entries are what the page keys say, so those keys and ``inputs()`` (what ``finish``
        reads) decide the file; an unchanged site writes it without a JSON round trip."""

        def generate_search_index(prev) -> str:
            key = digest("search-index-1", list(self._search_keys.values()), inputs())
            data = self.store.get(key)
            if data is None:
                config = json.loads(json.dumps({k: index.config[k] for k in ("lang", "separator", "pipeline", "fields")}))
                doc = {"config": config, "docs": index.entries}
                finish(doc)
                data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
                self.store.put(key, data)
            return data.decode("utf-8")

        index.generate_search_index = generate_search_index


def search_index_of(config) -> Any | None:
    """Material's search index object, when its search plugin is on."""
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search":
            return getattr(plugin, "search_index", None)
    return None
