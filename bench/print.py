"""Benchmark ``guide print``: the shipped catalog's full set and flyers of a synthetic catalog.

    python3 bench/print.py [--n 60]

Prints a table: documents, wall seconds, seconds per document and MB per PDF (mean and
largest), for (1) every flyer, both posters and the booklet of the shipped catalog, (2) its
flyers alone, and (3) the flyers of a synthetic catalog with ``--n`` services (1,000 is the
target: under 10 minutes). Drafts are printed, so the placeholder site address is fine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import load  # noqa: E402
from generator.printing.build import print_all  # noqa: E402
from generator.printing.model import plan_order  # noqa: E402


def _run(label: str, catalog, out: Path, **kw) -> tuple:
    start = time.perf_counter()
    manifest = print_all(catalog, out, draft=True, **kw)
    wall = time.perf_counter() - start
    items = manifest["items"]
    rows = []
    for kind in ("flyer", "poster", "booklet"):
        sizes = [i["bytes"] / 1e6 for i in items if i["kind"] == kind]
        if sizes:
            rows.append((kind, len(sizes), sum(sizes) / len(sizes), max(sizes)))
    return label, len(items), wall, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60, help="services in the synthetic catalog (target: 1000)")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        shipped = load(ROOT / "data" / "services.yaml")
        results.append(_run("shipped: all", shipped, Path(tmp) / "all"))
        ids = {s.id for s in plan_order(shipped)}
        results.append(_run("shipped: flyers", shipped, Path(tmp) / "flyers", only=ids))
        try:
            from synth import synth_catalog
        except ImportError:
            synth_catalog = None
        if synth_catalog is not None and args.n:
            path = synth_catalog(args.n, Path(tmp) / f"c{args.n}.yaml")
            synthetic = load(path)
            sids = {s.id for s in plan_order(synthetic)}
            results.append(_run(f"synthetic {args.n}: flyers", synthetic, Path(tmp) / "synth", only=sids))
    print(f"{'run':<26} {'docs':>5} {'wall s':>8} {'s/doc':>7}  {'kind':<8} {'n':>4} {'MB mean':>8} {'MB max':>7}")
    for label, docs, wall, rows in results:
        for j, (kind, n, mean, biggest) in enumerate(rows):
            head = f"{label:<26} {docs:>5} {wall:>8.2f} {wall / docs:>7.3f}" if j == 0 else " " * 49
            print(f"{head}  {kind:<8} {n:>4} {mean:>8.3f} {biggest:>7.3f}")
    print("targets: shipped all < 20 s on 2 cores; 1,000 flyers < 600 s")


if __name__ == "__main__":
    main()
