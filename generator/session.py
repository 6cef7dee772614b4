"""A loading session: ``check`` and ``load`` again and again on a catalog being edited, redoing only
what changed since the previous call (for ``guide serve``'s live preview).

Each call gives exactly what ``catalog.check`` / ``catalog.load`` give for the file as it is now.
The file is cut into its services and the rest (``layout.split``); a piece read before with the
same text is reused, its line numbers shifted when lines above it moved; a service's schema
validation and its share of every rule (``rules.PARTS``) are kept with it, rules that read more
than one service are run again. Whenever a cut is not certain the whole file is read again, as
on the first call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from . import diagnostics, layout, yamlsource
from .catalog import CatalogError, Report
from .diagnostics import MAX_REPORTED, Diagnostic
from .located import Loaded, validate
from .rules import PARTS, RULES, capped, count_pending
from .schema import Catalog, Service


class _Unsafe(Exception):
    """The pieces would not read as the whole file does: read the whole file."""


@dataclass
class _RuleCache:
    """One rule's findings per service at the previous call, and what they were found under."""

    context: object
    parts: frozenset[yamlsource.Part]  # every service's part, findings or not
    found: dict[yamlsource.Part, tuple[int, list[Diagnostic]]]  # part -> (its shift, its findings), when any


class Session:
    """``check`` and ``load`` that remember the previous call.

    ``changed`` after each call: the ids of the services whose text changed, that were added or
    removed since the previous call (an empty set when none did), or None when anything else may
    have changed: the first call, a change outside ``services``, a new order of the services, or a
    file that had to be read whole again.
    """

    def __init__(self) -> None:
        self.changed: set[str] | None = None
        self._pieces: dict[str, tuple[yamlsource.Part, int]] = {}  # item text -> (part, line its positions count from)
        self._outer: tuple[str, yamlsource.Document] | None = None
        self._warm = False  # a call has read the file: pieces may be reused
        # the previous call's text around the services, and each service's (id, text)
        self._before: tuple[tuple[str, str], list[tuple[str, str]]] | None = None
        self._rules: dict[str, _RuleCache] = {}
        self._shown: str | None = None
        self._last: tuple[str, str, dt.date, Report] | None = None  # (text, shown, today, report)

    def load(self, path: str | Path = "data/services.yaml") -> Catalog:
        """The validated catalog, or ``CatalogError`` with every located problem (as ``catalog.load``)."""
        report = self.check(path)
        errors = [d for d in report.diagnostics if d.severity == "error"]
        catalog = report.loaded.catalog if report.loaded is not None else None
        if errors or catalog is None:
            raise CatalogError(errors)
        return catalog

    def check(self, path: str | Path, display: str | None = None, today: dt.date | None = None) -> Report:
        """What ``catalog.check(path, display, today)`` reports, redoing only what changed."""
        path = Path(path)
        shown = display or str(path)
        today = today or dt.date.today()
        try:
            text = yamlsource.read_text(path)
        except yamlsource.SourceError as exc:
            return self._unreadable(shown, exc)
        if self._last is not None and self._last[:3] == (text, shown, today):
            self.changed = set()
            return self._last[3]
        if shown != self._shown:
            self._rules.clear()
            self._shown = shown
        cut = layout.split(text)
        document = None
        if cut is not None and self._warm:
            try:
                document = self._assemble(text, cut)
            except _Unsafe:
                document = None
        whole = document is None
        if whole:
            try:
                with yamlsource.gc_paused():
                    document = yamlsource.parse(text)
            except yamlsource.SourceError as exc:
                return self._unreadable(shown, exc)
            self._remember(document, cut)
        assert document is not None
        now = _services(document, cut)
        self.changed = None if whole else _changes(self._before, now)
        self._before = now
        report = self._report(document, shown, today, whole)
        self._last = (text, shown, today, report)
        return report

    def _unreadable(self, shown: str, exc: yamlsource.SourceError) -> Report:
        """As ``catalog.check`` reports a file that cannot be read; what was read before stays kept."""
        self.changed, self._before, self._last = None, None, None
        d = Diagnostic(shown, exc.mark.line, exc.mark.column, "error", exc.rule, exc.message)
        return Report(shown, [d], 0, 0, Loaded(None, None, shown, [d]))

    # ---------------------------------------------------------------- reading

    def _assemble(self, text: str, cut: layout.Layout) -> yamlsource.Document:
        """The document read piece by piece: pieces seen before are reused, new ones parsed alone."""
        outer = self._outer_document(cut)
        pieces: dict[str, tuple[yamlsource.Part, int]] = {}
        items: list[tuple[yamlsource.Part, int]] = []
        total = len(outer.root.paths)
        for line, piece in cut.items:
            known = pieces.get(piece) or self._pieces.get(piece)
            if known is None:
                try:
                    known = (yamlsource.parse_item(piece), 0)
                except yamlsource.SourceError:
                    raise _Unsafe from None  # the whole file's reading says where and why
            pieces[piece] = known
            part, base = known
            items.append((part, line - base))
            total += len(part.paths)
        if total > yamlsource.MAX_NODES:
            raise _Unsafe  # the whole file's reading says where the limit is crossed
        self._pieces = pieces
        self._warm = True
        root = yamlsource.Part()
        root.index, root.keys = outer.root.index, outer.root.keys
        at = root.index[(yamlsource.SERVICES,)]
        root.starts = outer.root.starts[:]
        root.starts[at] = (cut.items[0][0] << yamlsource.LINE_BITS) | cut.indent  # the first item's "-"
        services = [part.values[0] for part, _ in items]
        root.paths, root.values = outer.root.paths, list(outer.root.values)
        root.values[at] = services
        data = dict(outer.data)
        data[yamlsource.SERVICES] = services
        root.values[0] = data
        return yamlsource.Document(data, text, root, items)

    def _outer_document(self, cut: layout.Layout) -> yamlsource.Document:
        """The file less its services, parsed once per text; it must show ``services:`` empty at its line."""
        if self._outer is not None and self._outer[0] == cut.outer:
            return self._outer[1]
        try:
            outer = yamlsource.parse(cut.outer)
        except yamlsource.SourceError:
            raise _Unsafe from None
        key = (yamlsource.SERVICES,)
        if (
            outer.data.get(yamlsource.SERVICES, 0) is not None
            or outer.root.key(key) != cut.key_line << yamlsource.LINE_BITS
            or outer.items
        ):
            raise _Unsafe
        self._outer = (cut.outer, outer)
        return outer

    def _remember(self, document: yamlsource.Document, cut: layout.Layout | None) -> None:
        """After reading the whole file: keep each service's part under its text, when the cut matches
        the reading (one part per piece, each lying within its piece's lines)."""
        self._pieces, self._outer, self._warm = {}, None, True
        if cut is None or len(document.items) != len(cut.items):
            return
        bounds = [line for line, _ in cut.items] + [None]
        pieces: dict[str, tuple[yamlsource.Part, int]] = {}
        for i, (part, _) in enumerate(document.items):
            first, stop = bounds[i], bounds[i + 1]
            keys = [k for k in part.keys if k >= 0]
            low, high = min(part.starts, default=0), max(part.starts, default=0)
            if keys:
                low, high = min(low, min(keys)), max(high, max(keys))
            if low >> yamlsource.LINE_BITS < first or (stop is not None and high >> yamlsource.LINE_BITS >= stop):
                return
            pieces.setdefault(cut.items[i][1], (part, first))
        self._pieces = pieces

    # ---------------------------------------------------------------- checking

    def _report(self, document: yamlsource.Document, shown: str, today: dt.date, whole: bool) -> Report:
        if whole:
            loaded = validate(document, shown)
            if loaded.catalog is not None:  # the same validation, kept with each service for the next call
                for (part, _), service in zip(document.items, loaded.catalog.services):
                    part.memo["service"] = service
        else:
            loaded = _validate(document, shown)
        found = list(loaded.diagnostics)
        services = pending = 0
        if loaded.catalog is not None:
            found.extend(self._run_rules(loaded, today))
            services = len(loaded.catalog.services)
            pending = count_pending(loaded)
        else:
            raw = document.data.get("services")
            services = len(raw) if isinstance(raw, list) else 0
        return Report(shown, diagnostics.sort(found), services, pending, loaded)

    def _run_rules(self, loaded: Loaded, today: dt.date) -> list[Diagnostic]:
        """``rules.run_rules``: each service's share of a rule kept while its part and the rule's context are."""
        assert loaded.document is not None
        items = loaded.document.items
        shift_of = {part: shift for part, shift in items}
        if len(shift_of) != len(items):  # a service written twice, word for word: one part, two places
            self._rules.clear()
            return [d for run in RULES.values() for d in capped(run(loaded, today))]
        parts_now = frozenset(shift_of)
        fresh: dict[int, list[int]] = {}  # id of a previous call's parts -> the services not among them
        out: list[Diagnostic] = []
        for rule_id, run in RULES.items():
            parts = PARTS.get(rule_id)
            if parts is None:
                out.extend(capped(run(loaded, today)))
                continue
            context = parts.context(loaded, today)
            cache = self._rules.get(rule_id)
            found = list(parts.whole(loaded, today))
            kept: dict[yamlsource.Part, tuple[int, list[Diagnostic]]] = {}
            if cache is not None and cache.context == context:
                for part, (shift, diags) in cache.found.items():
                    now = shift_of.get(part)
                    if now is not None:
                        kept[part] = (now, diags if now == shift else [_moved(d, now - shift) for d in diags])
                if id(cache.parts) not in fresh:
                    fresh[id(cache.parts)] = [i for i, (part, _) in enumerate(items) if part not in cache.parts]
                new = fresh[id(cache.parts)]
            else:
                new = range(len(items))
            for i in new:
                part, shift = items[i]
                diags = list(parts.each(loaded, today, i))
                if diags:
                    kept[part] = (shift, diags)
            for _, diags in kept.values():
                found.extend(diags)
            self._rules[rule_id] = _RuleCache(context, parts_now, kept)
            if len(found) > MAX_REPORTED:
                found = capped(run(loaded, today))  # which ones are listed depends on the rule's own order
            out.extend(found)
        return out


