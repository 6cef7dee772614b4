"""What the catalog still records as 待核实, located, by department and service: the to-do list
behind ``guide check``'s pending count."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .located import Loaded, field_title
from .rules import pending_paths
from .schema import ELEMENT_CHECK_CONFIRMED


@dataclass(frozen=True)
class PendingItem:
    line: int
    column: int
    department: str  # the owning department's id; "" for the catalog's own meta
    service: str  # the service id; "" outside services
    element: str  # Chinese titles from the entry down, e.g. 办理渠道 · 线下办理 · 办理时间
    note: str
    editor_note: str | None = None  # editors' and departments' eyes only: never published


def pending_items(loaded: Loaded) -> list[PendingItem]:
    """Every ``{pending: …}`` of a schema-valid catalog, in file order."""
    catalog, document = loaded.catalog, loaded.document
    assert catalog is not None and document is not None
    items = []
    for path in pending_paths(loaded):
        node = document.data
        for part in path:
            node = node[part]
        department = service = ""
        start = 0
        if path[0] == "services":
            s = catalog.services[path[1]]
            department, service, start = s.department, s.id, 2
        elif path[0] == "departments":
            department, start = catalog.departments[path[1]].id, 2
        else:
            start = 1  # under meta: the group heading already says so
        titles = []
        for i in range(start, len(path)):
            if isinstance(path[i], str):
                title, key = field_title(path[: i + 1])
                titles.append(title or key or "")
        mark = document.locate_value(path)
        items.append(PendingItem(mark.line, mark.column, department, service, " · ".join(titles), node["pending"],
                                 node.get("editor_note")))
    return items


def confirmed_count(loaded: Loaded, departments: tuple[str, ...] = ()) -> int:
    """Elements a department confirmed or corrected in its 核对表 (services[].verification.elements)."""
    assert loaded.catalog is not None
    return sum(
        c.status in ELEMENT_CHECK_CONFIRMED
        for s in loaded.catalog.services
        if not departments or s.department in departments
        for c in s.verification.elements.values()
    )


def as_dicts(items: list[PendingItem]) -> list[dict]:
    return [asdict(i) for i in items]


def render_text(loaded: Loaded, items: list[PendingItem]) -> str:
    """Grouped by department (catalog order), then service, each line located."""
    catalog = loaded.catalog
    assert catalog is not None
    names = {s.id: s.name for s in catalog.services}
    lines: list[str] = []
    groups = [("", "目录基本信息")] + [(d.id, f"{d.short_name}({d.id})") for d in catalog.departments]
    for dep, heading in groups:
        mine = [i for i in items if i.department == dep]
        if not mine:
            continue
        lines.append(f"{heading}:{len(mine)} 项待核实")
        current = None
        for i in mine:
            if i.service != current:
                current = i.service
                if i.service or i.department:
                    lines.append(f"  {names[i.service]}({i.service})" if i.service else "  部门信息")
            lines.append(f"    {loaded.path}:{i.line}:{i.column}  {i.element}:{i.note}")
            if i.editor_note:
                lines.append(f"      编辑备注:{i.editor_note}")
    return "\n".join(lines)


# ---------------------------------------------------------------- evidence strength per department


def evidence_table(loaded: Loaded, departments: tuple[str, ...] = ()) -> list[dict]:
    """Per department (catalog order): how many elements have each evidence strength."""
    from .evidence import STRENGTHS, counts_by_department

    catalog = loaded.catalog
    assert catalog is not None
    counts = counts_by_department(catalog)
    names = {d.id: d.short_name for d in catalog.departments}
    return [
        {"department": dep, "name": names.get(dep, dep), "counts": {k: counts[dep][k] for k in STRENGTHS}}
        for dep in counts
        if (not departments or dep in departments) and sum(counts[dep].values())
    ]


def render_evidence(rows: list[dict]) -> str:
    """The table as text: one line per department, then the total."""
    from .evidence import LABELS, STRENGTHS

    lines = ["要素出处强度(按部门;每个事项 13 项要素):"]
    total = {k: 0 for k in STRENGTHS}
    for row in rows:
        parts = "、".join(f"{LABELS[k]} {row['counts'][k]}" for k in STRENGTHS)
        lines.append(f"  {row['name']}({row['department']}):{parts}")
        for k in STRENGTHS:
            total[k] += row["counts"][k]
    lines.append("  合计:" + "、".join(f"{LABELS[k]} {total[k]}" for k in STRENGTHS))
    return "\n".join(lines)
