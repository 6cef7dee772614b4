"""Browser fixtures shared by every browser test: Debian's Chromium driven by Playwright,
a local static server, and the guide site built once per test session.

    def test_x(browser, site_server):
        page = browser.new_page()
        page.goto(site_server.url + "services/passport/")
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import ROOT, serve_dir

# ``browser`` (one Chromium for the whole session) comes from tests/conftest.py.


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site of the shipped catalog (no print), built once per session."""
    from generator.site.build import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    build_site(ROOT, out, catalog=ROOT / "data" / "services.yaml")
    return out


@pytest.fixture(scope="session")
def site_server(built_site):
    srv = serve_dir(built_site)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """``guide build --offline``'s file:// bundle, built once per session."""
    from generator.site.build import build_offline

    out = tmp_path_factory.mktemp("offline") / "site-offline"
    zip_path = build_offline(ROOT, out, catalog=ROOT / "data" / "services.yaml")
    shutil.rmtree(zip_path.parent, ignore_errors=True)
    return out


@pytest.fixture
def page(browser):
    """A fresh browser context (own storage and service workers) and its page."""
    context = browser.new_context()
    p = context.new_page()
    yield p
    context.close()
