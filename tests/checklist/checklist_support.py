"""Helpers for the 我的清单 tests: catalogs, a standalone page around ``render``, a real Chromium.

Not a conftest.py on purpose: a second conftest module would shadow ``tests/conftest.py`` for the
tests that do ``from conftest import …``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.catalog import load
from generator.checklist.merge import merge_materials, select, to_plain
from generator.checklist.page import render
from generator.schema import Catalog

from support import REPO  # noqa: E402
CATALOG = REPO / "data" / "services.yaml"
MINIMAL = REPO / "tests" / "fixtures" / "minimal.yaml"


_CATALOG: Catalog | None = None


def shipped() -> Catalog:
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = load(CATALOG)
    return _CATALOG


def expected(catalog: Catalog, answers: dict[str, list[str]]) -> dict:
    """What Python computes, in the plain JSON shape (floats and ints compare equal)."""
    return json.loads(json.dumps(to_plain(merge_materials(select(catalog, answers), catalog))))


def standalone(catalog: Catalog, folder: Path) -> Path:
    """A page of its own wrapping ``render(catalog)`` at ``folder/checklist/index.html``,
    like the site's layout (so relative links point at ``../services/<id>/``)."""
    page = folder / "checklist" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>我的清单</title></head><body><main><h1>我的清单</h1>\n"
        + render(catalog)
        + "\n</main></body></html>\n",
        encoding="utf-8",
    )
    return page


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any script error or blocked network request."""
    context = browser.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    # Nothing may be fetched from the network: the page is self-contained (a local test server aside).
    local = ("file:", "http://127.0.0.1:")
    pg.route(lambda url: not url.startswith(local),
             lambda route: (errors.append(f"request: {route.request.url}"), route.abort()))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert errors == [], errors


HOSTILE = '</script><script>window.pwned=1</script><!--<img src=x onerror="window.pwned=2">&amp;\u2028'


def hostile_catalog() -> Catalog:
    """The shipped catalog with markup in every kind of text the page shows (rules would refuse
    it; the page must stay safe anyway)."""
    c = shipped()
    services = []
    for s in c.services:
        if s.id in ("passport", "archive-intake"):
            s = s.model_copy(update={"name": s.name + HOSTILE})
        if s.id == "passport":
            mats = [m.model_copy(update={"note": HOSTILE}) if m.ref == "id-card" else m for m in s.materials]
            s = s.model_copy(update={"materials": mats})
        services.append(s)
    questions = [q.model_copy(update={"text": q.text + HOSTILE,
                                      "answers": [a.model_copy(update={"label": a.label + HOSTILE}) for a in q.answers]})
                 for q in c.questions]
    materials = [m.model_copy(update={"name": m.name + HOSTILE}) if m.id == "id-card" else m for m in c.materials]
    return c.model_copy(update={"services": services, "questions": questions, "materials": materials})
