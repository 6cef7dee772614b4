"""The booklet printed in many parts reads exactly as when printed in one: text, outline, labels, links,
and every page looks the same (contents included, also printed in parts)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from generator.printing import booklet, model, render

from printhelp import run


TALL = ".toc-svc { padding-bottom: 9mm }"  # the shipped contents fit one page: spread them over several


def _booklet(catalog, per_part: int, folder: Path, contents_part: int = booklet.CONTENTS_PART) -> Path:
    folder.mkdir()
    parts = render.booklet_parts(catalog, render.Options(draft=True), per_part)
    body = []
    for k, (html, carried) in enumerate(parts.body):
        path = folder / f"body-{k}.html"
        path.write_text(html, encoding="utf-8")
        body.append((path, carried))
    pdf = folder / "booklet.pdf"
    front = parts.front.replace("</style>", TALL + "</style>", 1)
    pdf.write_bytes(booklet.print_parts(front, body, render.booklet_info(catalog), folder, contents_part))
    assert sorted(p.name for p in folder.iterdir()) == ["booklet.pdf"], "part files left behind"
    return pdf


def _read(pdf: Path) -> dict:
    reader = PdfReader(pdf)

    def outline(items, depth=0):
        out = []
        for item in items:
            if isinstance(item, list):
                out += outline(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
        return out

    dests = reader.named_destinations
    links = []
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                links.append((i, str(annot["/Dest"]), reader.get_destination_page_number(dests[str(annot["/Dest"])])))
    return {
        "text": run("pdftotext", "-layout", str(pdf), "-").split("\f"),
        "outline": outline(reader.outline),
        "labels": reader.page_labels,
        "links": links,
        "metadata": dict(reader.metadata),
        "pages": [bytes(p) for p in _pixels(pdf)],
    }


def _pixels(pdf: Path) -> list[bytes]:
    """Every page as a small grey image (pdftoppm, 24 dpi): places, not only text, must match."""
    out = pdf.with_suffix("")
    run("pdftoppm", "-gray", "-r", "24", str(pdf), str(out))
    return [p.read_bytes() for p in sorted(pdf.parent.glob(out.name + "-*.pgm"))]


def test_split_booklet_matches_the_booklet_in_one_part(catalog, tmp_path, monkeypatch):
    written: list[str] = []
    write = booklet._write
    monkeypatch.setattr(booklet, "_write", lambda doc, pdf, carried=0: (written.append(pdf.name), write(doc, pdf, carried))[1])
    services = len(model.plan_order(catalog))
    parts = model.booklet_slices(model.stage_groups(catalog), 7)
    assert len(parts) == -(-services // 7) and any(stages[0].carried for stages in parts), "no stage is split"
    entries = len(booklet._front_pieces(parts_front(catalog))[2])
    assert entries > 3 * 4, "too few contents entries to cut"
    one = _read(_booklet(catalog, services, tmp_path / "one", entries))
    fronts = sum(name.startswith("front-") for name in written)
    many = _read(_booklet(catalog, 7, tmp_path / "many", 4))
    assert fronts == 1 and sum(name.startswith("front-") for name in written) - fronts > 1, "contents not cut"
    assert many["text"] == one["text"]  # running heads and printed page numbers included
    assert many["outline"] == one["outline"] and len(one["outline"]) > services
    assert many["labels"] == one["labels"] and one["labels"][0] == "封面"
    assert many["links"] == one["links"] and len(one["links"]) > services
    assert many["metadata"] == one["metadata"]
    assert len(many["pages"]) == len(one["pages"]) and many["pages"] == one["pages"]


def parts_front(catalog) -> str:
    return render.booklet_parts(catalog, render.Options(draft=True)).front


def test_slices_keep_order_and_mark_continued_stages(catalog):
    groups = model.stage_groups(catalog)
    parts = model.booklet_slices(groups, 5)
    flat = [(sl.group.id, s.id) for stages in parts for sl in stages for s in sl.services]
    assert flat == [(g.id, s.id) for g in groups for s in g.services]
    assert all(0 < sum(len(sl.services) for sl in stages) <= 5 for stages in parts)
    seen = set()
    for stages in parts:
        for sl in stages:
            assert sl.carried == (sl.group.id in seen)
            seen.add(sl.group.id)
