"""Compare two catalogs element by element and classify every change (no git, no click).

Classification follows the plan's 减环节、减材料、减时限:
error   breaks something — a service id gone without a retirement entry (its printed QR would 404),
        a reference left dangling, a change by an account that does not maintain the department;
warning goes against the plan — more materials, a longer committed limit, a new or higher fee,
        a removed legal basis, known information replaced by 待核实, a confirmed entry changed
        without renewing its verification;
info    everything else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

from pydantic import BaseModel

from ..schema import Catalog, Department, Fees, MaterialUse, Service, TimeLimit, calendar_bounds, is_pending, without_editor_only
from . import describe
from .model import Area, Change, ChangeReport, Severity
from .reprint import reprint

TITLE_FALLBACK = {"basis": "收费依据"}
CONFIRMED = "部门已确认"
RELEASE_FIELDS = {"meta.version", "meta.date"}
# Changes to the trust anchors of every printed piece and of the review itself: always flagged for
# review (a warning), and like every shared part, an error unless the lead department makes them.
FLAGGED_META = {
    "site_url": "所有已印刷的二维码和短链接都将指向新地址:须确认新地址由本指南使用,并重印全部印刷品",
    "link_domains": "允许的链接域名决定办事链接和二维码可以指向哪里:须确认新增域名是官方网站",
    "lead_department": "牵头部门有权修改全目录共用的内容、规则和流程:须经现牵头部门确认",
}


def _public(s: Service) -> object:
    return without_editor_only(s.model_dump(mode="json", exclude={"verification"}))


def compare(
    old: Catalog,
    new: Catalog,
    *,
    author: str | None,
    old_label: str = "旧目录",
    new_label: str = "新目录",
) -> ChangeReport:
    """Every change from ``old`` to ``new``, classified; with ``author``, ownership enforced."""
    d = _Diff(old, new)
    d.services()
    d.catalog_parts()
    if author is not None:
        d.ownership(author)
    d.dangling()  # after ownership: a reference left dangling is not a change to the service holding it
    names = {s.id: s.name for s in old.services}
    names.update({s.id: s.name for s in new.services})
    short = {x.id: x.short_name for x in old.departments}
    short.update({x.id: x.short_name for x in new.departments})
    dept_of = {s.id: short.get(s.department, s.department) for s in (*old.services, *new.services)}
    return ChangeReport(
        old_label=old_label,
        new_label=new_label,
        old_version=old.meta.version,
        new_version=new.meta.version,
        author=author,
        changes=d.out,
        names=names,
        departments=dept_of,
        reprint=reprint(old, new, d.out),
    )


def normalize_account(account: str) -> str:
    """GitHub accounts compare without the leading @ and case-insensitively."""
    return account.strip().lstrip("@").lower()


def _title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or TITLE_FALLBACK.get(name, name)


def _keyed(items: Iterable[Any], key: Callable[[Any], Any]) -> dict[tuple, Any]:
    """Items by key; a repeated key gets an occurrence number so nothing is lost."""
    out: dict[tuple, Any] = {}
    seen: dict[Any, int] = {}
    for item in items:
        k = key(item)
        n = seen.get(k, 0)
        seen[k] = n + 1
        out[(k, n)] = item
    return out


def _split(old: dict, new: dict) -> tuple[list, list, list]:
    added = [k for k in new if k not in old]
    removed = [k for k in old if k not in new]
    changed = [k for k in new if k in old and old[k] != new[k]]
    return added, removed, changed


class _Diff:
    def __init__(self, old: Catalog, new: Catalog):
        self.old, self.new = old, new
        self.out: list[Change] = []
        self.old_materials = {m.id: m.name for m in old.materials}
        self.new_materials = {m.id: m.name for m in new.materials}
        self.old_depts = {x.id: x for x in old.departments}
        self.new_depts = {x.id: x for x in new.departments}

    # ------------------------------------------------------------ helpers

    def add(self, severity: Severity, area: Area, key: str, field: str, label: str, message: str,
            old: str | None = None, new: str | None = None) -> None:
        self.out.append(Change(severity, area, key, field, label, message, old, new))

    def v(self, x: object, which: str = "new") -> str:
        return describe.value(x, self.new_materials if which == "new" else self.old_materials)

    def field_diffs(self, o: BaseModel, n: BaseModel, skip: Iterable[str] = ()) -> tuple[list[str], bool]:
        """``标题:旧 → 新`` for each differing field, and whether known information became 待核实."""
        parts, lost = [], False
        for name in type(o).model_fields:
            if name in skip:
                continue
            a, b = getattr(o, name), getattr(n, name)
            if a == b:
                continue
            if is_pending(b) and not is_pending(a) and a is not None:
                lost = True
            parts.append(f"{_title(type(o), name)}:{self.v(a, 'old')} → {self.v(b)}")
        return parts, lost

    def pending_step(self, area: Area, key: str, field: str, label: str, o: object, n: object) -> bool:
        """Record a change that involves 待核实; True when it did."""
        op, np_ = is_pending(o), is_pending(n)
        if not (op or np_):
            return False
        old_t, new_t = self.v(o, "old"), self.v(n)
        if op and np_ and old_t == new_t:
            self.add("info", area, key, field, label, f"{label}仍待核实,只更新了编辑备注或出处(不在网站和印刷品上显示)",
                     old_t, new_t)
        elif op and np_:
            self.add("info", area, key, field, label, f"{label}仍待核实,说明更新:{old_t} → {new_t}", old_t, new_t)
        elif np_:
            self.add("warning", area, key, field, label,
                     f"{label}由已知内容改为待核实(信息丢失):{old_t} → {new_t}", old_t, new_t)
        else:
            self.add("info", area, key, field, label, f"{label}已补充(原待核实):{old_t} → {new_t}", old_t, new_t)
        return True

    # ------------------------------------------------------------ services

    def services(self) -> None:
        old_by = {s.id: s for s in self.old.services}
        new_by = {s.id: s for s in self.new.services}
        added = [s for s in self.new.services if s.id not in old_by]
        removed = [s for s in self.old.services if s.id not in new_by]
        added_by_name: dict[str, Service] = {}
        for s in added:
            added_by_name.setdefault(s.name, s)
        for s in self.new.services:
            o = old_by.get(s.id)
            if o is None:
                self.added_service(s, old_by)
            elif o != s:
                self.service(o, s)
        for o in removed:
            to = added_by_name.get(o.name)
            if to is not None:
                msg = (f"事项编号由“{o.id}”改为“{to.id}”,但没有保留旧编号的停办条目:已印刷的二维码和短链接 "
                       f"/s/{o.id}/ 将无法打开(404)。请保留“{o.id}”条目并设 status: retired、retired_on 和 "
                       f"replaced_by: {to.id}")
            else:
                msg = (f"删除了事项“{o.name}”({o.id}),没有保留停办条目:已印刷的二维码和短链接 /s/{o.id}/ "
                       f"将无法打开(404)。停办请保留条目并设 status: retired、retired_on(有替代事项的写 replaced_by)")
            self.add("error", "service", o.id, "service", "事项", msg, o.name, None)

    def added_service(self, s: Service, old_by: dict[str, Service]) -> None:
        dept = self.new_depts.get(s.department)
        dept_name = dept.short_name if dept else s.department
        origin = next(
            (o for o in self.new.services
             if o.replaced_by == s.id and o.id in old_by and old_by[o.id].name == s.name),
            None,
        )
        if origin is not None:
            msg = (f"事项编号由“{origin.id}”改为“{s.id}”:旧编号保留为停办条目并转到新编号,"
                   f"已印刷的二维码和短链接 /s/{origin.id}/ 仍然有效")
        else:
            msg = f"新增事项“{s.name}”({s.id}),主办部门:{dept_name}"
        self.add("info", "service", s.id, "service", "事项", msg, None, s.name)

    def service(self, o: Service, n: Service) -> None:
        key = n.id
        before = len(self.out)
        status_changed = o.status != n.status
        for name in Service.model_fields:
            if name in ("id", "verification"):
                continue
            if status_changed and name in ("replaced_by", "retired_on", "retired_note"):
                continue
            a, b = getattr(o, name), getattr(n, name)
            if a == b:
                continue
            label = _title(Service, name)
            handler = getattr(self, f"s_{name}", None)
            if handler is not None:
                handler(key, a, b)
            elif not self.pending_step("service", key, name, label, a, b):
                self.generic("service", key, name, label, a, b)
        if n.status == "retired":
            # A retired service is no longer offered: its content changes go against nothing in the plan.
            self.out[before:] = [
                replace(c, severity="info") if c.severity == "warning" else c for c in self.out[before:]
            ]
        content_changed = len(self.out) > before and _public(o) != _public(n)  # editor notes are not confirmed content
        self.element_checks(o, n, self.out[before:])
        if n.status == "active":
            self.verification(o, n, content_changed)
        elif o.verification != n.verification:
            self.verification(o, n, False)

    def generic(self, area: Area, key: str, field: str, label: str, a: object, b: object) -> None:
        if isinstance(a, list) and isinstance(b, list):
            old_k = _keyed(a, lambda x: self.v(x, "old"))
            new_k = _keyed(b, lambda x: self.v(x))
            added, removed, _ = _split(old_k, new_k)
            parts = []
            if added:
                parts.append("新增:" + "、".join(k[0] for k in added))
            if removed:
                parts.append("删除:" + "、".join(k[0] for k in removed))
            if not parts:
                parts.append("顺序或细节调整")
            self.add("info", area, key, field, label, f"{label}:" + ";".join(parts),
                     self.v(a, "old"), self.v(b))
            return
        if isinstance(a, BaseModel) and isinstance(b, BaseModel) and type(a) is type(b):
            parts, lost = self.field_diffs(a, b)
            self.add("warning" if lost else "info", area, key, field, label, f"{label}:" + ";".join(parts),
                     self.v(a, "old"), self.v(b))
            return
        old_t, new_t = self.v(a, "old"), self.v(b)
        self.add("info", area, key, field, label, f"{label}:{old_t} → {new_t}", old_t, new_t)

    def keyed_list(self, key: str, field: str, label: str, a: list, b: list, keyfn: Callable[[Any], Any],
                   noun: str, on_added: Severity = "info", on_removed: Severity = "info",
                   changed_severity: Callable[[Any, Any], Severity] | None = None,
                   text: Callable[[Any, str], str] | None = None) -> None:
        text = text or (lambda x, which: self.v(x, which))
        old_k, new_k = _keyed(a, keyfn), _keyed(b, keyfn)
        added, removed, changed = _split(old_k, new_k)
        for k in added:
            t = text(new_k[k], "new")
            self.add(on_added, "service", key, field, label, f"新增{noun}{t}", None, t)
        for k in removed:
            t = text(old_k[k], "old")
            self.add(on_removed, "service", key, field, label, f"删除{noun}{t}", t, None)
        for k in changed:
            x, y = old_k[k], new_k[k]
            parts, lost = self.field_diffs(x, y)
            sev = changed_severity(x, y) if changed_severity else "info"
            if lost and sev == "info":
                sev = "warning"
            self.add(sev, "service", key, field, label, f"{noun}{text(y, 'new')}有变:" + ";".join(parts),
                     text(x, "old"), text(y, "new"))
        if not (added or removed or changed):
            self.add("info", "service", key, field, label, f"{label}顺序调整", self.v(a, "old"), self.v(b))

    # one method per element with its own classification ------------------

    def s_materials(self, key: str, a: Any, b: Any) -> None:
        label = "申请材料"
        if self.pending_step("service", key, "materials", label, a, b):
            return

        def ident(m: MaterialUse) -> tuple:
            return ("ref", m.ref) if m.ref is not None else ("name", m.name)

        def more(x: MaterialUse, y: MaterialUse) -> Severity:
            grew = (not x.required and y.required) or any(
                p is not None and q is not None and q > p
                for p, q in ((x.originals, y.originals), (x.copies, y.copies))
            )
            return "warning" if grew else "info"

        def text(m: MaterialUse, which: str) -> str:
            return describe.material_detail(m, self.new_materials if which == "new" else self.old_materials)

        self.keyed_list(key, "materials", label, a, b, ident, "材料", on_added="warning",
                        changed_severity=more, text=text)

    def s_legal_basis(self, key: str, a: Any, b: Any) -> None:
        label = "设定依据"
        if self.pending_step("service", key, "legal_basis", label, a, b):
            return
        self.keyed_list(key, "legal_basis", label, a, b, lambda x: x.title, "设定依据",
                        on_removed="warning", text=lambda x, w: f"“{self.v(x, w)}”")

    def s_results(self, key: str, a: Any, b: Any) -> None:
        if self.pending_step("service", key, "results", "办理结果", a, b):
            return
        self.keyed_list(key, "results", "办理结果", a, b, lambda x: x.name, "办理结果",
                        text=lambda x, w: f"“{self.v(x, w)}”")

    def s_phones(self, key: str, a: Any, b: Any) -> None:
        if self.pending_step("service", key, "phones", "电话", a, b):
            return
        self.keyed_list(key, "phones", "电话", a, b, lambda x: (x.kind, x.number), "电话",
                        text=lambda x, w: f"“{self.v(x, w)}”")

    def s_channels(self, key: str, a: Any, b: Any) -> None:
        for which, keyfn, noun in (("online", lambda x: x.name, "网上办理渠道"),
                                   ("in_person", lambda x: x.place, "办理地点")):
            x, y = getattr(a, which), getattr(b, which)
            if x == y:
                continue
            label = "办理渠道·" + _title(type(a), which)
            field = f"channels.{which}"
            if not self.pending_step("service", key, field, label, x, y):
                self.keyed_list(key, field, label, x, y, keyfn, noun, text=lambda v, w: f"“{self.v(v, w)}”")

    def s_time_limits(self, key: str, a: Any, b: Any) -> None:
        for which in ("statutory", "committed"):
            x, y = getattr(a, which), getattr(b, which)
            if x == y:
                continue
            label = _title(type(a), which)
            field = f"time_limits.{which}"
            if self.pending_step("service", key, field, label, x, y):
                continue
            trend = limit_trend(x, y)
            old_t, new_t = describe.limit(x), describe.limit(y)
            if trend == "same":
                parts, _ = self.field_diffs(x, y, skip=("value", "unit"))
                self.add("info", "service", key, field, label,
                         f"{label}({new_t})说明或出处有变:" + ";".join(parts), old_t, new_t)
                continue
            word = {"longer": "延长", "shorter": "缩短", "maybe-longer": "单位改变,可能延长",
                    "unclear": "单位改变"}[trend]
            sev: Severity = "info"
            if which == "committed" and trend in ("longer", "maybe-longer"):
                sev = "warning"
            self.add(sev, "service", key, field, label, f"{label}{word}:{old_t} → {new_t}", old_t, new_t)

    def s_fees(self, key: str, a: Any, b: Any) -> None:
        label = "收费标准"
        if self.pending_step("service", key, "fees", label, a, b):
            return
        assert isinstance(a, Fees) and isinstance(b, Fees)
        old_t, new_t = describe.fees(a), describe.fees(b)
        if not a.charged and b.charged:
            self.add("warning", "service", key, "fees", label, f"新增收费:{old_t} → {new_t}", old_t, new_t)
        elif a.charged and not b.charged:
            self.add("info", "service", key, "fees", label, f"改为不收费:{old_t} → {new_t}", old_t, new_t)
        elif a.charged and b.charged and a.items != b.items:
            old_k = _keyed(a.items, lambda i: i.name)
            new_k = _keyed(b.items, lambda i: i.name)
            added, removed, changed = _split(old_k, new_k)
            for k in added:
                t = describe.fee_item(new_k[k])
                self.add("warning", "service", key, "fees", label, f"新增收费项目:{t}", None, t)
            for k in removed:
                t = describe.fee_item(old_k[k])
                self.add("info", "service", key, "fees", label, f"取消收费项目:{t}", t, None)
            for k in changed:
                x, y = old_k[k], new_k[k]
                tx, ty = describe.fee_item(x), describe.fee_item(y)
                if y.amount > x.amount:
                    self.add("warning", "service", key, "fees", label, f"收费提高:{tx} → {ty}", tx, ty)
                elif y.amount < x.amount:
                    self.add("info", "service", key, "fees", label, f"收费降低:{tx} → {ty}", tx, ty)
                else:
                    parts, _ = self.field_diffs(x, y)
                    self.add("info", "service", key, "fees", label, f"收费项目{tx}有变:" + ";".join(parts), tx, ty)
        parts, lost = self.field_diffs(a, b, skip=("charged", "items"))
        if parts:
            self.add("warning" if lost else "info", "service", key, "fees", label,
                     "收费说明有变:" + ";".join(parts), old_t, new_t)

    def s_department(self, key: str, a: str, b: str) -> None:
        def name(d: str) -> str:
            x = self.new_depts.get(d) or self.old_depts.get(d)
            return x.short_name if x else d

        self.add("info", "service", key, "department", "主办部门", f"主办部门:{name(a)} → {name(b)}", name(a), name(b))

    def s_status(self, key: str, a: str, b: str) -> None:
        n = next(s for s in self.new.services if s.id == key)
        if b == "retired":
            parts = [f"停办日期 {describe.value(n.retired_on)}"]
            if n.replaced_by:
                target = next((s.name for s in self.new.services if s.id == n.replaced_by), n.replaced_by)
                parts.append(f"由“{target}”({n.replaced_by})替代,短链接 /s/{key}/ 转到该事项")
            if n.retired_note:
                parts.append(describe.clip(n.retired_note, 60))
            self.add("info", "service", key, "status", "状态", "事项停办:" + ";".join(parts), "在办", "停办")
        else:
            self.add("info", "service", key, "status", "状态", "事项恢复在办", "停办", "在办")

    def verification(self, o: Service, n: Service, content_changed: bool) -> None:
        a, b = o.verification, n.verification
        if a != b:
            old_t, new_t = describe.value(a), describe.value(b)
            self.add("info", "service", n.id, "verification", "核实信息", f"核实信息:{old_t} → {new_t}", old_t, new_t)
        renewed = b.date is not None and (a.date is None or b.date > a.date)
        if content_changed and a.status == CONFIRMED and b.status == CONFIRMED and not renewed:
            self.add(
                "warning", "service", n.id, "verification", "核实信息",
                f"本事项已由 {a.confirmed_by or '部门'} 于 {describe.value(a.date)} 确认,内容有变但核实信息未更新:"
                "请更新 verification 的 confirmed_by 和 date(及出处),或改为 status: 待核实",
            )

    def element_checks(self, o: Service, n: Service, changes: list[Change]) -> None:
        """An element a department confirmed in its 核对表 changed, but its check was left as it was."""
        labels = {c.field: c.label for c in changes}
        for key, check in o.verification.elements.items():
            if key in labels and check.status != "本部门不办理" and n.verification.elements.get(key) == check:
                self.add(
                    "warning", "service", n.id, "verification", "核实信息",
                    f"{labels[key]}已由 {check.confirmed_by} 于 {check.date.isoformat()} 通过核对表确认,内容有变但要素核对记录未更新:"
                    f"请删除 verification.elements 中的 {key},或请部门重新核对",
                )

    # ------------------------------------------------------------ references left dangling

    def dangling(self) -> None:
        services = {s.id for s in self.new.services}
        for s in self.new.services:
            if s.department not in self.new_depts:
                self.add("error", "service", s.id, "department", "主办部门",
                         f"主办部门“{s.department}”在 departments 中不存在(引用悬空)")
            for d in s.co_departments:
                if d not in self.new_depts:
                    self.add("error", "service", s.id, "co_departments", "协办部门",
                             f"协办部门“{d}”在 departments 中不存在(引用悬空)")
            if not is_pending(s.materials):
                for m in s.materials:
                    if m.ref is not None and m.ref not in self.new_materials:
                        was = self.old_materials.get(m.ref)
                        self.add("error", "service", s.id, "materials", "申请材料",
                                 f"共用材料“{m.ref}”" + (f"({was})" if was else "")
                                 + "在 materials 中不存在(引用悬空):事项页和传单将缺少这项材料")
            if s.replaced_by is not None and s.replaced_by not in services:
                self.add("error", "service", s.id, "replaced_by", "替代事项",
                         f"替代事项“{s.replaced_by}”不存在(引用悬空):短链接 /s/{s.id}/ 无处可转")

    # ------------------------------------------------------------ shared parts of the catalog

    def catalog_parts(self) -> None:
        o, n = self.old, self.new
        for name in type(o.meta).model_fields:
            a, b = getattr(o.meta, name), getattr(n.meta, name)
            if a == b:
                continue
            flagged = FLAGGED_META.get(name)
            if flagged is not None:
                label = _title(type(o.meta), name)
                old_t, new_t = self.v(a, "old"), self.v(b)
                self.add("warning", "meta", "", f"meta.{name}", label, f"{label}:{old_t} → {new_t}。{flagged}",
                         old_t, new_t)
            else:
                self.generic("meta", "", f"meta.{name}", _title(type(o.meta), name), a, b)
        self.registry("department", "部门", o.departments, n.departments, order=True)
        self.registry("stage", "阶段", o.stages, n.stages, order=True)
        self.registry("category", "类别", o.categories, n.categories, order=True)
        self.registry("material", "共用材料", o.materials, n.materials)
        self.registry("source", "来源", o.sources, n.sources)
        self.registry("question", "我的清单问题", o.questions, n.questions, order=True)
        common = {s.id for s in o.services} & {s.id for s in n.services}
        seq_o = [s.id for s in o.services if s.id in common]
        seq_n = [s.id for s in n.services if s.id in common]
        if seq_o != seq_n:
            self.add("info", "order", "", "order", "事项顺序", "事项的排列顺序有调整(海报和手册按此顺序排列)")

    def registry(self, area: Area, noun: str, a: list, b: list, order: bool = False) -> None:
        old_by = {x.id: x for x in a}
        new_by = {x.id: x for x in b}
        for x in b:
            if x.id not in old_by:
                self.add("info", area, x.id, "added", noun, f"新增{noun}“{_name(x)}”({x.id})", None, _name(x))
        for x in a:
            if x.id not in new_by:
                self.add("info", area, x.id, "removed", noun, f"删除{noun}“{_name(x)}”({x.id})", _name(x), None)
        for x in b:
            y = old_by.get(x.id)
            if y is not None and y != x:
                parts, lost = self.field_diffs(y, x)
                fields = [f for f in type(x).model_fields if getattr(x, f) != getattr(y, f)]
                self.add("warning" if lost else "info", area, x.id, ",".join(fields), noun,
                         f"{noun}“{_name(x)}”({x.id})有变:" + ";".join(parts), _name(y), _name(x))
        if order:
            seq_o = [x.id for x in a if x.id in new_by]
            seq_n = [x.id for x in b if x.id in old_by]
            if seq_o != seq_n:
                self.add("info", area, "", "order", noun, f"{noun}的排列顺序有调整")

    # ------------------------------------------------------------ ownership

    def ownership(self, author: str) -> None:
        """With ``--author``: every touched part must be maintained by the author — in the *old* catalog,
        so a pull request cannot grant itself the right it needs."""
        who = normalize_account(author)
        lead = self.old.meta.lead_department  # the role, never the list order, grants the lead's rights
        old_services = {s.id: s for s in self.old.services}
        new_services = {s.id: s for s in self.new.services}
        needed: dict[tuple[Area, str], list[str]] = {}
        for c in self.out:
            if c.area == "service":
                depts = []
                for s in (old_services.get(c.key), new_services.get(c.key)):
                    if s is not None:
                        depts.append(s.department if s.department in self.old_depts else lead)
            elif c.area == "department":
                depts = [c.key if c.key in self.old_depts else lead]
            elif c.area in ("material", "source") and c.field == "added":
                continue  # a new shared material or source changes nothing that exists
            elif c.area == "meta" and c.field in RELEASE_FIELDS:
                continue  # any department's update may bump the version and date
            else:
                depts = [lead]
            slot = needed.setdefault((c.area, c.key), [])
            slot.extend(x for x in depts if x not in slot)
        found: list[Change] = []
        for (area, key), depts in needed.items():
            for dept_id in depts:
                dept = self.old_depts[dept_id]
                if who in {normalize_account(m) for m in dept.maintainers}:
                    continue
                what = self.owned_thing(area, key, dept_id == lead and area not in ("service", "department"))
                if dept.maintainers:
                    listed = "、".join("@" + normalize_account(m) for m in dept.maintainers)
                    msg = (f"提交人 @{who} 不是{dept.short_name}的维护人(departments 中 {dept.id} 的 maintainers:"
                           f"{listed}),无权修改{what}")
                else:
                    msg = (f"{dept.short_name}尚未登记维护人(departments 中 {dept.id} 的 maintainers 为空),"
                           f"无法确认提交人 @{who} 有权修改{what}:请先登记该部门维护人的 GitHub 账号")
                found.append(Change("error", area, key, "owner", "修改权限", msg))
        self.out.extend(found)

    def owned_thing(self, area: Area, key: str, lead: bool) -> str:
        if area == "service":
            s = next((x for x in (*self.new.services, *self.old.services) if x.id == key), None)
            return f"事项“{s.name if s else key}”"
        if area == "department":
            d = self.old_depts.get(key) or self.new_depts.get(key)
            return f"部门信息“{d.short_name if d else key}”"
        return "全目录共用的内容(由牵头部门维护)" if lead else "此内容"


def _name(x: Any) -> str:
    if isinstance(x, Department):
        return x.short_name
    for attr in ("name", "title", "text"):
        if hasattr(x, attr):
            return str(getattr(x, attr))
    return x.id


def limit_trend(old: TimeLimit, new: TimeLimit) -> str:
    """longer | shorter | same | maybe-longer | unclear, comparing calendar days when units differ."""
    if old.unit == new.unit:
        a, b = old.value or 0.0, new.value or 0.0
        return "longer" if b > a else "shorter" if b < a else "same"
    lo_o, hi_o = calendar_bounds(old)
    lo_n, hi_n = calendar_bounds(new)
    if lo_n > hi_o:
        return "longer"
    if hi_n < lo_o:
        return "shorter"
    if hi_n > hi_o:
        return "maybe-longer"
    return "unclear"
