"""Benchmark ``guide print``: time and peak memory, cold and with an unchanged catalog.

    python3 bench/print.py [--n 60] [--full 2000]

Each row runs the real command (``cli.py print --draft``) in a subprocess and reports its wall
time and the peak of the summed resident memory of its process tree (main process, fork
server, workers, pdftoppm; ``bench/measure.py``). Rows: every document of the shipped catalog,
cold then again unchanged (a warm cache: the ratio says what the cache saves); the flyers of a
synthetic catalog of ``--n`` services, cold and unchanged; and, only with ``--full N`` (slow:
minutes), every document of a synthetic catalog of N services (target at 2,000: peak < 1 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from measure import run_measured  # noqa: E402


def _print(catalog: Path, out: Path, cache: Path | None, services: list[str] = ()) -> tuple[int, float, tuple]:
    """(documents, wall seconds, (peak RSS MB, peak PSS MB)) of one ``guide print`` run; ``cache`` None: cache off."""
    env = {**os.environ, "GUIDE_CACHE_DIR": str(cache) if cache else "off"}
    cmd = [sys.executable, str(ROOT / "cli.py"), "print", "--draft", str(catalog), "--out", str(out)]
    for sid in services:
        cmd += ["--service", sid]
    m = run_measured(cmd, cwd=ROOT, env=env)
    if m.returncode:
        raise SystemExit(f"guide print failed (exit code {m.returncode})")
    seconds, peak = m.seconds, (m.peak_mb, m.peak_pss_mb)
    docs = len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["items"])
    return docs, seconds, peak


def _pair(label: str, catalog: Path, tmp: Path, services: list[str] = ()) -> list[tuple]:
    """A cold run, then the same catalog again with the cache it left."""
    cache = tmp / f"cache-{label}"
    docs, cold, peak = _print(catalog, tmp / f"{label}-1", cache, services)
    _, warm, warm_peak = _print(catalog, tmp / f"{label}-2", cache, services)
    return [(f"{label}", docs, cold, peak, None), (f"{label}, unchanged", docs, warm, warm_peak, warm / cold)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60, help="services in the synthetic catalog for the flyer rows (0: none)")
    ap.add_argument("--full", type=int, default=0, help="also print everything of a synthetic catalog this size (slow)")
    args = ap.parse_args()
    from generator.catalog import load
    from generator.printing.model import plan_order
    from synth import synth_catalog

    rows: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rows += _pair("shipped: all", ROOT / "data" / "services.yaml", tmp)
        if args.n:
            path = synth_catalog(args.n, tmp / f"c{args.n}.yaml")
            ids = [s.id for s in plan_order(load(path))]
            rows += _pair(f"synthetic {args.n}: flyers", path, tmp, ids)
        if args.full:
            path = synth_catalog(args.full, tmp / f"c{args.full}.yaml")
            docs, seconds, peak = _print(path, tmp / "full", None)
            rows.append((f"synthetic {args.full}: all", docs, seconds, peak, None))
    print(f"{'run':<34} {'docs':>5} {'wall s':>8} {'s/doc':>7} {'peak RSS MB':>12} {'peak PSS MB':>12} {'vs cold':>8}")
    for label, docs, seconds, peak, ratio in rows:
        vs = f"{ratio:>8.3f}" if ratio is not None else " " * 8
        print(f"{label:<34} {docs:>5} {seconds:>8.2f} {seconds / docs:>7.3f} {peak[0]:>12.0f} {peak[1]:>12.0f} {vs}")
    print("targets: shipped all < 20 s on 2 cores; 1,000 flyers < 600 s; 2,000 all: peak < 1,000 MB")


if __name__ == "__main__":
    main()
