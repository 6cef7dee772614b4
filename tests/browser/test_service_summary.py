"""A person on a 390 x 844 phone: every service page opens with its 办事要点 in the first screen,
every service is named in the navigation, and search says what to do when it finds nothing."""

from __future__ import annotations

import re

import pytest

from browser_support import ROOT
from generator.catalog import load
from generator.schema import format_limit, is_pending

PHONE = {"width": 390, "height": 844}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def expected_facts(s) -> dict[str, list[str]]:
    """What the catalog knows about ``s`` that its summary must show, by summary row."""
    facts: dict[str, list[str]] = {}
    places = s.channels.in_person
    if not is_pending(places) and places:
        facts["where"] = [places[0].place]
    elif not is_pending(s.channels.online) and s.channels.online:
        facts["where"] = [s.channels.online[0].name]
    if not is_pending(s.materials):
        facts["bring"] = [f"{len(s.materials)} 项材料" if s.materials else "无需提交材料"]
    committed, statutory = s.time_limits.committed, s.time_limits.statutory
    if not is_pending(committed):
        facts["time"] = ["承诺 " + format_limit(committed)]
    elif not is_pending(statutory):
        facts["time"] = ["法定 " + format_limit(statutory)]
    if not is_pending(s.fees):
        if not s.fees.charged:
            facts["cost"] = ["不收费"]
        else:
            facts["cost"] = [f"{_num(f.amount)} 元" for f in s.fees.items if not f.optional] or ["元"]
    if not is_pending(s.phones) and s.phones:
        ask = [p for p in s.phones if p.kind == "咨询"] or list(s.phones)
        facts["phone"] = [ask[0].number]
    facts["visit"] = []  # always answered (known or 待核实), always on the first screen
    return facts


CATALOG = load(ROOT / "data" / "services.yaml")
ACTIVE = [s for s in CATALOG.services if s.status == "active"]


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    p = context.new_page()
    yield p
    context.close()


@pytest.mark.parametrize("sid", [s.id for s in ACTIVE])
def test_summary_facts_are_on_the_first_screen_of_a_phone(phone, site_server, sid):
    s = next(x for x in ACTIVE if x.id == sid)
    phone.goto(site_server.url + f"services/{sid}/")
    assert phone.evaluate("window.scrollY") == 0
    facts = expected_facts(s)
    rows = phone.eval_on_selector_all(
        ".guide-facts__row",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.dataset.fact, r.top, r.bottom, e.innerText]; })")
    shown = {fact: (top, bottom, re.sub(r"\s+", " ", text)) for fact, top, bottom, text in rows}
    assert set(facts) <= set(shown), f"{sid}: rows {sorted(shown)}"
    for fact, needles in facts.items():
        top, bottom, text = shown[fact]
        assert 0 <= top and bottom <= PHONE["height"], f"{sid}: {fact} at {top:.0f}-{bottom:.0f} px, below the first screen"
        for needle in needles:
            assert needle in text, f"{sid}: {fact} row {text!r} lacks {needle!r}"
    # The phone number is a link that dials.
    if "phone" in facts:
        href = phone.get_attribute(".guide-facts__row[data-fact=phone] a[href^='tel:']", "href")
        assert href == "tel:" + re.sub(r"[^0-9+]", "", facts["phone"][0])


def test_materials_count_links_to_the_checklist_and_contents_list_jumps(phone, site_server):
    phone.goto(site_server.url + "services/passport/")
    phone.locator(".guide-facts__row[data-fact=bring] a").click()
    phone.wait_for_function("location.hash === '#materials'")
    top = phone.evaluate("document.getElementById('materials').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2
    toc = phone.eval_on_selector_all(".md-nav--secondary a.md-nav__link", "els => els.map(e => e.getAttribute('href'))")
    assert toc[:3] == ["#summary", "#how", "#online"] and "#legal-basis" in toc and "#sources" in toc


def test_every_service_is_named_in_the_navigation(browser, site_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        for s in ACTIVE:
            page.goto(site_server.url + f"services/{s.id}/")
            names = page.eval_on_selector_all(
                ".md-nav--primary a.md-nav__link, .md-nav--primary label.md-nav__link",
                "els => els.map(e => e.textContent.trim())")
            assert s.name in names, f"{s.id}: not named in the navigation"
    finally:
        context.close()


def _type(page, query):
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")


def test_a_search_without_hits_offers_where_to_ask(phone, site_server):
    phone.goto(site_server.url)
    phone.locator("label[for=__search]").first.click()
    help_box = phone.locator("[data-guide-nohit]")
    for _ in range(30):  # the index loads in a worker: retype until it answers
        _type(phone, "落户")
        try:
            help_box.wait_for(state="visible", timeout=1000)
            break
        except Exception:
            continue
    assert help_box.is_visible()
    text = help_box.inner_text()
    assert "落户" in text and "12345" in text and "我的清单" in text and "综合服务窗口" in text
    assert phone.get_attribute("[data-guide-nohit] a[href^='tel:']", "href") == "tel:12345"
    # A query that finds something hides it again.
    for _ in range(30):
        _type(phone, "护照")
        if phone.locator("li.md-search-result__item").count():
            break
        phone.wait_for_timeout(300)
    phone.wait_for_timeout(600)
    assert not help_box.is_visible()


def test_search_result_shows_the_summary_not_keywords(browser, site_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_server.url)
        for _ in range(30):
            _type(page, "办护照")
            items = page.locator("li.md-search-result__item")
            if items.count():
                break
            page.wait_for_timeout(300)
        first = re.sub(r"[\s\u200b]+", "", page.locator("li.md-search-result__item").first.inner_text())
        passport = next(s for s in ACTIVE if s.id == "passport")
        assert passport.summary in first
        assert "办护" not in first and "常用说法" not in first
    finally:
        context.close()


def test_footer_is_chinese_without_generator_line(phone, site_server):
    phone.goto(site_server.url + "services/passport/")
    footer = phone.locator(".md-footer").inner_text()
    assert "Made with" not in footer and "Material for MkDocs" not in footer
    assert "目录版本" in footer
