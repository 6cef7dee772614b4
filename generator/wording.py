"""The one wording of facts every output states: short links, numbers, copy counts, fee items.

The site (as Jinja globals), print, 我的清单 and the change report all say these the same
way; ``checklist/app.js`` repeats ``number``, ``counts`` and ``fee_item`` for the browser and
a test holds the two to the same sentences.
"""

from __future__ import annotations

from .schema import FeeItem

SHORT_LINK = "s/{id}/"  # printed on paper "forever": never change it


def short_path(sid: str) -> str:
    """The short link of a service, relative to the site's root: ``s/<id>/``."""
    return SHORT_LINK.format(id=sid)


def short_url(site_url: str, sid: str) -> str:
    """The absolute short link a QR code encodes: ``<site_url>/s/<id>/``."""
    return f"{site_url.rstrip('/')}/{short_path(sid)}"


def number(n: float | int | None) -> str:
    """A number as people write it: no trailing ``.0``, at most two decimals (yuan and fen)."""
    v = round(float(n or 0), 2)
    return str(int(v)) if v.is_integer() else str(v)


def counts(originals: int | None, copies: int | None) -> str:
    """How many originals and copies of a material to bring; an unknown count says 待核实."""
    o = "原件份数待核实" if originals is None else f"原件 {originals} 份"
    c = "复印件份数待核实" if copies is None else f"复印件 {copies} 份"
    return f"{o},{c}"


def fee_item(i: FeeItem) -> str:
    """One fee item, e.g. 普通护照 120 元/本(按需)."""
    return f"{i.name} {number(i.amount)} 元/{i.unit}" + ("(按需)" if i.optional else "")


# Names the site's templates see (Jinja globals).
GLOBALS = {"short_url": short_url, "num": number, "counts": counts, "fee_item": fee_item}
