"""``print_checklist``: the same list as one A4 PDF, checked with poppler and a QR decoder."""

from __future__ import annotations

import re
import subprocess

import pytest

from checklist_support import hostile_catalog, shipped
from support import run
from generator.checklist.merge import merge_materials, select
from generator.checklist.pdf import checklist_html, parse_answers, print_checklist

# 居民身份证 shared by two services (the 港澳 material lists rested on secondary sites only and are 待核实 now)
HK = "stage=before,after&destination=abroad&funding=self&plans=car"


def flat(text: str) -> str:
    """pdftotext output without line breaks and spaces (lines wrap anywhere in Chinese)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def hk_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "hk.pdf"
    print_checklist(shipped(), parse_answers(HK, shipped()), out, draft=True)
    return out


def test_services_and_materials_present_id_card_once(hk_pdf):
    text = flat(run("pdftotext", str(hk_pdf), "-"))
    c = shipped()
    answers = parse_answers(HK, c)
    merged = merge_materials(select(c, answers), c)
    for s in merged.services:
        assert flat(s.name) in text, s.name
    for sm in merged.shared:
        issuer = f"({sm.material.issuer})" if sm.material.issuer else ""
        assert flat(sm.material.name) + flat(issuer) + "—用于" in text, sm.material.name
    assert text.count("居民身份证—用于") == 1
    assert "居民身份证—用于:普通护照签发、查询出入境记录" in text
    assert "已知合计120元" in text


def watermark(pdf) -> bool:
    """The rotated 样稿 comes out of pdftotext one character per line."""
    lines = [x.strip() for x in run("pdftotext", str(pdf), "-").splitlines()]
    return "样" in lines and "稿" in lines


def test_draft_is_marked(hk_pdf):
    assert watermark(hk_pdf)


def test_a4_and_only_noto_cjk_embedded(hk_pdf):
    info = run("pdfinfo", str(hk_pdf))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    fonts = run("pdffonts", str(hk_pdf)).splitlines()[2:]
    assert fonts and all("NotoSansCJK" in f.replace("-", "") and " yes yes " in f for f in fonts), fonts


def test_qr_opens_the_personalised_list(tmp_path):
    c = shipped()
    real = c.model_copy(update={"meta": c.meta.model_copy(update={"site_url": "https://liuxue.weihai.gov.cn"})})
    pdf = tmp_path / "hk.pdf"
    print_checklist(real, parse_answers(HK, real), pdf, draft=True)
    run("pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p"))
    png = next(tmp_path.glob("p*.png"))
    decoded = run("zbarimg", "--raw", "-q", str(png)).strip()
    assert decoded == f"https://liuxue.weihai.gov.cn/checklist/#{HK}"


def test_no_qr_to_a_placeholder_address(hk_pdf, tmp_path):
    """The shipped catalog's address is a placeholder: no QR code, and the path instead of a dead link."""
    run("pdftoppm", "-r", "150", "-png", str(hk_pdf), str(tmp_path / "p"))
    for png in tmp_path.glob("p*.png"):
        # zbarimg exits non-zero when it finds no code, so not through ``run``
        found = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True).stdout
        assert found.strip() == "", found
    text = flat(run("pdftotext", str(hk_pdf), "-"))
    assert shipped().meta.site_url.split("//")[1] not in text
    ids = {s.id for s in shipped().services}
    shown = set(re.findall(r"/s/([a-z0-9-]+)/", text))
    assert "/checklist/#" in text and shown and shown <= ids, shown


def test_reproducible_and_draft_flag(tmp_path):
    c = shipped()
    answers = parse_answers("stage=after&plans=car", c)
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    print_checklist(c, answers, a, draft=False)
    print_checklist(c, answers, b, draft=False)
    assert a.read_bytes() == b.read_bytes()
    assert not watermark(a)
    assert "留学人员购买免税国产汽车" in flat(run("pdftotext", str(a), "-"))
    # Written through a temporary file: nothing else is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]


def test_template_autoescapes_catalog_text():
    html = checklist_html(hostile_catalog(), parse_answers("stage=before&destination=abroad&funding=self", shipped()), draft=False)
    assert "<script" not in html and "<img" not in html
    assert "&lt;/script&gt;&lt;script&gt;window.pwned=1" in html


def test_each_service_has_its_place_and_phone(hk_pdf):
    text = flat(run("pdftotext", str(hk_pdf), "-"))
    assert text.count("地点:威海市政务服务中心三楼F区出入境接待大厅") >= 2
    assert "电话:12367" in text


def test_stage_limit_never_calls_a_known_minimum_the_longest():
    """With some limits unknown, the known ones are a lower bound: said so, never "最长" alone."""
    from generator.checklist import text as words

    c = shipped()
    answers = parse_answers("stage=before&stage=after&destination=hk-macau&funding=self&plans=car&plans=degree", c)
    stages = merge_materials(select(c, answers), c).stages
    mixed = [st for st in stages if st.longest and st.limit_pending]
    assert mixed, "the shipped catalog has a stage with known and unknown limits"
    for st in mixed:
        line = words.stage_limit_text(st)
        assert "尚不能确定" in line and not line.startswith("最长") and "已知最长" not in line
