"""Benchmark re-checking a catalog being edited: a fresh ``check`` against a ``Session`` re-check after
a one-service edit, and the peak memory of ``load()``.

    python3 bench/reload.py [--sizes 1000] [--rounds 5]

Prints a table per catalog: a fresh check (best of 3), the session's first call, its re-check after
one service's text changed (best of ``--rounds``, each a different edit), after an edit that adds
lines above most services, and after an edit outside ``services`` (meta); then ``load()``'s peak memory
as a fresh process (its growth above the interpreter with the package imported).
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from generator.session import Session  # noqa: E402
from synth import synth_catalog  # noqa: E402

TODAY = dt.date(2026, 11, 27)

# VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's size (kept across exec), VmHWM does not.
_PEAK = (
    "import re, sys\n"
    "def hwm():\n"
    "    return re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
    "from generator.catalog import load\n"
    "base = hwm()\n"
    "load(sys.argv[1])\n"
    "print(hwm(), base)\n"
)


def peak_mb(path: Path) -> tuple[float, float]:
    """``load(path)``'s peak memory as a fresh process, and the part of it above the imports, in MB."""
    done = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, check=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak, base = (int(x) / 1024 for x in done.stdout.split())
    return peak, peak - base


def _first_service_line(text: str) -> str:
    """The ``name:`` line of the first service, to edit."""
    start = text.index("\nservices:")
    at = text.index("name: ", start)
    return text[text.rindex("\n", 0, at) + 1: text.index("\n", at) + 1]


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(label: str, source: Path, work: Path, rounds: int) -> list[tuple[str, str, float]]:
    text = source.read_text(encoding="utf-8")
    work.write_text(text, encoding="utf-8")
    rows = [(label, "fresh check (best of 3)", min(_timed(lambda: check(work, today=TODAY)) for _ in range(3)))]
    session = Session()
    rows.append((label, "session: first call", _timed(lambda: session.check(work, today=TODAY))))
    line = _first_service_line(text)
    edits = []
    for k in range(rounds):
        edits.append(text.replace(line, line.rstrip("\n") + f"(改{k})\n", 1))
    warm = text.replace(line, line.rstrip("\n") + "(预热)\n", 1)
    work.write_text(warm, encoding="utf-8")
    session.check(work, today=TODAY)  # the rest of the file is parsed once after a whole reading
    times = []
    for edited in edits:
        work.write_text(edited, encoding="utf-8")
        times.append(_timed(lambda: session.check(work, today=TODAY)))
        assert session.changed is not None and len(session.changed) == 1, session.changed
    rows.append((label, f"session: one service edited (best of {rounds})", min(times)))
    rows.append((label, f"session: one service edited (median of {rounds})", sorted(times)[rounds // 2]))
    grown = text.replace(line, line + "  # 一\n  # 二\n", 1) if "\n- id:" in text else text.replace(
        line, line + "    # 一\n    # 二\n", 1)
    work.write_text(grown, encoding="utf-8")
    rows.append((label, "session: 2 lines added in the first service", _timed(lambda: session.check(work, today=TODAY))))
    meta = grown.replace("\n  title: ", "\n  title: 新", 1)
    work.write_text(meta, encoding="utf-8")
    rows.append((label, "session: meta title edited", _timed(lambda: session.check(work, today=TODAY))))
    fresh = check(work, today=TODAY)
    assert session.check(work, today=TODAY).diagnostics == fresh.diagnostics
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rows = []
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("shipped", ROOT / "data" / "services.yaml")]
        for n in (int(x) for x in args.sizes.split(",")):
            targets.append((f"synthetic {n}", synth_catalog(n, Path(tmp) / f"c{n}.yaml")))
        for label, path in targets:
            rows += measure(label, path, Path(tmp) / "work.yaml", args.rounds)
            peaks.append((label, *peak_mb(path)))
    print(f"{'catalog':<16} {'what':<48} {'seconds':>8}")
    for label, what, seconds in rows:
        print(f"{label:<16} {what:<48} {seconds:>8.3f}")
    print()
    print(f"{'catalog':<16} {'load() peak MB':>15} {'above imports MB':>17}")
    for label, peak, above in peaks:
        print(f"{label:<16} {peak:>15.0f} {above:>17.0f}")
    print("target: one service edited at 1,000 services <= 0.15 s")


if __name__ == "__main__":
    main()
