"""``guide serve``: a live preview whose cost follows the edit, not the catalog.

The first build is a normal one (with the cache, so a second ``guide serve`` starts fast). It
stays in memory. When only the catalog changed, ``incremental.refresh`` rewrites just the pages
the edit reached; a change to content/, overrides/, mkdocs.yml or the page templates, or an edit
that renames or adds a service, gets a full build (still served from the cache where unchanged).
A catalog with errors is reported in the terminal, located and in Chinese, and the last good
preview stays up.
"""

from __future__ import annotations

import gc
import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..cache import Store, cache_root, digest
from ..session import Session
from .. import diagnostics
from .build import BuildError, mkdocs_build
from .incremental import refresh

log = logging.getLogger("mkdocs.guide.preview")

POLL_SECONDS = 0.1  # how often watched files are looked at; part of what a reader waits
BUILD_DELAY = 0.05  # quiet time after a change before updating (MkDocs waits 0.1 s)
TIDY_AFTER = 2.0  # idle seconds after an update before the collector walks everything


def _inputs(paths: list[Path]) -> str:
    """A fingerprint of every file under ``paths`` (names, sizes, times)."""
    rows = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in files:
            st = p.stat()
            rows.append((str(p), st.st_size, st.st_mtime_ns))
    return digest(rows)


class Preview:
    """The last build of the preview, and how to bring it up to date."""

    def __init__(self, root: Path, catalog: Path, site_dir: Path, say: Callable[[str], None] = print):
        self.root, self.catalog_path, self.site_dir, self.say = root, catalog, site_dir, say
        cache = cache_root(root)
        self.store = Store(cache / "site" if cache is not None else None)
        self.config = None
        self.session = Session()  # re-reads and re-checks only the services an edit touched
        self.other_inputs = [root / "mkdocs.yml", root / "content", root / "overrides",
                             Path(__file__).parent / "templates"]
        self._fingerprint = ""
        self._lock = threading.Lock()  # an update and a tidy never overlap
        self._timer: threading.Timer | None = None

    def watched(self) -> list[Path]:
        return [self.catalog_path, *self.other_inputs]

    def update(self) -> str:
        """Bring the preview up to date; returns what was done, in Chinese, for the terminal."""
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            said = self._update()
            # Out of the collector's sight until the next tidy: a full collection walks the whole
            # build (0.2-0.4 s at 1,000 services), and one that fell inside an edit made it 1.1 s.
            gc.freeze()
        self._timer = threading.Timer(TIDY_AFTER, self.tidy)
        self._timer.daemon = True
        self._timer.start()
        return said

    def tidy(self) -> None:
        """Free what the last updates replaced (a build holds reference cycles), while idle."""
        with self._lock:
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def _update(self) -> str:
        started = time.perf_counter()
        report = self.session.check(self.catalog_path)
        errors = [d for d in report.diagnostics if d.severity == "error"]
        if errors or report.loaded is None or report.loaded.catalog is None:
            self.say(diagnostics.render(errors, "text"))
            return f"{report.summary()}:预览未更新,仍显示上一次的结果"
        catalog = report.loaded.catalog
        fingerprint = _inputs(self.other_inputs)
        written = None
        if self.config is not None and fingerprint == self._fingerprint:
            try:
                written = refresh(self.config.plugins["guide"], self.config, catalog)
            except Exception as exc:  # a page MkDocs could not render: the full build says which
                log.debug(f"incremental update failed, building everything: {exc!r}")
                written = None
        if written is None:
            try:
                self.config = mkdocs_build(self.root, self.site_dir, catalog=self.catalog_path, loaded=catalog,
                                           store=self.store, preview=True)
            except BuildError as exc:
                self.config = None
                for line in exc.lines:
                    self.say(line)
                return "网站构建失败:预览未更新"
            self._fingerprint = fingerprint
            gc.unfreeze()  # the build replaced is freed now (0.3 s, after a build of seconds)
            gc.collect()
            what = "全部页面"
        else:
            what = f"{len(written)} 个页面" if written else "没有页面变化"
        return f"预览已更新({what}),用时 {time.perf_counter() - started:.2f} 秒"


def serve(root: Path, catalog: Path, host: str, port: int) -> None:
    """Serve the preview at http://host:port/<path of the site address>/ until interrupted."""
    from mkdocs.livereload import LiveReloadServer

    site_dir = Path(tempfile.mkdtemp(prefix="guide-preview-"))
    preview = Preview(root, catalog, site_dir, say=lambda line: print(line, flush=True))

    def builder() -> None:
        print(preview.update(), flush=True)

    try:
        builder()
        mount = "/"
        if preview.config is not None:
            mount = urlsplit(preview.config.site_url or "/").path or "/"
        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir), mount_path=mount,
                                  polling_interval=POLL_SECONDS)
        server.build_delay = BUILD_DELAY
        for path in preview.watched():
            server.watch(str(path))
        print(f"预览地址:http://{host}:{port}{mount}(按 Ctrl+C 结束)", flush=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
