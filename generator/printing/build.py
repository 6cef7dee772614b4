"""``print_all``: every printed document of a catalog, written safely, in parallel, and only when changed.

Output layout (``out_dir``)::

    flyers/<service-id>.pdf   posters/poster-a3.pdf   posters/poster-a1.pdf
    booklet.pdf               thumbs/<same path>.png  manifest.json

Everything is rendered into a temporary folder next to ``out_dir`` and moved into
place only when all documents succeeded: a failure never leaves a half-written PDF.

The main process, which holds the catalog, makes each document's HTML and its cache key
(``printcache``); a document whose key is stored is written from the cache. The others go to
worker processes that get only HTML, so they stay small: they start from a fork server (not
from the main process and its catalog) and are replaced every ``TASKS_PER_WORKER`` documents,
since WeasyPrint's memory creeps up from one document to the next.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ..pdf import release
from ..files import OutputDirError, check_replaceable, replace_dir, scratch
from ..schema import Catalog
from . import model
from .fonts import require_chinese_font
from .model import PrintError
from .printcache import Entry, PrintCache

THUMB_WIDTH = 300
WORKERS = 2
TASKS_PER_WORKER = 50  # what release() leaves behind still creeps up (fragmentation): start afresh
IN_FLIGHT = 2 * WORKERS + 1  # documents handed to the pool at once: their HTML waits in memory
MANIFEST = "manifest.json"
PARTS = ".booklet-parts"  # in the temporary folder: the booklet's body parts while it is printed


@dataclass(frozen=True)
class Job:
    kind: str  # flyer | poster | booklet
    id: str
    title: str
    file: str  # relative to out_dir

    @property
    def thumbnail(self) -> str:
        return "thumbs/" + self.file[: -len(".pdf")] + ".png"


def plan_jobs(catalog: Catalog, only: set[str] | None, overview: bool) -> list[Job]:
    """Documents to make, longest first so the pool finishes early."""
    jobs: list[Job] = []
    if overview:
        jobs.append(Job("booklet", "booklet", f"《{catalog.meta.title}》(手册)", "booklet.pdf"))
        for size in model.POSTER_SIZES:
            jobs.append(Job("poster", size.id, f"“一件事”海报({size.name})", f"posters/{size.id}.pdf"))
    for s in model.plan_order(catalog):
        if only is None or s.id in only:
            jobs.append(Job("flyer", s.id, s.name, f"flyers/{s.id}.pdf"))
    return jobs


def resolve_draft(catalog: Catalog, draft: bool | None) -> bool:
    """Production unless asked for a draft; production refuses a placeholder or off-list site_url."""
    if draft:
        return True
    why = model.production_problem(catalog)
    if why:
        raise PrintError(why)
    return False


# ---------------------------------------------------------------- one document's HTML and key (main process)


def _prepare(job: Job, catalog: Catalog, opts, cache: PrintCache, root: Path) -> tuple[str, Any]:
    """(cache key, what a worker needs to print ``job``): the key covers every input of its bytes."""
    from . import render

    options = {"draft": opts.draft, "crop_marks": opts.crop_marks, "thumb": THUMB_WIDTH}
    if job.kind == "flyer":
        htmls = render.flyer_htmls(catalog, job.id, opts)
        return cache.key("flyer", {**options, "max_pages": model.FLYER_MAX_PAGES}, list(htmls.items())), htmls
    if job.kind == "poster":
        html = render.poster_html(catalog, next(p for p in model.POSTER_SIZES if p.id == job.id), opts)
        return cache.key("poster", options, html), html
    parts = render.booklet_parts(catalog, opts)
    folder = root / PARTS
    folder.mkdir(parents=True, exist_ok=True)
    body, hashes = [], []
    for k, (html, carried) in enumerate(parts.body):  # written one by one: the HTML of 2,000 services is large
        path = folder / f"body-{k:04d}.html"
        path.write_text(html, encoding="utf-8")
        body.append((path, carried))
        hashes.append((cache.key("part", {}, html), carried))
    info = render.booklet_info(catalog)
    key = cache.key("booklet", {**options, "per_part": model.BOOKLET_PART}, parts.front, hashes, info)
    return key, (parts.front, body, info)


# ---------------------------------------------------------------- one document's PDF (in a worker)


def _make(job: Job, work: Any, root: str, cache_dir: str | None, key: str) -> dict:
    """Print ``job`` from its HTML into ``root``, store it in the cache; returns its manifest item."""
    from . import booklet, render

    detail = None
    if job.kind == "flyer":
        data, detail = render.fitted_flyer(work)
    elif job.kind == "poster":
        data = render.html_to_pdf(work)
    else:
        front, body, info = work
        data = booklet.print_parts(front, body, info, Path(root) / PARTS)
    pdf = Path(root) / job.file
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(data)
    thumb = Path(root) / job.thumbnail
    thumb.parent.mkdir(parents=True, exist_ok=True)
    _thumbnail(pdf, thumb)
    entry = Entry(data, thumb.read_bytes(), _page_count(data), detail)
    PrintCache(Path(cache_dir) if cache_dir else None).put(key, entry)
    del data
    release()
    return _item(job, entry)


def _write(job: Job, entry: Entry, root: Path) -> dict:
    """A document from the cache: its files as they were printed."""
    for rel, data in ((job.file, entry.pdf), (job.thumbnail, entry.png)):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return _item(job, entry)


def _item(job: Job, entry: Entry) -> dict:
    return {
        "kind": job.kind,
        "id": job.id,
        "title": job.title,
        "file": job.file,
        "thumbnail": job.thumbnail,
        "bytes": len(entry.pdf),
        "pages": entry.pages,
        **({"detail": entry.detail} if entry.detail else {}),  # flyers: full, or brief (notes left out)
    }


def _page_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _thumbnail(pdf: Path, png: Path) -> None:
    """A PNG of the first page's finished (trimmed) area, THUMB_WIDTH px wide: no bleed, no marks."""
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[0]
    trim, media = page.trimbox, page.mediabox
    dpi = THUMB_WIDTH * 72 / float(trim.width)
    x = round((float(trim.left) - float(media.left)) * dpi / 72)
    y = round((float(media.top) - float(trim.top)) * dpi / 72)
    height = round(float(trim.height) * dpi / 72)
    try:
        subprocess.run(
            ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-r", f"{dpi:.4f}",
             "-x", str(x), "-y", str(y), "-W", str(THUMB_WIDTH), "-H", str(height), str(pdf), str(png.with_suffix(""))],
            check=True, capture_output=True, timeout=120,
        )
    except FileNotFoundError as exc:
        raise PrintError("找不到 pdftoppm:请先运行 scripts/setup.sh 安装 poppler-utils") from exc
    except subprocess.CalledProcessError as exc:
        raise PrintError(f"生成预览图失败({pdf.name}):{exc.stderr.decode(errors='replace').strip()}") from exc


