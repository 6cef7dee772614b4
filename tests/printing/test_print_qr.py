"""QR drawing and the offline URL fetcher, without rendering whole documents."""

from __future__ import annotations

import re

import pytest

from generator.printing import qr, render


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


def test_qr_error_correction_is_m():
    import qrcode.constants

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=1)
    code.add_data(b"https://rcfw.weihai.gov.cn/s/passport/")
    code.make(fit=True)
    assert code.get_matrix() == qr.matrix("https://rcfw.weihai.gov.cn/s/passport/")


@pytest.mark.parametrize("url", ["https://example.org/font.woff2", "http://cdn.example/x.css", "file:///etc/passwd"])
def test_fetcher_refuses_outside_resources(url):
    assert not render._allowed(url)
    html = f'<html><head><link rel="stylesheet" href="{url}"></head><body>x</body></html>'
    with pytest.raises(BaseException) as err:  # WeasyPrint's fatal fetch error is a BaseException
        render._document(html)
    assert "refused" in repr(err.value) or "Error fetching" in str(err.value)


def test_fetcher_allows_inline_data_and_templates():
    assert render._allowed("data:image/png;base64,AAAA")
    assert render._allowed((render.TEMPLATE_DIR / "common.css").as_uri())
