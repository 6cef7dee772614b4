"""Rendering: Jinja2 templates in ``print/`` → HTML → WeasyPrint PDF (+ pypdf for the booklet).

The only module that touches WeasyPrint. Every function here is deterministic: dates
come from the catalog, PDF identifiers from the content.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import flyerfit
from ..notice import HOTLINE, ask_phone, pending_labels
from ..schema import Catalog
from . import model, qr

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "print"

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
        sections=model.FLYER_SECTIONS,
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
    from pypdf import PdfReader

    for detail in FLYER_DETAILS:
        data = html_to_pdf(flyer_html(catalog, service_id, opts, detail))
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


def booklet_html(catalog: Catalog, opts: Options) -> str:
    imp = model.imprint(catalog, opts.draft)
    groups = model.stage_groups(catalog)
    return env().get_template("booklet.html").render(
        imprint=imp,
        groups=groups,
        count=sum(len(g.services) for g in groups),
        plan_number=catalog.meta.plan.number,
        home_qr=model.qr_or_none(imp.home, lambda: qr.svg(imp.home, model.FLYER_QR_MM, f"二维码:{imp.home}")),
        qr=lambda url: model.qr_or_none(url, lambda: qr.svg(url, model.FLYER_QR_MM, f"二维码:{url}")),
        author=catalog.meta.city,
        draft=opts.draft,
        crop_marks=opts.crop_marks,
    )


# ---------------------------------------------------------------- PDF


def _allowed(url: str) -> bool:
    """Only inline data and files under ``print/``: no network, nothing else on disk."""
    if url.startswith("data:"):
        return True
    if url.startswith("file://"):
        from urllib.parse import unquote, urlsplit

        return Path(unquote(urlsplit(url).path)).resolve().is_relative_to(TEMPLATE_DIR)
    return False


def _fetcher(url: str, *args, **kwargs):
    """WeasyPrint < 70 style fetcher (a function); see ``_url_fetcher``."""
    from weasyprint import urls

    if not _allowed(url):
        raise ValueError(f"refused resource {url!r}: print templates may not load external resources")
    return urls.default_url_fetcher(url, *args, **kwargs)


_FETCHER = None


def _url_fetcher():
    """A fetcher that refuses remote URLs; a refused resource stops the rendering."""
    global _FETCHER
    if _FETCHER is None:
        from weasyprint import urls

        if hasattr(urls, "URLFetcher"):  # WeasyPrint >= 70: a class with fetch()

            class OfflineFetcher(urls.URLFetcher):
                def fetch(self, url, headers=None):
                    if not _allowed(url):
                        raise ValueError(f"refused resource {url!r}: print templates may not load external resources")
                    return super().fetch(url, headers)

            _FETCHER = OfflineFetcher(allowed_protocols={"data", "file"}, fail_on_errors=True)
        else:
            _FETCHER = _fetcher
    return _FETCHER


def _document(html: str):
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATE_DIR) + "/", url_fetcher=_url_fetcher()).render()


_WRITE = dict(pdf_identifier=True, uncompressed_pdf=False)


def html_to_pdf(html: str) -> bytes:
    """One WeasyPrint document; the identifier is a hash of its content (reproducible)."""
    return _document(html).write_pdf(**_WRITE)


def booklet_pdf(catalog: Catalog, html: str) -> bytes:
    """The booklet, then pypdf adds page labels and the document information."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    doc = _document(html)
    body_start = toc_start = None
    for i, page in enumerate(doc.pages):
        if toc_start is None and "contents" in page.anchors:
            toc_start = i
        if body_start is None and "body" in page.anchors:
            body_start = i
    raw = doc.write_pdf(**_WRITE)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    n = len(writer.pages)
    toc_start = 1 if toc_start is None else toc_start
    body_start = n if body_start is None else body_start
    # Labels match the printed numbers: cover "封面", contents i, ii …, body 1, 2 …
    writer.set_page_label(0, max(0, toc_start - 1), prefix="封面")
    if body_start > toc_start:
        writer.set_page_label(toc_start, body_start - 1, style="/r")
    if body_start < n:
        writer.set_page_label(body_start, n - 1, style="/D", start=1)
    m = catalog.meta
    date = "D:" + m.date.strftime("%Y%m%d") + "000000Z"
    writer.add_metadata(
        {
            "/Title": f"{m.title}({m.city})",
            "/Author": m.city,
            "/Subject": f"依据《{m.plan.title}》({m.plan.number});目录版本 {m.version}",
            "/Keywords": "留学人才服务 一件事 办事指南",
            "/Creator": "yijianshi-guide",
            "/CreationDate": date,
            "/ModDate": date,
        }
    )
    writer.page_mode = "/UseOutlines"
    digest = hashlib.md5(raw).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # deterministic /ID
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
