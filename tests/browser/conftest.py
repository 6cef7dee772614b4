"""Browser fixtures shared by every browser test: Debian's Chromium driven by Playwright,
a local static server, and the guide site built once per test session.

    def test_x(browser, site_server):
        page = browser.new_page()
        page.goto(site_server.url + "services/passport/")
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_support import CHROMIUM, CHROMIUM_ARGS, ROOT, serve_dir  # noqa: E402

@pytest.fixture(scope="session")
def playwright_instance():
    from playwright import sync_api
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh --test")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Headless Chromium (Debian's build; never a downloaded one)."""
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


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
