"""HTML bodies of the generated pages: Jinja2 templates with autoescape.

Catalog text is data: every value goes through autoescaping; nothing from the catalog is
ever passed through Markdown or marked safe. Links to outside sites are rendered only for
``https://`` URLs (the checker also limits them to ``meta.link_domains``).
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from collections.abc import Mapping
from typing import Any, Iterator

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel

from ... import qr, view, wording
from ...evidence import is_public
from ...links import is_placeholder
from ...packed import Packed
from ...notice import pending_labels
from ...charts.graph import feeds
from ...charts.render import with_attributes
from ...schema import Catalog, Service, format_limit, is_pending
from .site import Site, relative

SHORTLINK_TEMPLATE = "shortlink.html"
SITE_QR_MM = 30  # the printed page's size (guide.css sets 30 mm for print, 9rem on screen)


def _tel(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def _safe_href(url: str | None) -> str | None:
    """Only absolute https links leave the guide; anything else is shown as text."""
    if url and re.match(r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s\"'<>]*)?$", url):
        return url
    return None


HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def toc_tokens(html: str) -> list[dict[str, Any]]:
    """MkDocs toc tokens for the ``<h2 id>``/``<h3 id>`` headings of a rendered page body.

    Names stay HTML-escaped, as Python-Markdown's toc extension gives them to the theme."""
    out: list[dict[str, Any]] = []
    for level, hid, inner in HEADING.findall(html):
        token = {"level": int(level), "id": hid, "name": re.sub(r"<[^>]+>", "", inner).strip(), "children": []}
        if token["level"] == 3 and out:
            out[-1]["children"].append(token)
        else:
            out.append(token)
    return out


