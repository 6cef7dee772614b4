"""需重新印刷: which printed pieces a change makes out of date, and why.

*Which* pieces is decided by the print engine (``generator.printing.changes``), the same
functions ``guide print --changed-since`` uses, so the report and the reprint always agree.
*Why* comes from the classified changes. File names are the print engine's own
(``printing.build.plan_jobs``): ``flyers/<service-id>.pdf``, ``posters/<size>.pdf``, ``booklet.pdf``,
and the 业务流程图 of ``guide print --charts``: ``charts/<service-id>.pdf``, ``charts/journey.pdf``.
"""

from __future__ import annotations

from ..printing import changes as printed
from ..printing.build import plan_jobs
from ..schema import Catalog, is_pending
from .model import Change, Chart, Flyer, Reprint

# What the posters show: every active service's name, grouped by stage, in plan order.
POSTER_FIELDS = {"name", "stage", "category", "number", "status", "service"}
# What the journey chart shows besides those: departments and which service feeds which.
JOURNEY_FIELDS = POSTER_FIELDS | {"department", "co_departments", "prerequisites"}
JOURNEY_NAME = "全程业务流程图"
# What a service's flowchart shows: steps, materials count, places, departments, result, time limit.
CHART_FIELDS = {"name", "service", "process", "materials", "time_limits", "results", "channels",
                "department", "co_departments"}
FALLBACK = "印刷内容有变化"


def _top(field: str) -> str:
    return field.split(".", 1)[0]


def reprint(old: Catalog, new: Catalog, changes: list[Change]) -> Reprint:
    flyer_ids = printed.changed_services(old, new)
    posters_out = printed.posters_changed(old, new)
    booklet_out = printed.booklet_changed(old, new)
    chart_ids = printed.changed_charts(old, new)
    journey_out = printed.journey_changed(old, new)

    names = {s.id: s.name for s in (*old.services, *new.services)}
    uses: dict[str, set[str]] = {}  # shared material id -> services using it
    for s in new.services:
        if not is_pending(s.materials):
            for m in s.materials:
                if m.ref:
                    uses.setdefault(m.ref, set()).add(s.id)

    why: dict[str, list[str]] = {}
    posters: list[str] = []
    parts: list[str] = []
    touched: list[str] = []
    meta_labels: list[str] = []
    journey: list[str] = []
    chart_why: dict[str, list[str]] = {}

    def note(bucket: list[str], reason: str) -> None:
        if reason not in bucket:
            bucket.append(reason)

    def service_reason(sid: str, reason: str) -> None:
        note(why.setdefault(sid, []), reason)
        note(touched, sid)

    for c in changes:
        if c.field == "owner":
            continue
        if c.area == "service":
            service_reason(c.key, "新增事项" if c.field == "service" and c.key in flyer_ids else c.label)
            if _top(c.field) in CHART_FIELDS:
                note(chart_why.setdefault(c.key, []), "新增事项" if c.field == "service" else c.label)
            if _top(c.field) in POSTER_FIELDS:
                what = "增减" if c.field == "service" else f"{c.label}变化"
                note(posters, f"事项{what}:{names.get(c.key, c.key)}")
            if _top(c.field) in JOURNEY_FIELDS:
                what = "增减" if c.field == "service" else f"{c.label}变化"
                note(journey, f"事项{what}:{names.get(c.key, c.key)}")
        elif c.area == "meta":
            note(meta_labels, c.label)
            if c.field == "meta.site_url":
                note(posters, "网站地址变化(二维码)")
        elif c.area in ("stage", "category"):
            note(parts, f"目录({c.label})")
            note(posters, f"{c.label}变化:{c.new or c.old or c.key}")
            note(journey, f"{c.label}变化:{c.new or c.old or c.key}")
            for s in new.services:
                if (s.stage if c.area == "stage" else s.category) == c.key:
                    service_reason(s.id, c.label)
        elif c.area == "department":
            note(journey, f"部门信息({c.key})")
            for s in new.services:
                if c.key == s.department or c.key in s.co_departments:
                    service_reason(s.id, "部门信息")
                    note(chart_why.setdefault(s.id, []), "部门信息")
        elif c.area == "material":
            for sid in sorted(uses.get(c.key, ())):
                service_reason(sid, "共用材料")

    overview = plan_jobs(new, set(), True)
    files = {j.id: j.file for j in (*plan_jobs(old, None, False), *plan_jobs(new, None, False))}
    out = Reprint(
        poster_files=[j.file for j in overview if j.kind == "poster"],
        booklet_file=next(j.file for j in overview if j.kind == "booklet"),
    )
    out.flyers = [
        Flyer(s.id, s.name, tuple(why.get(s.id) or [FALLBACK]), files[s.id]) for s in new.services if s.id in flyer_ids
    ]
    out.charts = [
        Chart(s.id, f"{s.name} 办理流程图", tuple(chart_why.get(s.id) or [FALLBACK]))
        for s in new.services if s.id in chart_ids
    ]
    if journey_out:
        out.charts.insert(0, Chart("journey", JOURNEY_NAME, tuple(journey or [FALLBACK])))
        note(parts, JOURNEY_NAME)
    still_active = {s.id for s in new.services if s.status == "active"}
    in_new = {s.id for s in new.services}
    out.withdrawn = [
        Flyer(s.id, s.name, ("已停办" if s.id in in_new else "编号已删除",), files[s.id])
        for s in old.services
        if s.status == "active" and s.id not in still_active
    ]
    if posters_out:
        out.posters = posters or [FALLBACK]
    if booklet_out:
        order: dict[str, int] = {}
        for i, s in enumerate((*new.services, *old.services)):
            order.setdefault(s.id, i)
        if meta_labels:
            parts.insert(0, f"封面和说明页({'、'.join(meta_labels)})")
        pages = sorted(touched, key=lambda k: order.get(k, 0))
        out.booklet = parts + [f"事项页:{names.get(k, k)}({k})" for k in pages] or [FALLBACK]
    return out
