"""业务流程图 on the site: every service page under 怎么办, the journey chart on the home page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import escape

from support import CATALOG, REPO
from generator.catalog import load
from generator.charts import catalog_charts
from generator.charts.graph import feeds

FIGURE = re.compile(r'<figure class="guide-chart[^"]*".*?</figure>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from generator.site.build import build_site

    out = tmp_path_factory.mktemp("charts-site") / "site"
    build_site(REPO, out, catalog=CATALOG)
    return out


def test_every_service_page_shows_its_chart_described_by_the_steps(built):
    catalog = load(CATALOG)
    charts = catalog_charts(catalog)
    for s in catalog.services:
        if s.status != "active":
            continue
        html = (built / "services" / s.id / "index.html").read_text(encoding="utf-8")
        how = html.index('<h2 id="how">'), html.index('<h3 id="online">')
        figures = FIGURE.findall(html)
        assert len(figures) == 1, s.id
        at = html.index(figures[0])
        assert how[0] < at < how[1], f"{s.id}: the chart is not under 怎么办"
        assert html.index('id="process-steps"') < at  # the text alternative comes first, in reading order
        svg = re.search(r"<svg.*?</svg>", figures[0], re.S).group(0)
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-describedby") == "process-steps"
        assert root.get("aria-labelledby") == "chart-title" and 'id="chart-title"' in figures[0]
        # The page carries exactly the chart drawn from the catalog (attributes aside).
        assert re.sub(r' (role|aria-[a-z]+)="[^"]*"', "", svg) + "\n" == charts[s.id]


def test_home_page_shows_the_journey_chart_with_its_relations_in_words(built):
    html = (built / "index.html").read_text(encoding="utf-8")
    figures = FIGURE.findall(html)
    assert len(figures) == 1 and "guide-chart--journey" in figures[0]
    assert html.index('<h2 id="steps">') < html.index(figures[0]) < html.index('<h2 id="help">')
    assert 'aria-describedby="journey-text"' in figures[0] and 'id="journey-text"' in figures[0]
    # Every relation in words, the catalog's own: a pending one is marked 待核实 with its note.
    relations = feeds(load(CATALOG))
    assert ("exit-entry-records", "duty-free-car") in {(a.id, b.id) for a, b, _, _ in relations}
    text = figures[0].split('id="journey-text"', 1)[1]
    items = re.findall(r"<li>(.*?)</li>", text, re.S)
    assert len(items) == len(relations)
    for (before, after, what, pending), li in zip(relations, items):
        assert f"{escape(before.name)}</a> → <a" in li and f"{escape(after.name)}</a>:" in li
        if pending:
            assert ('<strong class="guide-pending__mark">待核实</strong>'
                    f'<span class="guide-pending__note">{escape(what)}</span>') in li
        else:
            assert f"</a>:{escape(what)}" in li and "待核实" not in li
