"""Benchmark 我的清单: page size, Python select+merge, the same in Chromium, and the A4 PDF.

    python3 bench/checklist.py [--sizes 30,300,1000] [--no-browser]

Synthetic catalogs (bench/synth.py) carry no questions: every service is selected through the
stage answer, the worst case for the merge. Prints a table.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import load  # noqa: E402
from generator.checklist.merge import merge_materials, select  # noqa: E402
from generator.checklist.page import render  # noqa: E402
from generator.checklist.pdf import print_checklist  # noqa: E402
from synth import synth_catalog  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def best(fn, n=3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def browser_times(html_path: Path, answers: dict) -> tuple[float, float]:
    """Seconds to load the page (DOMContentLoaded to list shown), and ms for one compute()."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = b.new_page()
        t = time.perf_counter()
        page.goto(html_path.as_uri())
        page.wait_for_function("window.checklistApp !== undefined")
        load_s = time.perf_counter() - t
        ms = page.evaluate(
            """(a) => { const t = performance.now(); for (let i = 0; i < 10; i++) checklistApp.compute(a);
                        return (performance.now() - t) / 10; }""",
            answers,
        )
        b.close()
    return load_s, ms


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="30,300,1000")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        targets = [("shipped", ROOT / "data" / "services.yaml")]
        for n in (int(x) for x in args.sizes.split(",")):
            targets.append((f"synthetic {n}", synth_catalog(n, tmpd / f"c{n}.yaml")))
        for label, path in targets:
            c = load(path)
            answers = {q.id: [a.id for a in q.answers] for q in c.questions}
            answers["stage"] = [s.id for s in c.stages]
            html = render(c)
            render_s = best(lambda: render(c))
            merge_s = best(lambda: merge_materials(select(c, answers), c))
            selected = len(select(c, answers))
            page = tmpd / f"{label.replace(' ', '-')}.html"
            page.write_text(f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>{html}</body></html>',
                            encoding="utf-8")
            load_s, js_ms = (float("nan"), float("nan")) if args.no_browser else browser_times(page, answers)
            pdf_s = best(lambda: print_checklist(c, answers, tmpd / "out.pdf", draft=True), n=1)
            pdf_kb = (tmpd / "out.pdf").stat().st_size / 1024
            raw = html.encode()
            rows.append((label, len(c.services), selected, len(raw) / 1024, len(gzip.compress(raw)) / 1024,
                         render_s, merge_s * 1000, load_s, js_ms, pdf_s, pdf_kb))
    print(f"{'catalog':<16} {'services':>8} {'listed':>6} {'page KB':>8} {'gzip KB':>8} {'render s':>8} "
          f"{'merge ms':>8} {'load s':>7} {'js ms':>7} {'pdf s':>6} {'pdf KB':>7}")
    for r in rows:
        print(f"{r[0]:<16} {r[1]:>8} {r[2]:>6} {r[3]:>8.0f} {r[4]:>8.0f} {r[5]:>8.3f} {r[6]:>8.1f} "
              f"{r[7]:>7.2f} {r[8]:>7.1f} {r[9]:>6.1f} {r[10]:>7.0f}")
    print("page = render(catalog) (data + app inline); listed = services for every answer; "
          "pdf = print_checklist of that whole list")


if __name__ == "__main__":
    main()
