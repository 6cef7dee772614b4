"""Every PDF made from the shipped catalog: QR codes, fonts, boxes, text, line breaks, watermark."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from generator.printing import model, render
from generator.wording import short_url

from printhelp import run

MM = 72 / 25.4
BLEED_PT = 3 * MM
SIZES_PT = {  # trim width, height in points
    "flyer": (210 * MM, 297 * MM),
    "booklet": (210 * MM, 297 * MM),
    "poster-a3": (297 * MM, 420 * MM),
    "poster-a1": (594 * MM, 841 * MM),
}
NO_START = "，。、；：？！）」》"
NO_END = "（「《"


def _items(printed):
    return printed[1]["items"]


def _expected_urls(item, catalog) -> set[str]:
    if item["kind"] == "flyer":
        return {short_url(catalog.meta.site_url, item["id"])}
    if item["kind"] == "poster":
        return {model.home_url(catalog)}
    return {model.home_url(catalog)} | {short_url(catalog.meta.site_url, s.id) for s in model.plan_order(catalog)}


def _pages_png(pdf: Path, out: Path, dpi: int = 150, page: int | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    run("pdftoppm", "-r", str(dpi), *pages, "-png", str(pdf), str(out / "p"))
    return sorted(out.glob("p-*.png"))


# ---------------------------------------------------------------- the set


def test_manifest_lists_every_document(printed, catalog):
    out, manifest = printed
    active = [s.id for s in model.plan_order(catalog)]
    assert manifest["catalog_version"] == catalog.meta.version
    assert manifest["catalog_date"] == catalog.meta.date.isoformat()
    assert manifest["draft"] is True
    kinds = [(i["kind"], i["id"]) for i in manifest["items"]]
    assert kinds == [("booklet", "booklet"), ("poster", "poster-a1"), ("poster", "poster-a3")] + [
        ("flyer", sid) for sid in active
    ]
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert "留学" in text  # ensure_ascii=False
    for item in manifest["items"]:
        pdf = out / item["file"]
        assert pdf.is_file() and pdf.stat().st_size == item["bytes"]
        assert len(PdfReader(pdf).pages) == item["pages"]
        with Image.open(out / item["thumbnail"]) as im:
            assert im.format == "PNG" and im.width == 300
    assert not list(out.parent.glob(".print.*")), "temporary folders left behind"


# ---------------------------------------------------------------- QR codes


def _page_of(pdf: Path, needle: str) -> int:
    """1-based number of the first page whose text holds ``needle``."""
    pages = run("pdftotext", str(pdf), "-").split("\f")
    return next(i + 1 for i, text in enumerate(pages) if needle in _flat(text))


def test_sampled_qr_codes_decode_to_their_links(printed, catalog, tmp_path):
    """Decoded at 150 dpi by zbarimg and zxing-cpp: one flyer, the A3 poster, and two booklet
    pages (the cover and the first service's page). Every other QR is tied to its URL below."""
    out, manifest = printed
    by_id = {i["id"]: i for i in manifest["items"]}
    first = model.plan_order(catalog)[0]
    first_url = short_url(catalog.meta.site_url, first.id)
    booklet = out / by_id["booklet"]["file"]
    samples = [
        (by_id["passport"], None, _expected_urls(by_id["passport"], catalog)),
        (by_id["poster-a3"], None, _expected_urls(by_id["poster-a3"], catalog)),
        (by_id["booklet"], 1, {model.home_url(catalog)}),
        (by_id["booklet"], _page_of(booklet, _flat(first_url)), {first_url}),
    ]
    with ThreadPoolExecutor(2) as pool:  # poppler and zbar run as processes: use both cores
        list(pool.map(lambda x: _check_qr(x[0], catalog, out, tmp_path / f"{x[0]['id']}-{x[1]}", x[1], x[2]), samples))


def test_every_qr_is_drawn_for_its_link(printed, catalog):
    """Every document carries the shared QR drawing of exactly its URLs (the drawing itself is
    decoded above and in tests/test_qr_pdf.py), and prints each URL beside it."""
    from generator import qr

    out, manifest = printed
    opts = render.Options(draft=True)
    for item in manifest["items"]:
        urls = _expected_urls(item, catalog)
        if item["kind"] == "flyer":
            html = render.flyer_html(catalog, item["id"], opts)
            assert qr.svg(next(iter(urls)), model.FLYER_QR_MM, f"二维码:{next(iter(urls))}") in html
        elif item["kind"] == "poster":
            size = next(p for p in model.POSTER_SIZES if p.id == item["id"])
            assert qr.svg(model.home_url(catalog), size.qr_mm, f"二维码:{model.home_url(catalog)}") in render.poster_html(
                catalog, size, opts)
        drawn = set(re.findall(r"<title>二维码:([^<]+)</title>", _html_of(item, catalog, opts)))
        assert drawn == urls, item["file"]
        # pdftotext joins a word broken at a line-end hyphen without it (hk-|macau → hkmacau).
        text = _flat(run("pdftotext", str(out / item["file"]), "-")).replace("-", "")
        for url in urls:
            assert url.replace("-", "") in text, f"{item['file']}: {url} not printed"


def _html_of(item, catalog, opts) -> str:
    if item["kind"] == "flyer":
        return render.flyer_html(catalog, item["id"], opts)
    if item["kind"] == "poster":
        return render.poster_html(catalog, next(p for p in model.POSTER_SIZES if p.id == item["id"]), opts)
    return render.booklet_html(catalog, opts)


def _check_qr(item, catalog, out: Path, tmp: Path, page: int | None, expected: set[str]) -> None:
    zbar_all: set[str] = set()
    zxing_all: set[str] = set()
    for png in _pages_png(out / item["file"], tmp, page=page):
        proc = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
        zbar = {line for line in proc.stdout.splitlines() if line}
        with Image.open(png) as im:
            found = zxingcpp.read_barcodes(im)
        zxing = {b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode}
        assert all(b.ec_level in ("M", "Q") for b in found), f"{item['file']}: error correction"
        assert zbar == zxing, f"{item['file']} {png.name}: zbar {zbar} ≠ zxing {zxing}"
        assert zbar <= expected, f"{item['file']} {png.name}: unexpected {zbar - expected}"
        zbar_all |= zbar
        zxing_all |= zxing
        if item["kind"] != "booklet":
            least = 30 if item["kind"] == "flyer" else (70 if item["id"] == "poster-a3" else 180)
            for b in found:
                side_mm = _side_px(b.position) / 150 * 25.4
                assert side_mm >= least, f"{item['file']}: QR only {side_mm:.1f} mm"
        png.unlink()
    assert zbar_all == expected, f"{item['file']}: missing {expected - zbar_all}"
    assert zxing_all == expected


def _side_px(pos) -> float:
    pts = [pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left]
    sides = [((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5 for a, b in zip(pts, pts[1:] + pts[:1])]
    return min(sides)


def test_qr_codes_are_vectors(printed):
    out, manifest = printed
    for item in manifest["items"]:
        listing = run("pdfimages", "-list", str(out / item["file"])).splitlines()
        assert len(listing) == 2, f"{item['file']} contains raster images:\n" + "\n".join(listing)


# ---------------------------------------------------------------- fonts and boxes


def test_fonts_embedded_and_subset(printed):
    out, manifest = printed
    for item in manifest["items"]:
        rows = run("pdffonts", str(out / item["file"])).splitlines()[2:]
        assert rows, f"{item['file']}: no fonts"
        for row in rows:
            cols = row.split()
            emb, sub = cols[-5], cols[-4]
            assert (emb, sub) == ("yes", "yes"), f"{item['file']}: {row}"
            assert "Noto-Sans-CJK-SC" in cols[0]


def _boxes(pdf: Path) -> dict[str, list[float]]:
    boxes = {}
    for line in run("pdfinfo", "-box", str(pdf)).splitlines():
        m = re.match(r"(MediaBox|CropBox|BleedBox|TrimBox|ArtBox):\s+(.*)", line)
        if m:
            boxes[m.group(1)] = [float(x) for x in m.group(2).split()]
    return boxes


def test_trim_and_bleed_boxes(printed):
    out, manifest = printed
    for item in manifest["items"]:
        w, h = SIZES_PT[item["id"] if item["kind"] == "poster" else item["kind"]]
        b = _boxes(out / item["file"])
        assert b["TrimBox"] == pytest.approx([0, 0, w, h], abs=0.02), item["file"]
        assert b["BleedBox"] == pytest.approx([-BLEED_PT, -BLEED_PT, w + BLEED_PT, h + BLEED_PT], abs=0.02)
        for page in PdfReader(out / item["file"]).pages:
            assert [float(x) for x in page.trimbox] == pytest.approx([0, 0, w, h], abs=0.02)


def test_a4_flyer_trim_is_exactly_210_by_297(printed):
    out, _ = printed
    trim = _boxes(out / "flyers" / "passport.pdf")["TrimBox"]
    assert trim == pytest.approx([0, 0, 595.28, 841.89], abs=0.01)


# ---------------------------------------------------------------- text


def _text(pdf: Path) -> str:
    return run("pdftotext", "-enc", "UTF-8", str(pdf), "-")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_flyer_has_name_and_every_material(printed, catalog):
    out, _ = printed
    registry = {m.id: m.name for m in catalog.materials}
    for s in model.plan_order(catalog):
        text = _flat(_text(out / "flyers" / f"{s.id}.pdf"))
        assert _flat(s.name) in text, s.id
        if isinstance(s.materials, list):
            for mu in s.materials:
                name = registry[mu.ref] if mu.ref else mu.name
                assert _flat(name) in text, f"{s.id}: material {name!r} missing"
        else:
            assert "待核实" in text and "申请材料" in text


def test_booklet_has_every_service_and_material(printed, catalog):
    out, _ = printed
    text = _flat(_text(out / "booklet.pdf"))
    registry = {m.id: m.name for m in catalog.materials}
    for s in model.plan_order(catalog):
        assert _flat(s.name) in text
        if isinstance(s.materials, list):
            for mu in s.materials:
                assert _flat(registry[mu.ref] if mu.ref else mu.name) in text


def test_posters_list_every_service(printed, catalog):
    out, _ = printed
    for poster in ("poster-a3", "poster-a1"):
        text = _flat(_text(out / "posters" / f"{poster}.pdf"))
        for s in model.plan_order(catalog):
            assert _flat(s.name) in text, f"{poster}: {s.name}"
        for st in catalog.stages:
            assert _flat(st.name) in text


def test_chinese_line_breaking(printed):
    out, manifest = printed
    bad = []
    for item in manifest["items"]:
        for line in _text(out / item["file"]).splitlines():
            line = line.strip()
            if line and (line[0] in NO_START or line[-1] in NO_END):
                bad.append(f"{item['file']}: {line}")
    assert not bad, "\n".join(bad[:20])


def test_draft_watermark_on_every_page(printed):
    out, manifest = printed
    for item in manifest["items"]:
        pages = _text(out / item["file"]).split("\f")[: item["pages"]]
        assert len(pages) == item["pages"]
        for i, page in enumerate(pages, 1):
            assert "样稿" in page, f"{item['file']} page {i} has no 样稿"


def test_pending_printed_visibly(printed, catalog):
    """A flyer marks each unknown quietly and says once what is unknown and whom to call; the booklet
    keeps each note."""
    out, _ = printed
    text = _flat(_text(out / "flyers" / "care-abroad.pdf"))
    assert text.count("本单有") == 1 and "项尚未核实" in text and "以办理窗口的答复为准" in text
    assert "12345" in text  # no phone of its own yet: the hotline
    assert "所需材料待核实" not in text
    assert "所需材料待核实" in _flat(_text(out / "booklet.pdf"))
    passport = _flat(_text(out / "flyers" / "passport.pdf"))
    assert passport.count("份数尚未公开") == 1 and "原件份数待核实" not in passport


def test_no_text_is_cut_and_flyers_are_one_sheet(printed):
    out, manifest = printed
    for item in manifest["items"]:
        assert "…" not in _text(out / item["file"]), item["file"]
        if item["kind"] == "flyer":
            assert item["pages"] <= model.FLYER_MAX_PAGES, item["file"]


def test_small_print_has_catalog_version(printed, catalog):
    out, _ = printed
    text = _flat(_text(out / "flyers" / "passport.pdf"))
    assert catalog.meta.version in text and catalog.meta.date.isoformat() in text


# ---------------------------------------------------------------- booklet structure


def test_booklet_outline_by_stage_and_service(printed, catalog):
    out, _ = printed
    reader = PdfReader(out / "booklet.pdf")
    outline = reader.outline
    tops = [o for o in outline if not isinstance(o, list)]
    groups = model.stage_groups(catalog)
    stage_titles = [t.title for t in tops]
    for g in groups:
        assert any(g.name in t for t in stage_titles), g.name
    for g in groups:
        idx = next(i for i, o in enumerate(outline) if not isinstance(o, list) and g.name in o.title)
        children = outline[idx + 1]
        assert isinstance(children, list)
        assert [c.title for c in children] == [s.name for s in g.services]


def test_booklet_page_labels_match_printed_numbers(printed, catalog):
    out, _ = printed
    reader = PdfReader(out / "booklet.pdf")
    labels = reader.page_labels
    assert labels[0] == "封面"
    assert "i" in labels
    first_body = labels.index("1")
    assert labels[first_body:] == [str(n) for n in range(1, len(labels) - first_body + 1)]
    # the contents' page numbers are the labels of the pages the outline points to
    contents = run("pdftotext", "-layout", "-enc", "UTF-8", str(out / "booklet.pdf"), "-").split("\f")[labels.index("i")]
    for entry in [o for o in reader.outline if isinstance(o, list)][0]:
        label = labels[reader.get_destination_page_number(entry)]
        pattern = re.compile(r"\d*" + re.escape(_flat(entry.title)) + r"\.*" + label)
        assert any(pattern.fullmatch(_flat(line)) for line in contents.splitlines()), (entry.title, label)


def test_booklet_metadata_from_catalog(printed, catalog):
    out, _ = printed
    meta = PdfReader(out / "booklet.pdf").metadata
    stamp = catalog.meta.date.strftime("%Y%m%d")
    assert meta["/Author"] == catalog.meta.city
    assert meta["/CreationDate"].startswith("D:" + stamp) and meta["/ModDate"].startswith("D:" + stamp)
    assert catalog.meta.title in meta["/Title"]


def _narrow_pdf(tmp_path, para: str, css: str = "") -> str:
    """A narrow column rendered by WeasyPrint and read back by pdftotext."""
    from weasyprint import CSS, HTML

    html = HTML(string=f"<html lang='zh-CN'><body><p style='width: 31mm'>{para}</p></body></html>")
    pdf = tmp_path / "narrow.pdf"
    html.write_pdf(pdf, stylesheets=[CSS(string="body { font-family: 'Noto Sans CJK SC'; font-size: 9pt; }" + css)])
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _bad_lines(text: str) -> list[str]:
    return [ln for ln in (x.strip() for x in text.splitlines()) if ln and (ln[0] in NO_START or ln[-1] in NO_END)]


def test_line_break_check_can_fail_and_our_css_passes_it(tmp_path):
    """Forced breaks before ，and after《 are caught; dense text under the project's CSS is not."""
    forced = _narrow_pdf(tmp_path, "请提交原件<br>，并在《<br>申请表》上签字。")
    assert _bad_lines(forced) == ["，并在《"]  # starts with ，and ends with 《
    common = (render.TEMPLATE_DIR / "common.css").read_text(encoding="utf-8")
    dense = "申请人须提交（原件）材料，并在《申请表》上签字；复印件？需要！" * 12
    assert _bad_lines(_narrow_pdf(tmp_path, dense, common)) == []


def test_booklet_tells_the_help_desk_services(printed, catalog):
    out, _ = printed
    note = catalog.meta.help_desk.note
    assert note and note in _text(out / "booklet.pdf").replace("\n", "")
