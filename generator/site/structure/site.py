"""Which pages the guide has, where they live, and how they link: domain code, free of MkDocs.

Every generated page is a ``PageSpec`` with a stable key (``service:passport``) and a source
path (``services/passport/index.md``). URLs follow the source path: ``/services/<id>/`` with
directory URLs, ``services/<id>/index.html`` without (the file:// bundle). Links between pages
are always relative, so the site works under any base path and from the file system.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any

from ...schema import Catalog, Service
from ...wording import short_path

NAV_CHUNK = 30
"""At most this many services per navigation group, so every page's navigation stays small."""

CONTENT_PAGES: tuple[tuple[str, str], ...] = (
    ("about.md", "关于"),
    ("help.md", "使用说明"),
    ("accessibility.md", "无障碍声明"),
    ("privacy.md", "隐私说明"),
)
"""The hand-written pages in ``content/``, in navigation order."""


@dataclass(frozen=True)
class PageSpec:
    key: str
    src_uri: str
    title: str
    kind: str  # home | stage | service | retired | department | departments | checklist | print
    ref: str | None = None  # the catalog id the page is about
    search: bool = True
    boost: float | None = None


@dataclass
class Site:
    """The page structure of the guide for one catalog."""

    catalog: Catalog
    directory_urls: bool = True
    with_print: bool = False
    content: tuple[tuple[str, str], ...] = CONTENT_PAGES
    pages: dict[str, PageSpec] = field(init=False)

    def __post_init__(self) -> None:
        c = self.catalog
        pages: list[PageSpec] = [PageSpec("home", "index.md", c.meta.title, "home", search=False)]
        for st in c.stages:
            pages.append(PageSpec(f"stage:{st.id}", f"stages/{st.id}/index.md", st.name, "stage", st.id, search=False))
        for s in sorted(c.services, key=lambda s: s.id):
            if s.status == "retired":
                pages.append(PageSpec(f"service:{s.id}", f"services/{s.id}/index.md", s.name, "retired", s.id, search=False))
            else:
                pages.append(PageSpec(f"service:{s.id}", f"services/{s.id}/index.md", s.name, "service", s.id, boost=2))
        pages.append(PageSpec("departments", "departments/index.md", "办理部门", "departments", search=False))
        for d in c.departments:
            pages.append(PageSpec(f"department:{d.id}", f"departments/{d.id}/index.md", d.name, "department", d.id))
        pages.append(PageSpec("checklist", "checklist/index.md", "我的清单", "checklist", search=False))
        if self.with_print:
            pages.append(PageSpec("print", "print/index.md", "印刷品中心", "print", search=False))
        self.pages = {p.key: p for p in pages}
        self._by_id = {s.id: s for s in c.services}

    # ------------------------------------------------------------ lookups

    def service(self, sid: str) -> Service:
        return self._by_id[sid]

    def active(self) -> list[Service]:
        return [s for s in self.catalog.services if s.status != "retired"]

    def in_plan_order(self, stage_id: str) -> list[tuple[Any, list[Service]]]:
        """A stage's active services by category (catalog order), each list by plan number."""
        out = []
        for cat in self.catalog.categories:
            items = [s for s in self.active() if s.stage == stage_id and s.category == cat.id]
            if items:
                out.append((cat, sorted(items, key=lambda s: (s.number, s.id))))
        return out

    def by_src(self) -> dict[str, PageSpec]:
        return {p.src_uri: p for p in self.pages.values()}

    # ------------------------------------------------------------ URLs

    def url_of_src(self, src_uri: str) -> str:
        """Site-relative URL of a source file, as MkDocs gives it ('' is the home page)."""
        stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
        if self.directory_urls:
            if stem == "index":
                return ""
            if stem.endswith("/index"):
                return stem[: -len("index")]
            return stem + "/"
        return stem + ".html"

    def url(self, key: str) -> str:
        return self.url_of_src(self.pages[key].src_uri)

    def href(self, key: str, current: str) -> str:
        """Relative link from page ``current`` (a key) to page ``key``."""
        return relative(self.url(key), self.url(current))

    def shortlink_path(self, sid: str) -> str:
        """Output file of the short link ``/s/<id>/``."""
        return short_path(sid) + "index.html"

    def shortlink_target(self, sid: str) -> str:
        """Relative URL from the short link to the service page (works under any base path)."""
        return relative(self.url(f"service:{sid}"), self.shortlink_path(sid))

    # ------------------------------------------------------------ navigation

    def nav(self, content_present: list[str]) -> list[Any]:
        """MkDocs ``nav``: grouped by stage and category, chunked, so no page lists every service."""
        c = self.catalog
        nav: list[Any] = [{"首页": "index.md"}]
        for st in c.stages:
            # Its own entry (not the section's index page), so every service keeps its name in the menu.
            items: list[Any] = [{"本阶段概览": self.pages[f"stage:{st.id}"].src_uri}]
            for cat, services in self.in_plan_order(st.id):
                entries = [{s.name: self.pages[f"service:{s.id}"].src_uri} for s in services]
                if len(entries) > NAV_CHUNK:
                    groups = []
                    for i in range(0, len(entries), NAV_CHUNK):
                        part = entries[i : i + NAV_CHUNK]
                        groups.append({f"第{i + 1}–{i + len(part)}项": part})
                    entries = groups
                items.append({cat.name: entries})
            nav.append({st.name: items})
        nav.append({"办理部门": ["departments/index.md"] + [
            {d.name: self.pages[f"department:{d.id}"].src_uri} for d in c.departments
        ]})
        nav.append({"我的清单": "checklist/index.md"})
        if self.with_print:
            nav.append({"印刷品中心": "print/index.md"})
        about = [{title: src} for src, title in self.content if src in content_present]
        if about:
            nav.append({"关于本站": about})
        return nav


@lru_cache(maxsize=1 << 16)  # the same links recur on every page (posixpath.relpath is slow)
def relative(target: str, current: str) -> str:
    """Relative URL from the page at site URL ``current`` to site URL ``target``."""
    base = current if (current == "" or current.endswith("/")) else posixpath.dirname(current) + "/"
    base = base.rstrip("/") or "."
    if target == "" or target.endswith("/"):
        rel = posixpath.relpath(target.rstrip("/") or ".", base)
        return "./" if rel == "." else rel + "/"
    return posixpath.relpath(target, base)
