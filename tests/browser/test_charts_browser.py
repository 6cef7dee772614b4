"""业务流程图 in real Chromium: drawn inline (no request anywhere), named and described, axe-clean."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def _foreign(requests: list[str], origin: str) -> list[str]:
    return [u for u in requests if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != origin]


@pytest.mark.parametrize("path", ["services/passport/", "services/archive-intake/"])
def test_service_chart_is_drawn_named_and_described(page, site_server, path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_server.url + path)
    page.wait_for_load_state("networkidle")
    svg = page.locator("figure.guide-chart svg")
    box = svg.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    # The chart's text is text the browser lays out, in the CJK font the site uses.
    assert svg.locator("text").count() >= 4
    described = page.evaluate("""() => {
        const svg = document.querySelector('figure.guide-chart svg');
        const d = document.getElementById(svg.getAttribute('aria-describedby'));
        const l = document.getElementById(svg.getAttribute('aria-labelledby'));
        return [d && d.innerText, l && l.innerText, svg.getAttribute('role')];
    }""")
    assert described[0] and described[1] and described[2] == "img"
    assert "办理流程" in described[1] or "流程图" in described[1]
    assert _foreign(requests, urlsplit(site_server.url).netloc) == []
    bad = _axe(page)
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_journey_chart_opens_on_the_home_page_without_requests_and_axe_clean(page, site_server):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_server.url)
    page.wait_for_load_state("networkidle")
    page.locator(".guide-chart-details > summary").click()
    svg = page.locator("figure.guide-chart--journey svg")
    box = svg.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    texts = svg.locator("text").evaluate_all("els => els.map(e => e.textContent)")
    assert any("普通护照签发" in t for t in texts) and any("第 3 步" in t for t in texts)
    page.wait_for_load_state("networkidle")
    assert _foreign(requests, urlsplit(site_server.url).netloc) == []
    bad = _axe(page)
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_service_chart_is_printed_small_enough_for_one_page(page, site_server):
    page.goto(site_server.url + "services/duty-free-car/")  # four steps: the tallest chart of the catalog
    page.emulate_media(media="print")
    box = page.locator("figure.guide-chart svg").bounding_box()
    assert box and box["height"] > 50  # printed, not hidden
    assert box["height"] <= 40 / 25.4 * 96 + 1  # at most 40 mm (CSS px at 96 dpi)
