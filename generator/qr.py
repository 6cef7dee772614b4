"""QR codes as inline vector SVG: one path, ECC M, a 4-module quiet zone.

The one QR drawing of the project: the site's service pages, every printed document and
the 我的清单 sheet use ``svg``.
"""

from __future__ import annotations

import qrcode
import qrcode.constants

QUIET_ZONE = 4


def matrix(data: str) -> list[list[bool]]:
    """Modules of the QR symbol for ``data``, quiet zone included."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    qr.add_data(data.encode("utf-8"))
    qr.make(fit=True)
    return qr.get_matrix()


def svg(data: str, symbol_mm: float, label: str = "", css_class: str = "qr", *, title: bool = True) -> str:
    """An ``<svg>`` whose symbol (without quiet zone) is ``symbol_mm`` wide; ``css_class`` is its
    class for the page's style. ``label`` is its accessible name: a ``<title>`` (tagged PDF), or
    with ``title=False`` an ``aria-label``, which a web page's search index does not read as text.

    Runs of dark modules on a row become one rectangle, so the path stays small and
    has no seams between modules when rasterised.
    """
    m = matrix(data)
    n = len(m)
    modules = n - 2 * QUIET_ZONE
    total_mm = symbol_mm * n / modules
    parts = []
    for y, row in enumerate(m):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    named = f"<title>{_escape(label)}</title>" if label and title else ""
    aria = f' aria-label="{_escape(label)}"' if label and not title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{_escape(css_class)}" role="img"{aria} viewBox="0 0 {n} {n}" '
        f'width="{total_mm:.3f}mm" height="{total_mm:.3f}mm" shape-rendering="crispEdges">'
        f'{named}<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
