"""The page body ``render(catalog)`` as text: self-contained, escaped, reproducible."""

from __future__ import annotations

import json
import re

from checklist_support import HOSTILE, hostile_catalog, shipped
from generator.checklist.page import page_data, render

def data_block(html: str) -> str:
    m = re.search(r'<script type="application/json" id="checklist-data">(.*?)</script>', html, re.S)
    assert m
    return m.group(1)


def test_data_block_round_trips():
    html = render(shipped())
    assert json.loads(data_block(html)) == json.loads(json.dumps(page_data(shipped())))


def test_reproducible_and_no_blank_lines():
    a, b = render(shipped()), render(shipped())
    assert a == b
    # Markdown ends a raw HTML block at a blank line.
    assert all(line.strip() for line in a.splitlines())


def test_self_contained():
    html = render(shipped())
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "import(" not in html
    assert html.count("<script") == 2 and html.count("</script>") == 2


def test_form_is_accessible_markup():
    html = render(shipped())
    c = shipped()
    assert html.count("<fieldset") == len(c.questions) == html.count("<legend>")
    for q in c.questions:
        for a in q.answers:
            ident = f"cl-{q.id}-{a.id}"
            assert f'id="{ident}"' in html and f'<label for="{ident}">' in html
    assert 'role="status"' in html and 'aria-live="polite"' in html


def test_hostile_text_is_escaped():
    html = render(hostile_catalog())
    # Only the two real script elements open and close.
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "<img" not in html and "<!--" not in html
    block = data_block(html)
    assert "<" not in block and ">" not in block and "&" not in block and "\u2028" not in block
    data = json.loads(block)
    assert data["services"][0]["name"].endswith(HOSTILE)
    # In the form, the text is escaped HTML.
    assert "&lt;/script&gt;&lt;script&gt;window.pwned=1" in html
