"""Benchmark the 部门核对表: ``guide review export`` and ``guide review import`` per department.

    python3 bench/review.py [--sizes 30,1000]

Size 30 is the shipped catalog; other sizes are synthetic (bench/synth.py). For every department:
services and rows in its workbook, export seconds, and import seconds twice: a workbook returned
without edits (read and check only), and one where every row that can be confirmed is confirmed and
one element is corrected (the catalog is rewritten through ruamel.yaml and re-checked). Timed in
process, one run each; the catalog is a fresh copy for every import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import load  # noqa: E402
from generator.review import apply, elements, layout  # noqa: E402
from synth import SHIPPED, synth_catalog  # noqa: E402

DAY = dt.date(2026, 12, 2)


def confirm_all(path: Path, out: Path) -> int:
    """Staff's answers: 确认无误 where the element is known, one fee corrected. Returns rows answered."""
    wb = load_workbook(path)
    ws = wb[layout.SHEET]
    answered, corrected = 0, False
    for r in range(2, ws.max_row + 1):
        status, label = ws.cell(r, layout.COL["状态"]).value, ws.cell(r, layout.COL["要素"]).value
        if status is None or label is None:
            continue
        content = str(ws.cell(r, layout.COL["现在的内容"]).value or "")
        if content.startswith(elements.PENDING_PREFIX) or "待核实" in content:
            if not corrected and label == "承诺办结时限":
                ws.cell(r, layout.COL["部门意见"]).value = layout.CORRECT
                ws.cell(r, layout.COL["更正后的内容"]).value = "即办"
                corrected = True
            else:
                continue
        else:
            ws.cell(r, layout.COL["部门意见"]).value = layout.CONFIRM
        ws.cell(r, layout.COL["依据文件或网址"]).value = "https://www.gov.cn/"
        ws.cell(r, layout.COL["经办人"]).value = "经办人"
        answered += 1
    wb.save(out)
    return answered


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def bench(catalog_path: Path, tmp: Path, size: int) -> list[tuple]:
    catalog = load(catalog_path)
    rows = []
    for d in catalog.departments:
        book = tmp / f"{size}-{d.id}.xlsx"

        def export() -> int:
            r = elements.rows(catalog, d.id)
            layout.write(catalog, d, r, book, DAY)
            return len(r)

        export_s, n_rows = timed(export)
        services = len(elements.reviewing(catalog, d.id))
        copy = tmp / f"{size}-{d.id}.yaml"
        shutil.copy(catalog_path, copy)
        plain_s, outcome = timed(lambda: apply.run(book, copy, today=DAY))
        assert not outcome.errors and not outcome.written, outcome.errors[:3]
        answered_book = tmp / f"{size}-{d.id}-answered.xlsx"
        answered = confirm_all(book, answered_book)
        shutil.copy(catalog_path, copy)
        edit_s, outcome = timed(lambda: apply.run(answered_book, copy, today=DAY))
        assert not outcome.errors, outcome.errors[:3]
        rows.append((size, d.id, services, n_rows, export_s, plain_s, answered, edit_s))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="30,1000")
    args = ap.parse_args()
    out = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for n in (int(x) for x in args.sizes.split(",")):
            path = SHIPPED if n == 30 else synth_catalog(n, tmp / f"catalog-{n}.yaml")
            out += bench(path, tmp, n)
    print(f"{'catalog':>7}  {'department':<20} {'services':>8} {'rows':>6} {'export s':>9} "
          f"{'import s':>9} {'answered':>9} {'import+write s':>15}")
    for size, dept, services, n_rows, export_s, plain_s, answered, edit_s in out:
        print(f"{size:>7}  {dept:<20} {services:>8} {n_rows:>6} {export_s:>9.2f} {plain_s:>9.2f} "
              f"{answered:>9} {edit_s:>15.2f}")
    print("import s: a workbook returned without edits; import+write s: every known row confirmed, one "
          "element corrected, the catalog rewritten and re-checked")


if __name__ == "__main__":
    main()
