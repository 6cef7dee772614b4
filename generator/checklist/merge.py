"""我的清单, the domain: which services apply to a set of answers, and one merged list of materials.

Selection rule (the same in ``app.js``):

* a retired service never applies;
* a service with ``applies`` applies when ANY of its conditions matches; a condition matches when,
  for EVERY question it lists, at least one of the person's answers to that question is listed;
  an unanswered question matches nothing;
* a service without ``applies`` applies when the answers to the question ``stage`` include the
  service's stage (the answer ids of ``stage`` are the stage ids).

Services come in stage order, then category order, then plan number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import unquote

from ..errors import GuideError
from ..schema import Catalog, Material, MaterialUse, Pending, Service, Stage, TimeLimit, calendar_bounds, is_pending

STAGE_QUESTION = "stage"

Answers = dict[str, list[str]]


def applies(service: Service, answers: Answers) -> bool:
    if service.status != "active":
        return False
    if not service.applies:
        return service.stage in answers.get(STAGE_QUESTION, [])
    return any(
        all(set(answers.get(q, [])) & set(ok) for q, ok in cond.items())
        for cond in service.applies
    )


def select(catalog: Catalog, answers: Answers) -> list[Service]:
    """The services that apply, in stage order, then category order, then number."""
    stage_pos = {s.id: i for i, s in enumerate(catalog.stages)}
    cat_pos = {c.id: i for i, c in enumerate(catalog.categories)}
    chosen = [s for s in catalog.services if applies(s, answers)]
    return sorted(chosen, key=lambda s: (stage_pos.get(s.stage, 99), cat_pos.get(s.category, 99), s.number, s.id))


# ---------------------------------------------------------------- merged list


@dataclass(frozen=True)
class Count:
    """A total over several services: the sum of the known counts, and who did not say."""

    known: int = 0
    unknown: tuple[str, ...] = ()  # ids of services whose count is not given

    @property
    def total(self) -> int | None:
        return None if self.unknown else self.known


@dataclass(frozen=True)
class Use:
    """One service's use of a shared material."""

    service: Service
    item: MaterialUse


@dataclass
class SharedMaterial:
    material: Material
    uses: list[Use] = field(default_factory=list)

    @property
    def required(self) -> bool:
        """Needed by at least one service whatever the person's case."""
        return any(u.item.required for u in self.uses)

    def _count(self, attr: str) -> Count:
        # Totals are over the uses that are always required; conditional uses carry their own counts.
        known, unknown = 0, []
        for u in self.uses:
            if not u.item.required:
                continue
            n = getattr(u.item, attr)
            if n is None:
                if u.service.id not in unknown:
                    unknown.append(u.service.id)
            else:
                known += n
        return Count(known, tuple(unknown))

    @property
    def originals(self) -> Count:
        return self._count("originals")

    @property
    def copies(self) -> Count:
        return self._count("copies")

    @property
    def services(self) -> list[Service]:
        seen: dict[str, Service] = {}
        for u in self.uses:
            seen.setdefault(u.service.id, u.service)
        return list(seen.values())


@dataclass
class ServiceMaterials:
    """A service's own materials (``name`` entries), or its pending note when its list is unknown."""

    service: Service
    items: list[MaterialUse] = field(default_factory=list)
    pending: Pending | None = None


@dataclass
class StageSummary:
    stage: Stage
    services: list[Service]
    fee_total: float = 0.0  # sum of the fee items every applicant pays (not ``optional``)
    fee_fixed: list[Service] = field(default_factory=list)  # the services in fee_total
    fee_variable: list[Service] = field(default_factory=list)  # with optional items: depends on what is done
    fee_pending: list[Service] = field(default_factory=list)
    longest: tuple[Service, TimeLimit] | None = None
    limit_pending: list[Service] = field(default_factory=list)


@dataclass
class MergedList:
    services: list[Service]
    shared: list[SharedMaterial]
    specific: list[ServiceMaterials]
    stages: list[StageSummary]


def limit_days(t: TimeLimit) -> float:
    """Upper bound in calendar days, to compare limits of different units (the checker's bounds)."""
    return calendar_bounds(t)[1]


def merge_materials(services: Iterable[Service], catalog: Catalog) -> MergedList:
    """Shared materials once each (registry order) with the services that need them,
    service-specific materials under their service, and a summary per stage."""
    services = list(services)
    registry = {m.id: m for m in catalog.materials}
    shared: dict[str, SharedMaterial] = {}
    specific: list[ServiceMaterials] = []
    for s in services:
        if is_pending(s.materials):
            specific.append(ServiceMaterials(s, [], s.materials))
            continue
        own: list[MaterialUse] = []
        for m in s.materials:
            if m.ref is not None and m.ref in registry:
                shared.setdefault(m.ref, SharedMaterial(registry[m.ref])).uses.append(Use(s, m))
            else:
                own.append(m)
        if own:
            specific.append(ServiceMaterials(s, own))
    order = {m.id: i for i, m in enumerate(catalog.materials)}
    shared_list = sorted(shared.values(), key=lambda sm: order[sm.material.id])

    stages: list[StageSummary] = []
    for st in catalog.stages:
        in_stage = [s for s in services if s.stage == st.id]
        if in_stage:
            stages.append(_summary(st, in_stage))
    return MergedList(services, shared_list, specific, stages)