def _sources_of(node: Any) -> Iterator[str]:
    """Source ids cited anywhere in ``node``, in document order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _sources_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from _sources_of(item)


class Chart:
    """An SVG chart from ``generator.charts``, inlined with the accessible name the page gives it."""

    def __init__(self, svg: str):
        self._svg = svg

    def svg(self, **attrs: str) -> Markup:
        # Trusted: Graphviz output of autoescaped DOT labels; attributes are escaped by with_attributes.
        return Markup(with_attributes(self._svg, role="img", **attrs))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """One per process: a preview makes a Renderer per edit, and compiling the templates took 0.2 s."""
    env = Environment(
        loader=PackageLoader("generator.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(is_pending=is_pending, limit=format_limit, tel=_tel, safe_href=_safe_href, **wording.GLOBALS)
    return env


class Renderer:
    """Renders every generated page of a ``Site``."""

    def __init__(self, site: Site, *, checklist_html: str = "", print_manifest: dict | None = None,
                 offline_zip: bool = False, charts: Mapping[str, str] | None = None):
        self.site = site
        self.charts = charts if isinstance(charts, Packed) else Packed(charts or {})
        self.catalog: Catalog = site.catalog
        self.checklist_html = checklist_html
        self.print_manifest = print_manifest
        self.offline_zip = offline_zip
        self.env = _environment()

    @cached_property
    def _materials(self) -> dict[str, Any]:
        return {m.id: m for m in self.catalog.materials}

    @cached_property
    def _sources(self) -> dict[str, Any]:
        return {s.id: s for s in self.catalog.sources}

    @cached_property
    def _departments(self) -> dict[str, Any]:
        return {d.id: d for d in self.catalog.departments}

    @cached_property
    def _stages(self) -> dict[str, Any]:
        return {s.id: s for s in self.catalog.stages}

    @cached_property
    def _categories(self) -> dict[str, Any]:
        return {c.id: c for c in self.catalog.categories}

    # ------------------------------------------------------------ pages

    def render(self, key: str) -> str:
        spec = self.site.pages[key]
        ctx: dict[str, Any] = {
            "catalog": self.catalog,
            "meta": self.catalog.meta,
            "page": spec,
            "link": lambda target: self.site.href(target, key),
            "link_url": lambda url: relative(url, self.site.url(key)),
        }
        kind = spec.kind
        if kind == "home":
            ctx["stages"] = [(st, self.site.in_plan_order(st.id)) for st in self.catalog.stages]
            ctx["help_url"] = relative(self.site.url_of_src("help.md"), self.site.url(key))
            ctx["about_pages"] = [(self.site.url_of_src(src), title) for src, title in self.site.content]
            ctx["journey_chart"] = Chart(self.charts["journey"]) if "journey" in self.charts else None
            ctx["journey_feeds"] = feeds(self.catalog)
            return self._t("home.html", ctx)
        if kind == "stage":
            st = self._stages[spec.ref]
            ctx.update(stage=st, groups=self.site.in_plan_order(st.id),
                       departments=self._departments)
            return self._t("stage.html", ctx)
        if kind == "service":
            ctx.update(self._service_context(self.site.service(spec.ref)))
            return self._t("service.html", ctx)
        if kind == "retired":
            s = self.site.service(spec.ref)
            repl = self.site.service(s.replaced_by) if s.replaced_by else None
            ctx.update(service=s, replacement=repl)
            return self._t("retired.html", ctx)
        if kind == "departments":
            ctx["departments"] = [
                (d, [s for s in self.site.active() if s.department == d.id])
                for d in self.catalog.departments
            ]
            return self._t("departments.html", ctx)
        if kind == "department":
            d = self._departments[spec.ref]
            lead = [s for s in self.site.active() if s.department == d.id]
            co = [s for s in self.site.active() if d.id in s.co_departments and s.department != d.id]
            ctx.update(department=d, lead=lead, co=co, stages=self._stages)
            return self._t("department.html", ctx)
        if kind == "checklist":
            # Trusted HTML from generator.checklist (it escapes catalog text itself).
            ctx["body"] = Markup(self.checklist_html)
            return self._t("checklist.html", ctx)
        if kind == "print":
            ctx["manifest"] = self.print_manifest or {"items": []}
            return self._t("print.html", ctx)
        raise KeyError(kind)

    def shortlink(self, sid: str) -> str:
        s = self.site.service(sid)
        target = self.site.shortlink_target(sid)
        return self._t(SHORTLINK_TEMPLATE, {"service": s, "target": target, "meta": self.catalog.meta})

    def offline_download(self, current_src: str) -> str:
        """The 使用说明 paragraph that links the offline bundle (or says it is not in this build)."""
        href = relative("download/offline.zip", self.site.url_of_src(current_src))
        return self._t("offline_download.html", {"available": self.offline_zip, "href": href})

    # ------------------------------------------------------------ service

    def _material_rows(self, s: Service) -> list[view.ShownMaterial]:
        return view.materials(s, self._materials)

    def _service_context(self, s: Service) -> dict[str, Any]:
        data = s.model_dump(mode="json")
        cited = list(dict.fromkeys(_sources_of(data)))
        for row in (s.materials if not is_pending(s.materials) else []):
            if row.ref and row.ref in self._materials:
                cited.extend(x for x in self._materials[row.ref].source if x not in cited)
        pending = self._pending_count(s)
        sites_url = wording.short_url(self.catalog.meta.site_url, s.id)
        placeholder = is_placeholder(self.catalog.meta.site_url)
        sources = [self._sources[x] for x in cited if x in self._sources]
        related = [self.site.service(r) for r in s.related if r in self.site._by_id]
        return {
            "service": s,
            "stage": self._stages.get(s.stage),
            "category": self._categories.get(s.category),
            "department": self._departments.get(s.department),
            "co_departments": [self._departments[d] for d in s.co_departments if d in self._departments],
            "materials": self._material_rows(s),
            "sources": [x for x in sources if is_public(x)],
            "related": related,
            "pending_count": pending,
            "pending_labels": pending_labels(s),
            "short_url": sites_url,
            "short_path": "/" + wording.short_path(s.id),
            # A QR code must never lead to an address that does not resolve.
            "qr": None if placeholder else Markup(
                qr.svg(sites_url, SITE_QR_MM, f"二维码:{s.name},{sites_url}", "guide-qr__code", title=False)),
            "fees_summary": self._fees_summary(s),
            "chart": Chart(self.charts[s.id]) if s.id in self.charts else None,
        }

    @staticmethod
    def _fees_summary(s: Service) -> dict[str, Any] | None:
        """What a person pays, in short: the items everyone pays, and the range of the optional ones."""
        if is_pending(s.fees) or not s.fees.charged:
            return None
        items = s.fees.items
        always = [f for f in items if not f.optional]
        optional = [f for f in items if f.optional]
        amounts = sorted({f.amount for f in optional})
        return {"always": always, "optional": optional,
                "low": wording.number(amounts[0]) if amounts else None, "high": wording.number(amounts[-1]) if amounts else None}

    @staticmethod
    def _pending_count(s: Service) -> int:
        def walk(node: Any) -> int:
            if is_pending(node):
                return 1
            if isinstance(node, (list, tuple)):
                return sum(walk(x) for x in node)
            if isinstance(node, BaseModel):
                return sum(walk(getattr(node, f)) for f in type(node).model_fields)
            return 0
        n = walk(s)
        if not is_pending(s.materials):
            n += sum(1 for m in s.materials if m.originals is None or m.copies is None)
        return n

    def _t(self, name: str, ctx: dict[str, Any]) -> str:
        return self.env.get_template(name).render(ctx)
