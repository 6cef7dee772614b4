"""Paths of the repository and a strict text edit for building catalogs from a valid one."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "data" / "services.yaml"
MINIMAL = REPO / "tests" / "fixtures" / "minimal.yaml"


def edited(text: str, old: str, new: str, count: int = 1) -> str:
    """``text`` with ``old`` replaced; fails loudly when ``old`` is not there, so a test can't pass vacuously."""
    assert text.count(old) >= count, f"fixture text not found: {old!r}"
    return text.replace(old, new, count)
