"""The one QR drawing (``generator.qr``) and the one WeasyPrint door (``generator.pdf``),
without rendering whole documents."""

from __future__ import annotations

import re
import subprocess

import pytest
import zxingcpp
from PIL import Image

from generator import pdf, qr
from generator.printing import render
from support import raster, svg_modules


def test_qr_svg_has_quiet_zone_and_size():
    url = "https://rcfw.weihai.gov.cn/s/hk-macau-stay-endorsement/"
    m = qr.matrix(url)
    n = len(m)
    assert all(not any(row) for row in m[:4] + m[-4:])
    assert all(not any(row[:4]) and not any(row[-4:]) for row in m)
    svg = qr.svg(url, 32)
    assert f'viewBox="0 0 {n} {n}"' in svg
    total = float(re.search(r'width="([\d.]+)mm"', svg).group(1))
    assert total * (n - 8) / n == pytest.approx(32, abs=0.01)
    coords = [int(x) for x in re.findall(r"M(\d+) (\d+)", svg) for x in x]
    assert min(coords) >= 4 and max(coords) <= n - 5
    assert "<image" not in svg


def test_qr_svg_draws_its_matrix_and_decodes_with_error_correction_m():
    """Decoded from the drawn path, not re-typed from the library call: text and ECC level."""
    url = "https://rcfw.weihai.gov.cn/s/passport/"
    drawn = svg_modules(qr.svg(url, 32))
    assert drawn == qr.matrix(url)
    found = zxingcpp.read_barcodes(raster(drawn))
    assert [(r.text, r.ec_level) for r in found] == [(url, "M")]


def test_qr_label_is_a_title_or_an_aria_label():
    url = "https://rcfw.weihai.gov.cn/s/passport/"
    assert "<title>二维码:&lt;护照&gt;</title>" in qr.svg(url, 32, "二维码:<护照>")
    web = qr.svg(url, 30, "二维码:护照", "guide-qr__code", title=False)
    assert 'class="guide-qr__code"' in web and 'aria-label="二维码:护照"' in web and "<title>" not in web


@pytest.mark.parametrize("url", ["https://example.org/font.woff2", "http://cdn.example/x.css", "file:///etc/passwd"])
def test_fetcher_refuses_outside_resources(url):
    assert not pdf.allowed(url, render.TEMPLATE_DIR)
    html = f'<html><head><link rel="stylesheet" href="{url}"></head><body>x</body></html>'
    with pytest.raises(BaseException) as err:  # WeasyPrint's fatal fetch error is a BaseException
        render._document(html)
    assert "refused" in repr(err.value) or "Error fetching" in str(err.value)


def test_fetcher_allows_inline_data_and_templates():
    assert pdf.allowed("data:image/png;base64,AAAA", render.TEMPLATE_DIR)
    assert pdf.allowed((render.TEMPLATE_DIR / "common.css").as_uri(), render.TEMPLATE_DIR)
    assert not pdf.allowed((render.TEMPLATE_DIR.parent / "model.py").as_uri(), render.TEMPLATE_DIR)


def test_checklist_pdf_fetches_a_local_resource(tmp_path, monkeypatch):
    """The 我的清单 sheet goes through the same door: a file beside its template is embedded
    (its old fetcher failed here on WeasyPrint 70), a file elsewhere stops the rendering."""
    from generator.checklist import pdf as checklist_pdf
    from generator.checklist.merge import parse_answers
    from support import CATALOG
    from generator.catalog import load

    templates = tmp_path / "templates"
    templates.mkdir()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(templates / "mark.png")
    monkeypatch.setattr(checklist_pdf, "TEMPLATE_DIR", templates)
    monkeypatch.setattr(checklist_pdf, "checklist_html", lambda *a, **k: '<p>x</p><img src="mark.png">')
    catalog = load(CATALOG)
    out = tmp_path / "out" / "checklist.pdf"
    checklist_pdf.print_checklist(catalog, parse_answers("stage=before", catalog), out, draft=True)
    images = subprocess.run(["pdfimages", "-list", str(out)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^\s*1\s+0\s+image\s+40\s+40\b", images, re.M), images

    outside = tmp_path / "elsewhere.png"
    Image.new("RGB", (4, 4)).save(outside)
    monkeypatch.setattr(checklist_pdf, "checklist_html", lambda *a, **k: f'<img src="{outside.as_uri()}">')
    with pytest.raises(BaseException):
        checklist_pdf.print_checklist(catalog, parse_answers("stage=before", catalog), tmp_path / "no.pdf", draft=True)
    assert not (tmp_path / "no.pdf").exists()
