"""Short Chinese text for catalog values, as a reviewer reads them in a change report."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from .. import wording
from ..schema import (
    Condition,
    Faq,
    FeeItem,
    Fees,
    InPersonChannel,
    LegalBasis,
    MaterialUse,
    OnlineChannel,
    Pending,
    Phone,
    Result,
    Step,
    TimeLimit,
    Verification,
    format_limit,
    is_pending,
)

MAX_TEXT = 120


def clip(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


number = wording.number


def limit(t: TimeLimit) -> str:
    return format_limit(t)


def material(m: MaterialUse, names: dict[str, str]) -> str:
    """A material use by its name; a shared material's name comes from the registry."""
    if m.ref is not None:
        return names.get(m.ref, m.ref)
    return m.name or "(未命名材料)"


def material_detail(m: MaterialUse, names: dict[str, str]) -> str:
    parts = [wording.counts(m.originals, m.copies)]
    parts.append("必备" if m.required else f"有条件提交:{m.condition or '(未写条件)'}")
    return f"“{material(m, names)}”(" + ",".join(parts) + ")"


def fees(f: Fees) -> str:
    if not f.charged:
        return "不收费"
    items = "、".join(fee_item(i) for i in f.items) or "(未列收费项目)"
    return f"收费:{items}"


fee_item = wording.fee_item


def value(v: object, names: dict[str, str] | None = None) -> str:
    """Any catalog value as one short line; 待核实 is always shown with its note."""
    names = names or {}
    if isinstance(v, Pending) or is_pending(v):
        return f"待核实({clip(v.pending, 60)})"
    if v is None:
        return "(未填)"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return number(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return clip(v)
    if isinstance(v, (list, tuple)):
        return "、".join(value(x, names) for x in v) if v else "(无)"
    if isinstance(v, dict):
        return ";".join(f"{k}:{value(x, names)}" for k, x in v.items()) or "(无)"
    if isinstance(v, TimeLimit):
        return limit(v)
    if isinstance(v, MaterialUse):
        return material(v, names)
    if isinstance(v, Fees):
        return fees(v)
    if isinstance(v, FeeItem):
        return fee_item(v)
    if isinstance(v, LegalBasis):
        return v.title + (v.article or "")
    if isinstance(v, Phone):
        return f"{v.kind} {v.number}"
    if isinstance(v, OnlineChannel):
        return v.name + (f"({v.url})" if v.url else "")
    if isinstance(v, InPersonChannel):
        return v.place
    if isinstance(v, Result):
        return f"{v.name}({v.form})"
    if isinstance(v, (Step,)):
        return v.title
    if isinstance(v, Condition):
        return clip(v.text, 60)
    if isinstance(v, Faq):
        return clip(v.question, 60)
    if isinstance(v, Verification):
        who = f",{v.confirmed_by}" if v.confirmed_by else ""
        when = f",{v.date.isoformat()}" if v.date else ""
        counts: dict[str, int] = {}
        for check in v.elements.values():  # per element, from the departments' 核对表
            counts[check.status] = counts.get(check.status, 0) + 1
        checked = ";要素核对:" + "、".join(f"{k} {n} 项" for k, n in counts.items()) if counts else ""
        return f"{v.status}{who}{when}{checked}"
    if isinstance(v, BaseModel):
        shown = []
        for name, info in type(v).model_fields.items():
            x = getattr(v, name)
            if x is None or x == [] or name == "source":
                continue
            shown.append(f"{info.title or name}:{value(x, names)}")
        return clip(";".join(shown))
    return clip(str(v))
