"""Chinese wording of the merged list for print; the same sentences as ``app.js`` builds on the page."""

from __future__ import annotations

from ..notice import ask_phone
from ..schema import MaterialUse, Service, format_limit, is_pending
from ..wording import counts, fee_item, number
from .merge import Count, StageSummary


num = number  # the one wording of a number (``wording.number``)


def names(services: list[Service]) -> str:
    return "、".join(s.name for s in services)


def count_text(label: str, c: Count, by_id: dict[str, Service]) -> str:
    if not c.unknown:
        return f"{label} {c.known} 份"
    if c.known == 0:
        return f"{label}份数待核实"
    return f"{label}已知 {c.known} 份,另有{names([by_id[i] for i in c.unknown])}未写明份数(待核实)"


def item_counts(m: MaterialUse) -> str:
    return counts(m.originals, m.copies)


limit_text = format_limit  # the checker's wording of a limit, so every output says the same


def fee_text(s: Service) -> str:
    f = s.fees
    if is_pending(f):
        return "收费待核实:" + f.pending
    if not f.charged:
        return "不收费"
    items = ";".join(fee_item(i) for i in f.items)
    return "收费:" + items


def committed_text(s: Service) -> str:
    c = s.time_limits.committed
    return "承诺办结时限:" + ("待核实" if is_pending(c) else limit_text(c))


def stage_fee_text(st: StageSummary) -> str:
    parts = []
    if st.fee_fixed:
        parts.append(f"已知合计 {num(st.fee_total)} 元({names(st.fee_fixed)})")
    if st.fee_variable:
        parts.append("另有按需收取的费用:" + names(st.fee_variable))
    if st.fee_pending:
        parts.append(("另有待核实的费用(" if parts else "待核实(") + names(st.fee_pending) + ")")
    return "收费:" + (";".join(parts) if parts else "不收费")


def stage_limit_text(st: StageSummary) -> str:
    if st.longest is None:
        return "承诺办结时限均待核实"
    s, t = st.longest
    if not st.limit_pending:
        return f"最长承诺办结时限 {limit_text(t)}({s.name})"
    # A known limit is only a lower bound while others are unknown: never call it the longest.
    return (f"{len(st.limit_pending)} 个事项的承诺时限待核实({names(st.limit_pending)}),"
            f"这一阶段最长要多久尚不能确定;已写明时限的事项中最长为 {limit_text(t)}({s.name})")


def where_facts(s: Service) -> dict:
    """Where to go and whom to call, as plain data (app.js words it as ``where_text`` does)."""
    places = s.channels.in_person
    online = s.channels.online
    return {
        "place": None if is_pending(places) or not places else places[0].place,
        "places": 0 if is_pending(places) else len(places),
        "online": None if is_pending(online) or not online else online[0].name,
        "phone": ask_phone(s),
    }


def where_text(s: Service) -> str:
    w = where_facts(s)
    if w["place"]:
        where = "地点:" + w["place"] + (f"等 {w['places']} 处" if w["places"] > 1 else "")
    elif w["online"]:
        where = "网上办:" + w["online"]
    else:
        where = "地点待核实"
    return where + ";" + ("电话:" + w["phone"] if w["phone"] else "电话待核实")