def _moved(d: Diagnostic, lines: int) -> Diagnostic:
    return Diagnostic(d.path, d.line + lines, d.column, d.severity, d.rule, d.message)


def _services(document: yamlsource.Document,
              cut: layout.Layout | None) -> tuple[tuple[str, str], list[tuple[str, str]]] | None:
    """The text outside the services, and each service's (id, text), when the file was cut."""
    if cut is None or len(cut.items) != len(document.items):
        return None
    out = []
    for (part, _), (_, piece) in zip(document.items, cut.items):
        item = part.values[0]
        sid = item.get("id") if isinstance(item, dict) else None
        out.append((sid if isinstance(sid, str) else "", piece))
    return cut.around, out


def _changes(before: tuple[tuple[str, str], list[tuple[str, str]]] | None,
             now: tuple[tuple[str, str], list[tuple[str, str]]] | None) -> set[str] | None:
    """Ids of the services changed, added or removed; None when more than services changed."""
    if before is None or now is None or before[0] != now[0]:
        return None
    old, new = dict(before[1]), dict(now[1])
    if len(old) != len(before[1]) or len(new) != len(now[1]):
        return None  # ids not unique (or missing): nothing finer can be said
    kept = [sid for sid, _ in now[1] if sid in old]
    if kept != [sid for sid, _ in before[1] if sid in new]:
        return None  # the order changed
    return {sid for sid in old.keys() | new.keys() if old.get(sid) != new.get(sid)}


def _validate(document: yamlsource.Document, shown: str) -> Loaded:
    """``located.validate``, each service's validation kept with its part; any failure is left to
    ``located.validate`` so the errors are exactly its errors."""
    services = []
    for part, _ in document.items:
        memo = part.memo
        if "service" not in memo:
            try:
                memo["service"] = Service.model_validate(part.values[0])
            except ValidationError:
                memo["service"] = None
        if memo["service"] is None:
            return validate(document, shown)
        services.append(memo["service"])
    try:  # the services are models already: few new objects, no need to pause (and freeze) the collector
        catalog = Catalog.model_validate({**document.data, "services": services})
    except ValidationError:
        return validate(document, shown)
    return Loaded(catalog, document, shown, [])
