"""The one loader: YAML file -> located document -> schema -> rules, written once.

``check`` reads a catalog and reports every problem (``guide check``, ``guide diff``,
``guide pending`` and the build's own check); ``load`` is the same pipeline for the outputs:
a valid, typed ``Catalog`` or ``CatalogError``. The site, print and the change report all
read the catalog through here; none of them parses YAML on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import diagnostics
from .diagnostics import Diagnostic
from .errors import GuideError
from .located import Loaded, parse_file
from .rules import count_pending, run_rules
from .schema import Catalog


class CatalogError(GuideError):
    """The catalog cannot be used; ``diagnostics`` says where and why, in Chinese (exit 1)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.text() for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass
class Report:
    path: str
    diagnostics: list[Diagnostic]
    services: int
    pending: int
    loaded: Loaded | None = field(default=None, repr=False, compare=False)  # what was read, for locating

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)

    def summary(self) -> str:
        verdict = "未通过" if self.errors else "通过"
        return (
            f"{self.path}: 检查{verdict}:{self.services} 个事项,"
            f"{self.errors} 个错误,{self.warnings} 个警告,{self.pending} 项要素待核实"
        )


def check(path: str | Path, display: str | None = None, today: dt.date | None = None) -> Report:
    """Validate the catalog at ``path`` against the schema and every rule."""
    loaded = parse_file(path, display)
    found = list(loaded.diagnostics)
    services = pending = 0
    if loaded.catalog is not None:
        found.extend(run_rules(loaded, today))
        services = len(loaded.catalog.services)
        pending = count_pending(loaded)
    elif loaded.document is not None:
        raw = loaded.document.data.get("services")
        services = len(raw) if isinstance(raw, list) else 0
    return Report(loaded.path, diagnostics.sort(found), services, pending, loaded)


def load(path: str | Path = "data/services.yaml") -> Catalog:
    """The validated catalog, or ``CatalogError`` with every located problem (rules included)."""
    report = check(path)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    catalog = report.loaded.catalog if report.loaded is not None else None
    if errors or catalog is None:
        raise CatalogError(errors)
    return catalog
