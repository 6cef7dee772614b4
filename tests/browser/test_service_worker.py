"""The service worker across releases, in real Chromium: a failing file can't block an update, an
update downloads only what changed, the reader is told which of their services changed, and only
the lunr files Chinese search loads are precached."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import ROOT

SHIPPED = ROOT / "data" / "services.yaml"
SUMMARIES = {
    "passport": "公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。",
    "taiwan-permit": "公安机关出入境管理部门为前往台湾的大陆居民签发往来台湾通行证。",
    "job-recommendation": "为留学回国人才推荐就业岗位。",
}
NEW = "(本次更新)"


class _Recording(http.server.SimpleHTTPRequestHandler):
    """Serves the live folder; records every path asked for; answers 404 for ``server.failing``."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = urlsplit(self.path).path
        self.server.paths.append(path)
        if path in self.server.failing:
            self.send_error(404)
            return
        super().do_GET()


class Deployment:
    """A web server whose folder gets a new release while the browser keeps its service worker."""

    def __init__(self, tmp: Path, first: Path):
        self.live = tmp / "live"
        shutil.copytree(first, self.live)
        handler = functools.partial(_Recording, directory=str(self.live))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.paths = []
        self.server.failing = set()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def deploy(self, release: Path) -> None:
        shutil.rmtree(self.live)
        shutil.copytree(release, self.live)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def changed_catalog(path: Path, ids: list[str]) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    for sid in ids:
        line = f"    summary: {SUMMARIES[sid]}\n"
        assert text.count(line) == 1, sid
        text = text.replace(line, line.replace("。\n", NEW + "。\n"))
    path.write_text(text, encoding="utf-8")
    return path


def manifest(site: Path) -> dict[str, str]:
    """URL -> hash of the bytes on disk, for every URL sw.js precaches (hashed here, not trusted
    from sw.js; when sw.js lists hashes, they must agree)."""
    text = (site / "sw.js").read_text(encoding="utf-8")
    listed = json.loads(re.search(r"^const FILES = ([\[{].*?[\]}]);$", text, re.S | re.M).group(1))
    out = {}
    for url in listed:
        rel = "index.html" if url == "./" else (url + "index.html" if url.endswith("/") else url)
        out[url] = hashlib.sha256((site / rel).read_bytes()).hexdigest()[:16]
    if isinstance(listed, dict):
        assert listed == out
    return out


def cache_name(site: Path) -> str:
    return "guide-" + re.search(r'^const VERSION = "([0-9a-f]+)";', (site / "sw.js").read_text(), re.M).group(1)


