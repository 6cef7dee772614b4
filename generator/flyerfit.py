"""Will a service's text fit its one-page A4 flyer? An estimate from text lengths, without rendering.

``guide check`` must stay fast, so nothing is laid out here: each flyer element is counted in lines of
text at the width and type size ``printing/templates/flyer.css`` gives it, and the sum is turned into millimetres by
a straight line fitted to real renders (``bench/flyerfit.py`` fits it; ``tests/printing/test_flyer_fit.py``
holds the estimate to renders). Mirrors what ``printing/templates/flyer.html`` shows: pending elements as their note cut to
``NOTE_CHARS``, material notes cut to 40 characters, process steps on one line.
"""

from __future__ import annotations

import math

from .schema import Catalog, Pending, Service

PAGE_MM = 271.0  # A4 height 297 mm less the flyer's 12 mm top and 14 mm bottom page margins
NOTE_CHARS = 100  # flyer notes are cut to this length (printing.model.FLYER_NOTE_CHARS)

# Characters per line, counted in full-width (Chinese) characters; Latin letters and digits count half.
# Widths from flyer.css: text column 184 mm (A4 less 2 x 13 mm); header text beside the 48 mm QR box
# 136 mm; material items 178 mm; table cells 165 mm. One Chinese character is 1 em wide.
_PER_MM = {9.6: 1 / 3.387, 8.4: 1 / 2.963, 7.0: 1 / 2.469, 20.0: 1 / 7.056}


def _cpl(width_mm: float, pt: float) -> float:
    return width_mm * _PER_MM[pt]


def _width(text: str) -> float:
    return len(text) - 0.45 * len(text.encode("ascii", "ignore"))  # ASCII is about half as wide


def _lines(text: str, width_mm: float, pt: float = 9.6, note: str = "") -> int:
    """Lines ``text`` takes, followed by ``note`` in the 8.3 pt of span.note (on the same lines)."""
    return max(1, math.ceil((_width(text) + _width(note) * 8.3 / pt) / _cpl(width_mm, pt) - 1e-9))


def _short(text: str | None, limit: int = NOTE_CHARS) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pending(p: Pending) -> str:
    return "待核实" + _short(p.pending)


# Line heights in mm (type size x line-height 1.45) and the fixed parts of the page, from flyer.css.
LINE = 4.91  # 9.6 pt body text
SMALL = 4.28  # 8.3-8.5 pt notes and material details
H1_LINE = 8.82  # 20 pt title, line-height 1.25
HEADER_MIN = 46 + 3 + 3 + 2  # min-height, top rule, padding, margin below
SECTION = 2.2 + 5.63 + 0.8 + 1.0  # margin above, 11 pt heading, its padding, margin below


