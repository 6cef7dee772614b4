"""Charts benchmark: what the 业务流程图 add to a build, at 30 and 1,000 services.

    python3 bench/charts.py            # shipped catalog + synthetic 30 and 1000
    python3 bench/charts.py --site     # also build the site with and without charts (slow at 1,000)

Per catalog: DOT text for every chart (Python), Graphviz for the service charts, the journey
chart alone, the whole ``catalog_charts`` call the site plugin makes, and the
SVG bytes a service page gains (mean, and gzipped). With ``--site``: the site build time
with charts and with the chart stage switched off (after a warm-up build, best of two each,
alternating); the difference is what charts cost, page writing and search indexing included.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import load  # noqa: E402
from generator.charts import catalog_charts, journey_chart, render_svgs, service_chart  # noqa: E402
from generator.charts.render import run_dot  # noqa: E402

SIZES = (30, 1000)


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def site_seconds(catalog: Path, work: Path, charts: bool) -> float:
    from generator.site import plugin
    from generator.site.build import build_site

    original = plugin.GuidePlugin._charts
    if not charts:
        plugin.GuidePlugin._charts = lambda self: {}
    try:
        _, seconds = timed(lambda: build_site(ROOT, work / "site", catalog=catalog))
    finally:
        plugin.GuidePlugin._charts = original
    return seconds


def measure(path: Path, label: str, work: Path, with_site: bool) -> dict:
    catalog = load(path)
    active = [s for s in catalog.services if s.status == "active"]
    graphs, dot_s = timed(lambda: [journey_chart(catalog)] + [service_chart(catalog, s) for s in active])
    sources = [g.to_dot() for g in graphs[1:]]
    _, graphviz_s = timed(lambda: run_dot(sources))  # service charts only
    charts, total_s = timed(lambda: catalog_charts(catalog))
    _, journey_s = timed(lambda: render_svgs([journey_chart(catalog)]))
    sizes = [len(charts[s.id].encode()) for s in active]
    zipped = [len(gzip.compress(charts[s.id].encode(), 9, mtime=0)) for s in active]
    row = {
        "catalog": label, "services": len(active), "dot_s": dot_s, "graphviz_s": graphviz_s,
        "total_s": total_s, "journey_s": journey_s, "journey_kb": len(charts["journey"].encode()) / 1024,
        "svg_kb": sum(sizes) / len(sizes) / 1024, "svg_gz_kb": sum(zipped) / len(zipped) / 1024,
    }
    if with_site:
        site_seconds(path, work, False)  # warm-up: imports, jieba's dictionary, file cache
        runs = [(charts_on, site_seconds(path, work, charts_on)) for _ in range(2) for charts_on in (False, True)]
        row["site_with_s"] = min(t for on, t in runs if on)
        row["site_without_s"] = min(t for on, t in runs if not on)
    return row


def main(argv: list[str]) -> None:
    with_site = "--site" in argv
    sizes = [int(a) for a in argv if a.isdigit()] or list(SIZES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-charts-") as tmp:
        work = Path(tmp)
        rows.append(measure(ROOT / "data" / "services.yaml", "shipped", work, with_site))
        from synth import synth_catalog

        for n in sizes:
            rows.append(measure(synth_catalog(n, work / f"catalog-{n}.yaml"), f"synthetic {n}", work, with_site))
    head = (f"{'catalog':<15} {'services':>8} {'DOT s':>6} {'services s':>11} {'charts s':>9} {'journey s':>9} "
            f"{'journey KB':>10} {'SVG KB/page':>11} {'gz KB/page':>10}")
    if with_site:
        head += f" {'site s':>7} {'no charts s':>11} {'added s':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        line = (f"{r['catalog']:<15} {r['services']:>8} {r['dot_s']:>6.2f} {r['graphviz_s']:>11.2f} {r['total_s']:>9.2f} "
                f"{r['journey_s']:>9.2f} {r['journey_kb']:>10.0f} {r['svg_kb']:>11.1f} {r['svg_gz_kb']:>10.1f}")
        if with_site:
            line += f" {r['site_with_s']:>7.1f} {r['site_without_s']:>11.1f} {r['site_with_s'] - r['site_without_s']:>8.1f}"
        print(line)
    print("DOT s: graph building in Python; services s: Graphviz for every service chart; journey s: the journey chart")
    print("alone; charts s: the one catalog_charts call of a site build (both, side by side)")


if __name__ == "__main__":
    main(sys.argv[1:])
