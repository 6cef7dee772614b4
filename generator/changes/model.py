"""What a change report holds: classified changes, the reprint list and the new catalog's check errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..diagnostics import Diagnostic

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "说明"}

# Where a change is: a service, or a shared part of the catalog.
Area = Literal["service", "meta", "department", "stage", "category", "material", "source", "question", "order"]


@dataclass(frozen=True)
class Change:
    severity: Severity
    area: Area
    key: str  # the id of the service / department / … ("" for meta and order)
    field: str  # the element, e.g. "materials", "time_limits.committed", "service", "owner"
    label: str  # the element in Chinese, e.g. 申请材料
    message: str  # what changed, in Chinese, old → new
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True)
class Flyer:
    service: str
    name: str
    reasons: tuple[str, ...]  # element labels, or 新增事项
    path: str = ""  # the print engine's file name, e.g. flyers/passport.pdf


@dataclass(frozen=True)
class Chart:
    """A 业务流程图 on paper: ``guide print --charts`` writes ``charts/<key>.pdf`` (key: a service id or journey)."""

    key: str
    name: str
    reasons: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"charts/{self.key}.pdf"


@dataclass
class Reprint:
    flyers: list[Flyer] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)  # 业务流程图 whose drawing changed
    withdrawn: list[Flyer] = field(default_factory=list)  # flyers of services no longer active
    posters: list[str] = field(default_factory=list)  # reasons; empty: posters unchanged
    booklet: list[str] = field(default_factory=list)  # affected parts and services; empty: unchanged

    # The print engine's file names (``printing.build.plan_jobs``), so a new poster size is named here too.
    poster_files: list[str] = field(default_factory=list)
    booklet_file: str = ""

    @property
    def empty(self) -> bool:
        return not (self.flyers or self.charts or self.withdrawn or self.posters or self.booklet)


@dataclass
class ChangeReport:
    old_label: str
    new_label: str
    old_version: str
    new_version: str
    author: str | None
    changes: list[Change]
    names: dict[str, str]  # service id -> name (new catalog first, then old)
    departments: dict[str, str]  # service id -> department short name
    reprint: Reprint
    checks: list[Diagnostic] = field(default_factory=list)  # errors of the new catalog (rules)
    lines: dict[str, str] = field(default_factory=dict)  # service id -> where it is, e.g. 第 43 行

    def count(self, severity: Severity) -> int:
        n = sum(c.severity == severity for c in self.changes)
        if severity == "error":
            n += len(self.checks)
        return n

    @property
    def failed(self) -> bool:
        return self.count("error") > 0
