"""Which printed documents a catalog change makes outdated.

Kept apart from rendering so ``guide diff`` can tell what must be reprinted.
"""

from __future__ import annotations

from typing import Callable

from ..schema import META_EDITOR_ONLY, Catalog, Service, without_editor_only

# Every release bumps these; they alone do not make paper outdated.
_META_IGNORED = {"version", "date", *META_EDITOR_ONLY}


def _meta(catalog: Catalog) -> dict:
    return {k: v for k, v in catalog.meta.model_dump(mode="json").items() if k not in _META_IGNORED}


def flyer_inputs(catalog: Catalog, s: Service) -> dict:
    """Everything a service's flyer is made from (besides version and date)."""
    refs = set()
    if isinstance(s.materials, list):
        refs = {m.ref for m in s.materials if m.ref}
    dep_ids = {s.department, *s.co_departments}
    return without_editor_only({
        "service": s.model_dump(mode="json"),
        "materials": [m.model_dump(mode="json") for m in catalog.materials if m.id in refs],
        "departments": [d.model_dump(mode="json") for d in catalog.departments if d.id in dep_ids],
        "stage": [x.model_dump(mode="json") for x in catalog.stages if x.id == s.stage],
        "category": [x.model_dump(mode="json") for x in catalog.categories if x.id == s.category],
        "meta": _meta(catalog),
    })


def _changed_active(old: Catalog, new: Catalog, differs: Callable[[Service, Service], bool]) -> set[str]:
    """Ids of active services in ``new`` that are new, or that ``differs`` from their old entry."""
    before = {s.id: s for s in old.services if s.status == "active"}
    return {s.id for s in new.services
            if s.status == "active" and (s.id not in before or differs(before[s.id], s))}


def changed_services(old: Catalog, new: Catalog) -> set[str]:
    """Ids of active services in ``new`` whose flyer differs from ``old`` (new ones included)."""
    return _changed_active(old, new, lambda a, b: flyer_inputs(old, a) != flyer_inputs(new, b))


def _overview(catalog: Catalog) -> dict:
    from .model import plan_order

    return {
        "meta": _meta(catalog),
        "stages": [x.model_dump(mode="json") for x in catalog.stages],
        "categories": [x.model_dump(mode="json") for x in catalog.categories],
        "services": [(s.id, s.name, s.stage, s.category, s.number) for s in plan_order(catalog)],
    }


def posters_changed(old: Catalog, new: Catalog) -> bool:
    """Posters list stages and service names in plan order, and the home QR."""
    return _overview(old) != _overview(new)


def booklet_changed(old: Catalog, new: Catalog) -> bool:
    """The booklet holds every active service in full, so any flyer change reaches it, and the journey chart."""
    return (posters_changed(old, new) or bool(changed_services(old, new)) or _retired(old) != _retired(new)
            or journey_changed(old, new))


def journey_changed(old: Catalog, new: Catalog) -> bool:
    """The journey chart (booklet, ``charts/journey.pdf``) is drawn from exactly its DOT text."""
    from ..charts.graph import journey_chart

    return journey_chart(old).to_dot() != journey_chart(new).to_dot()


def changed_charts(old: Catalog, new: Catalog) -> set[str]:
    """Ids of active services in ``new`` whose flowchart (``charts/<id>.pdf``) differs from ``old``."""
    from ..charts.graph import service_chart

    return _changed_active(old, new, lambda a, b: service_chart(old, a).to_dot() != service_chart(new, b).to_dot())


def _retired(c: Catalog) -> set[str]:
    return {s.id for s in c.services if s.status != "active"}
