"""Benchmark ``guide diff``: two synthetic catalogs, the second a mutated copy of the first.

    python3 bench/diff.py [--sizes 30,300,1000]

Prints a table: catalog size, changes found, load seconds (both catalogs: schema + rules),
compare seconds (best of 3), render seconds (Markdown + JSON) and the whole command's wall time.
Target: the comparison of two 1,000-service catalogs under 1 s.
"""

from __future__ import annotations

import argparse
import copy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import load  # noqa: E402
from generator.located import parse_file  # noqa: E402
from generator.changes.compare import compare  # noqa: E402
from generator.changes.render import as_json, markdown  # noqa: E402
from generator.rules import run_rules  # noqa: E402
from synth import synth_catalog  # noqa: E402

TARGET_S = 1.0


def mutate(data: dict) -> dict:
    """A copy with the kinds of change a round of department updates brings, spread over the catalog."""
    data = copy.deepcopy(data)
    data["meta"]["version"] = data["meta"]["version"] + ".1"
    services = data["services"]
    for i, s in enumerate(services):
        kind = i % 10
        if kind == 0 and isinstance(s.get("materials"), list):
            s["materials"].append({"name": f"补充材料{i}", "originals": 1})
        elif kind == 1 and isinstance(s["time_limits"].get("committed"), dict) and "value" in s["time_limits"]["committed"]:
            s["time_limits"]["committed"]["value"] = max(1, s["time_limits"]["committed"]["value"] - 1)
        elif kind == 2 and isinstance(s.get("fees"), dict) and s["fees"].get("items"):
            s["fees"]["items"][0]["amount"] += 10
        elif kind == 3:
            s["audience"] = {"pending": "服务对象待核实"}
        elif kind == 4 and isinstance(s.get("phones"), list):
            s["phones"].append({"kind": "咨询", "number": "0631-12345"})
    # One retirement done right, one id removed.
    services[5]["status"], services[5]["retired_on"], services[5]["retired_note"] = "retired", "2026-01-01", "停办"
    gone = services.pop(7)["id"]
    for s in services:
        s["related"] = [r for r in s.get("related", []) if r != gone]
    return data


def write(data: dict, path: Path) -> Path:
    # Writing plain data; reading always goes through the one loader.
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text("# yaml-language-server: $schema=services.schema.json\n" + text, encoding="utf-8")
    return path


def best(fn, runs: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def loaded(path: Path):
    parsed = parse_file(path)
    assert parsed.catalog is not None, [d.text() for d in parsed.diagnostics[:5]]
    run_rules(parsed)
    return parsed.catalog


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="30,300,1000")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            old_path = synth_catalog(n, Path(tmp) / f"old-{n}.yaml")
            data = load(old_path).model_dump(mode="json", exclude_none=True)
            new_path = write(mutate(data), Path(tmp) / f"new-{n}.yaml")
            load_s, _ = best(lambda: (loaded(old_path), loaded(new_path)), runs=1)
            old, new = loaded(old_path), loaded(new_path)
            compare_s, report = best(lambda: compare(old, new, author="someone"))
            render_s, _ = best(lambda: (markdown(report), as_json(report)))  # type: ignore[arg-type]
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "cli.py"), "diff", str(old_path), str(new_path)],
                           capture_output=True, check=False)
            wall = time.perf_counter() - start
            rows.append((n, len(report.changes), load_s, compare_s, render_s, wall))  # type: ignore[union-attr]
    print(f"{'services':>8} {'changes':>8} {'load s':>8} {'compare s':>10} {'render s':>9} {'command s':>10}")
    for n, changes, load_s, compare_s, render_s, wall in rows:
        print(f"{n:>8} {changes:>8} {load_s:>8.3f} {compare_s:>10.3f} {render_s:>9.3f} {wall:>10.3f}")
    print(f"target: compare two 1,000-service catalogs < {TARGET_S:.0f} s "
          "(load = both catalogs through the one loader, schema and rules)")


if __name__ == "__main__":
    main()
