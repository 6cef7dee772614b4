"""Rendering: Jinja2 templates in ``templates/`` → HTML → PDF (through ``generator.pdf``,
+ pypdf for the booklet's page labels and metadata).

Every function here is deterministic: dates come from the catalog, PDF identifiers from
the content.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import jinja2

from .. import flyerfit, pdf, qr
from ..notice import HOTLINE, ask_phone, pending_labels
from ..schema import Catalog
from . import model

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

@dataclass(frozen=True)
class Options:
    draft: bool
    crop_marks: bool = False


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["unknown"] = lambda x: isinstance(x, model.Unknown)
    # Catalog text inside a CSS string (the booklet's running head): quotes and backslashes escaped.
    env.filters["css_string"] = lambda text: re.sub(r'(["\\])', r"\\\1", str(text)).replace("\n", " ")
    return env


_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _env()
    return _ENV


# ---------------------------------------------------------------- HTML


FLYER_DETAILS = flyerfit.DETAILS
"""A flyer's levels of detail, tried in order until it fits ``model.FLYER_MAX_PAGES``."""


def flyer_html(catalog: Catalog, service_id: str, opts: Options, detail: str = "full") -> str:
    svc = next(s for s in catalog.services if s.id == service_id)
    view = model.service_view(catalog, svc)
    dep = next((d.name for d in catalog.departments if d.id == svc.department), catalog.meta.city)
    phone = ask_phone(svc) or HOTLINE
    materials = [] if isinstance(view.materials, model.Unknown) else view.materials
    return env().get_template("flyer.html").render(
        s=view,
        imprint=model.imprint(catalog, opts.draft),
        qr=model.qr_or_none(view.url, lambda: qr.svg(view.url, model.FLYER_QR_MM, f"二维码:{view.url}")),
        link=model.public_link(catalog, svc.id),
        pending=pending_labels(svc),
        phone=phone,
        hotline=HOTLINE,
        counts_unknown=any(isinstance(x.counts, model.Unknown) or "待核实" in x.counts for x in materials),
        detail=detail,
        author=dep,
        draft=opts.draft,
        crop_marks=opts.crop_marks,
    )


def flyer_pdf(catalog: Catalog, service_id: str, opts: Options) -> bytes:
    """The flyer at the most detail that fits one A4 sheet (front, or front and back)."""
    return flyer_pdf_detail(catalog, service_id, opts)[0]


def flyer_pdf_detail(catalog: Catalog, service_id: str, opts: Options) -> tuple[bytes, str]:
    """The flyer at the most detail that fits one A4 sheet, and that level of detail.

    Nothing is ever cut: the brief level leaves out notes and says where the rest is. A service
    whose brief flyer still needs more pages is printed as it is (``guide check`` warns about it,
    ``guide print`` reports it)."""
    return fitted_flyer(flyer_htmls(catalog, service_id, opts))


def flyer_htmls(catalog: Catalog, service_id: str, opts: Options) -> dict[str, str]:
    """The flyer's HTML at each level of detail, in the order they are tried."""
    return {detail: flyer_html(catalog, service_id, opts, detail) for detail in FLYER_DETAILS}


def fitted_flyer(htmls: dict[str, str]) -> tuple[bytes, str]:
    """The first of ``htmls`` (level -> HTML) whose PDF fits ``model.FLYER_MAX_PAGES``, or the last."""
    from pypdf import PdfReader

    for detail, html in htmls.items():
        data = html_to_pdf(html)
        if len(PdfReader(io.BytesIO(data)).pages) <= model.FLYER_MAX_PAGES:
            break
    return data, detail


def poster_html(catalog: Catalog, size: model.PosterSize, opts: Options) -> str:
    imp = model.imprint(catalog, opts.draft)
    groups = model.stage_groups(catalog)
    return env().get_template("poster.html").render(
        imprint=imp,
        size=size,
        groups=groups,
        count=sum(len(g.services) for g in groups),
        names=model.poster_lists_names(groups),
        departments=len(catalog.departments),
        qr=model.qr_or_none(imp.home, lambda: qr.svg(imp.home, size.qr_mm, f"二维码:{imp.home}")),
        author=catalog.meta.city,
        draft=opts.draft,
        crop_marks=opts.crop_marks,
    )


CHART_STYLE = "max-width: 100%; max-height: 228mm"  # one A4 page at most; the SVG keeps its proportions (meet)


def fit_chart(svg: str) -> str:
    """A chart SVG scaled to the page width and height, keeping its proportions."""
    from ..charts.render import with_attributes

    return with_attributes(svg, style=CHART_STYLE)


def _journey_svg(catalog: Catalog) -> str:
    from ..charts import journey_chart, render_svgs

    return fit_chart(render_svgs([journey_chart(catalog)])[0])


