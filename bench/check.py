"""Benchmark ``guide check``: real catalog and synthetic ones, in-process and as a command.

    python3 bench/check.py [--sizes 30,300,1000]

Prints a table: catalog size, in-process seconds (best of 3), command wall seconds (best of 3,
interpreter start-up included) and the command's peak memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import check  # noqa: E402
from synth import synth_catalog  # noqa: E402


_MEASURE = (
    "import resource, runpy, sys\n"
    "sys.argv = [sys.argv[1], 'check', sys.argv[2]]\n"
    "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "sys.stderr.write('PEAK %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def run_command(path: Path) -> tuple[float, float]:
    """Wall seconds of ``cli.py check PATH`` as a fresh process, and that process's peak memory in MB."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(ROOT / "cli.py"), str(path)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    peak_kb = int(done.stderr.rsplit("PEAK ", 1)[1].split()[0])
    return wall, peak_kb / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="30,300,1000")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("shipped", ROOT / "data" / "services.yaml")]
        for n in (int(x) for x in args.sizes.split(",")):
            targets.append((f"synthetic {n}", synth_catalog(n, Path(tmp) / f"c{n}.yaml")))
        targets.append(("error flood", _flood(Path(tmp) / "flood.yaml")))
        for label, path in targets:
            best = min(_timed(path) for _ in range(3))
            wall, peak = min(run_command(path) for _ in range(3))
            report = check(path)
            rows.append((label, report.services, os.path.getsize(path) / 1024, best, wall, peak, report.errors))
    print(f"{'catalog':<16} {'services':>8} {'KB':>8} {'check s':>8} {'command s':>10} {'peak MB':>8} {'errors':>6}")
    for label, n, kb, best, wall, peak, errors in rows:
        print(f"{label:<16} {n:>8} {kb:>8.0f} {best:>8.3f} {wall:>10.3f} {peak:>8.0f} {errors:>6}")
    print("targets: shipped < 0.5 s; 1,000 services < 2 s; memory < 200 MB; error flood < 10 s, < 1 GB")


def _flood(path: Path) -> Path:
    """The worst case at the node limit: the shipped catalog plus one list of one-character values, each
    a schema error (keywords must be text). Before the limits and the cap, 2,000,000 of them took minutes."""
    from generator.yamlsource import MAX_NODES

    text = (ROOT / "data" / "services.yaml").read_text(encoding="utf-8")
    room = MAX_NODES - 10_000  # what the shipped catalog itself uses, with margin
    path.write_text(text.replace("    keywords: [", "    keywords: [" + "1," * room, 1), encoding="utf-8")
    return path


def _timed(path: Path) -> float:
    start = time.perf_counter()
    check(path)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
