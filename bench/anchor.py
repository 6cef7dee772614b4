"""Benchmarks against the anchor: the guide versus a plain Material site of the same pages, in one run.

    python3 bench/anchor.py                    # 30 (the shipped catalog) and 1,000 services
    python3 bench/anchor.py 30 300             # other sizes (30 = the shipped catalog)
    python3 bench/anchor.py --print-memory 2000 --print-rebuild   # the slow, opt-in parts
    python3 bench/anchor.py --skip preview --skip print

Every command runs as a subprocess in a temporary copy of the project (content/, overrides/,
mkdocs.yml, data/ with the catalog swapped in; the generator comes from this checkout through
PYTHONPATH), timed and sampled for peak memory (the sum over its process tree, bench/measure.py).

1. Build against plain Material. ``guide build --no-print`` with the cache off (a clean build),
   then the anchor: ``python3 -m mkdocs build`` of a plain Material project made, before timing,
   from the same pages. "Same pages" means: for every page our build wrote through the theme
   (every HTML file but the short-link redirect stubs under s/ and the theme's own 404.html,
   which both builds make), a Markdown file at the same path whose body is that page's main
   content, the HTML inside ``<article class="md-content__inner">`` taken from the built page
   (raw HTML is valid Markdown, so it is passed through as is); the same navigation (titles,
   grouping and order, from generator.site.structure.Site for the catalog); the same
   site_name, site_url, markdown extensions, theme settings (material, its features and
   palette, language zh, font false) and search plugin settings (lang zh, the same separator
   and fields; jieba segments the Chinese). Not carried over, as a plain site has none of them:
   the guide plugin (catalog loading, charts, short links, print, service worker, search
   terms), the theme overrides and extra CSS/JS, per-page front matter (hidden contents list,
   search boost and exclusions), and the contents list of service pages (MkDocs does not read
   headings inside raw HTML). The script checks that the anchor's articles equal ours.
2. Unchanged rebuild. ``guide build --no-print`` twice with the cache on (a fresh cache folder):
   the second build, of the same catalog, over the first. The same for ``guide build`` with
   print (for the shipped catalog; for synthetic catalogs only with --print-rebuild). The first
   build is a cold one that also saves its output; the second finds every input unchanged and
   restores that output (generator/outputcache.py), here leaving the identical site in place.
   Compare the second with a clean build (part 1, cache off) too: the first carries the saving.
3. Preview latency. ``guide serve`` on a free port; once a service page answers, the script
   inserts a unique marker at the start of that service's ``summary`` in the catalog file and
   polls the page every 20 ms until the marker shows: latency is from the closed (fsynced) write
   to the first response holding it (``mkdocs serve`` holds requests until a rebuild is
   complete, so the page shows the edit only once the whole site is rebuilt). The next edit
   comes 1 s after the page showed the last one. Median and max of --edits edits; an edit
   not seen within 60 s counts as ">60 s" (and the next edit waits until it shows).
4. Print memory. ``guide print --draft`` of the shipped catalog, and of --print-memory sizes.

Targets: preview of a one-service edit < 1 s at 1,000 services; unchanged rebuild < 0.2x a full
build; print of 2,000 services < 1 GB peak; build memory at 1,000 services <= 1.0x plain Material.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.catalog import load  # noqa: E402
from generator.site.structure import CONTENT_PAGES, Site  # noqa: E402
from measure import Measured, run_measured  # noqa: E402
from synth import SHIPPED, synth_catalog  # noqa: E402

GUIDE = [sys.executable, str(ROOT / "cli.py")]
PARTS = ("anchor", "rebuild", "preview", "print")
ARTICLE = '<article class="md-content__inner md-typeset">'
EDIT_TIMEOUT = 60.0
START_TIMEOUT = 900.0  # the first build of a big catalog, on a busy machine
POLL = 0.02
SETTLE = 1.0  # idle time after an edit is seen, before the next one


# ------------------------------------------------------------ projects


def shipped_size() -> int:
    return len(load(SHIPPED).services)


def make_catalog(n: int, work: Path) -> tuple[str, Path]:
    if n == shipped_size():
        return f"shipped ({n})", SHIPPED
    return f"synthetic {n}", synth_catalog(n, work / f"catalog-{n}.yaml")


def project_copy(catalog: Path, dest: Path) -> Path:
    """The project files a build reads, with ``catalog`` as data/services.yaml."""
    dest.mkdir(parents=True)
    for name in ("content", "overrides", "data"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copyfile(catalog, dest / "data" / "services.yaml")
    return dest


def env(cache: str | Path = "off") -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "GUIDE_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}


def guide(project: Path, *args: str, cache: str | Path = "off") -> Measured:
    m = run_measured([*GUIDE, *args], cwd=project, env=env(cache))
    if m.returncode:
        raise SystemExit(f"guide {' '.join(args)} failed in {project}")
    return m


# ------------------------------------------------------------ the anchor


def article(html: str) -> str | None:
    """The main content of a page built by Material (its outer article), or None."""
    start = html.find(ARTICLE)
    if start < 0:
        return None
    start += len(ARTICLE)
    depth = 1
    for m in re.finditer(r"<(/?)article\b", html[start:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html[start : start + m.start()]
    return None


def _md_path(src: str) -> str:
    """Where MkDocs writes ``src`` with directory URLs, as a Markdown path: about.md -> about/index.md."""
    if src == "index.md" or src.endswith("/index.md"):
        return src
    return src[: -len(".md")] + "/index.md"


def _nav(node):
    if isinstance(node, list):
        return [_nav(x) for x in node]
    if isinstance(node, dict):
        return {k: _nav(v) for k, v in node.items()}
    return _md_path(node)


def anchor_project(project: Path, site: Path, dest: Path) -> int:
    """A plain Material project of the pages in ``site`` (see the module docstring); returns the page count."""
    cfg = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    catalog = load(project / "data" / "services.yaml")
    present = [src for src, _ in CONTENT_PAGES if (project / cfg["docs_dir"] / src).is_file()]
    theme = {k: v for k, v in cfg["theme"].items() if k != "custom_dir"}
    theme["language"] = "zh"
    search = next(p["search"] for p in cfg["plugins"] if isinstance(p, dict) and "search" in p)
    docs = dest / "docs"
    pages = 0
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        body = article(page.read_text(encoding="utf-8"))
        if body is None or rel == "404.html":  # short-link stubs have no article; the theme makes 404
            continue
        md = docs / (rel[: -len(".html")] + ".md")
        md.parent.mkdir(parents=True, exist_ok=True)
        md.write_text(body.strip() + "\n", encoding="utf-8")
        pages += 1
    config = {
        "site_name": cfg["site_name"],
        "site_url": catalog.meta.site_url + "/",
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": theme,
        "plugins": [{"search": search}],
        "markdown_extensions": cfg.get("markdown_extensions", []),
        "nav": _nav(Site(catalog).nav(present)),
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pages


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def same_articles(ours: Path, anchor: Path) -> tuple[int, int]:
    """(pages whose article matches, whitespace aside; pages compared)."""
    same = total = 0
    for page in anchor.rglob("*.html"):
        rel = page.relative_to(anchor)
        mine = ours / rel
        if rel.as_posix() == "404.html" or not mine.is_file():
            continue
        a, b = article(page.read_text(encoding="utf-8")), article(mine.read_text(encoding="utf-8"))
        if a is None or b is None:
            continue
        total += 1
        same += _squeeze(a) == _squeeze(b)
    return same, total


def bench_anchor(label: str, project: Path, work: Path) -> dict:
    site = work / "site-guide"
    ours = guide(project, "build", "--no-print", "--site-dir", str(site))
    anchor = work / "anchor"
    pages = anchor_project(project, site, anchor)
    theirs = run_measured([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(work / "site-anchor")],
                          cwd=anchor, env=env())
    if theirs.returncode:
        raise SystemExit(f"mkdocs build of the anchor failed in {anchor}")
    same, compared = same_articles(site, work / "site-anchor")
    for d in (site, anchor, work / "site-anchor"):
        shutil.rmtree(d)
    return {"catalog": label, "pages": pages, "guide": ours, "material": theirs, "same": f"{same}/{compared}"}


# ------------------------------------------------------------ unchanged rebuild


def bench_rebuild(label: str, project: Path, work: Path, with_print: bool) -> dict:
    cache = work / "cache"
    args = ["build", "--site-dir", str(work / "site-rebuild")] + ([] if with_print else ["--no-print"])
    first = guide(project, *args, cache=cache)
    second = guide(project, *args, cache=cache)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(work / "site-rebuild", ignore_errors=True)
    return {"catalog": label, "what": "guide build" if with_print else "guide build --no-print",
            "first": first, "second": second}


# ------------------------------------------------------------ preview latency


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError):
        return None


def insert_marker(text: str, sid: str, marker: str) -> str:
    """The catalog text with ``marker`` at the start of service ``sid``'s summary."""
    m = re.search(rf"^(\s*)- id: {re.escape(sid)}\s*$", text, re.M)
    if m is None:
        raise SystemExit(f"service {sid} not found in the catalog text")
    s = re.compile(r"^\s+summary: (['\"]?)", re.M).search(text, m.end())
    if s is None:
        raise SystemExit(f"service {sid} has no summary line")
    return text[: s.end()] + marker + text[s.end() :]


