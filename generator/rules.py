"""Rules beyond types: references, limits, fees, links, phones, markup, verification.

Each rule is a function of a schema-valid ``Loaded`` catalog yielding located diagnostics;
``RULES`` lists them by id so the documentation and tests can name every one. Most rules are
written in parts (``PARTS``): what each service alone shows, and what only the whole catalog
does, so that a reloading session re-checks only the services that changed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from . import flyerfit
from .diagnostics import MAX_REPORTED, Diagnostic
from .links import check_link, host_allowed, is_placeholder
from .located import Loaded
from .schema import TimeLimit, calendar_bounds, format_limit, is_pending

Rule = Callable[[Loaded, dt.date], Iterable[Diagnostic]]
ServicePart = Callable[[Loaded, dt.date, int], Iterable[Diagnostic]]
Nodes = tuple[tuple, Iterable[tuple[tuple, object]]]  # (base path, every (path below base, value) in file order)
RULES: dict[str, Rule] = {}

STALE_DAYS = 365


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[rule_id] = fn
        return fn

    return register


def _nothing(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    return iter(())


def _no_context(loaded: Loaded, today: dt.date) -> None:
    return None


@dataclass(frozen=True)
class Parts:
    """A rule in parts. ``each(loaded, today, i)`` finds what service ``i`` shows, located inside it
    and naming no line, reading only that service and what ``context`` returns (compared with ``==``
    between runs); ``whole`` finds everything else. The rule's findings are ``whole``'s and every
    service's. A session keeps each service's findings while its text and the context stay the same."""

    each: ServicePart
    whole: Rule = _nothing
    context: Callable[[Loaded, dt.date], object] = _no_context


PARTS: dict[str, Parts] = {}


def in_parts(rule_id: str, each: ServicePart, whole: Rule = _nothing,
             context: Callable[[Loaded, dt.date], object] = _no_context) -> None:
    """Register a rule written in parts (``RULES`` gets the parts run one after the other)."""
    parts = PARTS[rule_id] = Parts(each, whole, context)

    def run(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
        yield from parts.whole(loaded, today)
        for i in range(len(loaded.catalog.services)):  # type: ignore[union-attr]
            yield from parts.each(loaded, today, i)

    run.__name__ = run.__qualname__ = f"rule_{rule_id.replace('-', '_')}"
    RULES[rule_id] = run


def capped(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One rule's findings, the first ``MAX_REPORTED`` of them and a note that more were left out."""
    out: list[Diagnostic] = []
    for n, d in enumerate(found):
        if n == MAX_REPORTED:  # stop there: the rest is more of the same
            out.append(Diagnostic(
                d.path, d.line, d.column, d.severity, d.rule,
                f"从这里起还有更多同类问题(只列出前 {MAX_REPORTED} 处):请先改正已列出的,再运行 guide check",
            ))
            break
        out.append(d)
    return out


def run_rules(loaded: Loaded, today: dt.date | None = None) -> list[Diagnostic]:
    """Every rule's findings on a catalog that passed the schema."""
    today = today or dt.date.today()
    out: list[Diagnostic] = []
    for fn in RULES.values():
        out.extend(capped(fn(loaded, today)))
    return out


# ---------------------------------------------------------------- ids and references


def _unique(loaded: Loaded, items, base: tuple, what: str) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in seen:
            first = loaded.document.locate(base + (seen[item.id], "id"))  # type: ignore[union-attr]
            yield loaded.diag(
                base + (i, "id"), "error", "unique-id",
                f"{what}编号“{item.id}”重复(第 {first.line} 行已使用),编号必须唯一",
                value=True,
            )
        else:
            seen[item.id] = i


