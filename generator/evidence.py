"""How well each element of each service is backed, computed from the catalog (never stored).

An element (服务对象, 受理条件, 设定依据 … 电话) is, from strongest to weakest:
confirmed by its department (the whole service, or the element in a returned 核对表);
backed by a law text or an official page; backed by news only; without any recorded source;
resting on secondary sites only (a lead, which the checker refuses); or 待核实. A list element is
as strong as its weakest sourced entry. Neutral: the checker, ``guide pending`` and the outputs may
all use it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel

from .schema import Catalog, Pending, Service, Source

# strongest first
STRENGTHS: tuple[str, ...] = ("confirmed", "official", "media", "unsourced", "secondary", "pending")
LABELS: dict[str, str] = {
    "confirmed": "部门已确认",
    "official": "法律法规或官方来源",
    "media": "仅新闻报道",
    "unsourced": "未注明出处",
    "secondary": "仅第三方来源",
    "pending": "待核实",
}
KIND_STRENGTH: dict[str, str] = {
    "law_text": "official",
    "official": "official",
    "state_media": "media",
    "news": "media",
    "secondary": "secondary",
}

# element checks (verification.elements) that vouch for the value as it stands
CONFIRMING: tuple[str, ...] = ("部门已确认", "部门已更正")

# (key, Chinese title): the elements of a service a person relies on
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("audience", "服务对象"),
    ("conditions", "受理条件"),
    ("legal_basis", "设定依据"),
    ("materials", "申请材料"),
    ("process", "办理流程"),
    ("case_type", "办件类型"),
    ("time_limits.statutory", "法定办结时限"),
    ("time_limits.committed", "承诺办结时限"),
    ("fees", "收费标准"),
    ("results", "办理结果"),
    ("channels.online", "网上办理"),
    ("channels.in_person", "线下办理"),
    ("phones", "电话"),
)


@dataclass(frozen=True)
class Evidence:
    service: str
    department: str
    element: str  # key, e.g. time_limits.committed
    strength: str  # one of STRENGTHS


def _get(service: Service, key: str) -> Any:
    value: Any = service
    for part in key.split("."):
        value = getattr(value, part)
    return value


def _sourced(value: Any) -> Iterator[BaseModel]:
    """Every model inside ``value`` that carries its own ``source`` list (nested 待核实 left out)."""
    if isinstance(value, Pending):
        return
    if isinstance(value, BaseModel):
        if "source" in type(value).model_fields:
            yield value
        for name in type(value).model_fields:
            yield from _sourced(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _sourced(item)


def _rank(strength: str) -> int:
    return STRENGTHS.index(strength)


def node_strength(refs: list[str], sources: dict[str, Source]) -> str:
    """The best kind among a value's sources (one law text is enough to back it)."""
    kinds = [KIND_STRENGTH[sources[r].type] for r in refs if r in sources]
    if not kinds:
        return "unsourced"
    return min(kinds, key=_rank)


def element_strength(value: Any, sources: dict[str, Source], confirmed: bool = False) -> str:
    if isinstance(value, Pending):
        return "pending"
    if confirmed:
        return "confirmed"
    nodes = list(_sourced(value))
    if not nodes:
        return "unsourced"
    return max((node_strength(list(n.source), sources) for n in nodes), key=_rank)  # type: ignore[attr-defined]


def evidence(catalog: Catalog) -> list[Evidence]:
    """Every element of every active service, with its strength, in catalog order."""
    sources = {s.id: s for s in catalog.sources}
    out = []
    for s in catalog.services:
        if s.status != "active":
            continue
        whole = s.verification.status == "部门已确认"
        for key, _title in ELEMENTS:
            # a value the department confirmed or corrected in its 核对表 rests on that confirmation
            check = s.verification.elements.get(key)  # type: ignore[call-overload]
            confirmed = whole or (check is not None and check.status in CONFIRMING)
            out.append(Evidence(s.id, s.department, key, element_strength(_get(s, key), sources, confirmed)))
    return out


def counts_by_department(catalog: Catalog, items: list[Evidence] | None = None) -> dict[str, Counter]:
    """Department id -> strength -> number of elements, departments in catalog order (all listed)."""
    items = evidence(catalog) if items is None else items
    out: dict[str, Counter] = {d.id: Counter() for d in catalog.departments}
    for e in items:
        out.setdefault(e.department, Counter())[e.strength] += 1
    return out


def is_public(source: Source) -> bool:
    """Whether a source may be named on the site and in print: secondary sites are editors' leads only."""
    return source.type != "secondary"
