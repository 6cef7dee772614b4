"""A corrected cell (更正后的内容) read back into the element's shape, as plain YAML-ready data.

Formats are those ``elements.text`` writes: a fee ``普通护照 120元/本``, a time limit ``7个工作日``,
a phone ``咨询 0631-12367``, materials and other lists one per line, a place as
``办理地点:… / 地址:… / 办理时间:…`` lines. A line equal to a current item keeps that item as it is
in the catalog (its notes, sources and formatting); a changed line becomes a new item without the old
sources: the department's basis is recorded with the element instead. A cell that cannot be read
raises ``CellError`` with a Chinese message saying what was expected.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any, Callable

from ..schema import Fees, InPersonChannel, Pending, Result
from . import elements as el


class CellError(ValueError):
    """The cell's text is not the element's shape; the message says what is expected, in Chinese."""


@dataclass(frozen=True)
class Context:
    service_name: str
    materials: dict[str, str]  # shared material id -> name


RESULT_FORMS: tuple[str, ...] = typing.get_args(Result.model_fields["form"].annotation)
_COLON = "[::]"
_LIMIT = re.compile(r"^(\d+(?:\.\d+)?)\s*(个工作日|工作日|个自然日|自然日|日|天)$")
_FEE = re.compile(r"^(?:(?P<name>.*?)\s*)?(?P<amount>\d+(?:\.\d+)?)\s*元\s*/\s*(?P<unit>[^\s((]+)\s*(?P<opt>[((]按需[))])?$")
_PHONE_NUMBER = re.compile(r"^[0-9][0-9-]{3,20}$")
_MATERIAL = re.compile(
    r"^(?P<name>.+?)"
    r"(?:[((](?P<counts>(?:原件\s*\d+\s*份|复印件\s*\d+\s*份)(?:\s*[,,、]\s*(?:原件\s*\d+\s*份|复印件\s*\d+\s*份))?)[))])?"
    r"(?:[((]有条件提交" + _COLON + r"(?P<cond>.*)[))])?$"
)


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]


def _keep(old_value: Any, old_node: Any, names: dict[str, str]) -> dict[str, Any]:
    """Current items by their one-line text, with their catalog nodes (first occurrence wins)."""
    out: dict[str, Any] = {}
    if isinstance(old_value, list) and old_node is not None:
        for item, node in zip(old_value, old_node):
            out.setdefault(el.item_text(item, names), node)
    return out


def parse(key: str, text: str, old_value: Any, old_node: Any, ctx: Context) -> Any:
    """Plain data for element ``key`` from the cell ``text``."""
    text = text.strip()
    if not text:
        raise CellError("选择了“需更正”,但“更正后的内容”为空:请填写更正后的内容")
    if text.startswith(el.PENDING_PREFIX) or text.startswith("待核实"):
        raise CellError("更正后的内容不能是“待核实”:不清楚的要素请选择“本部门不办理此项”或在备注中说明")
    return PARSERS[key](text, old_value, old_node, ctx)


def _text(text: str, old: Any, node: Any, ctx: Context) -> str:
    return " ".join(lines(text))


def _case_type(text: str, old: Any, node: Any, ctx: Context) -> str:
    t = text.strip()
    if t not in ("即办件", "承诺件"):
        raise CellError(f"办件类型只能是“即办件”或“承诺件”,实际是“{t}”")
    return t


def _list(make: Callable[[str, Context], Any]) -> Callable[..., list]:
    def parse_list(text: str, old: Any, node: Any, ctx: Context) -> list:
        if text.strip() == el.NONE_TEXT:
            return []
        keep = _keep(old, node, ctx.materials)
        return [keep[ln] if ln in keep else make(ln, ctx) for ln in lines(text)]

    return parse_list


def _condition(line: str, ctx: Context) -> dict:
    return {"text": line}


def _legal_basis(line: str, ctx: Context) -> dict:
    m = re.match(r"^(《[^》]+》)\s*(.*)$", line)
    if m and m.group(2):
        return {"title": m.group(1), "article": m.group(2)}
    return {"title": line}


def _step(line: str, ctx: Context) -> dict:
    title, _, detail = (re.split(f"({_COLON})", line, maxsplit=1) + ["", ""])[:3]
    title, detail = title.strip(), detail.strip()
    if not title:
        raise CellError(f"办理流程“{line}”缺少步骤名称:每行写“步骤:说明”")
    return {"title": title, "detail": detail} if detail else {"title": title}


def _result(line: str, ctx: Context) -> dict:
    m = re.match(r"^(.+?)\s*[((]([^()()]+)[))]$", line)
    if not m or m.group(2) not in RESULT_FORMS:
        raise CellError(f"办理结果“{line}”须写成“结果名称(形式)”,形式为:{'、'.join(RESULT_FORMS)}")
    return {"name": m.group(1).strip(), "form": m.group(2)}


def _online(line: str, ctx: Context) -> dict:
    parts = line.rsplit(None, 1)
    if len(parts) == 2 and parts[1].lower().startswith(("http://", "https://")):
        return {"name": parts[0], "url": parts[1]}
    if line.lower().startswith(("http://", "https://")):
        raise CellError(f"网上办理“{line}”须先写平台名称,再写网址,如“国家移民管理局政务服务平台 https://s.nia.gov.cn”")
    return {"name": line}


def _phone(line: str, ctx: Context) -> dict:
    m = re.match(r"^(咨询|监督投诉)?\s*(?:电话)?\s*[::]?\s*(\S+)$", line)
    number = m.group(2) if m else ""
    if not m or not _PHONE_NUMBER.match(number):
        raise CellError(f"电话“{line}”读不懂:每行写“咨询 0631-12367”或“监督投诉 0631-5897000”(区号与号码之间用“-”)")
    return {"kind": m.group(1) or "咨询", "number": number}


def _material(line: str, ctx: Context) -> dict:
    m = _MATERIAL.match(line)
    if not m or not m.group("name").strip():
        raise CellError(f"申请材料“{line}”读不懂:每行一项,如“居民身份证(原件1份,复印件1份)”")
    name = m.group("name").strip()
    by_name = {v: k for k, v in ctx.materials.items()}
    out: dict[str, Any] = {"ref": by_name[name]} if name in by_name else {"name": name}
    counts = m.group("counts") or ""
    for word, field in (("原件", "originals"), ("复印件", "copies")):
        c = re.search(word + r"\s*(\d+)\s*份", counts)
        if c:
            n = int(c.group(1))
            if n > 99:
                raise CellError(f"申请材料“{line}”的{word}份数 {n} 过大")
            out[field] = n
    if m.group("cond") is not None:
        cond = m.group("cond").strip()
        if not cond:
            raise CellError(f"申请材料“{line}”是有条件提交,须写明条件,如“(有条件提交:未满16周岁)”")
        out["required"] = False
        out["condition"] = cond
    return out


def limit(text: str) -> dict:
    t = text.strip()
    if t in ("即办", "即办件", "当场办结", "即时办结"):
        return {"unit": "即办"}
    m = _LIMIT.match(t)
    if not m:
        raise CellError(f"办结时限“{t}”读不懂:写成“7个工作日”“15日”或“即办”")
    value = float(m.group(1))
    if not 0 < value <= 3650:
        raise CellError(f"办结时限“{t}”的天数须大于 0、不超过 3650")
    return {"value": int(value) if value.is_integer() else value, "unit": "工作日" if "工作日" in m.group(2) else "日"}


def _labelled(text: str, allowed: dict[str, str], what: str) -> list[tuple[str, str]]:
    """``标签:值`` lines (a line without a known label continues nothing: it is an error)."""
    out = []
    for ln in lines(text):
        m = re.match(r"^([^::]+)" + _COLON + r"\s*(.*)$", ln)
        if not m or m.group(1).strip() not in allowed:
            raise CellError(f"{what}中“{ln}”读不懂:每行以{'、'.join(sorted(set(allowed), key=len))}之一开头,后接冒号")
        out.append((allowed[m.group(1).strip()], m.group(2).strip()))
    return out


def _time_limit(text: str, old: Any, node: Any, ctx: Context) -> dict:
    first, *rest = lines(text)
    out = limit(first)
    for field, value in _labelled("\n".join(rest), {"说明": "note"}, "办结时限"):
        if value:
            out[field] = value
    return out


def _sub_value(value: str, old: Any, what: str) -> Any:
    """A place's address or hours: text, or the catalog's own 待核实 kept as it is."""
    if value.startswith("待核实"):
        if isinstance(old, Pending) and value == el.PENDING_PREFIX + old.pending:
            return {"pending": old.pending, **({"source": list(old.source)} if old.source else {})}
        raise CellError(f"{what}不能写成待核实:请填写实际内容(原为待核实的可保留原文)")
    if not value:
        raise CellError(f"{what}为空")
    return value


def _in_person(text: str, old: Any, node: Any, ctx: Context) -> list:
    if text.strip() == el.NONE_TEXT:
        return []
    keep = _keep(old, node, ctx.materials)
    olds = {p.place: p for p in old} if isinstance(old, list) else {}
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if b.strip()]
    out: list = []
    allowed = {"办理地点": "place", "地点": "place", "地址": "address", "办理时间": "hours", "时间": "hours", "说明": "note"}
    for block in blocks:
        normalized = "\n".join(lines(block))
        if normalized in keep:
            out.append(keep[normalized])
            continue
        fields = dict(_labelled(block, allowed, "线下办理"))
        for need, word in (("place", "办理地点"), ("address", "地址"), ("hours", "办理时间")):
            if not fields.get(need):
                raise CellError(f"线下办理的每个地点须写“{word}:…”(多个地点之间空一行)")
        before: InPersonChannel | None = olds.get(fields["place"])
        place: dict[str, Any] = {"place": fields["place"]}
        place["address"] = _sub_value(fields["address"], before.address if before else None, "地址")
        place["hours"] = _sub_value(fields["hours"], before.hours if before else None, "办理时间")
        if fields.get("note"):
            place["note"] = fields["note"]
        out.append(place)
    return out


def _fees(text: str, old: Any, node: Any, ctx: Context) -> dict:
    all_lines = lines(text)
    if all_lines[0] in ("不收费", "免费", "不收取费用"):
        out: dict[str, Any] = {"charged": False}
        for field, value in _labelled("\n".join(all_lines[1:]), {"收费依据": "basis", "说明": "note"}, "收费标准"):
            out[field] = value
        if str(out.get("basis", "")).startswith("待核实"):
            out["basis"] = _sub_value(out["basis"], old.basis if isinstance(old, Fees) else None, "收费依据")
        return {k: out[k] for k in ("charged", "basis", "note") if k in out}
    olds = old.items if isinstance(old, Fees) else []
    old_nodes = node.get("items") if isinstance(old, Fees) and node is not None else None
    keep = _keep(olds, old_nodes, ctx.materials)
    items: list = []
    basis: Any = None
    note = None
    for ln in all_lines:
        m = re.match(r"^(收费依据|说明)" + _COLON + r"\s*(.*)$", ln)
        if m:
            if m.group(1) == "说明":
                note = m.group(2)
            elif m.group(2).startswith("待核实"):
                basis = _sub_value(m.group(2), old.basis if isinstance(old, Fees) else None, "收费依据")
            else:
                basis = m.group(2)
            continue
        if ln in keep:
            items.append(keep[ln])
            continue
        f = _FEE.match(ln)
        if not f:
            raise CellError(f"收费“{ln}”读不懂:每项一行,写成“普通护照 120元/本”;不收费写“不收费”")
        name = (f.group("name") or "").strip()
        if not name:
            # "120元/本" alone: the item it replaces when there is exactly one, else the service itself.
            name = olds[0].name if len(olds) == 1 else ctx.service_name
        item: dict[str, Any] = {"name": name, "amount": _amount(f.group("amount")), "unit": f.group("unit")}
        if f.group("opt"):
            item["optional"] = True
        items.append(item)
    if not items:
        raise CellError("收费标准须至少列出一个收费项目(如“普通护照 120元/本”),不收费写“不收费”")
    out = {"charged": True, "items": items}
    if basis is None:
        if isinstance(old, Fees) and old.basis is not None and node is not None and "basis" in node:
            basis = node["basis"]
        else:
            basis = {"pending": "收费依据未在核对表中写明,待核实"}
    out["basis"] = basis
    if note:
        out["note"] = note
    return out


def _amount(text: str) -> int | float:
    v = float(text)
    return int(v) if v.is_integer() else v


PARSERS: dict[str, Callable[..., Any]] = {
    "audience": _text,
    "conditions": _list(_condition),
    "legal_basis": _list(_legal_basis),
    "materials": _list(_material),
    "process": _list(_step),
    "case_type": _case_type,
    "time_limits.statutory": _time_limit,
    "time_limits.committed": _time_limit,
    "fees": _fees,
    "results": _list(_result),
    "channels.online": _list(_online),
    "channels.in_person": _in_person,
    "phones": _list(_phone),
}
assert set(PARSERS) == set(el.KEYS)
