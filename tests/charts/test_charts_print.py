"""业务流程图 on paper: `guide print --charts` (A4 PDF + SVG) and the journey chart in the booklet."""

from __future__ import annotations

import re
import subprocess

from click.testing import CliRunner

from support import CATALOG, MINIMAL
from generator.catalog import load
from generator.charts import catalog_charts
from generator.cli import main
from generator.printing import render

A4_WITH_BLEED = (595.28 + 2 * 8.5, 841.89 + 2 * 8.5)  # points; 3 mm bleed on every side


def pdftext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_print_charts_writes_an_a4_pdf_and_svg_per_chart(tmp_path):
    out = tmp_path / "charts"
    r = CliRunner().invoke(main, ["print", "--catalog", str(MINIMAL), "--charts", "--draft", "--charts-out", str(out)])
    assert r.exit_code == 0, r.output
    catalog = load(MINIMAL)
    keys = ["journey"] + [s.id for s in catalog.services if s.status == "active"]
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(f"{k}.pdf" for k in keys)
    assert catalog_charts(catalog) == {k: (out / f"{k}.svg").read_text(encoding="utf-8") for k in keys}
    with_steps = next(s for s in catalog.services if isinstance(s.process, list) and s.process)
    pdf = out / f"{with_steps.id}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Pages:           1" in info
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(w - A4_WITH_BLEED[0]) < 1 and abs(h - A4_WITH_BLEED[1]) < 1
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace("-", "") and "Type 3" not in fonts
    text = pdftext(pdf)
    # The chart's own boxes, then the step list printed as its text version: both in the catalog's order.
    titles = [f"{i}. {p.title}" for i, p in enumerate(with_steps.process, 1)]
    at = [text.index(t) for t in titles]
    assert at == sorted(at)
    assert "样稿" in text


def test_print_charts_is_reproducible_and_refuses_a_foreign_folder(tmp_path):
    args = ["print", "--catalog", str(MINIMAL), "--charts", "--draft", "--charts-out"]
    assert CliRunner().invoke(main, args + [str(tmp_path / "a")]).exit_code == 0
    assert CliRunner().invoke(main, args + [str(tmp_path / "b")]).exit_code == 0
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name
    again = CliRunner().invoke(main, args + [str(tmp_path / "a")])  # its own folder: replaced
    assert again.exit_code == 0
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    r = CliRunner().invoke(main, args + [str(foreign)])
    assert r.exit_code == 1 and "不是本工具生成的" in r.output and (foreign / "notes.txt").is_file()


def test_booklet_carries_the_journey_chart():
    catalog = load(CATALOG)
    html = render.booklet_html(catalog, render.Options(draft=True))
    journey = render.fit_chart(catalog_charts(catalog, services=False)["journey"]).strip()
    assert journey in html
    assert html.index('id="contents"') < html.index(journey) < html.index('id="body"')