# ---------------------------------------------------------------- all documents


def print_all(
    catalog: Catalog,
    out_dir: Path,
    *,
    draft: bool | None = None,
    only: set[str] | None = None,
    progress: Callable[[int], None] | None = None,
    overview: bool | None = None,
    crop_marks: bool = False,
    protected: Iterable[Path] = (),
    cache: PrintCache | None = None,
) -> dict:
    """Write the printed documents of ``catalog`` into ``out_dir`` and return the manifest.

    ``only``: service ids; then only their flyers (and posters/booklet only when
    ``overview`` is true). ``draft=None`` means production, which refuses a placeholder
    or off-list ``meta.site_url`` with ``PrintError``; ``draft=True`` watermarks 样稿.
    ``progress`` is called with the number of documents finished since the last call.
    ``protected``: paths (the project, the catalog) that ``out_dir`` must not contain.
    ``cache``: documents whose inputs are unchanged are copied from it (``cache.hits``), the
    others printed and stored (``cache.misses``); after a full run, what it did not use is removed.
    """
    from . import render
    from .fingerprint import environment

    out_dir = Path(out_dir)
    is_draft = resolve_draft(catalog, draft)
    require_chinese_font()
    active = {s.id for s in catalog.services if s.status == "active"}
    if only is not None:
        unknown = sorted(set(only) - active)
        if unknown:
            raise PrintError(f"没有这些在办事项:{'、'.join(unknown)}(编号见目录 services 的 id;已停办的事项不再印制)")
    if overview is None:
        overview = only is None
    partial = only is not None
    jobs = plan_jobs(catalog, only, overview)
    cache = cache if cache is not None else PrintCache(None)
    if cache.enabled and not cache.environment:
        cache.environment = environment(render.TEMPLATE_DIR)

    try:  # never replace a folder this module did not write (e.g. --out site by mistake)
        check_replaceable(out_dir, protected=protected, marker=MANIFEST, what="印刷品输出文件夹")
    except OutputDirError as exc:
        raise PrintError(str(exc)) from None
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out_dir) if partial else None
    if previous is not None and previous.get("draft") != is_draft:
        raise PrintError(
            f"{out_dir} 中现有印刷品是{'样稿' if previous.get('draft') else '正式版'},与本次不同:请不带 --service 等选项完整重印"
        )
    tmp = scratch(out_dir.parent, f".{out_dir.name}.tmp-")
    try:
        items = _run(jobs, catalog, tmp, render.Options(draft=is_draft, crop_marks=crop_marks), cache, progress)
        shutil.rmtree(tmp / PARTS, ignore_errors=True)
        if partial:
            manifest = _merge(catalog, out_dir, tmp, items, previous, is_draft)
        else:
            manifest = _manifest(catalog, items, is_draft)
            _write_manifest(tmp, manifest)
            replace_dir(tmp, out_dir)
            if overview:
                cache.prune()  # a full run used every entry still worth keeping
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _run(jobs: list[Job], catalog: Catalog, root: Path, opts, cache: PrintCache, progress) -> list[dict]:
    """Every job's manifest item: from the cache, printed here (one or two jobs), or by the workers."""
    items: list[dict] = []
    pending: dict[Future, Job] = {}
    pool: ProcessPoolExecutor | None = None
    cache_dir = str(cache.root) if cache.root is not None else None

    def done(item: dict) -> None:
        items.append(item)
        if progress:
            progress(1)

    def collect() -> None:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            del pending[future]
            done(future.result())

    try:
        for job in jobs:
            key, work = _prepare(job, catalog, opts, cache, root)
            entry = cache.get(key)
            if entry is not None:
                done(_write(job, entry, root))
                continue
            cache.rendered(key)
            if len(jobs) <= 2:  # not worth starting workers
                done(_make(job, work, str(root), cache_dir, key))
                continue
            if pool is None:
                pool = _pool()
            while len(pending) >= IN_FLIGHT:
                collect()
            pending[pool.submit(_make, job, work, str(root), cache_dir, key)] = job
        while pending:
            collect()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return items