def write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


class Server:
    """``guide serve`` in its own process group, stopped on exit: SIGTERM (guide unwinds, and MkDocs
    removes its temporary site; SIGINT may be ignored when this script runs in the background),
    then SIGKILL."""

    def __init__(self, project: Path, port: int, log: Path):
        self.log = log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen([*GUIDE, "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=env(),
                                         stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue


def wait_for(url: str, server: Server, want: str | None, timeout: float) -> float | None:
    """Seconds until ``url`` answers (holding ``want``), or None after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if not server.alive():
            tail = server.log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise SystemExit(f"guide serve stopped:\n{tail}")
        body = fetch(url)
        if body is not None and (want is None or want in body):
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def bench_preview(label: str, project: Path, work: Path, edits: int) -> dict:
    catalog_file = project / "data" / "services.yaml"
    original = catalog_file.read_text(encoding="utf-8")
    catalog = load(catalog_file)
    ids = sorted(s.id for s in catalog.services if s.status == "active")
    sid = ids[len(ids) // 2]
    port = free_port()
    base = urlparse(catalog.meta.site_url + "/").path  # mkdocs serve mounts the site at site_url's path
    url = f"http://127.0.0.1:{port}{base}services/{sid}/"
    latencies: list[float | None] = []
    with Server(project, port, work / "serve.log") as server:
        if wait_for(url, server, None, START_TIMEOUT) is None:
            raise SystemExit(f"guide serve did not answer {url} within {START_TIMEOUT:.0f} s")
        for k in range(edits):
            marker = f"benchmark{os.getpid()}x{k}"
            write_synced(catalog_file, insert_marker(original, sid, marker))
            seen = wait_for(url, server, marker, EDIT_TIMEOUT)
            latencies.append(seen)
            if seen is None:  # still rebuilding: the next edit would queue behind it
                wait_for(url, server, marker, START_TIMEOUT)
            time.sleep(SETTLE)
    write_synced(catalog_file, original)
    return {"catalog": label, "service": sid, "latencies": latencies}


# ------------------------------------------------------------ print memory


def bench_print(label: str, project: Path, work: Path) -> dict:
    out = work / "print"
    m = guide(project, "print", "--draft", "--out", str(out))
    docs = sum(1 for _ in out.rglob("*.pdf"))
    shutil.rmtree(out)
    return {"catalog": label, "docs": docs, "run": m}


# ------------------------------------------------------------ tables


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def seconds(s: float | None) -> str:
    return f">{EDIT_TIMEOUT:.0f} s" if s is None else f"{s:.2f} s"


def note(label: str, what: str, m: Measured, base: Measured | None = None) -> None:
    """One progress line, so a long run shows its figures as it goes."""
    line = f"{label}: {what} {m.seconds:.1f} s, {m.peak_mb:.0f} MB"
    if base is not None:
        line += f" (against {base.seconds:.1f} s, {base.peak_mb:.0f} MB)"
    print(line, flush=True)


def report(results: dict[str, list[dict]]) -> None:
    if results["anchor"]:
        print("\nBuild against plain Material (guide build --no-print, cache off; python3 -m mkdocs build)")
        head = (f"{'catalog':<16} {'pages':>6} {'guide s':>8} {'material s':>10} {'time':>6} "
                f"{'guide MB':>9} {'material MB':>11} {'memory':>7} {'same articles':>14}")
        print(head + "\n" + "-" * len(head))
        for r in results["anchor"]:
            g, m = r["guide"], r["material"]
            print(f"{r['catalog']:<16} {r['pages']:>6} {g.seconds:>8.1f} {m.seconds:>10.1f} "
                  f"{ratio(g.seconds, m.seconds):>6} {g.peak_mb:>9.0f} {m.peak_mb:>11.0f} "
                  f"{ratio(g.peak_mb, m.peak_mb):>7} {r['same']:>14}")
    if results["rebuild"]:
        print("\nUnchanged rebuild (cache on: first build, then the same catalog again)")
        head = f"{'catalog':<16} {'command':<24} {'first s':>8} {'second s':>9} {'ratio':>6} {'first MB':>9} {'second MB':>10}"
        print(head + "\n" + "-" * len(head))
        for r in results["rebuild"]:
            a, b = r["first"], r["second"]
            print(f"{r['catalog']:<16} {r['what']:<24} {a.seconds:>8.1f} {b.seconds:>9.1f} "
                  f"{ratio(b.seconds, a.seconds):>6} {a.peak_mb:>9.0f} {b.peak_mb:>10.0f}")
    if results["preview"]:
        print("\nPreview latency of a one-service edit (guide serve; write -> page shows it)")
        head = f"{'catalog':<16} {'edits':>5} {'median':>8} {'max':>8}  each"
        print(head + "\n" + "-" * len(head))
        for r in results["preview"]:
            lat = r["latencies"]
            known = sorted(x if x is not None else float("inf") for x in lat)
            med = statistics.median(known)
            print(f"{r['catalog']:<16} {len(lat):>5} {seconds(None if med == float('inf') else med):>8} "
                  f"{seconds(None if known[-1] == float('inf') else known[-1]):>8}  "
                  f"{', '.join(seconds(x) for x in lat)}")
    if results["print"]:
        print("\nPrint memory (guide print --draft)")
        head = f"{'catalog':<16} {'PDFs':>5} {'seconds':>8} {'peak MB':>8}"
        print(head + "\n" + "-" * len(head))
        for r in results["print"]:
            print(f"{r['catalog']:<16} {r['docs']:>5} {r['run'].seconds:>8.1f} {r['run'].peak_mb:>8.0f}")
    print("\ntargets: preview of a one-service edit < 1 s at 1,000 services; unchanged rebuild < 0.2x a full build;")
    print("         print of 2,000 services < 1 GB peak; build memory at 1,000 services <= 1.0x plain Material")
    print(f"load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


# ------------------------------------------------------------ main


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[30, 1000],
                    help="services per catalog (default: 30 1000; the shipped catalog's size uses it)")
    ap.add_argument("--edits", type=int, default=5, help="edits per preview measurement (default 5)")
    ap.add_argument("--print-rebuild", action="store_true",
                    help="also the unchanged rebuild WITH print for synthetic catalogs (slow)")
    ap.add_argument("--print-memory", nargs="+", type=int, default=[], metavar="N",
                    help="also `guide print` peak memory for catalogs of N services, e.g. 2000 (slow)")
    ap.add_argument("--skip", action="append", choices=PARTS, default=[], help="leave out a part (repeatable)")
    args = ap.parse_args(argv)
    parts = [p for p in PARTS if p not in args.skip]
    shipped = shipped_size()
    results: dict[str, list[dict]] = {p: [] for p in PARTS}
    print(f"load average before the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-anchor-") as tmp:
        work = Path(tmp)
        for n in args.sizes:
            label, catalog = make_catalog(n, work)
            project = project_copy(catalog, work / f"project-{n}")
            if "anchor" in parts:
                r = bench_anchor(label, project, work)
                results["anchor"].append(r)
                note(label, "guide build", r["guide"], r["material"])
            if "rebuild" in parts:
                for with_print in (False, True) if catalog == SHIPPED or args.print_rebuild else (False,):
                    r = bench_rebuild(label, project, work, with_print)
                    results["rebuild"].append(r)
                    note(label, f"{r['what']}, cached", r["second"], r["first"])
            if "preview" in parts and args.edits > 0:
                r = bench_preview(label, project, work, args.edits)
                results["preview"].append(r)
                print(f"{label}: preview {', '.join(seconds(x) for x in r['latencies'])}", flush=True)
            shutil.rmtree(project)
        if "print" in parts:
            for n in [shipped, *args.print_memory]:
                label, catalog = make_catalog(n, work)
                project = project_copy(catalog, work / f"print-{n}")
                r = bench_print(label, project, work)
                results["print"].append(r)
                note(label, "guide print", r["run"])
                shutil.rmtree(project)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
