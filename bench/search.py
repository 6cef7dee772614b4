"""Search benchmark: what a phone downloads for search, and how long its first search takes.

    python3 bench/search.py [--sizes 300,1000] [--runs 5] [--no-browser]

Builds the site of the shipped catalog (and of synthetic catalogs of the given sizes) and prints:
- the search index, raw and gzipped, without and with the other spellings (pinyin, initials,
  traditional) and the browser's tables; the tables alone; search-normalize.js;
- the first search on a phone-sized CPU: Chromium with 4x CPU throttling (CDP
  Emulation.setCPUThrottlingRate), a fresh cache, a query typed as soon as the home page has
  loaded; milliseconds from typing to the first results (the index is fetched and built in that
  time), then the median of later queries. "without" serves the same site with the index
  stripped of this feature and search-normalize.js blocked. Median of --runs.
Target: the index a phone downloads stays <= 60 KB gzipped for the shipped catalog.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from generator.site.build import build_site  # noqa: E402
from generator.site.structure.search import SPELLINGS  # noqa: E402

INDEX = Path("search") / "search_index.json"
SCRIPT = Path("assets") / "javascripts" / "search-normalize.js"
QUERIES = ["huzhao", "護照", "户照", "公司欠工资怎么办", "xueli renzheng", "gatxz"]
THROTTLE = 4


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def dump(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def strip(data: dict) -> dict:
    """The index as it was before this feature: no spellings field, no browser tables."""
    data = json.loads(dump(data))
    data["config"].pop("normalize", None)
    data["config"]["fields"].pop(SPELLINGS, None)
    for doc in data["docs"]:
        doc.pop(SPELLINGS, None)
    return data


def sizes(site: Path, label: str) -> dict:
    data = json.loads((site / INDEX).read_text(encoding="utf-8"))
    before, after = dump(strip(data)), dump(data)
    tables = dump(data["config"]["normalize"])
    script = (site / SCRIPT).read_bytes()
    return {"catalog": label, "before": (len(before), gz(before)), "after": (len(after), gz(after)),
            "tables": (len(tables), gz(tables)), "script": (len(script), gz(script))}


FIRST_SEARCH = """async (queries) => {
  const box = document.querySelector("input.md-search__input");
  const list = document.querySelector(".md-search-result__list");
  const meta = document.querySelector(".md-search-result__meta");
  async function one(q) {
    list.innerHTML = ""; meta.textContent = "";
    const t = performance.now();
    box.value = q;
    box.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }));
    while (!list.children.length && !meta.textContent) await new Promise(r => setTimeout(r, 2));
    return performance.now() - t;
  }
  document.querySelector("label[for=__search]").click();
  const times = [await one(queries[0])];  // the worker may still be loading its index
  for (const q of queries.slice(1)) { await one(""); times.push(await one(q)); }
  return times;
}"""


def first_search(browser, url: str, block_script: bool, runs: int) -> tuple[float, float]:
    firsts, laters = [], []
    for _ in range(runs):
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        if block_script:
            page.route("**/search-normalize.js", lambda route: route.abort())
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
        page.goto(url, wait_until="load")
        times = page.evaluate(FIRST_SEARCH, QUERIES)
        firsts.append(times[0])
        laters.append(statistics.median(times[1:]))
        context.close()
    return statistics.median(firsts), statistics.median(laters)


def browser_rows(site: Path, label: str, runs: int) -> list[dict]:
    from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_dir
    from playwright.sync_api import sync_playwright

    plain = site.parent / (site.name + "-without")
    shutil.copytree(site, plain)
    data = json.loads((site / INDEX).read_text(encoding="utf-8"))
    (plain / INDEX).write_bytes(dump(strip(data)))
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for variant, root, block in (("without", plain, True), ("with", site, False)):
            server = serve_dir(root)
            try:
                first, later = first_search(browser, server.url, block, runs)
            finally:
                server.close()
            rows.append({"catalog": label, "variant": variant, "first_ms": first, "later_ms": later})
        browser.close()
    shutil.rmtree(plain)
    return rows


def kb(pair: tuple[int, int]) -> str:
    return f"{pair[0] / 1024:.1f} / {pair[1] / 1024:.1f}"


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    size_rows, time_rows = [], []
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        work = Path(tmp)
        catalogs = [(ROOT / "data" / "services.yaml", "shipped")]
        if args.sizes:
            from synth import synth_catalog

            for n in (int(x) for x in args.sizes.split(",")):
                catalogs.append((synth_catalog(n, work / f"catalog-{n}.yaml"), f"synthetic {n}"))
        for catalog, label in catalogs:
            site = work / label.replace(" ", "-") / "site"
            build_site(ROOT, site, catalog=catalog)
            size_rows.append(sizes(site, label))
            if not args.no_browser:
                time_rows.extend(browser_rows(site, label, args.runs))
            shutil.rmtree(site.parent)
    head = (f"{'catalog':<15} {'index before KB raw/gz':>23} {'index after KB raw/gz':>22} "
            f"{'tables KB raw/gz':>17} {'search-normalize.js KB raw/gz':>30}")
    print(head)
    print("-" * len(head))
    for r in size_rows:
        print(f"{r['catalog']:<15} {kb(r['before']):>23} {kb(r['after']):>22} {kb(r['tables']):>17} {kb(r['script']):>30}")
    print("target: the shipped catalog's index <= 60 KB gzipped (after)")
    if time_rows:
        print()
        head = f"{'catalog':<15} {'variant':<8} {'first search ms (4x CPU)':>25} {'later queries ms':>17}"
        print(head)
        print("-" * len(head))
        for r in time_rows:
            print(f"{r['catalog']:<15} {r['variant']:<8} {r['first_ms']:>25.0f} {r['later_ms']:>17.0f}")
        print(f"first search: typed as soon as the home page loaded, until the first results; median of {args.runs} runs"
              " (a shared 2-core machine varies by +-50%)")


if __name__ == "__main__":
    main(sys.argv[1:])