def _summary(stage: Stage, services: list[Service]) -> StageSummary:
    out = StageSummary(stage, services)
    for s in services:
        f = s.fees
        if is_pending(f):
            out.fee_pending.append(s)
        elif f.charged:
            always = [i.amount for i in f.items if not i.optional]
            if always:
                out.fee_total += sum(always)
                out.fee_fixed.append(s)
            if len(always) < len(f.items):
                out.fee_variable.append(s)
        c = s.time_limits.committed
        if is_pending(c):
            out.limit_pending.append(s)
        elif out.longest is None or limit_days(c) > limit_days(out.longest[1]):
            out.longest = (s, c)
    return out


# ---------------------------------------------------------------- plain form (compared with app.js)


def _count_plain(c: Count) -> dict:
    return {"known": c.known, "unknown": list(c.unknown)}


def to_plain(merged: MergedList) -> dict:
    """The merged list as plain JSON-able data; ``app.js`` computes exactly this shape."""
    return {
        "services": [s.id for s in merged.services],
        "shared": [
            {
                "id": sm.material.id,
                "services": [s.id for s in sm.services],
                "required": sm.required,
                "originals": _count_plain(sm.originals),
                "copies": _count_plain(sm.copies),
                "uses": [
                    {
                        "service": u.service.id,
                        "required": u.item.required,
                        "condition": u.item.condition,
                        "originals": u.item.originals,
                        "copies": u.item.copies,
                        "note": u.item.note,
                    }
                    for u in sm.uses
                ],
            }
            for sm in merged.shared
        ],
        "specific": [
            {
                "service": sm.service.id,
                "pending": sm.pending is not None,
                "items": [
                    {"name": m.name if m.name is not None else m.ref, "required": m.required,
                     "condition": m.condition, "originals": m.originals, "copies": m.copies}
                    for m in sm.items
                ],
            }
            for sm in merged.specific
        ],
        "stages": [
            {
                "id": st.stage.id,
                "services": [s.id for s in st.services],
                "fee_total": st.fee_total,
                "fee_fixed": [s.id for s in st.fee_fixed],
                "fee_variable": [s.id for s in st.fee_variable],
                "fee_pending": [s.id for s in st.fee_pending],
                "longest": None if st.longest is None else {
                    "service": st.longest[0].id, "value": st.longest[1].value, "unit": st.longest[1].unit,
                },
                "limit_pending": [s.id for s in st.limit_pending],
            }
            for st in merged.stages
        ],
    }


# ---------------------------------------------------------------- answers as text (URL and command line)


class AnswerError(GuideError, ValueError):
    """Answers that name an unknown question or answer; the message is Chinese."""


def parse_answers(text: str, catalog: Catalog) -> Answers:
    """``stage=before&destination=hk-macau&plans=car,job`` (a leading ``?`` or ``#`` is allowed;
    a key may repeat) -> ``{"stage": ["before"], ...}`` in the catalog's question and answer order."""
    questions = {q.id: q for q in catalog.questions}
    text = text.strip().lstrip("?#")
    if not text:
        raise AnswerError("答案为空:请写成 stage=before&destination=abroad&funding=self 的形式")
    picked: dict[str, set[str]] = {}
    for part in text.split("&"):
        if not part:
            continue
        if "=" not in part:
            raise AnswerError(f"“{part}”格式不对:应写成 问题编号=选项编号,如 stage=before")
        key, _, value = part.partition("=")
        key, value = unquote(key).strip(), unquote(value)  # a link copied from the browser may be %-encoded
        q = questions.get(key)
        if q is None:
            known = "、".join(questions) or "(目录中没有问题)"
            raise AnswerError(f"问题“{key}”不存在,可用的问题编号:{known}")
        ids = {a.id for a in q.answers}
        for v in value.split(","):
            v = v.strip()
            if not v:
                continue
            if v not in ids:
                raise AnswerError(
                    f"问题“{key}”({q.text})没有选项“{v}”,可用的选项编号:" + "、".join(a.id for a in q.answers)
                )
            picked.setdefault(key, set()).add(v)
    out: Answers = {}
    for q in catalog.questions:
        if q.id in picked:
            chosen = [a.id for a in q.answers if a.id in picked[q.id]]
            if len(chosen) > 1 and not q.multiple:
                raise AnswerError(f"问题“{q.id}”({q.text})只能选一个答案,实际选了:" + "、".join(chosen))
            out[q.id] = chosen
    return out


def format_answers(answers: Answers, catalog: Catalog) -> str:
    """The canonical text of ``answers`` (the URL hash the page writes)."""
    parts = []
    for q in catalog.questions:
        chosen = [a.id for a in q.answers if a.id in answers.get(q.id, [])]
        if chosen:
            parts.append(f"{q.id}={','.join(chosen)}")
    return "&".join(parts)
