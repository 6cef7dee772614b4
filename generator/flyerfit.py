"""Will a service's text fit its flyer? An estimate from text lengths, without rendering.

A flyer is one A4 sheet (front, or front and back: ``SHEET_PAGES``). It is printed at the first level
of ``DETAILS`` that fits the sheet: ``full`` shows every note, ``brief`` leaves the notes out and says
where the full text is. Nothing is ever cut.

``guide check`` must stay fast, so nothing is laid out here: each flyer element is counted in lines of
text at the width and type size ``printing/templates/flyer.css`` gives it, and the sum is turned into millimetres by
a straight line fitted to real renders (``bench/flyerfit.py`` fits it; ``tests/printing/test_flyer_fit.py``
holds the estimate to renders). Mirrors what ``printing/templates/flyer.html`` shows: pending elements as a bare
待核实 mark (the notice lists them once), process steps on one line, counts left out when unknown.
"""

from __future__ import annotations

import math

from .notice import HOTLINE, ask_phone, pending_labels
from .schema import Catalog, Pending, Service

PAGE_MM = 271.0  # A4 height 297 mm less the flyer's 12 mm top and 14 mm bottom page margins
SHEET_PAGES = 2  # one A4 sheet: front and back (printing.model.FLYER_MAX_PAGES)
DETAILS = ("full", "brief")  # tried in this order; the first that fits the sheet is printed

_EM = 0.35278  # mm per pt: one Chinese character is 1 em wide


def _width(text: str) -> float:
    return len(text) - 0.45 * len(text.encode("ascii", "ignore"))  # ASCII is about half as wide


def _lines(text: str, width_mm: float, pt: float = 9.6, note: str = "", note_pt: float = 8.3) -> int:
    """Lines ``text`` takes at ``pt``, followed on the same lines by ``note`` at ``note_pt``."""
    ems = _width(text) + _width(note) * note_pt / pt
    return max(1, math.ceil(ems / (width_mm / (pt * _EM)) - 1e-9))


def _lh(pt: float, leading: float = 1.45) -> float:
    return pt * _EM * leading


LINE = _lh(9.6)  # 4.91 mm: body text
SMALL = _lh(8.3)  # 4.25 mm: notes and material details
SECTION = 2.2 + _lh(11) + 0.8 + 1.0  # margin above, 11 pt heading, its padding, margin below
HEADER_MIN = 46 + 3 + 3 + 2  # min-height, top rule, padding, margin below
TEXT, BESIDE_QR, ITEM, CELL = 184.0, 136.0, 178.0, 165.0  # column widths in mm (A4 less 2 x 13 mm, ...)
PENDING = "待核实"
# The QR box (32 mm symbol, caption, address) ends about 62 mm below the top of the text area, 8 mm
# below the header: the notice's first two lines (from 56.5 mm) are beside it. A draft without a QR
# code has a shorter box; the estimate assumes the printed flyer's QR code.
QR_LINES = 2


def _val(x) -> str:
    return PENDING if isinstance(x, Pending) else str(x)


