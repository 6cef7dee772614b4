"""Shared fixtures: small catalogs written to temp files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import MINIMAL

# Builds in tests start clean (and subprocesses inherit this); the cache tests turn it on themselves.
os.environ.setdefault("GUIDE_CACHE_DIR", "off")


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


@pytest.fixture
def write(tmp_path):
    """Write catalog text (str or bytes) to a temp file and return its path."""

    def _write(content: str | bytes, name: str = "services.yaml") -> Path:
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p

    return _write


@pytest.fixture(scope="session")
def retired_site(tmp_path_factory) -> tuple[Path, Path]:
    """(catalog, site): the shipped catalog with one service retired, built once for the site
    and browser tests, which only read it."""
    from site_support import retired_catalog
    from support import REPO

    from generator.site.build import build_site

    tmp = tmp_path_factory.mktemp("retired")
    catalog = retired_catalog(tmp / "services.yaml")
    build_site(REPO, tmp / "site", catalog=catalog)
    return catalog, tmp / "site"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium: Debian's build driven by Playwright, one for the whole session.

    Defined here so every browser test shares it: two sync Playwright sessions can't coexist."""
    from browser_support import CHROMIUM, CHROMIUM_ARGS
    from playwright import sync_api

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh --test")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