def raw_lines_mm(catalog: Catalog, s: Service, parts: dict[str, float] | None = None) -> float:
    """The flyer's height in mm as the sum of its elements, before calibration (``parts``: per section)."""
    materials = {m.id: m for m in catalog.materials}
    deps = {d.id: d.short_name for d in catalog.departments}
    h = 0.0

    # Header: title, label, summary beside the QR code; never shorter than the QR box.
    label = f"出国(境)前 · 政务服务 ① · 主办:{deps.get(s.department, '')}" + "".join(
        "、" + deps.get(d, d) for d in s.co_departments
    )
    header = 4.6 + 3.0 + _lines(s.name, 136, 20.0) * H1_LINE + _lines(label, 136, 8.4) * SMALL
    header += 2.0 + _lines(s.summary, 136) * LINE
    h += max(HEADER_MIN, header + 8.0)

    _part(parts, "header", h)
    # 谁可以申请
    audience = _pending(s.audience) if isinstance(s.audience, Pending) else s.audience
    h += SECTION + _lines(audience, 184) * LINE

    _part(parts, "audience", h)
    # 申请材料清单: per material, its name line and its detail line.
    h += SECTION
    if isinstance(s.materials, Pending):
        h += _lines(_pending(s.materials), 184) * LINE
    elif not s.materials:
        h += LINE
    else:
        for m in s.materials:
            reg = materials.get(m.ref) if m.ref else None
            name = reg.name if reg else (m.name or m.ref or "")
            cond = "" if m.required else " 有条件提交:" + _short(m.condition)
            issuer = m.issuer or (reg.issuer if reg else None)
            note = m.note or (reg.note if reg else None)
            counts = "待核实份数待核实" if m.originals is None and m.copies is None else "原件1份、复印件1份"
            detail = counts + (f";出具:{issuer}" if issuer else "") + (f";{_short(note, 40)}" if note else "")
            h += _lines(name, 178, note=cond) * LINE + _lines(detail, 178, 8.4) * SMALL + 0.6  # li margins collapse

    _part(parts, "materials", h)
    # 办结时限: two table rows.
    h += SECTION
    for t in (s.time_limits.statutory, s.time_limits.committed):
        if isinstance(t, Pending):
            h += _lines("待核实", 165, note=_short(t.pending)) * LINE + 0.8
        else:
            h += _lines("15个工作日 ", 165, note=_short(t.note)) * LINE + 0.8

    _part(parts, "time_limits", h)
    # 收费标准
    h += SECTION
    f = s.fees
    if isinstance(f, Pending):
        h += _lines(_pending(f), 184) * LINE
    elif not f.charged:
        h += _lines("不收费 ", 184, note=_short(f.note)) * LINE
    else:
        for i in f.items:
            text = f"{i.name} {i.amount:g}元/{i.unit}" + ("(按需)" if i.optional else "") + (f"({i.note})" if i.note else "")
            h += _lines(text, 184) * LINE
        if f.basis is not None:
            basis = _pending(f.basis) if isinstance(f.basis, Pending) else f.basis
            h += _lines("收费依据:" + basis, 184) * LINE
        if f.note:
            h += _lines(_short(f.note), 184, 8.4) * SMALL

    _part(parts, "fees", h)
    # 在哪里办、怎么办: process on one line, online channels, places with address and hours.
    h += SECTION
    p = s.process
    steps = _pending(p) if isinstance(p, Pending) else " → ".join(f"{k}. {x.title}" for k, x in enumerate(p, 1))
    h += _lines(steps, 165) * LINE + 0.8
    on = s.channels.online
    if isinstance(on, Pending):
        h += _lines(_pending(on), 165) * LINE
    elif not on:
        h += LINE
    else:
        h += sum(_lines(o.name + " ", 165, note=_short(o.note)) * LINE for o in on)
    h += 0.8
    places = s.channels.in_person
    if isinstance(places, Pending):
        h += _lines(_pending(places), 165) * LINE
    elif not places:
        h += LINE
    else:
        for x in places:
            address = _pending(x.address) if isinstance(x.address, Pending) else x.address
            hours = _pending(x.hours) if isinstance(x.hours, Pending) else x.hours
            h += (_lines(x.place, 165) + _lines("地址:" + address, 165) + _lines("时间:" + hours, 165)) * LINE
    h += 0.8

    _part(parts, "channels", h)
    # 咨询和监督电话: side by side.
    h += SECTION
    ph = s.phones
    if isinstance(ph, Pending):
        h += _lines(_pending(ph), 184) * LINE
    else:
        text = "".join(f"{x.kind} {x.number}   " for x in ph) or "无"  # 5 mm apart
        h += _lines(text, 184, note="".join(_short(x.note) for x in ph)) * LINE

    _part(parts, "phones", h)
    # Imprint at the foot: two lines of 7 pt.
    h += 4.0 + 1.5 + 2 * 3.58
    _part(parts, "footer", h)
    return h


def _part(parts: dict[str, float] | None, name: str, total: float) -> None:
    if parts is not None:
        parts[name] = total - sum(parts.values())


# Calibration against renders (WeasyPrint 70, Noto Sans CJK SC; bench/flyerfit.py measures and fits,
# tests/printing/test_flyer_fit.py holds the estimate to renders on both sides of the page end): over
# the 30 shipped flyers and 20 variants with 3-24 added materials, used = 1.0020 x raw - 2.09 mm; the
# raw sum overestimates one-page flyers by 1.8-2.7 mm; the fullest one-page flyer (passport, 267.4 mm
# used) comes to raw 270.0, the emptiest longer one to raw 285.2. Past a page break the estimate runs
# short by up to 6.7 mm (space the break leaves), which does not matter: only the first page counts.
SCALE = 1.0
OFFSET = -2.0


def estimate_mm(catalog: Catalog, s: Service) -> float:
    """Estimated height of the flyer's content in mm; more than ``PAGE_MM`` runs onto a second page."""
    return SCALE * raw_lines_mm(catalog, s) + OFFSET


def overflows(catalog: Catalog, s: Service) -> bool:
    return estimate_mm(catalog, s) > PAGE_MM
