"""Offline files: the service worker of the built site and the reproducible zip of a bundle."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

SW_FILE = "sw.js"
RELEASE_FILE = "release.json"
# Not precached: big downloads and files only crawlers read.
SKIP_SUFFIXES = (".zip", ".pdf", ".map", ".gz", ".xml")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LUNR_DIR = "assets/javascripts/lunr/"
HASH_CHARS = 16  # of a SHA-256 in hex; sw.js checks every download against it


def site_files(site_dir: Path) -> list[str]:
    """Every file of the site, as sorted POSIX paths relative to its root."""
    out = []
    for root, dirs, files in os.walk(site_dir):
        dirs.sort()
        for name in sorted(files):
            rel = Path(root, name).relative_to(site_dir).as_posix()
            out.append(rel)
    return sorted(out)


def search_scripts(langs: list[str]) -> set[str]:
    """The lunr files Material's search worker loads for ``langs`` (its ``setupSearchLanguages``:
    the stemmer support, one file per language but English, tinyseg for ja, wordcut for hi and th,
    lunr.multi for more than one language). For ``zh``: 2 of the 34 files, 6 KB of 0.9 MB."""
    files = []
    for lang in langs:
        if lang == "ja":
            files.append("tinyseg.js")
        elif lang in ("hi", "th"):
            files.append("wordcut.js")
        if lang != "en":
            files.append(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        files.append("min/lunr.multi.min.js")
    if files:
        files.append("min/lunr.stemmer.support.min.js")
    return {LUNR_DIR + f for f in files}


def precache_list(site_dir: Path, search_langs: list[str] | None = None) -> list[str]:
    """URLs (relative to the site root) the service worker stores on install. With
    ``search_langs``, only the lunr files the search worker loads for them."""
    keep_lunr = search_scripts(search_langs) if search_langs is not None else None
    urls = []
    for rel in site_files(site_dir):
        if rel == SW_FILE or rel.endswith(SKIP_SUFFIXES):
            continue
        if keep_lunr is not None and rel.startswith(LUNR_DIR) and rel not in keep_lunr:
            continue
        if rel == "index.html":
            urls.append("./")
        elif rel.endswith("/index.html"):
            urls.append(rel[: -len("index.html")])
        else:
            urls.append(rel)
    return urls


def url_file(url: str) -> str:
    """The file a precache URL is served from."""
    return "index.html" if url == "./" else (url + "index.html" if url.endswith("/") else url)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def precache_manifest(site_dir: Path, urls: list[str]) -> dict[str, str]:
    """URL -> hash of its bytes: an update downloads only the URLs whose hash changed."""
    return {url: content_hash((site_dir / url_file(url)).read_bytes()) for url in urls}


def build_version(manifest: dict[str, str]) -> str:
    """A hash of the manifest: the name of a release's cache."""
    h = hashlib.sha256()
    for url in sorted(manifest):
        h.update(f"{url}\0{manifest[url]}\n".encode())
    return h.hexdigest()[:HASH_CHARS]


def service_hashes(catalog) -> dict[str, str]:
    """Service id -> hash of what its page says about it: the entry, the shared materials it
    uses and its departments. A new release changes only the hashes of services it changed,
    so a returning reader is told which of the services they looked at changed."""
    materials = {m.id: m for m in catalog.materials}
    departments = {d.id: d for d in catalog.departments}
    out = {}
    for s in sorted(catalog.services, key=lambda s: s.id):
        refs = sorted({m.ref for m in s.materials if m.ref} if isinstance(s.materials, list) else set())
        depts = [s.department, *s.co_departments]
        data = {
            "service": s.model_dump(mode="json"),
            "materials": [materials[r].model_dump(mode="json") for r in refs if r in materials],
            "departments": [departments[d].model_dump(mode="json") for d in depts if d in departments],
        }
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        out[s.id] = content_hash(text.encode("utf-8"))
    return out


