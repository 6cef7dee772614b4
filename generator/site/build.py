"""Build the site with MkDocs into a fresh folder, and swap folders so nothing is half-written."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ..cache import Store
from ..errors import GuideError
from ..schema import Catalog
from ..files import fresh_dir, replace_dir, scratch, write_marker
from .structure.offline import write_zip

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class BuildError(GuideError):
    """MkDocs failed (a warning in strict mode, a plugin error): ``lines`` say why."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def mkdocs_build(root: Path, site_dir: Path, *, catalog: Path | None = None, offline: bool = False,
                 print_dir: Path | None = None, offline_zip: Path | None = None,
                 loaded: Catalog | None = None, store: Store | None = None, preview: bool = False):
    """``mkdocs build`` of ``root/mkdocs.yml`` into ``site_dir`` (which it empties), strict;
    returns the MkDocs config, whose ``guide`` plugin holds the build's state.

    ``loaded``: the catalog at ``catalog``, already read and checked (not read again);
    ``store``: the site cache (unchanged pages are not rendered again); ``preview``: for
    ``guide serve`` (no service worker: a preview must never answer from an old cache)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    cwd = os.getcwd()
    try:
        os.chdir(root)  # relative paths in mkdocs.yml (content/, overrides/) resolve from the repo
        with contextlib.redirect_stdout(io.StringIO()):
            cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        guide = cfg.plugins["guide"]
        if catalog is not None:
            guide.config.catalog = str(catalog)
        guide.config.print_dir = str(print_dir) if print_dir else None
        guide.config.offline_zip = str(offline_zip) if offline_zip else None
        guide.preloaded = loaded
        guide.preview = preview
        if store is not None:
            guide.store = store
        for name, plugin in cfg.plugins.items():
            if name.split("/")[-1] == "offline":
                plugin.config.enabled = offline
        if offline or preview:
            guide.config.service_worker = False
        build(cfg)
        return cfg
    except MkDocsException as exc:
        msg = str(exc).strip()
        raise BuildError([*handler.lines, *([msg] if msg else [])]) from None
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)


SITE_MARKER_TEXT = "Written by `guide build`: the tool replaces this folder on the next build.\n"


def swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``, marked as written by this tool (so the next build may replace it)."""
    write_marker(new, SITE_MARKER_TEXT)
    replace_dir(new, target)


def build_offline(root: Path, target: Path, *, catalog: Path | None = None,
                  loaded: Catalog | None = None, store: Store | None = None) -> Path:
    """``site-offline/`` for file:// browsing; returns a reproducible zip of it (in a temp dir)."""
    tmp = fresh_dir(target)
    try:
        mkdocs_build(root, tmp, catalog=catalog, offline=True, loaded=loaded, store=store)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap(tmp, target)
    zip_dir = scratch(Path(tempfile.gettempdir()), "guide-offline-zip-")
    zip_path = zip_dir / "offline.zip"
    write_zip(target, zip_path, prefix="guide-offline/")
    return zip_path


def build_site(root: Path, target: Path, *, catalog: Path | None = None, print_dir: Path | None = None,
               offline_zip: Path | None = None, loaded: Catalog | None = None, store: Store | None = None) -> None:
    """The site into ``target``; on failure ``target`` is left as it was."""
    tmp = fresh_dir(target)
    try:
        mkdocs_build(root, tmp, catalog=catalog, print_dir=print_dir, offline_zip=offline_zip,
                     loaded=loaded, store=store)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap(tmp, target)
