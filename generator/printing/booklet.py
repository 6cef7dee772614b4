"""The booklet, printed in parts and joined, so its memory does not grow with the catalog.

WeasyPrint keeps a whole document laid out until it is written: the booklet of a 2,000-service
catalog took several GB in one piece. So its body is printed ``model.BOOKLET_PART`` services at
a time (``render.booklet_parts``), each part numbering its pages on from the last; the front
matter (cover, contents, journey chart) comes last, when the page number of every service is
known; pypdf joins the parts with one outline, one set of link targets, the page labels and the
document information. The main process writes the parts' HTML (it has the catalog, and the
cache key needs it); a worker prints and joins them.

The contents are printed in parts too (``CONTENTS_PART`` entries at a time): their dot leaders
cost WeasyPrint one box per dot, and the contents of 2,000 services took 630 MB in one piece.
A part is laid out a little beyond what it keeps: its last page is dropped and the next part
begins with the entry that began that page, so every kept page is laid out as in one piece.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..pdf import release
from . import render

SCALE = 0.75  # PDF points per CSS pixel, as WeasyPrint writes
TOC_ID = "to-"  # the contents' links: ids that the page-number stylesheet selects (not link targets)
CONTENTS_PART = 300  # contents entries per front part: about 7 pages
_ENTRY = re.compile(r'(?=<div class="toc-)')
_CLOSE = "</section>\n</body>\n</html>\n"


@dataclass
class _Printed:
    """One printed part: its PDF file, page count, outline and link targets (PDF coordinates)."""

    pdf: Path
    pages: int
    bookmarks: list  # WeasyPrint's (label, (page, x, y), children, state)
    anchors: dict[str, tuple[int, float, float]]
    carried: int = 0


def _print(html: str, css: str, pdf: Path, carried: int = 0) -> tuple[_Printed, dict[str, int]]:
    """Lay out and write one part; also each anchor's page index in it."""
    return _write(render._document(html, css), pdf, carried)


def _write(doc, pdf: Path, carried: int = 0) -> tuple[_Printed, dict[str, int]]:
    """Write a laid-out part; also each anchor's page index in it."""
    anchors: dict[str, tuple[int, float, float]] = {}
    for i, page in enumerate(doc.pages):
        for name, (x, y, _, _) in page.anchors.items():  # as weasyprint.pdf.anchors.add_links places them
            anchors.setdefault(name, (i, x * SCALE, (page.height - y) * SCALE))
    bookmarks = doc.make_bookmark_tree(SCALE, transform_pages=True)
    doc.write_pdf(pdf, **render._WRITE)
    return _Printed(pdf, len(doc.pages), bookmarks, anchors, carried), {n: a[0] for n, a in anchors.items()}


def print_parts(front: str, body: list[tuple[Path, int]], info: dict, folder: Path,
                contents_part: int = CONTENTS_PART) -> bytes:
    """The booklet PDF from its front HTML and body part files ``(path, carried)``, printed in ``folder``."""
    printed = []
    numbers: dict[str, int] = {}  # anchor -> printed page number
    start = 1
    for k, (path, carried) in enumerate(body):
        part, pages = _print(path.read_text(encoding="utf-8"), f"@page :nth(1 of main) {{ counter-reset: page {start} }}",
                             folder / f"body-{k:04d}.pdf", carried)
        path.unlink()
        release()  # before the next part: the worker's size is what the memory budget counts
        for name, i in pages.items():
            numbers.setdefault(name, start + i)
        printed.append(part)
        start += part.pages
    front_parts: list[_Printed] = []
    try:
        front_parts = _print_front(front, numbers, folder, contents_part)
        return _join(front_parts, printed, info)
    finally:
        for part in [*front_parts, *printed]:
            part.pdf.unlink(missing_ok=True)


def _front_pieces(front: str) -> tuple[str, str, list[str], str]:
    """The front HTML cut into (document head, cover and contents heading, contents entries, rest)."""
    cover = front.index('<section class="cover"')
    first = front.index('<div class="toc-', cover)
    end = front.index("</section>", first)
    return front[:cover], front[cover:first], _ENTRY.split(front[first:end])[1:], front[end:]