def _pool() -> ProcessPoolExecutor:
    """Workers forked from a server that has loaded this module and WeasyPrint, but not the catalog.

    As with any start method but fork, a script that prints must guard its code with
    ``if __name__ == "__main__"``: the server imports the main module once (``__main__``)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", __name__, f"{__package__}.booklet", "weasyprint", "pypdf"])
    return ProcessPoolExecutor(WORKERS, mp_context=ctx, max_tasks_per_child=TASKS_PER_WORKER)


def _manifest(catalog: Catalog, items: list[dict], draft: bool) -> dict:
    order = {"booklet": 0, "poster": 1, "flyer": 2}
    rank = {s.id: i for i, s in enumerate(model.plan_order(catalog))}
    items = sorted(items, key=lambda x: (order[x["kind"]], rank.get(x["id"], -1), x["id"]))
    return {
        "catalog_version": catalog.meta.version,
        "catalog_date": catalog.meta.date.isoformat(),
        "draft": draft,
        "items": items,
    }


def _read_manifest(out_dir: Path) -> dict | None:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_manifest(root: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (root / MANIFEST).write_text(text, encoding="utf-8")


def _merge(catalog, out_dir: Path, tmp: Path, items: list[dict], previous: dict | None, draft: bool) -> dict:
    """A partial run: move the new files in one by one, keep the rest, rewrite the manifest."""
    active = {s.id for s in catalog.services if s.status == "active"}
    new = {(i["kind"], i["id"]) for i in items}
    kept = []
    for item in (previous or {}).get("items", []):
        key = (item.get("kind"), item.get("id"))
        if key in new:
            continue
        if item.get("kind") == "flyer" and item.get("id") not in active:
            for rel in (item.get("file"), item.get("thumbnail")):
                if rel:
                    (out_dir / rel).unlink(missing_ok=True)
            continue
        if (out_dir / item.get("file", "")).is_file():
            kept.append(item)
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in items:
        for rel in (item["file"], item["thumbnail"]):
            dest = out_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, dest)
    manifest = _manifest(catalog, kept + items, draft)
    _write_manifest(tmp, manifest)
    os.replace(tmp / MANIFEST, out_dir / MANIFEST)
    return manifest
