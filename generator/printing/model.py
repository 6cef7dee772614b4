"""What goes on paper: flyer, poster and booklet contents built from the catalog.

Pure domain code (no WeasyPrint, no templates): the renderers only lay out what is
decided here. Every ``Pending`` element becomes an ``Unknown`` that templates print
visibly as 待核实 with its note; nothing is hidden or guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import flyerfit, view
from ..errors import GuideError
from ..links import check_link, is_placeholder
from ..schema import Catalog, Fees, Service, TimeLimit, format_limit, is_pending
from ..wording import counts, fee_item, short_url


class PrintError(GuideError):
    """Printing cannot go on; the message is one Chinese sentence for staff (exit 1)."""


@dataclass(frozen=True)
class Unknown:
    """A 待核实 element and what is unknown about it."""

    note: str


def _v(value):
    """A catalog element as shown: ``Unknown`` for pending, the value otherwise."""
    return Unknown(value.pending) if is_pending(value) else value


# ---------------------------------------------------------------- links and safety


def home_url(catalog: Catalog) -> str:
    return f"{catalog.meta.site_url}/"


def qr_or_none(url: str, make):
    """``make()`` (a QR code of ``url``), or None when ``url`` is a placeholder that never resolves."""
    return None if is_placeholder(url) else make()


def public_link(catalog: Catalog, service_id: str) -> str:
    """The short link as printed beside (or instead of) a QR code: the path alone while the
    site address is a placeholder, so nobody types an address that does not exist."""
    url = short_url(catalog.meta.site_url, service_id)
    return f"/s/{service_id}/(正式网址待公布)" if is_placeholder(url) else url


def production_problem(catalog: Catalog) -> str | None:
    """Why the catalog's QR codes may not go to print as final, or None when they may."""
    site = catalog.meta.site_url
    if is_placeholder(site):
        return (
            f"网站地址 meta.site_url(“{site}”)是占位地址,二维码不能指向它:"
            "请在目录中改为指南网站的正式 https 地址后再正式印刷,或加 --draft 印制带“样稿”水印的样稿"
        )
    why = check_link(site, list(catalog.meta.link_domains))
    if why:
        return f"网站地址 meta.site_url 不能用于二维码:{why}。请改正后再正式印刷,或加 --draft 印制样稿"
    return None


# ---------------------------------------------------------------- plan order


def plan_order(catalog: Catalog) -> list[Service]:
    """Active services in the plan's order: stage, then category, then number."""
    stage_rank = {s.id: i for i, s in enumerate(catalog.stages)}
    cat_rank = {c.id: i for i, c in enumerate(catalog.categories)}
    active = [s for s in catalog.services if s.status == "active"]
    return sorted(active, key=lambda s: (stage_rank.get(s.stage, 99), cat_rank.get(s.category, 99), s.number, s.id))


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"


def circled(n: int) -> str:
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"


# ---------------------------------------------------------------- service view


@dataclass(frozen=True)
class MaterialLine:
    name: str
    issuer: str | None
    required: bool
    condition: str | None
    counts: str | Unknown
    note: str | None


@dataclass(frozen=True)
class Place:
    place: str
    address: str | Unknown
    hours: str | Unknown
    note: str | None


@dataclass(frozen=True)
class Limit:
    text: str
    note: str | None


@dataclass(frozen=True)
class FeeView:
    charged: bool
    items: list[str]
    basis: str | Unknown | None
    note: str | None


@dataclass
class ServiceView:
    """One service as printed (flyer and booklet page)."""

    id: str
    name: str
    url: str
    stage: str
    category: str
    number: int
    label: str
    department: str
    co_departments: list[str]
    summary: str
    audience: str | Unknown
    conditions: list[str] | Unknown
    legal_basis: list[str] | Unknown
    materials: list[MaterialLine] | Unknown
    process: list[tuple[str, str | None]] | Unknown
    case_type: str | Unknown
    statutory: Limit | Unknown
    committed: Limit | Unknown
    fees: FeeView | Unknown
    results: list[tuple[str, str | None]] | Unknown
    online: list[tuple[str, str | None]] | Unknown
    in_person: list[Place] | Unknown
    phones: list[tuple[str, str, str | None]] | Unknown
    faq: list[tuple[str, str]] = field(default_factory=list)
    verification: str = ""

    @property
    def material_names(self) -> list[str]:
        return [] if isinstance(self.materials, Unknown) else [m.name for m in self.materials]


