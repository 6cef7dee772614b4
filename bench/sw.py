"""Service worker benchmark: what a reader's browser stores, and what an update downloads.

    python3 bench/sw.py              # shipped catalog + synthetic 300 and 1000
    python3 bench/sw.py 2000         # only these synthetic sizes

For each catalog, builds the site twice: as is, and with one service's summary changed. Prints
the precache (files and MB) with every file but the service worker listed ("all files": the rule
before per-file hashes) and as sw.js lists it now; the size of sw.js; and what an update
downloads when that one service changes: the whole precache before, the files whose hash changed
now (plus sw.js, fetched on every update check). Bytes are uncompressed.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.site.build import build_site  # noqa: E402
from generator.site.structure.offline import precache_list, url_file  # noqa: E402

SIZES = (300, 1000)
SUMMARY = "公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。"


def files_of(site: Path) -> dict[str, str]:
    """The manifest sw.js lists: URL -> hash."""
    text = (site / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"^const FILES = (\{.*?\});$", text, re.S | re.M).group(1))


def size(site: Path, urls) -> int:
    return sum((site / url_file(u)).stat().st_size for u in urls)


def gz_size(site: Path, urls) -> int:
    """Bytes on the wire from a server that gzips (as most static hosts do)."""
    return sum(len(gzip.compress((site / url_file(u)).read_bytes(), compresslevel=6, mtime=0)) for u in urls)


def measure(catalog: Path, label: str, work: Path) -> dict:
    text = catalog.read_text(encoding="utf-8")
    assert SUMMARY in text, "the catalog has no passport summary to change"
    changed_catalog = work / f"{label}-changed.yaml"
    changed_catalog.write_text(text.replace(SUMMARY, SUMMARY[:-1] + "(已更新)。", 1), encoding="utf-8")
    a, b = work / f"{label}-a", work / f"{label}-b"
    build_site(ROOT, a, catalog=catalog)
    build_site(ROOT, b, catalog=changed_catalog)
    # Every file but sw.js and the skipped suffixes (release.json is new with per-file hashes).
    old_rule = [u for u in precache_list(b) if u != "release.json"]
    files_a, files_b = files_of(a), files_of(b)
    changed = [u for u, h in files_b.items() if files_a.get(u) != h]
    sw = (b / "sw.js").stat().st_size
    services = len(json.loads((b / "release.json").read_text(encoding="utf-8"))["services"])
    return {
        "catalog": label,
        "services": services,
        "files_before": len(old_rule),
        "mb_before": size(b, old_rule) / 1e6,
        "files_after": len(files_b),
        "mb_after": size(b, files_b) / 1e6,
        "sw_kb": sw / 1024,
        "update_before_mb": (size(b, old_rule) + sw) / 1e6,
        "update_files": len(changed),
        "update_after_kb": (size(b, changed) + sw) / 1024,
        "update_before_gz_mb": gz_size(b, old_rule + ["sw.js"]) / 1e6,
        "update_after_gz_kb": gz_size(b, changed + ["sw.js"]) / 1024,
        "biggest": max(changed, key=lambda u: (b / url_file(u)).stat().st_size),
        "biggest_kb": max((b / url_file(u)).stat().st_size for u in changed) / 1024,
        "changed": changed,
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(SIZES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-sw-") as tmp:
        work = Path(tmp)
        if not argv:
            rows.append(measure(ROOT / "data" / "services.yaml", "shipped", work))
        from synth import synth_catalog

        for n in sizes:
            rows.append(measure(synth_catalog(n, work / f"catalog-{n}.yaml"), f"synthetic {n}", work))
    head = (f"{'catalog':<15} {'services':>8} {'precache before':>16} {'precache now':>14} {'sw.js KB':>9} "
            f"{'update before MB':>17} {'update now':>17} {'gzipped: before':>16} {'now':>9}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['catalog']:<15} {r['services']:>8} "
              f"{r['files_before']:>5} f {r['mb_before']:>6.2f} MB {r['files_after']:>4} f {r['mb_after']:>5.2f} MB "
              f"{r['sw_kb']:>9.1f} {r['update_before_mb']:>17.2f} {r['update_files']:>4} f {r['update_after_kb']:>7.1f} KB"
              f" {r['update_before_gz_mb']:>13.2f} MB {r['update_after_gz_kb']:>6.0f} KB")
    print("update: what a returning reader downloads when one service's summary changes (sw.js included)")
    for r in rows:
        print(f"  {r['catalog']}: {', '.join(r['changed'])}; biggest {r['biggest']} {r['biggest_kb']:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
