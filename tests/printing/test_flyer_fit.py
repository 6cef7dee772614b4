"""The flyer-fit estimate (generator/flyerfit.py) held to real renders of the A4 flyer.

Flyers on both sides of the page end are rendered with WeasyPrint and measured; the estimate must
call each one right (one page or more) and be within a few millimetres on one-page flyers. When the
flyer's layout changes, this fails: re-measure and refit the constants in flyerfit.py.
"""

from __future__ import annotations

import pytest

from generator import flyerfit
from generator.printing import render
from generator.schema import MaterialUse

PX_MM = 25.4 / 96


def _with_materials(catalog, sid: str, k: int):
    """``catalog`` with ``k`` ordinary materials added to service ``sid`` (the issue's overflow)."""
    s = next(x for x in catalog.services if x.id == sid)
    extra = [MaterialUse(name=f"其他证明材料{i}", issuer="有关单位", originals=1, copies=1) for i in range(k)]
    kept = list(s.materials) if isinstance(s.materials, list) else []  # a pending list is replaced
    s2 = s.model_copy(update={"materials": kept + extra})
    return catalog.model_copy(update={"services": [s2 if x.id == sid else x for x in catalog.services]}), s2


def _measure(catalog, sid: str) -> tuple[int, float]:
    """Pages of the rendered flyer, and mm used from the top of page 1's text area to the imprint's foot."""
    doc = render._document(render.flyer_html(catalog, sid, render.Options(draft=True)))
    last = doc.pages[-1]._page_box
    foot = max(b.position_y + b.margin_height() for b in last.descendants()
               if getattr(b, "element_tag", None) == "footer")
    return len(doc.pages), (len(doc.pages) - 1) * flyerfit.PAGE_MM + (foot - last.content_box_y()) * PX_MM


# Around the page end: the fullest shipped flyer, and services that cross it as materials are added.
SAMPLES = [("passport", 0), ("passport", 1), ("archive-intake", 9), ("archive-intake", 10), ("archive-intake", 11),
           ("degree-verification", 3), ("degree-verification", 4), ("startup-loan", 12)]


@pytest.mark.parametrize("sid,added", SAMPLES)
def test_estimate_calls_the_page_count_of_real_renders(catalog, sid, added):
    cat, service = _with_materials(catalog, sid, added)
    pages, used = _measure(cat, sid)
    estimate = flyerfit.estimate_mm(cat, service)
    assert flyerfit.overflows(cat, service) == (pages > 1), (pages, round(used, 1), round(estimate, 1))
    if pages == 1:
        assert abs(estimate - used) <= 4.0, (round(used, 1), round(estimate, 1))
