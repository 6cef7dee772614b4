"""Site benchmark: build time and bytes per service page at 30, 300 and 1,000 services.

    python3 bench/site.py              # shipped catalog + synthetic 30/300/1000
    python3 bench/site.py 30 300       # only these sizes

Prints one table row per catalog: build time, total output, HTML bytes per service page
(mean), and a service page's first load — its HTML plus every CSS and JS file it links,
each gzipped (what a phone downloads on the first visit). Targets: shipped < 10 s,
1,000 services < 40 s, first load <= 150 KB.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import load  # noqa: E402
from generator.site.build import build_site  # noqa: E402

SIZES = (30, 300, 1000)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def first_load(site: Path, page: Path) -> tuple[int, int]:
    """(HTML gzipped, HTML+CSS+JS gzipped) for one page."""
    html = page.read_bytes()
    total = gz(html)
    refs = re.findall(rb'(?:href|src)="([^"]+\.(?:css|js))"', html)
    for ref in sorted(set(refs)):
        target = (page.parent / ref.decode()).resolve()
        if target.is_file() and site.resolve() in target.parents:
            total += gz(target.read_bytes())
    return gz(html), total


def measure(catalog: Path, label: str, work: Path) -> dict:
    out = work / "site"
    started = time.perf_counter()
    build_site(ROOT, out, catalog=catalog)
    seconds = time.perf_counter() - started
    services = [s for s in load(catalog).services if s.status == "active"]
    pages = [out / "services" / s.id / "index.html" for s in services]
    html = [p.stat().st_size for p in pages]
    loads = [first_load(out, p) for p in pages[:: max(1, len(pages) // 20)]]
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out)
    return {
        "catalog": label,
        "services": len(services),
        "build_s": seconds,
        "site_mb": total / 1e6,
        "html_kb": sum(html) / len(html) / 1024,
        "html_gz_kb": max(h for h, _ in loads) / 1024,
        "first_load_kb": max(t for _, t in loads) / 1024,
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(SIZES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        if not argv:
            rows.append(measure(ROOT / "data" / "services.yaml", "shipped", work))
        try:
            from synth import synth_catalog
        except ImportError:
            synth_catalog = None
            print("bench/synth.py not found: only the shipped catalog is measured")
        for n in sizes if synth_catalog else []:
            path = synth_catalog(n, work / f"catalog-{n}.yaml")
            rows.append(measure(path, f"synthetic {n}", work))
    head = f"{'catalog':<15} {'services':>8} {'build s':>8} {'site MB':>8} {'HTML KB/page':>13} {'HTML gz KB':>11} {'first load gz KB':>17}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['catalog']:<15} {r['services']:>8} {r['build_s']:>8.1f} {r['site_mb']:>8.1f} "
              f"{r['html_kb']:>13.1f} {r['html_gz_kb']:>11.1f} {r['first_load_kb']:>17.1f}")
    print("targets: shipped < 10 s; 1,000 services < 40 s; first load (HTML+CSS+JS gzipped) <= 150 KB")


if __name__ == "__main__":
    main(sys.argv[1:])
