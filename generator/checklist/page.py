"""The 我的清单 page body: the questions as a form, the catalog data as JSON, and the app.

Everything is inline (no server, no CDN, works from file://). Catalog text reaches the page
only as escaped HTML text or inside the JSON data block, never as markup.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..schema import Catalog, Service, is_pending
from .merge import STAGE_QUESTION
from .text import where_facts

HERE = Path(__file__).parent

#: Where a service page lives, relative to the checklist page (app.js adds index.html on file://).
LINK_PREFIX = "../services/"


def _plain(value: object) -> object:
    """A pydantic value as JSON data; Pending stays ``{"pending": text}``."""
    if is_pending(value):
        return {"pending": value.pending}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude={"source"})
    return value


def _service(s: Service, departments: dict[str, str]) -> dict:
    fees = _plain(s.fees)
    if isinstance(fees, dict) and "pending" not in fees:
        fees = {"charged": fees["charged"], "items": fees["items"]}
    materials = _plain(s.materials)
    if isinstance(materials, list):
        keep = ("ref", "name", "originals", "copies", "required", "condition", "note")
        materials = [{k: m[k] for k in keep} for m in materials]
    committed = _plain(s.time_limits.committed)
    if isinstance(committed, dict) and "pending" not in committed:
        committed = {k: committed[k] for k in ("value", "unit")}
    return {
        "id": s.id,
        "name": s.name,
        "stage": s.stage,
        "category": s.category,
        "number": s.number,
        "status": s.status,
        "department": departments.get(s.department, s.department),
        "applies": [dict(c) for c in s.applies],
        "materials": materials,
        "fees": fees,
        "committed": committed,
        "where": where_facts(s),
    }


def page_data(catalog: Catalog) -> dict:
    """Everything app.js needs, and nothing more."""
    departments = {d.id: d.short_name for d in catalog.departments}
    return {
        "stageQuestion": STAGE_QUESTION,
        "questions": [q.model_dump(mode="json") for q in catalog.questions],
        "stages": [{"id": s.id, "name": s.name} for s in catalog.stages],
        "categories": [{"id": c.id, "name": c.name} for c in catalog.categories],
        "materials": [
            {"id": m.id, "name": m.name, "issuer": m.issuer, "note": m.note} for m in catalog.materials
        ],
        "services": [_service(s, departments) for s in catalog.services],
    }


def json_for_script(data: object) -> str:
    """JSON safe inside <script type="application/json">: no "<", ">" or "&" survive as such,
    so catalog text can never close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _form(catalog: Catalog) -> str:
    e = html.escape
    parts = ['<form id="checklist-form" class="checklist-form" hidden>']
    for q in catalog.questions:
        kind = "checkbox" if q.multiple else "radio"
        hint = "(可多选)" if q.multiple else ""
        parts.append(f'<fieldset class="checklist-question" data-question="{e(q.id)}">')
        parts.append(f"<legend>{e(q.text)}{hint}</legend>")
        for a in q.answers:
            ident = e(f"cl-{q.id}-{a.id}")
            parts.append(
                f'<div class="checklist-option"><input type="{kind}" id="{ident}" name="q-{e(q.id)}" value="{e(a.id)}">'
                f'<label for="{ident}">{e(a.label)}</label></div>'
            )
        parts.append("</fieldset>")
    parts.append("</form>")
    return "".join(parts)


def _asset(name: str) -> str:
    text = (HERE / name).read_text(encoding="utf-8")
    # No blank lines: Markdown ends a raw HTML block at a blank line.
    return "\n".join(line for line in text.splitlines() if line.strip())


def render(catalog: Catalog) -> str:
    """HTML for the body of the 我的清单 page."""
    return "\n".join(
        [
            f'<div id="checklist" class="checklist" data-link-prefix="{LINK_PREFIX}">',
            '<p class="checklist-intro">回答几个问题,列出您要办的事项和要带的材料,每种材料只列一次。'
            "答案保存在本页链接中,可收藏、转发或打印。</p>",
            "<noscript><p>本页需要启用 JavaScript 才能生成清单;也可以在“全部事项”中逐项查看。</p></noscript>",
            _form(catalog),
            '<div id="checklist-actions" class="checklist-actions" hidden>'
            '<button type="button" id="checklist-clear" class="md-button">清除答案</button> '
            '<button type="button" id="checklist-print" class="md-button md-button--primary">打印清单</button>'
            '<p class="checklist-link-line">本清单的链接:<a id="checklist-link" href="#"></a></p>'
            '<p id="checklist-notice" class="checklist-notice"></p></div>',
            '<p id="checklist-summary" class="checklist-summary"></p>',
            '<p id="checklist-status" class="checklist-status" role="status" aria-live="polite"></p>',
            '<div id="checklist-result" class="checklist-result"></div>',
            "</div>",
            f'<script type="application/json" id="checklist-data">{json_for_script(page_data(catalog))}</script>',
            f"<style>\n{_asset('app.css')}\n</style>",
            f"<script>\n{_asset('app.js')}\n</script>",
        ]
    )
