"""Bring a finished build up to date with an edited catalog, touching only what the edit reaches.

``guide serve`` keeps the last build in memory (the MkDocs config, navigation, pages and the
``guide`` plugin's state). When only the content of services changed — no service added,
removed, reordered or renamed, nothing outside ``services``, no search keyword — the pages a
service's content can reach are rendered again: its own page, the pages of services that link
to it, the home, stage, department and checklist pages. Of those, only pages whose body really
changed go through Material again (search entries and theme), then the short links and the
search index are rewritten. Anything else asks for a full build (``refresh`` returns None).

The result is what a full build of the edited catalog writes, byte for byte (tests compare).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import _build_page  # the one page step of a build (MkDocs 1.6)

from ..cache import digest
from ..charts import catalog_charts
from ..checklist.page import render as checklist
from ..schema import Catalog
from .structure import Renderer, Site

AGGREGATE = ("home", "stage", "departments", "department", "checklist", "print")


def _outside_services(c: Catalog) -> Catalog:
    return c.model_copy(update={"services": []})


def changed_services(old: Catalog, new: Catalog) -> set[str] | None:
    """Ids of services whose content changed, or None if more than service content changed."""
    if _outside_services(old) != _outside_services(new):
        return None
    if [s.id for s in old.services] != [s.id for s in new.services]:
        return None
    if any(o.name != n.name or o.keywords != n.keywords or o.status != n.status
           for o, n in zip(old.services, new.services) if o is not n):
        return None  # menus, page titles, neighbours' links or jieba's words change: everything does
    return {n.id for o, n in zip(old.services, new.services) if o != n}


def reached_pages(site: Site, changed: set[str]) -> list[str]:
    """Keys of the pages a change to the content of services ``changed`` can alter."""
    keys = [k for k, spec in site.pages.items() if spec.kind in AGGREGATE]
    for s in site.catalog.services:
        refs = {s.id, *s.related, *(p.service for p in s.prerequisites), *([s.replaced_by] if s.replaced_by else [])}
        if refs & changed:
            keys.append(f"service:{s.id}")
    return keys


def refresh(plugin, config, new: Catalog) -> list[str] | None:
    """Update the last build in ``config.site_dir`` to catalog ``new``; the pages written, or None
    when only a full build can do it."""
    changed = changed_services(plugin.catalog, new)
    if changed is None:
        return None
    if not changed:
        plugin.catalog = new
        return []
    old_site = plugin.site
    site = Site(new, directory_urls=old_site.directory_urls, with_print=old_site.with_print)
    if site.pages != old_site.pages:
        return None
    charts = plugin.renderer.charts.updated(catalog_charts(new, cache=plugin.store, only=changed))
    old = plugin.renderer
    renderer = Renderer(site, checklist_html=checklist(new), print_manifest=old.print_manifest,
                        offline_zip=old.offline_zip, charts=charts)
    plugin.catalog, plugin.site, plugin.renderer = new, site, renderer
    plugin._generated = site.by_src()

    pages = {f.page.file.src_uri: f.page for f in plugin.files.documentation_pages()}
    written = []
    for key in reached_pages(site, changed):
        spec = site.pages[key]
        body = renderer.render(key)
        if plugin.bodies.get(spec.src_uri) == digest(body):
            continue
        page = pages[spec.src_uri]
        page.content = plugin.fill(page, spec, body)
        _build_page(page, config, plugin.files.documentation_pages(), plugin._nav, plugin.env)
        written.append(spec.src_uri)
    plugin.write_shortlinks(Path(config.site_dir), sorted(changed))
    plugin.write_search_index(config)
    return written
