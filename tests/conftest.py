"""Shared helpers: the repository's paths and small catalogs edited from a valid one."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "data" / "services.yaml"
MINIMAL = REPO / "tests" / "fixtures" / "minimal.yaml"


def edited(text: str, old: str, new: str, count: int = 1) -> str:
    """``text`` with ``old`` replaced; fails loudly when ``old`` is not there, so a test can't pass vacuously."""
    assert text.count(old) >= count, f"fixture text not found: {old!r}"
    return text.replace(old, new, count)


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


@pytest.fixture
def write(tmp_path):
    """Write catalog text (str or bytes) to a temp file and return its path."""

    def _write(content: str | bytes, name: str = "services.yaml") -> Path:
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p

    return _write