def raw_lines_mm(catalog: Catalog, s: Service, detail: str = "full", parts: dict[str, float] | None = None) -> float:
    """The flyer's height in mm as the sum of its elements, before calibration (``parts``: per section)."""
    full = detail == "full"
    materials = {m.id: m for m in catalog.materials}
    deps = {d.id: d.short_name for d in catalog.departments}
    h = 0.0

    def note(text: str | None) -> str:
        return (text or "") if full else ""

    # Header: kicker, title, label, summary beside the QR box; never shorter than the QR box.
    stage = next((x.name for x in catalog.stages if x.id == s.stage), s.stage)
    category = next((x.name for x in catalog.categories if x.id == s.category), s.category)
    label = f"{stage} · {category} ① · 主办:{deps.get(s.department, '')}"
    if s.co_departments:
        label += " · 协办:" + "、".join(deps.get(d, d) for d in s.co_departments)
    header = _lh(9) + 3.0 + _lines(s.name, BESIDE_QR, 20.0) * _lh(20, 1.25)
    header += _lines(label, BESIDE_QR, 8.5) * _lh(8.5) + 2.0 + _lines(s.summary, BESIDE_QR) * LINE
    h += max(HEADER_MIN, header + 8.0)
    _part(parts, "header", h)

    # The notice listing what is still 待核实, with the number to call.
    labels = pending_labels(s)
    if labels:
        phone = ask_phone(s) or HOTLINE
        text = f"本单有 {len(labels)} 项尚未核实(标“待核实”):" + "、".join(labels)
        text += f"。以办理窗口的答复为准,办理前请先打电话确认:{phone}" + ("(政务服务便民热线)" if phone == HOTLINE else "") + "。"
        # Its first lines run beside the QR box, which reaches below the header (QR_LINES of 8.8 pt).
        narrow = (BESIDE_QR - 5.2) / (8.8 * _EM)
        ems = _width(text) - QR_LINES * narrow
        n = QR_LINES + math.ceil(ems / ((TEXT - 5.2) / (8.8 * _EM)) - 1e-9) if ems > 0 else _lines(text, BESIDE_QR - 5.2, 8.8)
        h += 1.5 + 2.0 + n * _lh(8.8)
    _part(parts, "notice", h)

    h += SECTION + LINE * _lines(_val(s.audience), TEXT)
    _part(parts, "audience", h)

    # 申请材料清单: per material, its name line (with a condition) and its detail line.
    h += SECTION
    if isinstance(s.materials, Pending) or not s.materials:
        h += LINE
    else:
        unknown = False
        for m in s.materials:
            reg = materials.get(m.ref) if m.ref else None
            name = reg.name if reg else (m.name or m.ref or "")
            cond = "" if m.required else " 有条件提交" + (":" + m.condition if m.condition else "")
            issuer = m.issuer or (reg.issuer if reg else None)
            bits = []
            if m.originals is None and m.copies is None:
                unknown = True  # counts left out; the note below says so once
            else:
                bits.append("原件1份、复印件1份")
                unknown = unknown or m.originals is None or m.copies is None
            if issuer:
                bits.append("出具:" + issuer)
            if note(m.note or (reg.note if reg else None)):
                bits.append(m.note or reg.note)  # type: ignore[union-attr]
            h += _lines(name, ITEM, note=cond, note_pt=8.5) * LINE + 0.6  # li margins (0.6 mm) collapse
            if bits:
                h += _lines(";".join(bits), ITEM, 8.3) * SMALL
        if unknown:
            h += _lines("各项材料的原件、复印件份数尚未公开(待核实),以窗口答复为准。", TEXT, 8.3) * SMALL
    _part(parts, "materials", h)

    # 办结时限: two table rows.
    h += SECTION
    for t in (s.time_limits.committed, s.time_limits.statutory):
        text, n = (PENDING, "") if isinstance(t, Pending) else ("15个工作日 ", note(t.note))
        h += _lines(text, CELL, note=n) * LINE + 0.8
    _part(parts, "time_limits", h)

    # 收费标准
    h += SECTION
    f = s.fees
    if isinstance(f, Pending):
        h += LINE
    elif not f.charged:
        h += _lines("不收费 ", TEXT, note=note(f.note)) * LINE
    else:
        for i in f.items:
            text = f"{i.name} {i.amount:g}元/{i.unit}" + ("(按需)" if i.optional else "") + (f"({i.note})" if i.note else "")
            h += _lines(text, TEXT) * LINE
        if f.basis is not None:
            h += _lines("收费依据:" + _val(f.basis), TEXT) * LINE
        if note(f.note):
            h += _lines(f.note, TEXT, 8.3) * SMALL
    _part(parts, "fees", h)

    # 在哪里办、怎么办: process on one line, online channels, places with address and hours.
    h += SECTION
    p = s.process
    steps = PENDING if isinstance(p, Pending) else " → ".join(f"{k}. {x.title}" for k, x in enumerate(p, 1))
    h += _lines(steps, CELL) * LINE + 0.8
    on = s.channels.online
    if isinstance(on, Pending) or not on:
        h += LINE
    else:
        h += sum(_lines(o.name + " ", CELL, note=note(o.note)) * LINE for o in on)
    h += 0.8
    places = s.channels.in_person
    if isinstance(places, Pending) or not places:
        h += LINE
    else:
        for x in places:
            h += (_lines(x.place, CELL) + _lines("地址:" + _val(x.address), CELL) + _lines("时间:" + _val(x.hours), CELL)) * LINE
    h += 0.8
    _part(parts, "channels", h)

    # 咨询和监督电话: side by side, 5 mm apart.
    h += SECTION
    ph = s.phones
    if isinstance(ph, Pending) or not ph:
        h += LINE
    else:
        text = "".join(f"{x.kind} {x.number}   " for x in ph)
        h += _lines(text, TEXT, note="".join(note(x.note) + " " for x in ph).strip()) * LINE
    _part(parts, "phones", h)

    if not full:  # where the rest is: a sentence and the short link
        h += 2.5 + _lines("本单只列要点;各项材料说明、办理细节、设定依据等完整内容见网上指南:" + "x" * 40, TEXT, 9) * _lh(9)
    # Imprint at the foot: plan, version and date in 7 pt.
    m = catalog.meta
    imprint = f"依据《{m.plan.title}》({m.plan.number}) · 目录版本 {m.version}({m.date})印制 · 样稿 · 以网上指南所见最新版本为准"
    h += 4.0 + 1.5 + _lines(imprint, TEXT, 7) * _lh(7)
    _part(parts, "footer", h)
    return h