def _print_front(front: str, numbers: dict[str, int], folder: Path, per_part: int) -> list[_Printed]:
    """Cover, contents and chart, printed ``per_part`` contents entries at a time."""
    head, opening, entries, rest = _front_pieces(front)
    parts: list[_Printed] = []
    start, page, size = 0, 1, per_part  # first entry and contents page number of the next part
    while start < len(entries):
        end = min(len(entries), start + size)
        last = end == len(entries)
        chunk = [e.replace('<div class="toc-', f'<div id="{TOC_ID}e{start + i}" class="toc-', 1)
                 for i, e in enumerate(entries[start:end])]
        targets = "".join(f'<a id="{t}"></a>' for t in re.findall(r'href="#([^"]+)"', "".join(chunk)))
        html = "".join([head, opening if start == 0 else '<section class="contents">\n',
                        f'<div class="link-targets">{targets}</div>\n', *chunk, rest if last else _CLOSE])
        css = "\n".join([f"@page :nth(1 of front) {{ counter-reset: page {page} }}", *(
            f'#{TOC_ID}{name}::after {{ content: leader(".") "{numbers[name]}" }}'
            for name in re.findall(rf'id="{TOC_ID}([^"]+)"', "".join(chunk)) if name in numbers)])
        doc = render._document(html, css)
        keep, resume = len(doc.pages), end
        if not last:  # drop the last page: the next part lays it out again from its first entry
            keep -= 1
            resume = min(start + i for i in range(end - start) if _page_of(doc, f"{TOC_ID}e{start + i}") == keep)
            if resume == start:  # every entry on one page: take more at once
                size += per_part
                del doc
                release()
                continue
        cover_pages = _page_of(doc, "contents") if start == 0 else 0
        part, _ = _write(doc.copy(doc.pages[:keep]), folder / f"front-{len(parts):04d}.pdf")
        parts.append(part)
        page += keep - cover_pages
        start, size = resume, per_part
        del doc
        release()
    return parts


def _page_of(doc, anchor: str) -> int:
    return next(i for i, page in enumerate(doc.pages) if anchor in page.anchors)


def _join(front: list[_Printed], body: list[_Printed], info: dict) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, ByteStringObject, DictionaryObject, Fit, FloatObject, NameObject,
                               NumberObject, TextStringObject)

    writer = PdfWriter()
    ident = hashlib.md5()
    outline: list = []
    dests: dict[str, tuple[int, float, float]] = {}
    producer = None
    for part in [*front, *body]:
        offset = len(writer.pages)
        data = part.pdf.read_bytes()
        ident.update(data)
        reader = PdfReader(io.BytesIO(data))
        producer = producer or (reader.metadata or {}).get("/Producer")
        for page in reader.pages:
            writer.add_page(page)
        del data, reader
        for name, (i, x, y) in part.anchors.items():  # the body's own targets replace the front's stand-ins
            if not name.startswith(TOC_ID):
                dests[name] = (offset + i, x, y)
        marks = _shift(part.bookmarks, offset)
        if part.carried and outline:  # services continuing the stage that an earlier part began
            outline[-1][2].extend(marks[:part.carried])
            marks = marks[part.carried:]
        outline.extend(marks)

    def add(items: list, parent=None) -> None:
        for label, (page, x, y), children, state in items:
            ref = writer.add_outline_item(title=label, page_number=page, parent=parent,
                                          fit=Fit.xyz(left=x, top=y, zoom=0), is_open=state != "closed")
            add(children, ref)

    add(outline)
    names = ArrayObject()
    for name in sorted(dests):  # a name tree is sorted
        page, x, y = dests[name]
        names.append(TextStringObject(name))
        names.append(ArrayObject([writer.pages[page].indirect_reference, NameObject("/XYZ"),
                                  FloatObject(x), FloatObject(y), NumberObject(0)]))
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/Dests"): DictionaryObject({NameObject("/Names"): names})})

    n = len(writer.pages)
    toc_start = dests["contents"][0] if "contents" in dests else 1
    body_start = sum(part.pages for part in front) if body else n
    # Labels match the printed numbers: cover "封面", contents i, ii …, body 1, 2 …
    writer.set_page_label(0, max(0, toc_start - 1), prefix="封面")
    if body_start > toc_start:
        writer.set_page_label(toc_start, body_start - 1, style="/r")
    if body_start < n:
        writer.set_page_label(body_start, n - 1, style="/D", start=1)
    writer.add_metadata({**({"/Producer": producer} if producer else {}), **info})
    writer.page_mode = "/UseOutlines"
    digest = ident.digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # deterministic /ID
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _shift(bookmarks: list, offset: int) -> list:
    return [(label, (page + offset, x, y), _shift(children, offset), state)
            for label, (page, x, y), children, state in bookmarks]