def chart_html(catalog: Catalog, key: str, svg: str, opts: Options) -> str:
    """An A4 page of one 业务流程图: ``key`` is a service id or ``journey``."""
    if key == "journey":
        title, note, steps, author = "业务流程图", JOURNEY_NOTE, None, catalog.meta.city
    else:
        svc = next(s for s in catalog.services if s.id == key)
        view = model.service_view(catalog, svc)
        title, note, steps = f"{svc.name} 办理流程图", "", view.process
        author = next((d.name for d in catalog.departments if d.id == svc.department), catalog.meta.city)
    return env().get_template("chart.html").render(
        imprint=model.imprint(catalog, opts.draft), title=title, note=note, svg=fit_chart(svg), steps=steps,
        author=author, draft=opts.draft, crop_marks=opts.crop_marks,
    )


JOURNEY_NOTE = "按实施方案的顺序列出各步骤的事项和主办部门;箭头表示须先办理的事项,虚线为尚待核实的关系。"


def booklet_html(catalog: Catalog, opts: Options) -> str:
    """The booklet's whole HTML: its front matter and every body part, one after another."""
    parts = booklet_parts(catalog, opts)
    return "".join([parts.front, *(html for html, _ in parts.body)])


@dataclass(frozen=True)
class BookletParts:
    """The booklet as HTML (printed and joined by ``printing.booklet``): front matter, body parts."""

    front: str
    body: Iterator[tuple[str, int]]  # (HTML, how many services at its start continue an earlier part's stage)


def booklet_parts(catalog: Catalog, opts: Options, per_part: int | None = None) -> BookletParts:
    """The booklet's HTML in parts of ``per_part`` services (``model.BOOKLET_PART``); the body made lazily."""
    groups = model.stage_groups(catalog)
    parts = model.booklet_slices(groups, per_part or model.BOOKLET_PART)

    def body() -> Iterator[tuple[str, int]]:
        for i, stages in enumerate(parts):
            carried = len(stages[0].services) if stages[0].carried else 0
            yield booklet_body_html(catalog, opts, stages, i == 0, i == len(parts) - 1), carried

    return BookletParts(booklet_front_html(catalog, opts, groups), body())


def _booklet_context(catalog: Catalog, opts: Options) -> dict:
    imp = model.imprint(catalog, opts.draft)
    return dict(imprint=imp, author=catalog.meta.city, draft=opts.draft, crop_marks=opts.crop_marks)


def booklet_front_html(catalog: Catalog, opts: Options, groups: list[model.StageGroup]) -> str:
    """Cover, contents and the journey chart (the contents' page numbers come with the body)."""
    ctx = _booklet_context(catalog, opts)
    home = ctx["imprint"].home
    return env().get_template("booklet.html").render(
        groups=groups,
        count=sum(len(g.services) for g in groups),
        plan_number=catalog.meta.plan.number,
        journey=_journey_svg(catalog),
        journey_note=JOURNEY_NOTE,
        home_qr=model.qr_or_none(home, lambda: qr.svg(home, model.FLYER_QR_MM, f"二维码:{home}")),
        **ctx,
    )


def booklet_body_html(catalog: Catalog, opts: Options, stages: list, first: bool, last: bool) -> str:
    """One part of the booklet's body: ``stages`` are ``model.Slice``s; the help desk closes the last."""
    return env().get_template("booklet-body.html").render(
        stages=stages,
        first=first,
        last=last,
        qr=lambda url: model.qr_or_none(url, lambda: qr.svg(url, model.FLYER_QR_MM, f"二维码:{url}")),
        **_booklet_context(catalog, opts),
    )


def booklet_info(catalog: Catalog) -> dict:
    """The booklet's document information (pypdf writes it after joining the parts)."""
    m = catalog.meta
    date = "D:" + m.date.strftime("%Y%m%d") + "000000Z"
    return {
        "/Title": f"{m.title}({m.city})",
        "/Author": m.city,
        "/Subject": f"依据《{m.plan.title}》({m.plan.number});目录版本 {m.version}",
        "/Keywords": " ".join(re.split(r"[\s“”\"《》]+", m.title)).strip(),
        "/Creator": "yijianshi-guide",
        "/CreationDate": date,
        "/ModDate": date,
    }


# ---------------------------------------------------------------- PDF


def _document(html: str, css: str = ""):
    return pdf.document(html, TEMPLATE_DIR, css)


_WRITE = dict(pdf_identifier=True, uncompressed_pdf=False)


def html_to_pdf(html: str) -> bytes:
    """One WeasyPrint document; the identifier is a hash of its content (reproducible)."""
    return _document(html).write_pdf(**_WRITE)
