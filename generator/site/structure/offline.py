"""Offline files: the service worker of the built site and the reproducible zip of a bundle."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

SW_FILE = "sw.js"
# Not precached: big downloads and files only crawlers read.
SKIP_SUFFIXES = (".zip", ".pdf", ".map", ".gz", ".xml")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def site_files(site_dir: Path) -> list[str]:
    """Every file of the site, as sorted POSIX paths relative to its root."""
    out = []
    for root, dirs, files in os.walk(site_dir):
        dirs.sort()
        for name in sorted(files):
            rel = Path(root, name).relative_to(site_dir).as_posix()
            out.append(rel)
    return sorted(out)


def precache_list(site_dir: Path) -> list[str]:
    """URLs (relative to the site root) the service worker stores on install."""
    urls = []
    for rel in site_files(site_dir):
        if rel == SW_FILE or rel.endswith(SKIP_SUFFIXES):
            continue
        if rel == "index.html":
            urls.append("./")
        elif rel.endswith("/index.html"):
            urls.append(rel[: -len("index.html")])
        else:
            urls.append(rel)
    return urls


def build_version(site_dir: Path, urls: list[str]) -> str:
    """A hash of every precached file: a new build gets a new cache, replaced as a whole."""
    h = hashlib.sha256()
    for url in urls:
        rel = "index.html" if url == "./" else (url + "index.html" if url.endswith("/") else url)
        h.update(rel.encode() + b"\0")
        h.update((site_dir / rel).read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


SW_TEMPLATE = """\
// Service worker of the guide: precaches the whole site at install, serves it cache-first.
// The cache name carries a hash of the build, so a new release replaces the cache as a whole.
const VERSION = %(version)s;
const CACHE = "guide-" + VERSION;
const FILES = %(files)s;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((k) => k.startsWith("guide-") && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    let hit = await cache.match(request, { ignoreSearch: true });
    if (!hit && !url.pathname.endsWith("/") && !url.pathname.split("/").pop().includes(".")) {
      hit = await cache.match(url.pathname + "/");
    }
    if (hit) return hit;
    try {
      return await fetch(request);
    } catch (err) {
      const notFound = await cache.match(new URL("404.html", self.registration.scope).href);
      return notFound || Response.error();
    }
  })());
});
"""


def write_service_worker(site_dir: Path) -> tuple[str, int]:
    """Write ``sw.js`` listing every page, the search index, CSS, JS, fonts and images."""
    urls = precache_list(site_dir)
    version = build_version(site_dir, urls)
    text = SW_TEMPLATE % {"version": json.dumps(version), "files": json.dumps(urls, ensure_ascii=False, indent=0)}
    (site_dir / SW_FILE).write_text(text, encoding="utf-8")
    return version, len(urls)


def write_zip(src_dir: Path, zip_path: Path, prefix: str = "") -> None:
    """A reproducible zip: sorted entries, fixed timestamps and permissions."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for rel in site_files(src_dir):
            info = zipfile.ZipInfo(prefix + rel, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            zf.writestr(info, (src_dir / rel).read_bytes())
