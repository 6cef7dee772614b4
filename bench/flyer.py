"""How much a flyer holds: the most materials that still fit one A4 page and one A4 sheet
(front and back), at each level of detail.

    python3 bench/flyer.py [--service passport]

The service keeps all its other elements; its materials are replaced by N materials of a
typical size (a 10-character name, an issuer, a 30-character note). "full" prints every
note; "brief" leaves notes out (the flyer then says where the rest is). Figures feed the
flyer-fit warning of ``guide check``.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from generator.catalog import load  # noqa: E402
from generator.printing import model, render  # noqa: E402

NOTE = "须为有效期内的原件,复印件须清晰完整并由本人签名确认"  # 26 characters


def pages(catalog, sid: str, n: int, detail: str, notes: bool) -> int:
    s = next(x for x in catalog.services if x.id == sid)
    base = s.materials[0] if isinstance(s.materials, list) and s.materials else None
    mats = []
    for i in range(n):
        fields = {"ref": None, "name": f"申请材料示例第{i + 1:02d}号", "issuer": "出具机构",
                  "note": NOTE if notes else None, "originals": 1, "copies": 1, "required": True, "condition": None}
        mats.append(base.model_copy(update=fields) if base else fields)
    services = [x.model_copy(update={"materials": mats}) if x.id == sid else x for x in catalog.services]
    big = catalog.model_copy(update={"services": services})
    html = render.flyer_html(big, sid, render.Options(draft=True), detail)
    return len(PdfReader(io.BytesIO(render.html_to_pdf(html))).pages)


def most(catalog, sid: str, limit: int, detail: str, notes: bool) -> int:
    lo, hi = 0, 80  # lo fits, hi does not
    if pages(catalog, sid, hi, detail, notes) <= limit:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pages(catalog, sid, mid, detail, notes) <= limit:
            lo = mid
        else:
            hi = mid
    return lo


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--service", default="passport")
    args = ap.parse_args()
    catalog = load(ROOT / "data" / "services.yaml")
    print(f"service: {args.service}; most materials that fit (each: name, issuer, counts"
          f"{', 26-character note' if True else ''})")
    print(f"{'detail':<8} {'materials with notes':>22} {'':>4} {'without notes':>14}")
    print(f"{'':<8} {'1 page':>10} {'1 sheet':>10} {'':>4} {'1 page':>6} {'1 sheet':>7}")
    for detail in render.FLYER_DETAILS:
        row = [most(catalog, args.service, limit, detail, notes)
               for notes in (True, False) for limit in (1, model.FLYER_MAX_PAGES)]
        print(f"{detail:<8} {row[0]:>10} {row[1]:>10} {'':>4} {row[2]:>6} {row[3]:>7}")


if __name__ == "__main__":
    main()
