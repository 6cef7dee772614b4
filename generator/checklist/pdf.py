"""``guide print --checklist``: the personalised list as one A4 PDF (WeasyPrint, Noto Sans CJK SC).

The template is ``print/checklist.html`` (Jinja2, autoescaped); no remote resource is ever
fetched. Output is written to a temporary file and renamed, so nothing half-written is left.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import jinja2

from ..schema import Catalog, is_pending
from . import text
from .merge import Answers, AnswerError, format_answers, merge_materials, parse_answers, select

__all__ = ["print_checklist", "parse_answers", "AnswerError", "checklist_html"]

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "print"


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        count_text=text.count_text, item_counts=text.item_counts, fee_text=text.fee_text,
        committed_text=text.committed_text, stage_fee_text=text.stage_fee_text,
        stage_limit_text=text.stage_limit_text, names=text.names, is_pending=is_pending,
    )
    return env


def _qr_svg(data: str) -> str:
    """Vector QR (ECC M, 4-module quiet zone) as inline SVG markup."""
    import qrcode
    import qrcode.constants
    import qrcode.image.svg

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=10,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(data.encode("utf-8"))
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    return svg[svg.index("<svg"):]


def checklist_html(catalog: Catalog, answers: Answers, *, draft: bool) -> str:
    services = select(catalog, answers)
    merged = merge_materials(services, catalog)
    query = format_answers(answers, catalog)
    link = f"{catalog.meta.site_url}/checklist/#{query}"
    said = []
    for q in catalog.questions:
        chosen = [a.label for a in q.answers if a.id in answers.get(q.id, [])]
        if chosen:
            said.append((q.text, "、".join(chosen)))
    return _env().get_template("checklist.html").render(
        meta=catalog.meta,
        said=said,
        merged=merged,
        by_id={s.id: s for s in catalog.services},
        departments={d.id: d.short_name for d in catalog.departments},
        stages={s.id: s for s in catalog.stages},
        short_link=lambda sid: f"{catalog.meta.site_url}/s/{sid}/",
        link=link,
        qr=_qr_svg(link),
        draft=draft,
    )


def _fetcher(url: str, *args, **kwargs):
    """Only data: URLs: the checklist needs no other resource, and must never reach the network."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"refused resource {url!r}")


def print_checklist(catalog: Catalog, answers: dict[str, list[str]], out_path: Path, *, draft: bool) -> None:
    """Write the A4 PDF of the list for ``answers`` (as returned by ``parse_answers``) to ``out_path``."""
    from weasyprint import HTML

    html = checklist_html(catalog, answers, draft=draft)
    pdf = HTML(string=html, base_url=str(TEMPLATE_DIR) + "/", url_fetcher=_fetcher).write_pdf(
        pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode()  # reproducible: from the content
    )
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".checklist-", suffix=".pdf", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
