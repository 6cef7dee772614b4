"""``print_all``: every printed document of a catalog, written safely and in parallel.

Output layout (``out_dir``)::

    flyers/<service-id>.pdf   posters/poster-a3.pdf   posters/poster-a1.pdf
    booklet.pdf               thumbs/<same path>.png  manifest.json

Everything is rendered into a temporary folder next to ``out_dir`` and moved into
place only when all documents succeeded: a failure never leaves a half-written PDF.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..files import OutputDirError, check_replaceable, replace_dir, scratch
from ..schema import Catalog
from . import model
from .fonts import require_chinese_font
from .model import PrintError

THUMB_WIDTH = 300
WORKERS = 2
MANIFEST = "manifest.json"


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


# ---------------------------------------------------------------- one document (runs in a worker)

_CATALOG: Catalog | None = None


def _init_worker(catalog: Catalog) -> None:
    global _CATALOG
    _CATALOG = catalog


def _make(job: Job, root: str, draft: bool, crop_marks: bool, catalog: Catalog | None = None) -> dict:
    from . import render

    catalog = catalog or _CATALOG
    assert catalog is not None
    opts = render.Options(draft=draft, crop_marks=crop_marks)
    detail = None
    if job.kind == "flyer":
        data, detail = render.flyer_pdf_detail(catalog, job.id, opts)
    elif job.kind == "poster":
        size = next(p for p in model.POSTER_SIZES if p.id == job.id)
        data = render.html_to_pdf(render.poster_html(catalog, size, opts))
    else:
        data = render.booklet_pdf(catalog, render.booklet_html(catalog, opts))
    pdf = Path(root) / job.file
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(data)
    thumb = Path(root) / job.thumbnail
    thumb.parent.mkdir(parents=True, exist_ok=True)
    _thumbnail(pdf, thumb)
    return {
        "kind": job.kind,
        "id": job.id,
        "title": job.title,
        "file": job.file,
        "thumbnail": job.thumbnail,
        "bytes": len(data),
        "pages": _page_count(data),
        **({"detail": detail} if detail else {}),  # flyers: full, or brief (notes left out)
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
) -> dict:
    """Write the printed documents of ``catalog`` into ``out_dir`` and return the manifest.

    ``only``: service ids; then only their flyers (and posters/booklet only when
    ``overview`` is true). ``draft=None`` means production, which refuses a placeholder
    or off-list ``meta.site_url`` with ``PrintError``; ``draft=True`` watermarks 样稿.
    ``progress`` is called with the number of documents finished since the last call.
    ``protected``: paths (the project, the catalog) that ``out_dir`` must not contain.
    """
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
        items = _run(jobs, catalog, tmp, is_draft, crop_marks, progress)
        if partial:
            manifest = _merge(catalog, out_dir, tmp, items, previous, is_draft)
        else:
            manifest = _manifest(catalog, items, is_draft)
            _write_manifest(tmp, manifest)
            replace_dir(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _run(jobs, catalog, root: Path, draft: bool, crop_marks: bool, progress) -> list[dict]:
    if len(jobs) <= 2:
        out = []
        for job in jobs:
            out.append(_make(job, str(root), draft, crop_marks, catalog))
            if progress:
                progress(1)
        return out
    # fork: workers inherit the loaded modules and catalog, no re-import per worker.
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(WORKERS, mp_context=ctx, initializer=_init_worker, initargs=(catalog,)) as pool:
        futures = [pool.submit(_make, job, str(root), draft, crop_marks) for job in jobs]
        out = []
        for f in futures:
            out.append(f.result())
            if progress:
                progress(1)
        return out


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