def write_release(site_dir: Path, catalog) -> None:
    """``release.json``: the catalog's version and date and every service's hash, read by guide.js."""
    meta = catalog.meta
    data = {"version": meta.version, "date": meta.date.isoformat(), "services": service_hashes(catalog)}
    data["release"] = content_hash(json.dumps(data, sort_keys=True).encode())  # tells releases apart
    (site_dir / RELEASE_FILE).write_text(
        json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


SW_TEMPLATE = """\
// Service worker of the guide: precaches the site at install, serves it cache-first.
// Each release has its own cache; FILES maps every URL to a hash of its bytes, and every cached
// response carries the hash of its own bytes (X-Guide-Hash). An update copies the files whose
// hash is unchanged from the old cache and downloads only the others. A download that fails
// (404, network error, other bytes than listed) is tried again, then skipped: the file keeps what
// the server gave or its old copy, served network-first until it matches, and never blocks the
// release. Only a server that answers nothing at all fails the install.
const VERSION = %(version)s;
const PREFIX = "guide-";
const CACHE = PREFIX + VERSION;
const HASH = "X-Guide-Hash";
const FILES = %(files)s;
const TRIES = [0, 1000, 3000];  // delays before each attempt, ms
const PARALLEL = 6;

function abs(key) { return new URL(key, self.registration.scope).href; }
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

async function hex(buf) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, %(chars)d);
}

// A successful response as stored: its body read, the hash of its bytes as a header.
async function tagged(res) {
  if (!res || !res.ok || res.type === "opaque") return null;
  const buf = await res.arrayBuffer();
  const hash = await hex(buf);
  const headers = new Headers();
  res.headers.forEach((v, k) => { if (!/^(content-(length|encoding)|transfer-encoding)$/i.test(k)) headers.set(k, v); });
  headers.set(HASH, hash);
  return { hash, res: new Response(buf, { status: res.status, statusText: res.statusText, headers }) };
}

async function download(key) {
  let last = null, networkError = false;
  for (const delay of TRIES) {
    if (delay) await sleep(delay);
    try {
      const got = await tagged(await fetch(abs(key), { cache: "reload" }));
      if (got && got.hash === FILES[key]) return { ok: got.res };
      last = got ? got.res : last;
      networkError = false;
    } catch (err) {
      networkError = true;
    }
  }
  return { last, networkError };
}

// An older copy of key in any other release's cache: the same bytes if possible.
async function oldCopy(olds, key) {
  let any = null;
  for (const old of olds) {
    const hit = await old.match(abs(key));
    if (!hit) continue;
    if (hit.headers.get(HASH) === FILES[key]) return { hit, same: true };
    any = any || hit;
  }
  return any ? { hit: any, same: false } : null;
}

async function install() {
  const cache = await caches.open(CACHE);
  const names = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
  const olds = await Promise.all(names.reverse().map((k) => caches.open(k)));
  const keys = Object.keys(FILES);
  let fetched = 0, failed = 0, unreachable = 0, next = 0;
  async function one(key) {
    if ((await cache.match(abs(key)))?.headers.get(HASH) === FILES[key]) return;  // a retried install
    const old = await oldCopy(olds, key);
    if (old && old.same) return cache.put(abs(key), old.hit);
    const got = await download(key);
    if (got.ok) { fetched++; return cache.put(abs(key), got.ok); }
    failed++;
    if (got.networkError && !got.last) unreachable++;
    const stale = got.last || (old && old.hit);  // kept, marked by the hash of its own bytes
    if (stale) await cache.put(abs(key), stale);
  }
  async function worker() { while (next < keys.length) await one(keys[next++]); }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  if (failed && !fetched && unreachable) throw new Error("guide: the site cannot be reached");
}

self.addEventListener("install", (event) => {
  event.waitUntil(install().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((k) => k.startsWith(PREFIX) && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The manifest key of a URL: "./", "services/passport/", "assets/…"; null if not precached.
function keyOf(url) {
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  let rel = url.pathname.slice(scope.pathname.length);
  if (rel === "index.html" || rel.endsWith("/index.html")) rel = rel.slice(0, -"index.html".length);
  if (rel === "") rel = "./";
  const listed = (k) => Object.prototype.hasOwnProperty.call(FILES, k);
  if (listed(rel)) return rel;
  if (!rel.endsWith("/") && listed(rel + "/")) return rel + "/";
  return null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const key = keyOf(url);
    const path = url.pathname;
    if (key !== null && key.endsWith("/") && !path.endsWith("/") && !path.endsWith("index.html")) {
      // A folder page without its slash: relative links need the slash, as a server redirects.
      return Response.redirect(abs(key) + url.search, 301);
    }
    const hit = key === null ? null : await cache.match(abs(key));
    if (hit && hit.headers.get(HASH) === FILES[key]) return hit;
    // Not precached, or an old copy left by a failed download: the network first.
    try {
      const res = await fetch(request);
      if (key !== null && res.ok) {
        const copy = res.clone();
        event.waitUntil(tagged(copy).then((got) => got && cache.put(abs(key), got.res)).catch(() => {}));
      } else if (hit && !res.ok) {
        return hit;
      }
      return res;
    } catch (err) {
      if (hit) return hit;
      const notFound = await cache.match(abs("404.html"));
      return notFound || Response.error();
    }
  })());
});
"""


def write_service_worker(site_dir: Path, search_langs: list[str] | None = None) -> tuple[str, int]:
    """Write ``sw.js`` with the manifest of every page, the search index, CSS, JS, fonts and
    images (and of the lunr files search loads for ``search_langs``)."""
    manifest = precache_manifest(site_dir, precache_list(site_dir, search_langs))
    version = build_version(manifest)
    files = json.dumps(manifest, ensure_ascii=False, indent=0, sort_keys=True)
    text = SW_TEMPLATE % {"version": json.dumps(version), "files": files, "chars": HASH_CHARS}
    (site_dir / SW_FILE).write_text(text, encoding="utf-8")
    return version, len(manifest)


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
