"""The guide site in real Chromium: search, offline, file://, same-origin, axe, keyboard, deep links."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import ROOT, serve_dir

from site_support import REPLACEMENT_ID, RETIRED_ID

SEARCHES = [
    ("办护照", "passport"),
    ("买车", "duty-free-car"),
    ("找工作", "job-recommendation"),
    ("学历认证", "degree-verification"),
    ("去香港读书", "hk-macau-stay-endorsement"),
]


def search(page, query: str, timeout: float = 15.0) -> list[str]:
    """Type ``query`` into the real search box; the result pages' paths, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    deadline = time.time() + timeout
    while time.time() < deadline:
        # Retype until the search worker has its index (a query sent earlier is dropped).
        box.fill(query)  # IME-style text input (a keyboard cannot type Chinese) ...
        box.press("End")  # ... and a real key event, as after typing
        for _ in range(10):
            hrefs = page.eval_on_selector_all(
                "li.md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")
            if hrefs:
                return [urlsplit(h).path for h in hrefs]
            time.sleep(0.2)
    return []


def service_of(path: str) -> str | None:
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    return parts[parts.index("services") + 1] if "services" in parts else None


@pytest.mark.parametrize("query,sid", SEARCHES)
def test_search_finds_service_by_everyday_words(page, site_server, query, sid):
    page.goto(site_server.url)
    found = [service_of(p) for p in search(page, query)]
    assert sid in found[:3], (query, found)


def test_no_request_leaves_the_origin(page, site_server):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_server.url)
    page.wait_for_load_state("networkidle")
    page.goto(site_server.url + "services/passport/")
    page.wait_for_load_state("networkidle")
    assert search(page, "办护照")
    page.wait_for_load_state("networkidle")
    origin = urlsplit(site_server.url).netloc
    foreign = [u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != origin]
    assert requests and foreign == []


def test_service_worker_serves_the_site_offline(browser, site_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_server.url)
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        # Installed = everything precached (install waits for cache.addAll).
        cached = page.evaluate("""async () => {
            const keys = await caches.keys();
            const c = await caches.open(keys.find(k => k.startsWith('guide-')));
            return (await c.keys()).map(r => r.url);
        }""")
        assert any(u.endswith("/services/taiwan-permit/") for u in cached)
        assert any(u.endswith("/search/search_index.json") for u in cached)
        context.set_offline(True)
        page.goto(site_server.url + "services/taiwan-permit/")
        assert "往来台湾通行证" in page.locator("h1").first.inner_text()
        found = [service_of(p) for p in search(page, "学历认证")]
        assert "degree-verification" in found[:3]
    finally:
        context.close()


