"""The shipped catalog printed once per session (draft)."""

from __future__ import annotations

import pytest
from printhelp import CATALOG

from generator.catalog import load
from generator.printing.build import print_all


@pytest.fixture(scope="session")
def catalog():
    return load(CATALOG)


@pytest.fixture(scope="session")
def printed(catalog, tmp_path_factory):
    """(out_dir, manifest) of the shipped catalog printed as draft."""
    out = tmp_path_factory.mktemp("print") / "print"
    manifest = print_all(catalog, out, draft=True)
    return out, manifest
