"""Graphviz ``dot -Tsvg`` for many graphs at once, and SVG fit for inlining.

Why the ``dot`` program and not a Python binding: the ``graphviz`` package on PyPI only
writes DOT and runs this same program, and ``pygraphviz`` must be compiled against
libgraphviz. DOT is written by ``graph`` already, so a subprocess is the whole binding.
The graphs of a build go through a few ``dot`` processes (dot lays out every graph of
its input in turn), one per core, instead of one process per chart.

The core SVG renderer writes text as ``<text>`` (real text, read by screen readers and
by the tests), never as paths. Cleaning removes what would vary or clash when several
charts share a page: the version comment, comments, ``<title>`` elements (node ids) and
element ids.
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

from ..cache import Store, digest, fonts_fingerprint
from ..schema import Catalog
from .graph import FONT, Graph, journey_chart, service_chart

DOT = "dot"
FONT_STACK = f"{FONT},Source Han Sans SC,sans-serif"  # the site uses system fonts; the PDFs embed Noto

_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*|<!--.*?-->\s*", re.S)
_TITLE = re.compile(r"<title>.*?</title>\s*", re.S)
_ID = re.compile(r' id="[^"]*"')
_FONT = re.compile(r'font-family="[^"]*"')


class ChartError(Exception):
    """Graphviz is missing or refused a graph; the message is Chinese and says what to do."""


def run_dot(sources: list[str], timeout: float = 600) -> list[str]:
    """The raw SVG of every DOT source, in order, from a few ``dot`` processes run side by side."""
    if not sources:
        return []
    jobs = max(1, min(len(sources), os.cpu_count() or 1, 4))
    per = -(-len(sources) // jobs)
    batches = [sources[i:i + per] for i in range(0, len(sources), per)]
    if len(batches) == 1:
        return _run_dot(sources, timeout)
    with ThreadPoolExecutor(len(batches)) as pool:  # each thread waits on its own subprocess
        return [svg for svgs in pool.map(lambda b: _run_dot(b, timeout), batches) for svg in svgs]


def _run_dot(sources: list[str], timeout: float) -> list[str]:
    """The raw SVG of every DOT source, from one ``dot`` process."""
    if not sources:
        return []
    try:
        proc = subprocess.run(
            [DOT, "-Tsvg"], input="".join(sources).encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        raise ChartError("找不到 Graphviz 的 dot 命令,无法画业务流程图:请先运行 scripts/setup.sh 安装 graphviz") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise ChartError(f"Graphviz 画业务流程图失败:{detail}")
    text = proc.stdout.decode("utf-8")
    parts = [p for p in text.split("<?xml") if p.strip()]
    if len(parts) != len(sources):
        raise ChartError(f"Graphviz 输出了 {len(parts)} 张图,应为 {len(sources)} 张")
    return ["<?xml" + p for p in parts]


def clean(svg: str) -> str:
    """Byte-stable SVG without prolog, comments, titles or ids, in the shared font stack."""
    svg = _PROLOG.sub("", svg)
    svg = _TITLE.sub("", svg)
    svg = _ID.sub("", svg)
    svg = _FONT.sub(f'font-family="{FONT_STACK}"', svg)
    svg = svg.replace(' class="graph"', "")
    return svg.strip() + "\n"


def render_svgs(graphs: list[Graph], cache: Store | None = None) -> list[str]:
    """Cleaned SVG of each graph, in order; with ``cache``, only graphs not drawn before go to ``dot``."""
    sources = [g.to_dot() for g in graphs]
    if cache is None or not cache.enabled:
        return [clean(s) for s in run_dot(sources)]
    # The layout also depends on Graphviz and on the fonts it measures text with.
    common = digest("svg-1", _dot_version(), fonts_fingerprint())
    keys = [digest(common, s) for s in sources]
    found = [cache.get(k) for k in keys]
    missing = [i for i, svg in enumerate(found) if svg is None]
    for i, svg in zip(missing, run_dot([sources[i] for i in missing])):
        found[i] = clean(svg).encode("utf-8")
        cache.put(keys[i], found[i])
    return [svg.decode("utf-8") for svg in found]  # type: ignore[union-attr]


def _dot_version() -> str:
    try:
        return subprocess.run([DOT, "-V"], capture_output=True, timeout=60).stderr.decode("utf-8", "replace")
    except FileNotFoundError:
        raise ChartError("找不到 Graphviz 的 dot 命令,无法画业务流程图:请先运行 scripts/setup.sh 安装 graphviz") from None


def catalog_charts(catalog: Catalog, services: bool = True, cache: Store | None = None,
                   only: set[str] | None = None) -> dict[str, str]:
    """``{"journey": svg, "<service-id>": svg, …}`` for every active service of ``catalog``
    (or only those in ``only``)."""
    graphs = [journey_chart(catalog)]
    if services:
        graphs += [service_chart(catalog, s) for s in catalog.services
                   if s.status == "active" and (only is None or s.id in only)]
    svgs = render_svgs(graphs, cache)
    out = {"journey": svgs[0]}
    for g, svg in zip(graphs[1:], svgs[1:]):
        out[g.id.removeprefix("service-")] = svg
    return out


def with_attributes(svg: str, **attrs: str) -> str:
    """``svg`` with attributes added to its root element (``role``, ``aria-*``, ``class``).

    Values must be plain text; they are escaped here.
    """
    from markupsafe import escape

    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return svg.replace("<svg", "<svg" + extra, 1)
