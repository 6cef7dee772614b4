"""``guide check``: every problem of a catalog at once, located, with a summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import diagnostics
from .catalog import parse_file
from .diagnostics import Diagnostic
from .rules import count_pending, run_rules


@dataclass
class Report:
    path: str
    diagnostics: list[Diagnostic]
    services: int
    pending: int

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
    return Report(loaded.path, diagnostics.sort(found), services, pending)
