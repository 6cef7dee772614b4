"""Chinese wording of the merged list for print; the same sentences as ``app.js`` builds on the page."""

from __future__ import annotations

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
    out = ("已知" if st.limit_pending else "") + f"最长承诺办结时限 {limit_text(t)}({s.name})"
    if st.limit_pending:
        out += f";另有 {len(st.limit_pending)} 个事项的承诺时限待核实({names(st.limit_pending)})"
    return out
