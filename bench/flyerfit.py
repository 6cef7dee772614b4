"""Calibrate generator/flyerfit.py: render flyers, measure the height they use, fit the estimate to it.

    python3 bench/flyerfit.py

Renders the shipped flyers and variants with 3-24 ordinary materials added, prints measured and raw
estimated heights (mm) per flyer, then the least-squares line measured = SCALE x raw + OFFSET and the
largest raw height of a one-page flyer and the smallest of a longer one. Refit after changing the
flyer's layout (generator/printing/templates/flyer.html, flyer.css) and update the constants in flyerfit.py.
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
GROWN = ("passport", "archive-intake", "degree-verification", "startup-loan")


def with_materials(catalog, sid: str, k: int):
    s = next(x for x in catalog.services if x.id == sid)
    kept = list(s.materials) if isinstance(s.materials, list) else []
    extra = [MaterialUse(name=f"其他证明材料{i}", issuer="有关单位", originals=1, copies=1) for i in range(k)]
    s2 = s.model_copy(update={"materials": kept + extra})
    return catalog.model_copy(update={"services": [s2 if x.id == sid else x for x in catalog.services]}), s2


def measure(catalog, sid: str) -> tuple[int, float]:
    doc = render._document(render.flyer_html(catalog, sid, render.Options(draft=True)))
    last = doc.pages[-1]._page_box
    foot = max(b.position_y + b.margin_height() for b in last.descendants()
               if getattr(b, "element_tag", None) == "footer")
    return len(doc.pages), (len(doc.pages) - 1) * flyerfit.PAGE_MM + (foot - last.content_box_y()) * PX_MM


def main() -> None:
    catalog = load(ROOT / "data" / "services.yaml")
    cases = [(s.id, 0) for s in catalog.services if s.status == "active"]
    cases += [(sid, k) for sid in GROWN for k in (3, 6, 12, 18, 24)]
    rows = []
    print(f"{'flyer':<32} {'added':>5} {'pages':>5} {'used mm':>8} {'raw mm':>8}")
    for sid, k in cases:
        cat, s = with_materials(catalog, sid, k)
        pages, used = measure(cat, sid)
        raw = flyerfit.raw_lines_mm(cat, s)
        rows.append((pages, used, raw))
        print(f"{sid:<32} {k:>5} {pages:>5} {used:>8.1f} {raw:>8.1f}")
    xs, ys = [r[2] for r in rows], [r[1] for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    scale = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    offset = my - scale * mx
    print(f"fit: used = {scale:.4f} x raw {offset:+.2f} mm over {len(rows)} flyers")
    print(f"largest raw of a one-page flyer {max(r[2] for r in rows if r[0] == 1):.1f} mm; "
          f"smallest raw of a longer one {min(r[2] for r in rows if r[0] > 1):.1f} mm; page {flyerfit.PAGE_MM} mm")


if __name__ == "__main__":
    main()
