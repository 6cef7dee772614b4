"""Helpers shared by the print tests (a unique module name: conftest.py is not importable safely)."""

from __future__ import annotations

from support import CATALOG, REPO, run  # noqa: F401  (the print tests' names for the shared helpers)