def path_of(url: str) -> str:
    return "/" if url == "./" else "/" + url


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Release 2 with one service changed, and one with three (of the shipped catalog's site)."""
    from generator.site.build import build_site

    tmp = tmp_path_factory.mktemp("releases")
    out = {}
    for name, ids in (("one", ["passport"]), ("three", ["passport", "taiwan-permit", "job-recommendation"])):
        build_site(ROOT, tmp / name, catalog=changed_catalog(tmp / f"{name}.yaml", ids))
        out[name] = tmp / name
    return out


@pytest.fixture
def deployment(built_site, tmp_path):
    d = Deployment(tmp_path, built_site)
    yield d
    d.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context()
    yield ctx
    ctx.close()


CACHES = "async () => (await caches.keys()).filter(k => k.startsWith('guide-'))"


def install_first_release(page, url: str) -> list[str]:
    page.goto(url)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")  # active = install done
    names = page.evaluate(CACHES)
    assert len(names) == 1
    return names


def wait_for_cache(page, name: str, timeout: float = 40) -> list[str]:
    deadline = time.time() + timeout
    names = page.evaluate(CACHES)
    while time.time() < deadline and names != [name]:  # the old cache is deleted on activate
        time.sleep(0.3)
        names = page.evaluate(CACHES)
    return names


def test_a_failing_file_does_not_block_the_new_release(context, deployment, built_site, releases):
    new = releases["one"]
    old_files, new_files = manifest(built_site), manifest(new)
    index = "search/search_index.json"
    assert old_files[index] != new_files[index]  # the file that fails is one the update must download
    page = context.new_page()
    install_first_release(page, deployment.url)
    deployment.deploy(new)
    deployment.server.failing = {path_of(index)}
    page.evaluate("async () => { await (await navigator.serviceWorker.ready).update(); }")
    assert wait_for_cache(page, cache_name(new)) == [cache_name(new)]
    assert deployment.server.paths.count(path_of(index)) >= 2  # tried again before giving up
    page.goto(deployment.url + "services/passport/")
    assert NEW in page.locator(".guide-lede").inner_text()
    # The failed file keeps its old copy, marked by its old hash, until it can be downloaded.
    hash_of = """async (u) => {
        const c = await caches.open((await caches.keys()).find(k => k.startsWith('guide-')));
        const r = await c.match(new URL(u, location.href).href);
        return r && r.headers.get('X-Guide-Hash');
    }"""
    assert page.evaluate(hash_of, "/" + index) == old_files[index]
    deployment.server.failing = set()
    text = page.evaluate("async (u) => (await fetch(u)).text()", "/" + index)
    assert text == (new / index).read_text(encoding="utf-8")  # stale copies: the network first
    deadline = time.time() + 10
    while time.time() < deadline and page.evaluate(hash_of, "/" + index) != new_files[index]:
        time.sleep(0.2)
    assert page.evaluate(hash_of, "/" + index) == new_files[index]
    context.set_offline(True)
    page.goto(deployment.url + "services/taiwan-permit/")  # the rest of the release is offline too
    assert "往来台湾通行证" in page.locator("h1").first.inner_text()


def test_an_update_downloads_only_the_changed_files(context, deployment, built_site, releases):
    new = releases["one"]
    old_files, new_files = manifest(built_site), manifest(new)
    changed = {u for u, h in new_files.items() if old_files.get(u) != h}
    assert "services/passport/" in changed and "services/taiwan-permit/" not in changed
    assert len(changed) <= 6, sorted(changed)  # the page, search index, release.json ...
    page = context.new_page()
    install_first_release(page, deployment.url)
    deployment.deploy(new)
    deployment.server.paths.clear()
    page.evaluate("async () => { await (await navigator.serviceWorker.ready).update(); }")
    assert wait_for_cache(page, cache_name(new)) == [cache_name(new)]
    asked = [p for p in deployment.server.paths if p != "/sw.js"]
    assert sorted(asked) == sorted(path_of(u) for u in changed), (len(asked), len(new_files))
    # And the new cache is whole: every file, offline.
    context.set_offline(True)
    page.goto(deployment.url + "services/passport/")
    assert NEW in page.locator(".guide-lede").inner_text()
    page.goto(deployment.url + "departments/police")  # no slash: redirected, as the server would
    assert page.url == deployment.url + "departments/police/"
    assert page.locator("h1").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"  # CSS found


def notice(page, timeout: float = 40):
    box = page.locator("[data-guide-update]")
    box.wait_for(timeout=timeout * 1000)
    return box


def listed(box) -> list[str]:
    return box.locator("li[data-service]").evaluate_all("els => els.map(e => e.dataset.service)")


def test_returning_reader_is_told_which_of_their_services_changed(context, deployment, releases):
    page = context.new_page()
    install_first_release(page, deployment.url)
    for sid in ("hk-macau-permit", "taiwan-permit", "passport"):  # viewed; job-recommendation not
        page.goto(deployment.url + f"services/{sid}/")
        page.wait_for_function("() => localStorage.getItem('guide:seen') !== null")
    page.locator("input[data-guide-tick]").first.check()  # passport: a material ticked
    page.goto(deployment.url)
    assert page.locator("[data-guide-update]").count() == 0  # nothing new yet
    deployment.deploy(releases["three"])
    page.goto(deployment.url + "stages/after/")  # the reader comes back; the old release answers first
    box = notice(page)
    assert box.get_attribute("data-guide-update") == "live"
    text = box.inner_text()
    assert "本指南已发布新版本" in text and "刷新页面" in text
    assert listed(box) == ["passport", "taiwan-permit"]
    assert "普通护照签发" in text and "往来台湾通行证" in text
    assert "勾选过" in box.locator("li[data-service=passport]").inner_text()
    assert "勾选过" not in box.locator("li[data-service=taiwan-permit]").inner_text()
    box.get_by_role("button", name="刷新页面").click()
    page.wait_for_load_state("load")
    box = notice(page, 10)  # the new release: the changes are still listed, until seen
    assert box.get_attribute("data-guide-update") == "loaded"
    assert listed(box) == ["passport", "taiwan-permit"]
    from test_site_browser import _axe

    bad = _axe(page)  # the notice keeps the page accessible
    assert bad == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    page.goto(deployment.url + "services/passport/")  # seeing a changed service takes it off the list
    assert NEW in page.locator(".guide-lede").inner_text()
    page.goto(deployment.url)
    box = notice(page, 10)
    assert listed(box) == ["taiwan-permit"]
    box.get_by_role("button", name="知道了").click()
    page.reload()
    page.wait_for_timeout(500)
    assert page.locator("[data-guide-update]").count() == 0


def test_only_the_lunr_files_chinese_search_loads_are_precached(browser, built_site):
    from test_site_browser import search

    lunr = "assets/javascripts/lunr/"
    on_disk = {p.relative_to(built_site).as_posix() for p in (built_site / lunr).rglob("*.js")}
    precached = {u for u in manifest(built_site) if u.startswith(lunr)}
    d = Deployment(Path(built_site).parent / "lunr-measure", built_site)
    ctx = browser.new_context(service_workers="block")  # what search itself loads, from the network
    try:
        page = ctx.new_page()
        page.goto(d.url + "services/passport/")
        assert search(page, "办护照")
        loaded = {p[1:] for p in d.server.paths if p.startswith("/" + lunr)}
    finally:
        ctx.close()
        d.close()
        shutil.rmtree(d.live, ignore_errors=True)
    assert loaded and loaded <= on_disk
    assert precached == loaded, (sorted(precached), sorted(loaded))
    assert len(on_disk - precached) >= 30


def test_a_file_not_yet_deployed_is_not_taken_for_the_new_one(context, deployment, built_site, releases):
    """Mid-deploy, the server still has the old passport page: the update installs, but the old
    bytes are not cached as the new file; the new page is shown once it is on the server."""
    new = releases["one"]
    page_file = "services/passport/index.html"
    page = context.new_page()
    install_first_release(page, deployment.url)
    deployment.deploy(new)
    shutil.copyfile(built_site / page_file, deployment.live / page_file)  # not uploaded yet
    page.evaluate("async () => { await (await navigator.serviceWorker.ready).update(); }")
    assert wait_for_cache(page, cache_name(new)) == [cache_name(new)]
    shutil.copyfile(new / page_file, deployment.live / page_file)  # the deploy completes
    page.goto(deployment.url + "services/passport/")
    assert NEW in page.locator(".guide-lede").inner_text()
    page.wait_for_timeout(1000)  # the fresh copy is stored in the background
    context.set_offline(True)
    page.reload()
    assert NEW in page.locator(".guide-lede").inner_text()
