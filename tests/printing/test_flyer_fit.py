"""The flyer-fit estimate (generator/flyerfit.py) held to real renders of the A4 flyer.

Flyers on both sides of each page-count boundary that matters are rendered with WeasyPrint and
measured: the end of page 1 (one side of the sheet) and the end of page 2 (the sheet), at both levels
of detail. The estimate must call each one's page count right and be within 2 mm on one-page flyers.
At the sheet's end it is good to about one material (bench/flyerfit.py: archive-intake with 25
added materials at full detail is estimated at two pages and prints on three). When the flyer's layout
changes, this fails: re-measure with bench/flyerfit.py and refit the constants in flyerfit.py.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from generator import flyerfit
from generator.printing import model, render
from generator.schema import MaterialUse

PX_MM = 25.4 / 96
# 46 characters: a second detail line per material at full detail; brief leaves it out.
NOTE = "须为有效期内的原件，复印件须清晰完整并由本人逐页签名确认，外文材料须附有资质机构出具的中文译本"


def _with_materials(catalog, sid: str, k: int, note: str | None = NOTE):
    """``catalog`` with ``k`` ordinary materials added to service ``sid``."""
    s = next(x for x in catalog.services if x.id == sid)
    extra = [MaterialUse(name=f"其他证明材料{i}", issuer="有关单位", note=note, originals=1, copies=1) for i in range(k)]
    kept = list(s.materials) if isinstance(s.materials, list) else []  # a pending list is replaced
    s2 = s.model_copy(update={"materials": kept + extra})
    return catalog.model_copy(update={"services": [s2 if x.id == sid else x for x in catalog.services]}), s2


def _measure(catalog, sid: str, detail: str) -> tuple[int, float]:
    """Pages of the rendered flyer, and mm used from the top of page 1's text area to the imprint's foot."""
    doc = render._document(render.flyer_html(catalog, sid, render.Options(draft=True), detail))
    last = doc.pages[-1]._page_box
    foot = max(b.position_y + b.margin_height() for b in last.descendants()
               if getattr(b, "element_tag", None) == "footer")
    return len(doc.pages), (len(doc.pages) - 1) * flyerfit.PAGE_MM + (foot - last.content_box_y()) * PX_MM


# Pairs across each boundary, found with bench/flyerfit.py: the last count that fits, the first that does not.
PAGE_END = [("passport", 1, "full"), ("passport", 2, "full"), ("archive-intake", 6, "full"), ("archive-intake", 7, "full"),
            ("passport", 4, "brief"), ("passport", 5, "brief"), ("archive-intake", 8, "brief"), ("archive-intake", 9, "brief")]
SHEET_END = [("passport", 20, "full"), ("passport", 21, "full"),
             ("degree-verification", 25, "full"), ("degree-verification", 26, "full"),
             ("passport", 31, "brief"), ("passport", 32, "brief"), ("archive-intake", 36, "brief"), ("archive-intake", 37, "brief")]


@pytest.mark.parametrize("sid,added,detail", PAGE_END + SHEET_END)
def test_estimate_calls_the_page_count_of_real_renders(catalog, sid, added, detail):
    cat, service = _with_materials(catalog, sid, added)
    pages, used = _measure(cat, sid, detail)
    estimate = flyerfit.estimate_mm(cat, service, detail)
    assert flyerfit.pages(cat, service, detail) == pages, (pages, round(used, 1), round(estimate, 1))
    if pages == 1:
        assert abs(estimate - used) <= 2.0, (round(used, 1), round(estimate, 1))


def test_the_samples_straddle_the_boundaries(catalog):
    """Each pair is one page (or sheet) and then more: the samples test both sides."""
    for samples, limit in ((PAGE_END, 1), (SHEET_END, model.FLYER_MAX_PAGES)):
        for (sid, k, detail), (_, k2, _) in zip(samples[::2], samples[1::2]):
            assert k2 == k + 1
            assert _measure(_with_materials(catalog, sid, k)[0], sid, detail)[0] == limit
            assert _measure(_with_materials(catalog, sid, k2)[0], sid, detail)[0] == limit + 1


@pytest.mark.parametrize("sid,added,note,level", [
    ("passport", 12, None, "full"),  # two pages at full detail: printed front and back
    ("archive-intake", 30, NOTE, "brief"),  # notes overflow the sheet: printed brief
    ("passport", 50, None, None),  # even brief runs onto a third page: guide check warns
])
def test_fitting_detail_is_the_level_printed(catalog, sid, added, note, level):
    cat, service = _with_materials(catalog, sid, added, note)
    assert flyerfit.fitting_detail(cat, service) == level
    data, printed = render.flyer_pdf_detail(cat, sid, render.Options(draft=True))
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert printed == (level or "brief")
    assert (pages <= model.FLYER_MAX_PAGES) == (level is not None), pages
