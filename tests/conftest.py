"""Shared fixtures: small catalogs written to temp files."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_support import MINIMAL


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
