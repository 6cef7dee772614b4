"""Calibrate generator/flyerfit.py: render flyers, measure the height they use, fit the estimate to it.

    python3 bench/flyerfit.py

Renders the shipped flyers (full detail, with QR codes) and variants of four services with 1-44 ordinary materials
added (each with a 46-character note) at both levels of detail, prints pages, measured and raw
estimated heights (mm) per flyer, then the least-squares line measured = SCALE x raw + OFFSET, and per
page count the range of calibrated estimates (the estimate must keep them apart at each page end).
Refit after changing the flyer's layout (generator/printing/templates/flyer.html, flyer.css) and update the constants in
flyerfit.py.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import flyerfit  # noqa: E402
from generator.catalog import load  # noqa: E402
from generator.printing import render  # noqa: E402
from generator.schema import MaterialUse  # noqa: E402

PX_MM = 25.4 / 96
SITE = "https://liuxue.weihai.gov.cn"  # a real-looking address, so the flyers carry their QR codes
KS = range(1, 45)  # every count, so both ends of the sheet are sampled closely
GROWN = ("passport", "archive-intake", "degree-verification", "startup-loan")
# 46 characters: on its own detail line it takes a second line (full), which brief leaves out.
NOTE = "须为有效期内的原件，复印件须清晰完整并由本人逐页签名确认，外文材料须附有资质机构出具的中文译本"


def with_materials(catalog, sid: str, k: int):
    s = next(x for x in catalog.services if x.id == sid)
    kept = list(s.materials) if isinstance(s.materials, list) else []
    extra = [MaterialUse(name=f"其他证明材料{i}", issuer="有关单位", note=NOTE, originals=1, copies=1) for i in range(k)]
    s2 = s.model_copy(update={"materials": kept + extra})
    return catalog.model_copy(update={"services": [s2 if x.id == sid else x for x in catalog.services]}), s2


def measure(catalog, sid: str, detail: str) -> tuple[int, float]:
    """Pages, and mm used from the top of page 1's text area to the imprint's foot (page ends included)."""
    doc = render._document(render.flyer_html(catalog, sid, render.Options(draft=True), detail))
    last = doc.pages[-1]._page_box
    foot = max(b.position_y + b.margin_height() for b in last.descendants()
               if getattr(b, "element_tag", None) == "footer")
    return len(doc.pages), (len(doc.pages) - 1) * flyerfit.PAGE_MM + (foot - last.content_box_y()) * PX_MM


def main() -> None:
    catalog = load(ROOT / "data" / "services.yaml")
    # A printed flyer has its QR code (production refuses a placeholder address): measure with one.
    catalog = catalog.model_copy(update={"meta": catalog.meta.model_copy(update={"site_url": SITE})})
    cases = [(s.id, 0, "full") for s in catalog.services if s.status == "active"]
    cases += [(sid, k, d) for sid in GROWN for k in KS for d in flyerfit.DETAILS]
    rows = []
    print(f"{'flyer':<28} {'added':>5} {'detail':>6} {'pages':>5} {'used mm':>8} {'raw mm':>8}")
    for sid, k, detail in cases:
        cat, s = with_materials(catalog, sid, k)
        pages, used = measure(cat, sid, detail)
        raw = flyerfit.raw_lines_mm(cat, s, detail)
        rows.append((pages, used, raw))
        if k in (0, 1, 2, 4, 6, 8, 12, 20, 28, 34, 36, 38, 40, 44):  # the table stays readable
            print(f"{sid:<28} {k:>5} {detail:>6} {pages:>5} {used:>8.1f} {raw:>8.1f}")
    xs, ys = [r[2] for r in rows], [r[1] for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    scale = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    offset = my - scale * mx
    print(f"fit: used = {scale:.4f} x raw {offset:+.2f} mm over {len(rows)} flyers")
    one = [r for r in rows if r[0] == 1]
    print(f"one-page flyers: estimate - used from {min(flyerfit.estimate_mm_of(r[2]) - r[1] for r in one):+.1f} "
          f"to {max(flyerfit.estimate_mm_of(r[2]) - r[1] for r in one):+.1f} mm (current constants)")
    waste = [(r[1] - flyerfit.estimate_mm_of(r[2])) / (r[0] - 1) for r in rows if r[0] > 1]
    print(f"space left at page ends: {min(waste):+.1f} to {max(waste):+.1f} mm per page end (used - estimate)")
    wrong = [r for r in rows if flyerfit.pages_of(flyerfit.estimate_mm_of(r[2])) != r[0]]
    print(f"page count called wrong by the estimate (current constants): {len(wrong)} of {len(rows)}")
    for n in sorted({r[0] for r in rows}):
        est = [flyerfit.estimate_mm_of(r[2]) for r in rows if r[0] == n]
        print(f"{n} page(s): {len(est):>3} flyers, estimate {min(est):.1f}-{max(est):.1f} mm "
              f"(page ends at {flyerfit.PAGE_MM * n:.0f} mm)")


if __name__ == "__main__":
    main()