def _part(parts: dict[str, float] | None, name: str, total: float) -> None:
    if parts is not None:
        parts[name] = total - sum(parts.values())


# Calibration against renders (WeasyPrint, Noto Sans CJK SC, with QR codes; bench/flyerfit.py measures
# and fits, tests/printing/test_flyer_fit.py holds the estimate to renders at both page-count boundaries).
# 382 draft flyers: the 30 shipped ones (full) and passport, archive-intake, degree-verification and
# startup-loan with 1-44 added materials (46-character notes) at both levels. One-page flyers: the raw
# sum runs 1.3-1.9 mm long (mean 1.78), so OFFSET = -1.8 (estimate - used: -0.5 to +0.1 mm); the
# fullest one-page flyer then estimates 268.3 mm, the emptiest two-page one 272.6 mm (page 271 mm).
# Past a page end the space a break leaves (a material is never split) varies, -1.5 to +12.7 mm; counting
# each further page as BREAK_MM = 4 mm short (sheet: 538 mm) calls the sheet right for all but 1 of
# the 382 (archive-intake + 25 at full detail: estimated 534.3 mm, printed on 3 pages), so at the
# sheet's end the estimate is good to about one material (the bench's other 2 misses are 4-page flyers
# called 3; its least-squares line over all pages, 1.027 x raw - 7.5, is pulled by page-end space).
# Most added materials that fit, printed / estimated: one page: passport full 1/1, brief 4/4; the other three full 6/6, brief 8/8. The sheet:
# passport full 20/20, brief 31/31; archive-intake full 24/25, brief 36/36; degree-verification and
# startup-loan full 25/25, brief 36/36.
SCALE = 1.0
OFFSET = -1.8
BREAK_MM = 4.0


def estimate_mm(catalog: Catalog, s: Service, detail: str = "full") -> float:
    """Estimated height of the flyer's content in mm at ``detail``, as if on one endless page."""
    return estimate_mm_of(raw_lines_mm(catalog, s, detail))


def estimate_mm_of(raw: float) -> float:
    return SCALE * raw + OFFSET


def pages(catalog: Catalog, s: Service, detail: str = "full") -> int:
    """Estimated number of A4 pages of the flyer at ``detail``."""
    return pages_of(estimate_mm(catalog, s, detail))


def pages_of(mm: float) -> int:
    """Pages a flyer of ``mm`` estimated height takes: each page after the first holds ``BREAK_MM`` less."""
    return 1 if mm <= PAGE_MM else 1 + math.ceil((mm - PAGE_MM) / (PAGE_MM - BREAK_MM) - 1e-9)


def sheet_mm() -> float:
    """The most estimated height that still fits the sheet."""
    return PAGE_MM + (SHEET_PAGES - 1) * (PAGE_MM - BREAK_MM)


def fitting_detail(catalog: Catalog, s: Service) -> str | None:
    """The level the flyer will be printed at (the first that fits the sheet), or None if none does."""
    return next((d for d in DETAILS if pages(catalog, s, d) <= SHEET_PAGES), None)
