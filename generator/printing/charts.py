"""``guide print --charts``: every 业务流程图 as an A4 PDF (and its SVG) in one folder.

Output layout (``out_dir``, ``charts/`` by default)::

    journey.pdf  journey.svg  <service-id>.pdf  <service-id>.svg  .guide-output

All SVGs come from one Graphviz run; the folder is written beside ``out_dir`` and swapped
in only when every file succeeded, and only over a folder this command wrote before.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Iterable

from ..charts import ChartError, catalog_charts
from ..files import OutputDirError, check_replaceable, replace_dir, scratch, write_marker
from ..schema import Catalog
from .model import PrintError, plan_order


def chart_keys(catalog: Catalog) -> list[str]:
    """``journey`` first, then every active service in plan order."""
    return ["journey"] + [s.id for s in plan_order(catalog)]


def print_charts(
    catalog: Catalog,
    out_dir: Path,
    *,
    draft: bool,
    protected: Iterable[Path] = (),
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Write every chart of ``catalog`` into ``out_dir``; returns the PDF file names written."""
    from . import render

    out_dir = Path(out_dir)
    try:
        check_replaceable(out_dir, protected=protected, what="流程图输出文件夹")
    except OutputDirError as exc:
        raise PrintError(str(exc)) from None
    try:
        svgs = catalog_charts(catalog)
    except ChartError as exc:
        raise PrintError(str(exc)) from None
    opts = render.Options(draft=draft)
    tmp = scratch(out_dir.parent, f".{out_dir.name}.tmp-")
    written = []
    try:
        for key in chart_keys(catalog):
            (tmp / f"{key}.svg").write_text(svgs[key], encoding="utf-8")
            pdf = render.html_to_pdf(render.chart_html(catalog, key, svgs[key], opts))
            (tmp / f"{key}.pdf").write_bytes(pdf)
            written.append(f"{key}.pdf")
            if progress:
                progress(1)
        write_marker(tmp, f"业务流程图,目录版本 {catalog.meta.version}\n")
        replace_dir(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written
