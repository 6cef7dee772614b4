"""Which elements of a service a department reviews, and each one's text as a person reads it.

The text written to 现在的内容 is also the format ``parse`` reads back from 更正后的内容, so staff can
copy the current content and edit it. One row per element; a row is fingerprinted so an import can
tell when the element changed in the catalog after the workbook was exported.
"""

from __future__ import annotations

import hashlib
import json
import typing
from dataclasses import dataclass

from pydantic import BaseModel

from .. import wording
from ..schema import (
    format_limit,
    ELEMENT_CHECK_CONFIRMED,
    Catalog,
    Condition,
    ElementKey,
    FeeItem,
    Fees,
    InPersonChannel,
    LegalBasis,
    MaterialUse,
    OnlineChannel,
    Pending,
    Phone,
    Result,
    Service,
    Step,
    TimeLimit,
)

KEYS: tuple[str, ...] = typing.get_args(ElementKey)
LABELS: dict[str, str] = {
    "audience": "服务对象",
    "conditions": "受理条件",
    "legal_basis": "设定依据",
    "materials": "申请材料",
    "process": "办理流程",
    "case_type": "办件类型",
    "time_limits.statutory": "法定办结时限",
    "time_limits.committed": "承诺办结时限",
    "fees": "收费标准",
    "results": "办理结果",
    "channels.online": "网上办理",
    "channels.in_person": "线下办理",
    "phones": "电话",
}
assert set(LABELS) == set(KEYS), "every reviewable element needs its Chinese label"

PENDING_PREFIX = "待核实:"
NONE_TEXT = "无"
STATUS_PENDING, STATUS_CONFIRMED, STATUS_SECONDARY = "待核实", "已确认", "仅有第三方来源"


def value_of(service: Service, key: str) -> object:
    node: object = service
    for part in key.split("."):
        node = getattr(node, part)
    return node


num = wording.number  # one way to write a number, the guide's own


# ---------------------------------------------------------------- items, one line each


limit_text = format_limit  # one wording of a time limit, the guide's own


def material_text(m: MaterialUse, names: dict[str, str]) -> str:
    name = names.get(m.ref, m.ref) if m.ref is not None else (m.name or "")
    counts = []
    if m.originals is not None:
        counts.append(f"原件{m.originals}份")
    if m.copies is not None:
        counts.append(f"复印件{m.copies}份")
    out = name + (f"({','.join(counts)})" if counts else "")
    if not m.required:
        out += f"(有条件提交:{m.condition or ''})"
    return out


def fee_item_text(i: FeeItem) -> str:
    return f"{i.name} {num(i.amount)}元/{i.unit}" + ("(按需)" if i.optional else "")


def item_text(x: object, names: dict[str, str]) -> str:
    """One list item of an element on one line."""
    if isinstance(x, Condition):
        return x.text
    if isinstance(x, LegalBasis):
        return x.title + (f" {x.article}" if x.article else "")
    if isinstance(x, MaterialUse):
        return material_text(x, names)
    if isinstance(x, Step):
        return x.title + (f":{x.detail}" if x.detail else "")
    if isinstance(x, Result):
        return f"{x.name}({x.form})"
    if isinstance(x, OnlineChannel):
        return x.name + (f" {x.url}" if x.url else "")
    if isinstance(x, Phone):
        return f"{x.kind} {x.number}"
    if isinstance(x, FeeItem):
        return fee_item_text(x)
    if isinstance(x, InPersonChannel):
        return place_text(x)
    return str(x)


def _sub(v: object) -> str:
    return PENDING_PREFIX + v.pending if isinstance(v, Pending) else str(v)


def place_text(p: InPersonChannel) -> str:
    lines = [f"办理地点:{p.place}", f"地址:{_sub(p.address)}", f"办理时间:{_sub(p.hours)}"]
    if p.note:
        lines.append(f"说明:{p.note}")
    return "\n".join(lines)


# ---------------------------------------------------------------- a whole element


def text(value: object, names: dict[str, str]) -> str:
    """现在的内容: the element as a person reads it, in the format 更正后的内容 is read back in."""
    if isinstance(value, Pending):
        return PENDING_PREFIX + value.pending
    if isinstance(value, str):
        return value
    if isinstance(value, TimeLimit):
        return limit_text(value) + (f"\n说明:{value.note}" if value.note else "")
    if isinstance(value, Fees):
        lines = [fee_item_text(i) for i in value.items] if value.charged else ["不收费"]
        if value.basis is not None:
            lines.append(f"收费依据:{_sub(value.basis)}")
        if value.note:
            lines.append(f"说明:{value.note}")
        return "\n".join(lines)
    if isinstance(value, list):
        if not value:
            return NONE_TEXT
        sep = "\n\n" if isinstance(value[0], InPersonChannel) else "\n"
        return sep.join(item_text(x, names) for x in value)
    return str(value)


def has_pending(value: object) -> bool:
    """The element or any part of it is 待核实."""
    if isinstance(value, Pending):
        return True
    if isinstance(value, list):
        return any(has_pending(x) for x in value)
    if isinstance(value, BaseModel):
        return any(has_pending(getattr(value, f)) for f in type(value).model_fields)
    return False


def source_ids(value: object) -> list[str]:
    """Every source the element cites, in order, once."""
    out: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, BaseModel):
            for f in type(v).model_fields:
                if f == "source":
                    out.extend(s for s in getattr(v, f) if s not in out)
                else:
                    walk(getattr(v, f))

    walk(value)
    return out


def plain(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return [plain(x) for x in value]
    return value


def digest(*parts: object) -> str:
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Row:
    """One element of one service, as the workbook shows it."""

    service: str  # 事项编号
    name: str  # 事项
    key: str  # the element's path in the service, e.g. time_limits.committed
    label: str  # 要素
    content: str  # 现在的内容
    sources: str  # 出处
    status: str  # 状态
    value_fp: str  # fingerprint of the element's value: an import compares it with the catalog's

    @property
    def locked(self) -> tuple[str, ...]:
        """The cells staff must not change, in column order (A-F)."""
        return (self.service, self.name, self.label, self.content, self.sources, self.status)

    @property
    def row_fp(self) -> str:
        return digest(*self.locked)


def reviewing(catalog: Catalog, department: str) -> list[Service]:
    """The department's active services: those it leads, then those it assists, in catalog order."""
    active = [s for s in catalog.services if s.status == "active"]
    return [s for s in active if s.department == department] + [
        s for s in active if s.department != department and department in s.co_departments
    ]


def rows(catalog: Catalog, department: str) -> list[Row]:
    names = {m.id: m.name for m in catalog.materials}
    sources = {s.id: s for s in catalog.sources}
    out = []
    for s in reviewing(catalog, department):
        for key in KEYS:
            out.append(row(s, key, names, sources))
    return out


def row(s: Service, key: str, names: dict[str, str], sources: dict) -> Row:
    value = value_of(s, key)
    cited = [sources[i] for i in source_ids(value) if i in sources]
    check = s.verification.elements.get(key)  # type: ignore[call-overload]
    if check is not None and check.status in ELEMENT_CHECK_CONFIRMED and not has_pending(value):
        status = STATUS_CONFIRMED
    elif cited and all(x.type == "secondary" for x in cited) and not has_pending(value):
        status = STATUS_SECONDARY
    else:
        status = STATUS_PENDING
    shown = "\n".join(x.title + ("(第三方网站,仅作线索)" if x.type == "secondary" else "") for x in cited)
    return Row(s.id, s.name, key, LABELS[key], text(value, names), shown or "(未注明出处)", status,
               digest(s.id, key, plain(value)))
