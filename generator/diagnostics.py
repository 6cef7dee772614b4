"""Located findings and the three ways they are printed (text, JSON, GitHub annotations)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: [{self.rule}] {self.message}"

    def github(self) -> str:
        level = "error" if self.severity == "error" else "warning"
        msg = _gh_escape(f"[{self.rule}] {self.message}")
        return f"::{level} file={self.path},line={self.line},col={self.column}::{msg}"


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def sort(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order, then errors before warnings at the same place; duplicates dropped."""
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.column, d.severity != "error", d.rule, d.message))


def render(diags: list[Diagnostic], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(d) for d in diags], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in diags)
    return "\n".join(d.text() for d in diags)
