"""What the charts show, as plain values, and their DOT text. No Graphviz here.

A service chart reads top to bottom: the applicant with the materials to bring, the
steps of ``process`` in order (each with where it happens when the catalog says so
unambiguously), the result, and the time limit on the last arrow (committed, else
statutory, else 待核实). Where a step happens is taken from the channels only when one
kind is known and the other is confirmed absent (``[]``); otherwise the places are shown
once, beside the steps, and the step's own text says where. Nothing is guessed.

The journey chart reads top to bottom: one cluster per stage in plan order, one column
per category side by side (narrow enough for a phone and an A4 page), every active service
in plan order with its department, and an arrow for every ``prerequisites`` entry (dashed
and marked 待核实 when the relation is pending). The arrows take no part in the layout, so
the plan's order is kept whatever feeds what.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..schema import format_limit, is_pending
from ..schema import Catalog, Service

FONT = "Noto Sans CJK SC"  # the font of the site's print CSS and of every PDF (fonts-noto-cjk)
WRAP = 18  # full-width characters per line inside a box
PENDING = "待核实"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
JOURNEY_MAX = 120  # services: above this the journey chart draws one box per stage and category (a
# 1,000-service chart is 1 MB of SVG no one can read, and 70 s of Graphviz; 120 take 0.6 s)
COLUMN = 6  # services per column in the journey chart: keeps it about as tall as it is wide (A4, screens)

# Colours: dark text on light fills (contrast above 7:1), and dashes, not colour alone, for 待核实.
INK = "#1a1a1a"
LINE = "#3f51b5"
STEP_FILL = "#eef0fa"
END_FILL = "#e3f2e5"
PENDING_FILL = "#fff4e0"
PENDING_LINE = "#8a4b00"


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple[str, ...]
    kind: str  # start | step | end | where | pending | service
    pending: bool = False


@dataclass(frozen=True)
class Edge:
    tail: str
    head: str
    label: tuple[str, ...] = ()
    pending: bool = False
    invisible: bool = False
    constraint: bool = True  # False: drawn, but takes no part in the layout's order


@dataclass(frozen=True)
class Cluster:
    id: str
    label: str
    nodes: tuple[str, ...]
    same_rank: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Graph:
    id: str  # "journey" or "service-<id>"
    title: str
    rankdir: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    clusters: tuple[Cluster, ...] = ()
    same_rank: tuple[tuple[str, ...], ...] = field(default=())

    def text(self) -> list[str]:
        """Every line the chart shows, in drawing order (what the SVG's text must say)."""
        out = [line for n in self.nodes for line in n.lines]
        out += [c.label for c in self.clusters]
        out += [line for e in self.edges for line in e.label]
        return out

    def to_dot(self) -> str:
        return _dot(self)


# ---------------------------------------------------------------- wording


def limit_line(s: Service) -> tuple[str, bool]:
    """The time limit on the way to the result: committed, else statutory, else 待核实."""
    committed, statutory = s.time_limits.committed, s.time_limits.statutory
    if not is_pending(committed):
        return f"承诺时限:{format_limit(committed)}", False
    if not is_pending(statutory):
        return f"法定时限:{format_limit(statutory)}(承诺时限{PENDING})", False
    return f"办结时限:{PENDING}", True


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# Chinese line breaking (kinsoku): these never start a line, those never end one.
NO_START = "，。、；：？！）」》”’,.;:?!)]}%"
NO_END = "（「《“‘([{"


def wrap(text: str, width: int = WRAP) -> tuple[str, ...]:
    """Lines of at most ``width`` full-width characters (two half-width count as one).

    Closing punctuation hangs at the end of the line rather than starting the next one,
    and opening punctuation moves down with the character it opens.
    """
    text = " ".join(text.split())
    lines: list[str] = []
    line, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width * 2 and line and ch not in NO_START:
            carry = ""
            while line and line[-1] in NO_END:
                carry, line = line[-1] + carry, line[:-1]
            if line.strip():
                lines.append(line.rstrip())
                line, used = carry, sum(_width(c) for c in carry)
            else:
                line = carry
            if ch == " " and not line:
                continue
        line += ch
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return tuple(lines) or ("",)


def _short(catalog: Catalog) -> dict[str, str]:
    return {d.id: d.short_name for d in catalog.departments}


# ---------------------------------------------------------------- service chart


def _materials_line(s: Service) -> tuple[str, bool]:
    if is_pending(s.materials):
        return f"申请材料:{PENDING}", True
    items = list(s.materials)
    if not items:
        return "无需提交材料", False
    optional = sum(1 for m in items if not m.required)
    extra = f",其中 {optional} 项有条件提交" if optional else ""
    return f"备齐申请材料 {len(items)} 项{extra}(见“申请材料”)", False


def _places(s: Service) -> tuple[list[str], list[str], bool]:
    """(online names, window places, any pending); an empty known list means "none"."""
    online, window = s.channels.online, s.channels.in_person
    pending = is_pending(online) or is_pending(window)
    names = [] if is_pending(online) else [o.name for o in online]
    places = [] if is_pending(window) else [p.place for p in window]
    return names, places, pending


def _step_place(s: Service) -> str | None:
    """Where every step happens, when the channels leave no doubt (one kind known, the other [])."""
    online, window = s.channels.online, s.channels.in_person
    if is_pending(online) or is_pending(window):
        return None
    if online and not window:
        return "网上:" + "、".join(o.name for o in online)
    if window and not online:
        return "窗口:" + "、".join(p.place for p in window)
    return None


def service_chart(catalog: Catalog, s: Service) -> Graph:
    """The flowchart of one service's ``process``."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    short = _short(catalog)

    materials, materials_pending = _materials_line(s)
    nodes.append(Node("start", ("申请人", *wrap(materials)), "start", materials_pending))

    dep = short.get(s.department, s.department)
    co = [short.get(d, d) for d in s.co_departments]
    where = [f"主办:{dep}" + (f"(协办:{'、'.join(co)})" if co else "")]
    names, places, where_pending = _places(s)
    online, window = s.channels.online, s.channels.in_person
    where += wrap("网上:" + (PENDING if is_pending(online) else "、".join(names) or "不能网上办理"))
    where += wrap("窗口:" + (PENDING if is_pending(window) else "、".join(places) or "无需到窗口"))
    nodes.append(Node("where", ("在哪里办", *where), "where", where_pending))

    previous = "start"
    if is_pending(s.process):
        nodes.append(Node("pending", (f"办理流程:{PENDING}", *wrap(s.process.pending)), "pending", True))
        edges.append(Edge(previous, "pending"))
        previous = "pending"
    else:
        place = _step_place(s)
        for i, step in enumerate(s.process, 1):
            lines: tuple[str, ...] = (f"{i}. {step.title}",)
            if step.detail:
                lines += wrap(step.detail)
            if place:
                lines += wrap(place)
            nid = f"step{i}"
            nodes.append(Node(nid, lines, "step"))
            edges.append(Edge(previous, nid))
            previous = nid

    result: tuple[str, ...]
    if is_pending(s.results):
        result = ("办结", f"办理结果:{PENDING}")
        result_pending = True
    else:
        result = ("办结", *[line for r in s.results for line in wrap(f"{r.name}({r.form})")])
        result_pending = False
    nodes.append(Node("end", result, "end", result_pending))
    limit, limit_pending = limit_line(s)
    edges.append(Edge(previous, "end", wrap(limit, 14), limit_pending))
    return Graph(
        id=f"service-{s.id}",
        title=f"{s.name} 办理流程图",
        rankdir="TB",
        nodes=tuple(nodes),
        edges=tuple(edges),
        same_rank=(("start", "where"),),
    )


# ---------------------------------------------------------------- journey chart


def plan_groups(catalog: Catalog) -> list[tuple[Any, list[tuple[Any, list[Service]]]]]:
    """Active services by stage, then category (catalog order), each list by plan number."""
    out = []
    active = [s for s in catalog.services if s.status == "active"]
    for st in catalog.stages:
        cats = []
        for cat in catalog.categories:
            items = sorted((s for s in active if s.stage == st.id and s.category == cat.id), key=lambda s: (s.number, s.id))
            if items:
                cats.append((cat, items))
        if cats:
            out.append((st, cats))
    return out


def feeds(catalog: Catalog) -> list[tuple[Service, Service, str, bool]]:
    """(earlier service, later service, what it provides, pending) for every prerequisite between active services."""
    active = {s.id: s for s in catalog.services if s.status == "active"}
    out = []
    for s in active.values():
        for p in s.prerequisites:
            if p.service in active:
                pending = is_pending(p.provides)
                what = p.provides.pending if pending else p.provides
                out.append((active[p.service], s, what, pending))
    return out


def _number(n: int) -> str:
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"


def journey_chart(catalog: Catalog) -> Graph:
    """The whole 一件事: stages, services in plan order with departments, and which feed which."""
    groups = plan_groups(catalog)
    if sum(len(items) for _, cats in groups for _, items in cats) > JOURNEY_MAX:
        return _journey_summary(catalog, groups)
    short = _short(catalog)
    nodes: list[Node] = []
    clusters: list[Cluster] = []
    edges: list[Edge] = []
    previous_lasts: list[str] = []
    for k, (st, cats) in enumerate(plan_groups(catalog), 1):
        heads: list[str] = []
        lasts: list[str] = []
        members: list[str] = []
        for cat, services in cats:
            ids = []
            for s in services:
                nid = f"svc-{s.id}"
                deps = "、".join(short.get(d, d) for d in (s.department, *s.co_departments))
                nodes.append(Node(nid, (*wrap(f"{_number(s.number)}{s.name}", 14), *wrap(f"{cat.name} · {deps}", 16)), "service"))
                ids.append(nid)
            members.extend(ids)
            # Long lists are cut into balanced columns, read like a newspaper: down, then right.
            per = -(-len(ids) // -(-len(ids) // COLUMN))
            for start in range(0, len(ids), per):
                column = ids[start:start + per]
                # A column is a chain of invisible edges: the plan's order, top to bottom.
                edges.extend(Edge(a, b, invisible=True) for a, b in zip(column, column[1:]))
                heads.append(column[0])
                lasts.append(column[-1])
        # Categories side by side, left to right; each stage below the whole previous one.
        edges.extend(Edge(a, b, invisible=True) for a, b in zip(heads, heads[1:]))
        edges.extend(Edge(a, h, invisible=True) for a in previous_lasts for h in heads)
        previous_lasts = lasts
        clusters.append(Cluster(f"stage-{st.id}", f"第 {k} 步 {st.name}", tuple(members), (tuple(heads),)))
    for before, after, what, pending in feeds(catalog):
        label = ("先办", PENDING) if pending else wrap(what, 10)
        edges.append(Edge(f"svc-{before.id}", f"svc-{after.id}", label, pending, constraint=False))
    return Graph(
        id="journey",
        title=f"{catalog.meta.title} 业务流程图",
        rankdir="TB",
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=tuple(clusters),
    )


def _journey_summary(catalog: Catalog, groups) -> Graph:
    """A large catalog's journey: one box per stage and category (count and departments), arrows between boxes."""
    short = _short(catalog)
    nodes: list[Node] = []
    edges: list[Edge] = []
    clusters: list[Cluster] = []
    box: dict[str, str] = {}
    previous: list[str] = []
    for k, (st, cats) in enumerate(groups, 1):
        heads = []
        for cat, services in cats:
            nid = f"grp-{st.id}-{cat.id}"
            counts: dict[str, int] = {}
            for s in services:
                counts[s.department] = counts.get(s.department, 0) + 1
                box[s.id] = nid
            deps = "、".join(f"{short.get(d, d)} {n} 项" for d, n in counts.items())
            nodes.append(Node(nid, (f"{cat.name}:{len(services)} 个事项", *wrap(deps, 16)), "service"))
            heads.append(nid)
        edges.extend(Edge(a, b, invisible=True) for a, b in zip(heads, heads[1:]))
        edges.extend(Edge(a, h, invisible=True) for a in previous for h in heads)
        previous = heads
        clusters.append(Cluster(f"stage-{st.id}", f"第 {k} 步 {st.name}", tuple(heads), (tuple(heads),)))
    pairs: dict[tuple[str, str], bool] = {}
    for before, after, _what, pending in feeds(catalog):
        a, b = box[before.id], box[after.id]
        if a != b:
            pairs[(a, b)] = pairs.get((a, b), True) and pending
    for (a, b), pending in pairs.items():
        edges.append(Edge(a, b, ("先办", PENDING) if pending else ("先办",), pending, constraint=False))
    return Graph(id="journey", title=f"{catalog.meta.title} 业务流程图", rankdir="TB",
                 nodes=tuple(nodes), edges=tuple(edges), clusters=tuple(clusters))


# ---------------------------------------------------------------- DOT


def quote(text: str) -> str:
    """A DOT double-quoted string; catalog text never becomes a DOT escape (\\N, \\n) or an entity (&lt;)."""
    text = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + text + '"'


def _label(lines: tuple[str, ...]) -> str:
    # Each line is quoted on its own, then joined with DOT's "\n" (one <text> per line in the SVG).
    return "\\n".join(quote(line)[1:-1] for line in lines)


def _node(n: Node) -> str:
    attrs = {"label": _label(n.lines)}
    if n.kind == "start":
        attrs.update(fillcolor="#ffffff")
    elif n.kind == "where":
        attrs.update(fillcolor="#ffffff", style="rounded,dotted,filled")
    elif n.kind == "end":
        attrs.update(fillcolor=END_FILL, penwidth="1.6")
    if n.pending:
        attrs.update(fillcolor=PENDING_FILL, color=PENDING_LINE, style="rounded,dashed,filled")
    return f'  "{n.id}" [' + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + "];"


def _edge(e: Edge) -> str:
    attrs: dict[str, str] = {}
    if e.invisible:
        attrs.update(style="invis", weight="10")
    if e.label:
        attrs["label"] = _label(e.label)
    if not e.constraint:
        attrs["constraint"] = "false"
    if e.pending:
        attrs.update(style="dashed", color=PENDING_LINE, fontcolor=PENDING_LINE)
    body = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    return f'  "{e.tail}" -> "{e.head}"' + (f" [{body}]" if body else "") + ";"


def _dot(g: Graph) -> str:
    out = [
        f"digraph {quote(g.id)} {{",
        f'  graph [rankdir="{g.rankdir}" fontname="{FONT}" fontsize="13" fontcolor="{INK}" nodesep="0.25" '
        f'ranksep="0.35" pad="0.1" bgcolor="transparent" labeljust="l"];',
        f'  node [shape="box" style="rounded,filled" fontname="{FONT}" fontsize="12" fontcolor="{INK}" '
        f'color="{LINE}" fillcolor="{STEP_FILL}" margin="0.14,0.06"];',
        f'  edge [fontname="{FONT}" fontsize="11" fontcolor="{INK}" color="#444444" arrowsize="0.7"];',
    ]
    clustered = {nid for c in g.clusters for nid in c.nodes}
    by_id = {n.id: n for n in g.nodes}
    for c in g.clusters:
        out.append(f"  subgraph {quote('cluster-' + c.id)} {{")
        out.append(f'    graph [label={quote(c.label)} style="rounded" color="#9e9e9e"];')
        for nid in c.nodes:
            out.append("  " + _node(by_id[nid]))
        for group in c.same_rank:
            out.append("    { rank=same; " + " ".join(f'"{nid}";' for nid in group) + " }")
        out.append("  }")
    for n in g.nodes:
        if n.id not in clustered:
            out.append(_node(n))
    for group in g.same_rank:
        out.append("  { rank=same; " + " ".join(f'"{nid}";' for nid in group) + " }")
    for e in g.edges:
        out.append(_edge(e))
    out.append("}")
    return "\n".join(out) + "\n"
