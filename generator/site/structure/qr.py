"""QR codes of short links as inline SVG: vector, ECC M, 4-module quiet zone."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def short_url(site_url: str, sid: str) -> str:
    return f"{site_url.rstrip('/')}/s/{sid}/"


def qr_svg(data: str, label: str) -> str:
    """An ``<svg>`` element (no XML declaration) encoding ``data``, labelled for screen readers."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=10,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(data)
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    # The label is escaped by the caller's template; here it is attribute text we build.
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="guide-qr__code" ', 1)