def _limit(t) -> Limit | Unknown:
    t = _v(t)
    if isinstance(t, Unknown):
        return t
    assert isinstance(t, TimeLimit)
    return Limit(format_limit(t), t.note)


def _fees(f) -> FeeView | Unknown:
    f = _v(f)
    if isinstance(f, Unknown):
        return f
    assert isinstance(f, Fees)
    items = [fee_item(i) + (f"({i.note})" if i.note else "") for i in f.items]
    basis = None if f.basis is None else _v(f.basis)
    return FeeView(f.charged, items, basis, f.note)


def _counts(originals: int | None, copies: int | None) -> str | Unknown:
    if originals is None and copies is None:
        return Unknown("份数待核实")
    return counts(originals, copies)


def _phones(p) -> list[tuple[str, str, str | None]] | Unknown:
    p = _v(p)
    if isinstance(p, Unknown):
        return p
    return [(x.kind, x.number, x.note) for x in p]


def service_view(catalog: Catalog, s: Service) -> ServiceView:
    stages = {x.id: x.name for x in catalog.stages}
    cats = {x.id: x.name for x in catalog.categories}
    deps = {x.id: x.short_name for x in catalog.departments}
    registry = {m.id: m for m in catalog.materials}

    materials = _v(s.materials)
    if not isinstance(materials, Unknown):
        materials = [
            MaterialLine(m.name, m.issuer, m.required, m.condition, _counts(m.originals, m.copies), m.note or m.shared_note)
            for m in view.materials(s, registry)
        ]

    def listed(value, fn):
        value = _v(value)
        return value if isinstance(value, Unknown) else [fn(x) for x in value]

    def legal(b) -> str:
        bits = [b.title]
        if b.doc_number and b.doc_number not in b.title:
            bits.append(f"({b.doc_number})")
        if b.article:
            bits.append(b.article)
        return " ".join(bits)

    channels = s.channels
    v = s.verification
    verification = v.status + (f"({v.confirmed_by},{v.date})" if v.confirmed_by and v.date else "")
    return ServiceView(
        id=s.id,
        name=s.name,
        url=short_url(catalog.meta.site_url, s.id),
        stage=stages.get(s.stage, s.stage),
        category=cats.get(s.category, s.category),
        number=s.number,
        label=f"{stages.get(s.stage, s.stage)} · {cats.get(s.category, s.category)} {circled(s.number)}",
        department=deps.get(s.department, s.department),
        co_departments=[deps.get(d, d) for d in s.co_departments],
        summary=s.summary,
        audience=_v(s.audience),
        conditions=listed(s.conditions, lambda c: c.text),
        legal_basis=listed(s.legal_basis, legal),
        materials=materials,
        process=listed(s.process, lambda p: (p.title, p.detail)),
        case_type=_v(s.case_type),
        statutory=_limit(s.time_limits.statutory),
        committed=_limit(s.time_limits.committed),
        fees=_fees(s.fees),
        results=listed(s.results, lambda r: (f"{r.name}({r.form})", r.note)),
        online=listed(channels.online, lambda o: (o.name, o.note)),
        in_person=listed(channels.in_person, lambda p: Place(p.place, _v(p.address), _v(p.hours), p.note)),
        phones=_phones(s.phones),
        faq=[(f.question, f.answer) for f in s.faq],
        verification=verification,
    )


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class Imprint:
    """Small print shared by every document."""

    title: str
    city: str
    plan: str
    version: str
    date: str
    draft: bool
    home: str
    help_desk_name: str
    help_desk_address: str | Unknown
    help_desk_hours: str | Unknown
    help_desk_phones: list[tuple[str, str, str | None]] | Unknown
    help_desk_note: str | None


