"""``guide print --checklist``: the personalised list as one A4 PDF (WeasyPrint, Noto Sans CJK SC).

The template is ``printing/templates/checklist.html`` (Jinja2, autoescaped); no remote resource is ever
fetched. Output is written to a temporary file and renamed, so nothing half-written is left.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from .. import pdf
from .. import qr
from ..files import atomic_write
from ..links import is_placeholder
from ..schema import Catalog, is_pending
from ..wording import short_url
from . import text
from .merge import Answers, AnswerError, format_answers, merge_materials, parse_answers, select

__all__ = ["print_checklist", "parse_answers", "AnswerError", "checklist_html"]

QR_MM = 32  # as on a flyer; the template's style sets the same size

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "printing" / "templates"


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
        stage_limit_text=text.stage_limit_text, where_text=text.where_text, names=text.names, is_pending=is_pending,
    )
    return env


def checklist_html(catalog: Catalog, answers: Answers, *, draft: bool) -> str:
    services = select(catalog, answers)
    merged = merge_materials(services, catalog)
    query = format_answers(answers, catalog)
    # A placeholder site address never goes on a QR code or on paper as a link: the path only.
    placeholder = is_placeholder(catalog.meta.site_url)
    base = "" if placeholder else catalog.meta.site_url
    link = f"{base}/checklist/#{query}"
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
        short_link=lambda sid: short_url(base, sid),
        link=link + ("(正式网址待公布)" if placeholder else ""),
        qr=None if placeholder else qr.svg(link, QR_MM),
        draft=draft,
    )


def print_checklist(catalog: Catalog, answers: dict[str, list[str]], out_path: Path, *, draft: bool) -> None:
    """Write the A4 PDF of the list for ``answers`` (as returned by ``parse_answers``) to ``out_path``."""
    from ..printing.fonts import require_chinese_font

    require_chinese_font()  # PrintError before anything is written (or WeasyPrint is even loaded)
    html = checklist_html(catalog, answers, draft=draft)
    data = pdf.write_pdf(
        html, TEMPLATE_DIR,
        pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode()  # reproducible: from the content
    )
    atomic_write(Path(out_path), data)