def test_file_bundle_opens_and_searches(page, offline_site):
    shim = offline_site / "assets" / "javascripts" / "vendor" / "iframe-worker" / "shim.js"
    assert shim.is_file()
    index = (offline_site / "index.html").read_text(encoding="utf-8")
    assert "unpkg" not in index and "iframe-worker/shim.js" in index
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((offline_site / "index.html").as_uri())
    page.locator("[data-guide-toggle]").click()  # the steps start collapsed
    page.locator("a[href$='services/passport/index.html']").first.click()
    assert page.url.endswith("services/passport/index.html")
    found = [service_of(p) for p in search(page, "找工作")]
    assert "job-recommendation" in found[:3]
    assert all(urlsplit(u).scheme in ("file", "data", "blob", "about") for u in requests), requests


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("path", ["", "services/passport/", "services/care-abroad/", "departments/police/"])
def test_axe_finds_no_serious_violation(page, site_server, path):
    page.goto(site_server.url + path)
    bad = _axe(page)
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_keyboard_reaches_search_and_checklist_boxes(page, site_server):
    page.goto(site_server.url + "services/passport/")
    reached: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        what = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e) return '';
            if (e.matches('input.md-search__input, label[for=__search]')) return 'search';
            if (e.matches('input[data-guide-tick]')) return 'tick';
            return '';
        }""")
        if what:
            reached.add(what)
        if what == "tick":
            page.keyboard.press("Space")
            assert page.evaluate("() => document.activeElement.checked")
            break
    assert reached == {"search", "tick"}
    page.reload()
    assert page.locator("input[data-guide-tick]").first.is_checked()  # the tick is kept


def test_html_lang_is_zh_cn(page, site_server):
    page.goto(site_server.url + "services/passport/")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


@pytest.fixture(scope="module")
def retired_server(retired_site):
    srv = serve_dir(retired_site[1])
    yield srv
    srv.close()


def test_short_links_land_on_service_and_retired_notice(page, retired_server):
    page.goto(retired_server.url + "s/passport/")
    page.wait_for_url("**/services/passport/")
    assert "普通护照签发" in page.locator("h1").first.inner_text()
    page.goto(retired_server.url + f"s/{RETIRED_ID}/")
    page.wait_for_url(f"**/services/{RETIRED_ID}/")
    assert "本事项已调整" in page.content()
    page.locator(f"a[href$='{REPLACEMENT_ID}/']").first.click()
    page.wait_for_url(f"**/services/{REPLACEMENT_ID}/")


def test_hostile_text_never_runs(page, tmp_path):
    """A page rendered from a catalog model with markup in its text: nothing executes."""
    from generator.catalog import load
    from generator.site.structure import Renderer, Site

    catalog = load(ROOT / "data" / "services.yaml")
    data = catalog.model_dump()
    s = data["services"][0]
    s["name"] = "<script>window.__pwned=1</script>"
    s["summary"] = '<img src=x onerror="window.__pwned=2">'
    s["audience"] = '"><svg onload="window.__pwned=3">'
    s["channels"]["online"] = [{"name": "x", "url": "javascript:window.__pwned=4"}]
    hostile = type(catalog).model_validate(data)
    body = Renderer(Site(hostile)).render(f"service:{s['id']}")
    f = tmp_path / "hostile.html"
    f.write_text(f"<!doctype html><html lang='zh-CN'><body>{body}</body></html>", encoding="utf-8")
    page.goto(f.as_uri())
    page.locator("a").evaluate_all("els => els.forEach(a => { if (a.href.startsWith('javascript')) a.click(); })")
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>window.__pwned=1</script>" in page.locator("h1").inner_text()


def test_service_page_prints_on_one_page(page, site_server, tmp_path):
    from pypdf import PdfReader

    page.goto(site_server.url + "services/passport/")
    page.emulate_media(media="print")
    pdf = tmp_path / "passport.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert len(PdfReader(str(pdf)).pages) == 1
    assert not page.locator(".md-header").is_visible()


def test_server_serves_the_built_site_from_its_root(site_server):
    """The browser tests see the built site itself: the service worker at the root, byte for byte."""
    from urllib.request import urlopen

    with urlopen(site_server.url + "sw.js") as res:
        assert res.read() == Path(site_server.root, "sw.js").read_bytes()


def test_home_steps_start_collapsed_and_open_together(page, site_server):
    page.goto(site_server.url)
    steps = page.locator("[data-guide-steps] details")
    assert steps.count() == 3
    assert page.eval_on_selector_all("[data-guide-steps] details", "ds => ds.map(d => d.open)") == [False] * 3
    assert not page.get_by_role("link", name="普通护照签发").is_visible()
    toggle = page.locator("[data-guide-toggle]")
    assert toggle.inner_text() == "全部展开" and toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.eval_on_selector_all("[data-guide-steps] details", "ds => ds.map(d => d.open)") == [True] * 3
    assert toggle.inner_text() == "全部收起" and toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="普通护照签发").first.is_visible()
    page.locator("[data-guide-steps] summary").first.click()  # closing one step relabels the button
    # ... on the details' "toggle" event, which fires in a later task: wait for it
    page.wait_for_function("() => document.querySelector('[data-guide-toggle]').innerText === '全部展开'",
                           timeout=5000)


def test_new_release_replaces_the_offline_cache_as_a_whole(browser, built_site, tmp_path):
    """A returning visitor gets the new build: one cache, the new one, and its pages."""
    import shutil

    from generator.site.build import build_site

    text = (ROOT / "data" / "services.yaml").read_text(encoding="utf-8")
    assert "    name: 普通护照签发\n" in text
    catalog = tmp_path / "services.yaml"
    catalog.write_text(text.replace("    name: 普通护照签发\n", "    name: 普通护照签发新版\n", 1), encoding="utf-8")
    release2 = tmp_path / "release2"
    build_site(ROOT, release2, catalog=catalog)
    live = tmp_path / "live"
    shutil.copytree(built_site, live)
    server = serve_dir(live)
    context = browser.new_context()
    page = context.new_page()
    cache_names = "async () => (await caches.keys()).filter(k => k.startsWith('guide-'))"
    try:
        page.goto(server.url)
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        first = page.evaluate(cache_names)
        assert len(first) == 1
        shutil.rmtree(live)
        shutil.copytree(release2, live)  # the release is deployed
        page.evaluate("async () => { await (await navigator.serviceWorker.ready).update(); }")
        deadline = time.time() + 60
        names = first
        while time.time() < deadline and not (len(names) == 1 and names != first):  # old one deleted on activate
            time.sleep(0.5)
            names = page.evaluate(cache_names)
        assert len(names) == 1 and names != first, names
        page.goto(server.url + "services/passport/")
        assert page.locator("h1").first.inner_text() == "普通护照签发新版"
        context.set_offline(True)
        page.goto(server.url + "services/taiwan-permit/")  # still whole offline, from the new cache
        assert "往来台湾通行证" in page.locator("h1").first.inner_text()
    finally:
        context.close()
        server.close()


LONG_KEYWORDS = ["出国留学人员回国后申请办理普通护照换发加注手续事宜"[:25] + "办",
                 "passport-renewal-application-for-returning-students"]


@pytest.fixture(scope="module")
def long_keyword_server(tmp_path_factory):
    """The shipped catalog with a 26-character keyword and a long Latin one on the passport page."""
    from generator.site.build import build_site

    tmp = tmp_path_factory.mktemp("long-keywords")
    text = (ROOT / "data" / "services.yaml").read_text(encoding="utf-8")
    assert text.count("keywords: [办护照,") == 1
    catalog = tmp / "services.yaml"
    catalog.write_text(text.replace("keywords: [办护照,", f"keywords: [{', '.join(LONG_KEYWORDS)}, 办护照,"),
                       encoding="utf-8")
    build_site(ROOT, tmp / "site", catalog=catalog)
    srv = serve_dir(tmp / "site")
    yield srv
    srv.close()


@pytest.mark.parametrize("path", ["", "services/passport/", "departments/police/", "stages/before/", "checklist/"])
def test_long_keywords_fit_a_375px_screen(browser, long_keyword_server, path):
    assert len(LONG_KEYWORDS[0]) == 26
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(long_keyword_server.url + path)
        if path == "services/passport/":
            # Keywords are searched, not shown (they'd read as run-together words); if a page ever
            # shows them again, they must wrap like the rest.
            shown = [k.replace("\n", "") for k in page.locator(".guide-keyword").all_inner_texts()]
            assert shown in ([], LONG_KEYWORDS + shown[2:])
        widths = page.evaluate("""() => {
            const W = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('.md-main *')]
                .filter(e => e.getBoundingClientRect().right > W + 0.5)
                .map(e => e.tagName + '.' + e.className);
            return {W, doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, wide};
        }""")
        assert widths["W"] == 375
        assert widths["doc"] <= widths["W"] and widths["body"] <= widths["W"], widths
        assert widths["wide"] == [], widths
    finally:
        context.close()
