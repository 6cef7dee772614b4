"""A service as shown: the parts the site and print resolve the same way.

Only the materials list is shared for now. Site, print and 我的清单 keep their own view of
the rest of a service, for reasons of their medium:
- the site hands the typed ``Service`` to Jinja, whose templates test ``is_pending`` and
  mark up each 待核实 with its note;
- print flattens a service into ``printing.model.ServiceView``, where ``Unknown`` keeps
  every 待核实 visible on paper and long notes are cut to fit a flyer;
- 我的清单 sends plain JSON to ``app.js``, which merges the lists in the browser.
One view model for all three would rewrite three sets of templates and ``app.js`` at once.
The materials list is where they had drifted (how a shared material's name, issuer and
note are found), so it is resolved here; fee items share ``wording.fee_item``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Material, Service, is_pending


@dataclass(frozen=True)
class ShownMaterial:
    key: str  # stable per service and material: the site's tick-box key
    name: str
    issuer: str | None
    note: str | None  # this service's own note
    shared_note: str | None  # the shared material's note (``materials:`` registry)
    originals: int | None
    copies: int | None
    required: bool
    condition: str | None


def materials(s: Service, registry: dict[str, Material]) -> list[ShownMaterial]:
    """The materials of ``s`` with shared ones (``ref``) resolved; empty when they are 待核实."""
    if is_pending(s.materials):
        return []
    rows = []
    for i, m in enumerate(s.materials):
        shared = registry.get(m.ref) if m.ref else None
        rows.append(ShownMaterial(
            key=f"{s.id}:{m.ref or i}",
            name=m.name or (shared.name if shared else m.ref or ""),
            issuer=m.issuer or (shared.issuer if shared else None),
            note=m.note,
            shared_note=shared.note if shared else None,
            originals=m.originals,
            copies=m.copies,
            required=m.required,
            condition=m.condition,
        ))
    return rows