@rule("unique-id")
def unique_ids(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    c = loaded.catalog
    assert c is not None
    yield from _unique(loaded, c.services, ("services",), "事项")
    yield from _unique(loaded, c.departments, ("departments",), "部门")
    yield from _unique(loaded, c.materials, ("materials",), "共用材料")
    yield from _unique(loaded, c.sources, ("sources",), "来源")
    yield from _unique(loaded, c.stages, ("stages",), "阶段")
    yield from _unique(loaded, c.categories, ("categories",), "类别")
    yield from _unique(loaded, c.questions, ("questions",), "问题")
    for qi, q in enumerate(c.questions):
        yield from _unique(loaded, q.answers, ("questions", qi, "answers"), "选项")


def _reaches(needs: dict[str, list[str]], start: str, goal: str) -> bool:
    """Whether ``goal`` is among the prerequisites of ``start``, directly or further back."""
    seen, todo = set(), [start]
    while todo:
        sid = todo.pop()
        if sid == goal:
            return True
        if sid not in seen:
            seen.add(sid)
            todo.extend(needs.get(sid, ()))
    return False


@dataclass(frozen=True)
class _Ids:
    """The ids a reference may name: what the ``ref`` rule reads beyond one service."""

    services: frozenset[str]
    departments: frozenset[str]
    stages: frozenset[str]
    categories: frozenset[str]
    materials: frozenset[str]
    sources: frozenset[str]
    questions: tuple[tuple[str, frozenset[str]], ...]


def _ids(loaded: Loaded, today: dt.date) -> _Ids:
    c = loaded.catalog
    assert c is not None
    return _Ids(
        frozenset(s.id for s in c.services), frozenset(d.id for d in c.departments), frozenset(s.id for s in c.stages),
        frozenset(s.id for s in c.categories), frozenset(m.id for m in c.materials), frozenset(s.id for s in c.sources),
        tuple((q.id, frozenset(a.id for a in q.answers)) for q in c.questions),
    )


def _missing(loaded: Loaded, loc: tuple, value: str, what: str, where: str) -> Diagnostic:
    return loaded.diag(loc, "error", "ref", f"{what}“{value}”不存在:请先在 {where} 中定义,或检查拼写", value=True)


def _source_lists(where: Nodes) -> Iterator[tuple[tuple, list]]:
    """Every ``source`` list: they appear on many element types, so the raw data is walked for them."""
    base, nodes = where
    for path, node in nodes:
        if path and path[-1] == "source" and isinstance(node, list):
            yield base + path, node


def _source_refs(loaded: Loaded, where: Nodes, sources: frozenset[str]) -> Iterator[Diagnostic]:
    for path, refs in _source_lists(where):
        for k, ref in enumerate(refs):
            if ref not in sources:
                yield _missing(loaded, path + (k,), ref, "来源", "sources")


def _service_refs(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    ids = _ids_of(loaded)
    s = loaded.catalog.services[i]  # type: ignore[union-attr]
    services, departments, materials = ids.services, ids.departments, ids.materials
    questions = dict(ids.questions)
    base = ("services", i)
    if s.stage not in ids.stages:
        yield _missing(loaded, base + ("stage",), s.stage, "阶段", "stages")
    if s.category not in ids.categories:
        yield _missing(loaded, base + ("category",), s.category, "类别", "categories")
    if s.department not in departments:
        yield _missing(loaded, base + ("department",), s.department, "部门", "departments")
    for j, d in enumerate(s.co_departments):
        if d not in departments:
            yield _missing(loaded, base + ("co_departments", j), d, "部门", "departments")
    for j, r in enumerate(s.related):
        if r not in services:
            yield _missing(loaded, base + ("related", j), r, "相关事项", "services")
        elif r == s.id:
            yield loaded.diag(base + ("related", j), "error", "ref", "相关事项不能是本事项自己", value=True)
    for j, p in enumerate(s.prerequisites):
        if p.service not in services:
            yield _missing(loaded, base + ("prerequisites", j, "service"), p.service, "先办事项", "services")
        elif p.service == s.id:
            yield loaded.diag(base + ("prerequisites", j, "service"), "error", "ref", "先办事项不能是本事项自己", value=True)
    if s.replaced_by is not None:
        if s.replaced_by not in services:
            yield _missing(loaded, base + ("replaced_by",), s.replaced_by, "替代事项", "services")
        elif s.replaced_by == s.id:
            yield loaded.diag(base + ("replaced_by",), "error", "ref", "替代事项不能是本事项自己", value=True)
    if not is_pending(s.materials):
        for j, m in enumerate(s.materials):
            if m.ref is not None and m.ref not in materials:
                yield _missing(loaded, base + ("materials", j, "ref"), m.ref, "共用材料", "materials")
    for j, cond in enumerate(s.applies):
        for q, answers in cond.items():
            if q not in questions:
                yield loaded.diag(base + ("applies", j, q), "error", "ref", f"问题“{q}”不存在:请先在 questions 中定义,或检查拼写")
                continue
            for k, a in enumerate(answers):
                if a not in questions[q]:
                    yield _missing(loaded, base + ("applies", j, q, k), a, f"问题“{q}”的选项", f"questions 的 {q}")
    yield from _source_refs(loaded, loaded.service_part(i), ids.sources)


def _ids_of(loaded: Loaded) -> _Ids:
    """``_ids`` once per catalog: every service's part reads it."""
    memo = loaded.memo.get("ids")
    if memo is None:
        memo = loaded.memo["ids"] = _ids(loaded, dt.date.min)
    return memo


def _used_sources(loaded: Loaded) -> set[str]:
    """Every source id some ``source`` list names (each service's list kept with its part)."""
    used = {ref for _, refs in _source_lists(((), loaded.outer_nodes)) for ref in refs}
    for i in range(len(loaded.catalog.services)):  # type: ignore[union-attr]
        memo = loaded.service_memo(i)
        if "sources" not in memo:
            memo["sources"] = frozenset(ref for _, refs in _source_lists(loaded.service_part(i)) for ref in refs)
        used |= memo["sources"]
    return used


def _catalog_refs(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    c = loaded.catalog
    assert c is not None
    ids = _ids_of(loaded)
    services, stages = ids.services, ids.stages
    if c.meta.lead_department not in ids.departments:
        yield _missing(loaded, ("meta", "lead_department"), c.meta.lead_department, "牵头部门", "departments")

    # 先办事项 must not go round in a circle: the journey chart would have no first step.
    needs = {s.id: [p.service for p in s.prerequisites if p.service in services and p.service != s.id] for s in c.services}
    for i, s in enumerate(c.services):
        for j, p in enumerate(s.prerequisites):
            if p.service != s.id and _reaches(needs, p.service, s.id):
                yield loaded.diag(("services", i, "prerequisites", j, "service"), "error", "ref",
                                  f"先办事项形成循环:“{p.service}”又须先办理本事项“{s.id}”", value=True)

    # A service without ``applies`` is chosen by its stage: the ``stage`` question must offer every stage.
    if c.questions and any(not s.applies for s in c.services if s.status == "active"):
        stage_q = next((q for q in c.questions if q.id == "stage"), None)
        if stage_q is None:
            yield loaded.diag(("questions",), "error", "ref", "有事项未写 applies(按阶段适用),须有编号为 stage 的问题")
        elif {a.id for a in stage_q.answers} != stages:
            i = c.questions.index(stage_q)
            yield loaded.diag(
                ("questions", i, "answers"), "error", "ref",
                f"问题 stage 的选项编号须与 stages 的编号一致({'、'.join(sorted(stages))})",
            )

    yield from _source_refs(loaded, ((), loaded.outer_nodes), ids.sources)
    used = _used_sources(loaded)
    for i, src in enumerate(c.sources):
        if src.id not in used:
            yield loaded.diag(("sources", i, "id"), "warning", "unused", f"来源“{src.id}”没有被任何要素引用", value=True)
    used_materials = {
        m.ref for s in c.services if not is_pending(s.materials) for m in s.materials
    }
    for i, m in enumerate(c.materials):
        if m.id not in used_materials:
            yield loaded.diag(("materials", i, "id"), "warning", "unused", f"共用材料“{m.id}”没有被任何事项引用", value=True)


in_parts("ref", _service_refs, _catalog_refs, _ids)


# ---------------------------------------------------------------- service elements


def _material_uses(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    s = loaded.catalog.services[i]  # type: ignore[union-attr]
    if is_pending(s.materials):
        return
    for j, m in enumerate(s.materials):
        loc = ("services", i, "materials", j)
        if (m.ref is None) == (m.name is None):
            yield loaded.diag(loc, "error", "material", "每项材料须写 ref(共用材料编号)或 name(本事项特有材料),二者只能选一", value=True)
        if not m.required and not (m.condition or "").strip():
            yield loaded.diag(loc + ("required",), "error", "material", "非必备材料(required: false)须在 condition 中写明提交条件")
        if m.required and m.condition:
            yield loaded.diag(loc + ("condition",), "warning", "material", "必备材料写了 condition:若为有条件提交,请设 required: false")


in_parts("material", _material_uses)


def _time_limits(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    s = loaded.catalog.services[i]  # type: ignore[union-attr]
    base = ("services", i, "time_limits")
    for which in ("statutory", "committed"):
        t = getattr(s.time_limits, which)
        if isinstance(t, TimeLimit):
            if t.unit == "即办" and t.value is not None:
                yield loaded.diag(base + (which, "value"), "error", "time-limit", "单位为“即办”时不填 value")
            if t.unit != "即办" and t.value is None:
                yield loaded.diag(base + (which,), "error", "time-limit", f"时限单位为“{t.unit}”时须填写 value(天数)", value=True)
    st, co = s.time_limits.statutory, s.time_limits.committed
    if isinstance(st, TimeLimit) and isinstance(co, TimeLimit):
        if st.unit == co.unit:
            longer = (co.value or 0) > (st.value or 0)
        else:
            longer = calendar_bounds(co)[0] > calendar_bounds(st)[1]
        if longer:
            yield loaded.diag(
                base + ("committed",), "error", "time-limit",
                f"承诺办结时限({format_limit(co)})长于法定办结时限({format_limit(st)}),承诺时限不得超过法定时限",
                value=True,
            )


in_parts("time-limit", _time_limits)


def _fees(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    f = loaded.catalog.services[i].fees  # type: ignore[union-attr]
    if is_pending(f):
        return
    loc = ("services", i, "fees")
    if f.charged:
        if not f.items:
            yield loaded.diag(loc + ("charged",), "error", "fee", "收费事项须在 items 中列出收费项目和金额")
        if f.basis is None:
            yield loaded.diag(loc + ("charged",), "error", "fee", "收费事项须写明收费依据 basis(未知时写 {pending: 说明})")
    elif f.items:
        yield loaded.diag(loc + ("items",), "error", "fee", "charged: false(不收费)的事项不能列出收费项目")


in_parts("fee", _fees)


def _government(loaded: Loaded, today: dt.date) -> frozenset[str]:
    return frozenset(cat.id for cat in loaded.catalog.categories if cat.kind == "government")  # type: ignore[union-attr]


def _legal_basis(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    s = loaded.catalog.services[i]  # type: ignore[union-attr]
    if s.category not in _government(loaded, today) or s.status == "retired":
        return
    loc = ("services", i, "legal_basis")
    if is_pending(s.legal_basis):
        yield loaded.diag(loc, "warning", "legal-basis", "政务服务事项的设定依据待核实,请尽快补充", value=True)
    elif not s.legal_basis:
        yield loaded.diag(loc, "error", "legal-basis", "政务服务事项至少需要一条设定依据(未知时写 {pending: 说明})", value=True)


in_parts("legal-basis", _legal_basis, context=_government)


@rule("plan-number")
def plan_numbers(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    seen: dict[tuple, int] = {}
    for i, s in enumerate(loaded.catalog.services):  # type: ignore[union-attr]
        if s.status == "retired":
            continue
        key = (s.stage, s.category, s.number)
        if key in seen:
            other = loaded.catalog.services[seen[key]].name  # type: ignore[union-attr]
            yield loaded.diag(("services", i, "number"), "error", "plan-number", f"同一阶段、类别下序号 {s.number} 已被“{other}”使用", value=True)
        else:
            seen[key] = i


@rule("retired")
def retirement(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    by_id = {s.id: s for s in loaded.catalog.services}  # type: ignore[union-attr]
    for i, s in enumerate(loaded.catalog.services):  # type: ignore[union-attr]
        loc = ("services", i)
        if s.status == "active" and (s.replaced_by or s.retired_on):
            yield loaded.diag(loc + ("status",), "error", "retired", "在办事项(status: active)不能写 replaced_by 或 retired_on;停办请设 status: retired")
        if s.status == "retired":
            if s.retired_on is None:
                yield loaded.diag(loc + ("status",), "error", "retired", "停办事项须写停办日期 retired_on")
            if s.replaced_by is None and not s.retired_note:
                yield loaded.diag(loc + ("status",), "warning", "retired", "停办事项应写替代事项 replaced_by 或停办说明 retired_note")
            target = by_id.get(s.replaced_by or "")
            if target is not None and target.status == "retired":
                yield loaded.diag(loc + ("replaced_by",), "error", "retired", f"替代事项“{target.id}”本身已停办,请指向在办事项", value=True)


# ---------------------------------------------------------------- links


def _link_domains(loaded: Loaded, today: dt.date) -> tuple[str, ...]:
    return tuple(loaded.catalog.meta.link_domains)  # type: ignore[union-attr]


def _links_in(loaded: Loaded, where: Nodes, domains: list[str]) -> Iterator[Diagnostic]:
    base, nodes = where
    for path, node in nodes:
        if not path or path[-1] != "url" or not isinstance(node, str):
            continue
        path = base + path
        if path[0] == "sources":
            continue
        why = check_link(node, domains)
        if why:
            yield loaded.diag(path, "error", "link", why, value=True)


def _catalog_links(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    c = loaded.catalog
    domains = list(c.meta.link_domains)  # type: ignore[union-attr]
    for j, d in enumerate(domains):
        if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", d):
            yield loaded.diag(("meta", "link_domains", j), "error", "link", f"“{d}”不是有效的域名(只写域名,如 gov.cn,不带 https:// 和路径)", value=True)
    site = c.meta.site_url  # type: ignore[union-attr]
    why = check_link(site, domains)
    if why:
        yield loaded.diag(("meta", "site_url"), "error", "link", why, value=True)
    if is_placeholder(site):
        yield loaded.diag(
            ("meta", "site_url"), "warning", "placeholder",
            f"网站地址“{site}”是占位地址:正式印刷前须改为真实网址,否则印刷品一律标注“样稿”",
            value=True,
        )
    yield from _links_in(loaded, ((), loaded.outer_nodes), domains)


def _service_links(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    yield from _links_in(loaded, loaded.service_part(i), list(_link_domains(loaded, today)))


in_parts("link", _service_links, _catalog_links, _link_domains)


# ---------------------------------------------------------------- phones and text

PHONE = re.compile(
    r"^(?:"
    r"1\d{4}"  # national hotlines: 12367, 12333, 12345
    r"|0\d{2,3}-\d{5,8}(?:-\d{1,6})?"  # landline: 0631-5897000, 010-62677800, 0631-12367
    r"|1[3-9]\d{9}"  # mobile
    r"|[48]00-?\d{3}-?\d{4}"  # 400/800 numbers
    r")$"
)


def _phones_in(loaded: Loaded, where: Nodes) -> Iterator[Diagnostic]:
    base, nodes = where
    for path, node in nodes:
        if not path or path[-1] != "number":
            continue
        path = base + path
        if len(path) >= 3 and "phones" in path and isinstance(node, str):
            if not PHONE.match(node.strip()):
                yield loaded.diag(
                    path, "error", "phone",
                    f"电话号码“{node}”格式不对:应形如 12367、0631-5897000(区号与号码之间用“-”)或 11 位手机号",
                    value=True,
                )


def _walker(check: Callable[[Loaded, Nodes], Iterator[Diagnostic]]) -> tuple[ServicePart, Rule]:
    """A rule that looks at every node alone, in parts: each service's nodes, and the rest."""

    def each(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
        return check(loaded, loaded.service_part(i))

    def whole(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
        return check(loaded, ((), loaded.outer_nodes))

    return each, whole


in_parts("phone", *_walker(_phones_in))


MARKUP = re.compile(r"</?[a-zA-Z!?]|&#?[a-zA-Z0-9]+;|(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


def _markup_in(loaded: Loaded, where: Nodes) -> Iterator[Diagnostic]:
    base, nodes = where
    for path, node in nodes:
        if isinstance(node, str):
            m = MARKUP.search(node)
            if m:
                yield loaded.diag(
                    base + path, "error", "markup",
                    f"文本中不能含有 HTML 标签、字符实体或脚本(发现“{m.group(0)}”);指南会按纯文本显示,请删除",
                    value=True,
                )


in_parts("markup", *_walker(_markup_in))


# Invisible characters that reorder or hide text: a name could display reversed on the site, in PDFs
# and in the change report, or two look-alike names differ invisibly.
INVISIBLE = {
    **{chr(c): "方向控制符(从左到右嵌入/覆盖)" for c in (0x202A, 0x202D)},
    **{chr(c): "方向控制符(从右到左嵌入/覆盖)" for c in (0x202B, 0x202E)},
    "\u202c": "方向控制符(结束嵌入/覆盖)",
    **{chr(c): "方向控制符(方向隔离)" for c in range(0x2066, 0x206A)},
    "\u200e": "方向控制符(从左到右标记)",
    "\u200f": "方向控制符(从右到左标记)",
    "\u061c": "方向控制符(阿拉伯字母标记)",
    **{chr(c): "零宽字符" for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)},
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")


def _invisible_in(loaded: Loaded, where: Nodes) -> Iterator[Diagnostic]:
    base, nodes = where
    for path, node in nodes:
        if isinstance(node, str):
            m = _INVISIBLE.search(node)
            if m:
                ch = m.group(0)
                yield loaded.diag(
                    base + path, "error", "invisible-char",
                    f"文本中含有看不见的{INVISIBLE[ch]} U+{ord(ch):04X}(第 {m.start() + 1} 个字符),"
                    "它会让文字颠倒显示或暗藏差异,请删除",
                    value=True,
                )


in_parts("invisible-char", *_walker(_invisible_in))


# ---------------------------------------------------------------- print


def _outside_services(loaded: Loaded, today: dt.date) -> dict:
    """Every part of the catalog but its services (a flyer shows departments, materials, stages … by id)."""
    c = loaded.catalog
    assert c is not None
    return {name: getattr(c, name) for name in type(c).model_fields if name != "services"}


def _flyer_fit(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    """Warns when even the brief flyer (notes left out) will not fit its A4 sheet. A full flyer that
    needs the brief level is not flagged: leaving notes to the online guide is the designed way to fit,
    and ``guide print`` reports it."""
    c = loaded.catalog
    s = c.services[i]  # type: ignore[union-attr]
    if s.status != "active":
        return  # retired services are not printed
    brief = flyerfit.DETAILS[-1]
    mm = flyerfit.estimate_mm(c, s, brief)  # type: ignore[arg-type]
    if flyerfit.pages_of(mm) > flyerfit.SHEET_PAGES:
        over = math.ceil((mm - flyerfit.sheet_mm()) / flyerfit.LINE)
        yield loaded.diag(
            ("services", i), "warning", "flyer-fit",
            f"按文字长度估算,本事项的单页即使改印精简版(不列各项备注)也约需 {mm:.0f} 毫米,"
            f"超出一张 A4 纸正反两面可用的约 {flyerfit.sheet_mm():.0f} 毫米(约多 {over} 行),"
            f"印出来会有第 {flyerfit.SHEET_PAGES + 1} 页:请精简材料名称、办理地点等文字(完整内容在网站上)",
        )


in_parts("flyer-fit", _flyer_fit, context=_outside_services)


# ---------------------------------------------------------------- search keywords


@rule("keyword")
def keywords(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    """A keyword leads a search to one service: one claimed by two is flagged where it recurs.
    A retired service may keep the keywords its replacement took over."""
    seen: dict[str, tuple[str, int, int]] = {}  # where each keyword is first used: service id, i, j
    lines: dict[tuple[int, int], int] = {}  # the line of a first use, once it is reported
    for i, s in enumerate(loaded.catalog.services):  # type: ignore[union-attr]
        if s.status != "active":
            continue
        for j, k in enumerate(s.keywords):
            key = k.strip().casefold()
            first = seen.get(key)
            if first is None:
                seen[key] = (s.id, i, j)
            elif first[0] != s.id:
                _, fi, fj = first
                if (fi, fj) not in lines:
                    lines[fi, fj] = loaded.document.locate_value(("services", fi, "keywords", fj)).line  # type: ignore[union-attr]
                first_line = lines[fi, fj]
                yield loaded.diag(
                    ("services", i, "keywords", j), "warning", "keyword",
                    f"关键词“{k}”已用于事项“{first[0]}”(第 {first_line} 行):一个关键词只归一个事项,"
                    "搜索这个词时才能直接找到要办的事,请改用更具体的说法",
                    value=True,
                )


# ---------------------------------------------------------------- verification


def _today(loaded: Loaded, today: dt.date) -> dt.date:
    return today


def _verification(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    v = loaded.catalog.services[i].verification  # type: ignore[union-attr]
    loc = ("services", i, "verification")
    if v.status == "部门已确认" and (not v.confirmed_by or v.date is None):
        yield loaded.diag(loc + ("status",), "error", "verification", "“部门已确认”须写明确认人 confirmed_by 和核实日期 date")
    if v.date is not None:
        if v.date > today:
            yield loaded.diag(loc + ("date",), "error", "verification", f"核实日期 {v.date} 晚于今天,不能是将来的日期", value=True)
        elif (today - v.date).days > STALE_DAYS:
            yield loaded.diag(
                loc + ("date",), "warning", "verification-stale",
                f"本事项上次核实是 {v.date},已超过 {STALE_DAYS} 天,请部门重新核实",
                value=True,
            )


def _catalog_date(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    m = loaded.catalog.meta  # type: ignore[union-attr]
    if m.date > today:
        yield loaded.diag(("meta", "date"), "error", "verification", f"目录日期 {m.date} 晚于今天", value=True)


in_parts("verification", _verification, _catalog_date, _today)


# ---------------------------------------------------------------- sources: kinds, localities, deny list

DOMAIN = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


def source_host(url: str) -> str:
    """Host of a recorded source address; a source may be written without ``https://``."""
    try:
        return (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    except ValueError:
        return ""


def _domain_list(loaded: Loaded, key: str, what: str) -> Iterator[Diagnostic]:
    for j, d in enumerate(getattr(loaded.catalog.meta, key)):  # type: ignore[union-attr]
        if not DOMAIN.fullmatch(d):
            yield loaded.diag(("meta", key, j), "error", "source-kind" if key == "official_domains" else "denied-host",
                              f"{what}“{d}”不是有效的域名(只写小写域名,如 gov.cn,不带 https:// 和路径)", value=True)


@rule("source-kind")
def source_kinds(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    """An official source sits on an official domain; state media names its outlet; every source says its locality."""
    c = loaded.catalog
    assert c is not None
    yield from _domain_list(loaded, "official_domains", "官方来源域名")
    official = [d.lower() for d in c.meta.official_domains]
    for i, src in enumerate(c.sources):
        loc = ("sources", i)
        if src.type == "official" and src.url:
            host = source_host(src.url)
            if not host or not host_allowed(host, official):
                yield loaded.diag(
                    loc + ("url",), "error", "source-kind",
                    f"官方来源“{src.id}”的网址“{src.url}”不在官方域名(meta.official_domains:{'、'.join(official)})之内;"
                    "政府网站的转载或镜像请标为 secondary",
                    value=True,
                )
        if src.type == "state_media" and not (src.outlet or "").strip():
            yield loaded.diag(loc + ("type",), "error", "source-kind",
                              f"官方媒体来源“{src.id}”须在 outlet 中写明媒体名称,如 新华社、央视新闻", value=True)
        if src.locality is None and src.type != "law_text":
            yield loaded.diag(loc + ("id",), "warning", "source-kind",
                              f"来源“{src.id}”未写 locality(适用地域:national、省名、本市或其他城市名)", value=True)


def _denied_pattern(hosts: list[str]) -> re.Pattern | None:
    hosts = [h.lower() for h in hosts if DOMAIN.fullmatch(h.lower())]
    if not hosts:
        return None
    # the host itself or any subdomain of it, not a longer name that merely ends the same way
    return re.compile(r"(?<![a-z0-9-])(?:" + "|".join(re.escape(h) for h in hosts) + r")(?![a-z0-9-])", re.IGNORECASE)


def _denied_hosts(loaded: Loaded, today: dt.date) -> tuple[str, ...]:
    return tuple(loaded.catalog.meta.denied_hosts)  # type: ignore[union-attr]


def _denied_in(loaded: Loaded, where: Nodes) -> Iterator[Diagnostic]:
    pattern = _denied_pattern(list(_denied_hosts(loaded, dt.date.min)))
    if pattern is None:
        return
    base, nodes = where
    for path, node in nodes:
        if isinstance(node, str):
            m = pattern.search(node)
            if m and (base + path)[:2] != ("meta", "denied_hosts"):
                yield loaded.diag(
                    base + path, "error", "denied-host",
                    f"“{m.group(0)}”在禁用域名(meta.denied_hosts)之内:指南不得引用或提及此网站,请删除并改用可靠来源",
                    value=True,
                )


def _catalog_denied(loaded: Loaded, today: dt.date) -> Iterator[Diagnostic]:
    """A host on the deny list appears nowhere in the catalog (sources, links, notes)."""
    yield from _domain_list(loaded, "denied_hosts", "禁用域名")
    yield from _denied_in(loaded, ((), loaded.outer_nodes))


def _service_denied(loaded: Loaded, today: dt.date, i: int) -> Iterator[Diagnostic]:
    return _denied_in(loaded, loaded.service_part(i))


in_parts("denied-host", _service_denied, _catalog_denied, _denied_hosts)


def _sourced_values(where: Nodes) -> Iterator[tuple[tuple, list[str]]]:
    """Every value that cites sources and is not 待核实: (path, source ids)."""
    base, nodes = where
    for path, node in nodes:
        if isinstance(node, dict) and "pending" not in node and isinstance(node.get("source"), list) and node["source"]:
            yield base + path, [ref for ref in node["source"] if isinstance(ref, str)]


def _place(name: str) -> str:
    """山东省 and 山东, 威海市 and 威海 name the same place."""
    return name.strip().removesuffix("省").removesuffix("市")


def home_localities(meta) -> set[str]:
    """Localities whose sources may give this guide's values: national, the listed ones, the city itself."""
    return {_place(x) for x in ("national", meta.city, *meta.home_localities)}


def _places(loaded: Loaded, today: dt.date) -> tuple:
    """What the locality rule reads beyond a value: the home localities, the city, each source's locality."""
    c = loaded.catalog
    assert c is not None
    return frozenset(home_localities(c.meta)), c.meta.city, tuple((s.id, s.locality) for s in c.sources)


def _locality_in(loaded: Loaded, where: Nodes) -> Iterator[Diagnostic]:
    """A value whose only sources describe another city is not this city's value: it stays 待核实."""
    memo = loaded.memo.get("places")
    if memo is None:
        home, city, localities = _places(loaded, dt.date.min)
        memo = loaded.memo["places"] = (home, city, dict(localities))
    home, city, locality_of = memo
    for path, refs in _sourced_values(where):
        found = [locality_of[r] for r in refs if r in locality_of]
        if found and len(found) == len(refs) and all(x is not None and _place(x) not in home for x in found):
            places = "、".join(dict.fromkeys(found))  # type: ignore[arg-type]
            yield loaded.diag(
                path + ("source",), "error", "locality",
                f"此项只有其他地方({places})的来源,不能作为{city}的要素值:"
                "请改为 {pending: 说明},把线索写在 editor_note 中",
            )


in_parts("locality", *_walker(_locality_in), context=_places)


def _source_types(loaded: Loaded, today: dt.date) -> tuple[tuple[str, str], ...]:
    return tuple((s.id, s.type) for s in loaded.catalog.sources)  # type: ignore[union-attr]


def _secondary_in(loaded: Loaded, where: Nodes) -> Iterator[Diagnostic]:
    """A value resting only on secondary sites is a lead, not a fact: it stays 待核实."""
    memo = loaded.memo.get("types")
    if memo is None:
        memo = loaded.memo["types"] = dict(_source_types(loaded, dt.date.min))
    for path, refs in _sourced_values(where):
        found = [memo[r] for r in refs if r in memo]
        if found and len(found) == len(refs) and all(t == "secondary" for t in found):
            yield loaded.diag(
                path + ("source",), "error", "secondary-only",
                f"此项只有第三方来源({'、'.join(refs)}),只能作为线索:"
                "请改为 {pending: 说明},把线索写在 editor_note 中,或补充法律法规、政府网站等来源",
            )


in_parts("secondary-only", *_walker(_secondary_in), context=_source_types)


def _is_pending(node: object) -> bool:
    return isinstance(node, dict) and "pending" in node


def pending_paths(loaded: Loaded) -> list[tuple]:
    """Where the catalog records an element as 待核实 (a schema-valid ``{pending: …}``)."""
    return [path for path, node in loaded.walk() if _is_pending(node)]


def count_pending(loaded: Loaded) -> int:
    """How many elements are 待核实 (each service's count kept with its part, for a reloading session)."""
    n = sum(_is_pending(node) for _, node in loaded.outer_nodes)
    for i in range(len(loaded.catalog.services) if loaded.catalog is not None else 0):
        memo = loaded.service_memo(i)
        if "pending" not in memo:
            memo["pending"] = sum(_is_pending(node) for _, node in loaded.service_part(i)[1])
        n += memo["pending"]
    return n
