"""Located findings and the three ways they are printed (text, JSON, GitHub annotations)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]

# Findings listed per kind (schema, or one rule). A flood says nothing more than its first thousand, and
# building two million located messages took minutes and gigabytes; the rest are counted, not listed.
MAX_REPORTED = 1000


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str

    def text(self) -> str:
        return one_line(f"{self.path}:{self.line}:{self.column}: {self.severity}: [{self.rule}] {self.message}")

    def github(self) -> str:
        level = "error" if self.severity == "error" else "warning"
        return workflow_command(
            level, f"[{self.rule}] {self.message}", file=self.path, line=str(self.line), col=str(self.column)
        )


# Line breaks and control characters in catalog text would start new log lines, and CI runners read
# any line beginning with "::" as a command (::add-mask::, ::error::): show them as escapes instead.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(s: str) -> str:
    """``s`` on one line: every control character or line separator written as a visible escape."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), s)


def _gh_escape(s: str) -> str:
    return one_line(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def workflow_command(name: str, message: str, **properties: str) -> str:
    """A GitHub Actions workflow command (``::error file=…::message``) that no text can break out of."""
    props = ",".join(f"{k}={_gh_property(v)}" for k, v in properties.items())
    return f"::{name}{' ' + props if props else ''}::{_gh_escape(message)}"


def sort(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order, then errors before warnings at the same place; duplicates dropped."""
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.column, d.severity != "error", d.rule, d.message))


def render(diags: list[Diagnostic], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(d) for d in diags], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in diags)
    return "\n".join(d.text() for d in diags)