def imprint(catalog: Catalog, draft: bool) -> Imprint:
    m = catalog.meta
    hd = m.help_desk
    return Imprint(
        title=m.title,
        city=m.city,
        plan=f"《{m.plan.title}》({m.plan.number})",
        version=m.version,
        date=m.date.isoformat(),
        draft=draft,
        home=home_url(catalog),
        help_desk_name=hd.name,
        help_desk_address=_v(hd.address),
        help_desk_hours=_v(hd.hours),
        help_desk_phones=_phones(hd.phones),
        help_desk_note=hd.note,
    )


@dataclass
class StageGroup:
    id: str
    name: str
    description: str
    categories: list[tuple[str, list[ServiceView]]]

    @property
    def services(self) -> list[ServiceView]:
        return [s for _, group in self.categories for s in group]


def stage_groups(catalog: Catalog) -> list[StageGroup]:
    """Stages (in plan order) → categories → services; empty ones dropped."""
    views = [service_view(catalog, s) for s in plan_order(catalog)]
    by_key: dict[tuple[str, str], list[ServiceView]] = {}
    for s, view in zip(plan_order(catalog), views):
        by_key.setdefault((s.stage, s.category), []).append(view)
    out = []
    for st in catalog.stages:
        cats = [(c.name, by_key[(st.id, c.id)]) for c in catalog.categories if (st.id, c.id) in by_key]
        if cats:
            out.append(StageGroup(st.id, st.name, st.description, cats))
    return out


BOOKLET_PART = 100  # services per part of the booklet's body (printing.booklet); bench/print.py measures it


@dataclass(frozen=True)
class Slice:
    """The services of one stage that fall in one part; ``carried``: the stage began in an earlier part."""

    group: StageGroup
    number: int
    services: list[ServiceView]
    carried: bool


def booklet_slices(groups: list[StageGroup], per_part: int) -> list[list[Slice]]:
    """The stages cut into parts of at most ``per_part`` services (never an empty part)."""
    parts: list[list[Slice]] = [[]]
    count = 0
    for number, group in enumerate(groups, 1):
        services: list[ServiceView] = []
        carried = False
        for s in group.services:
            if count == per_part:
                if services:
                    parts[-1].append(Slice(group, number, services, carried))
                    services, carried = [], True
                parts.append([])
                count = 0
            services.append(s)
            count += 1
        parts[-1].append(Slice(group, number, services, carried))
    return parts


@dataclass(frozen=True)
class PosterSize:
    """A poster format and its QR size.

    The QR symbol is sized at about a tenth of the reading distance: an A3 sheet on a
    desk or pillar is read from about 0.8 m (80 mm), an A1 poster in a hall from about
    2 m (200 mm).
    """

    id: str
    name: str
    width_mm: int
    height_mm: int
    scale: float
    qr_mm: int


POSTER_SIZES = (
    PosterSize("poster-a3", "A3", 297, 420, 1.0, 80),
    PosterSize("poster-a1", "A1", 594, 841, 2.0, 200),
)

# Service names a poster can show legibly from 1.5 m (measured on A3 at 18 pt, names of the
# shipped catalog's lengths: 40 fit one sheet, 44 do not; 38 leaves a margin). A bigger
# catalog's poster lists each stage's categories with counts.
POSTER_MAX_NAMES = 38


def poster_lists_names(groups: list[StageGroup]) -> bool:
    return sum(len(g.services) for g in groups) <= POSTER_MAX_NAMES


FLYER_MAX_PAGES = flyerfit.SHEET_PAGES  # one A4 sheet: front, or front and back

FLYER_QR_MM = 32  # symbol without quiet zone; ≥ 30 mm so blurred phone shots still scan
