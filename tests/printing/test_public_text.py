"""Editors' notes and secondary sources (editors' leads) never reach the public: not in any page,
search index or file of the site, and not in the text of any PDF.

The needles come from the loaded shipped catalog, so the check grows as notes move into
``editor_note``; a planted note proves the check can fail.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.schema import is_pending
from generator.site.build import build_site

from printhelp import REPO

TEXT_SUFFIXES = {".html", ".json", ".js", ".xml", ".txt", ".webmanifest"}


def _editor_notes(node) -> list[str]:
    """Every ``editor_note`` of every 待核实 element, anywhere in the catalog."""
    out: list[str] = []
    if is_pending(node):
        if node.editor_note:
            out.append(node.editor_note)
        return out
    if isinstance(node, (list, tuple)):
        for x in node:
            out.extend(_editor_notes(x))
    elif hasattr(type(node), "model_fields"):
        for name in type(node).model_fields:
            out.extend(_editor_notes(getattr(node, name)))
    return out


def needles(catalog) -> set[str]:
    found = set(_editor_notes(catalog))
    for src in catalog.sources:
        if src.type == "secondary":
            found.add(src.title)
            if src.url:
                found.add(src.url)
    return {n.strip() for n in found if n and n.strip()}


def _site_texts(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json":
                try:
                    text = json.dumps(json.loads(text), ensure_ascii=False)
                except ValueError:
                    pass
            yield path.relative_to(site), html.unescape(text)
        elif path.is_file() and path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
            yield path.relative_to(site), text


def _leaks(site: Path, words: set[str]) -> list[str]:
    bad = []
    for rel, text in _site_texts(site):
        flat = "".join(text.split())
        for w in words:
            if "".join(w.split()) in flat:
                bad.append(f"{rel}: {w}")
    return bad


@pytest.fixture(scope="module")
def public_site(printed, tmp_path_factory) -> Path:
    """The shipped catalog's site with its PDFs (print/ inside it): everything the public sees."""
    out, _ = printed
    site = tmp_path_factory.mktemp("public") / "site"
    build_site(REPO, site, catalog=REPO / "data" / "services.yaml", print_dir=out)
    return site


def test_no_editor_note_or_secondary_source_in_public_text(public_site, catalog):
    words = needles(catalog)
    assert any(s.type == "secondary" for s in catalog.sources), "the shipped catalog has editors' leads to check"
    assert list(public_site.rglob("*.pdf")), "the PDFs are part of the check"
    bad = _leaks(public_site, words)
    assert not bad, "\n".join(bad[:30])


def test_planted_editor_note_is_found_by_the_check(tmp_path):
    """The check can fail: a note planted into the public text is reported."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>地址取自 &ldquo;某转载页&rdquo;</p>", encoding="utf-8")
    assert _leaks(site, {"地址取自“某转载页”"}) == ["a/index.html: 地址取自“某转载页”"]


def test_editor_notes_stay_out_of_the_site(tmp_path):
    """Editor notes on pending elements are shown by guide pending, never on a page or in a PDF."""
    text = (REPO / "data" / "services.yaml").read_text(encoding="utf-8")
    # The catalog's own notes (single-line scalars) give way to the planted ones: one per element.
    text = re.sub(r"^ +editor_note: [^\n{>|]*\n", "", text, flags=re.M)
    planted = "编辑线索甲乙丙:某商业网站称每周六也办公"
    text, count = re.subn(r"^( +)pending: ", "\\1editor_note: 编辑线索丁戊己\n\\1pending: ", text, flags=re.M)
    old = "editor_note: 编辑线索丁戊己\n      pending: 国际人才港办公时间未公开"
    assert old in text
    text = text.replace(old, f"editor_note: {planted}\n      pending: 国际人才港办公时间未公开", 1)
    path = tmp_path / "services.yaml"
    path.write_text(text, encoding="utf-8")
    from generator.catalog import load
    from generator.printing.build import print_all

    catalog = load(path)
    assert planted in needles(catalog) and count > 10
    printed = tmp_path / "print"
    print_all(catalog, printed, draft=True, only={"passport", "care-abroad"}, overview=True)
    site = tmp_path / "site"
    build_site(REPO, site, catalog=path, print_dir=printed)
    assert list(site.rglob("*.pdf"))
    assert _leaks(site, {planted, "编辑线索丁戊己"}) == []
