"""The shipped catalog printed once per session (draft, at a real-looking address)."""

from __future__ import annotations

import pytest
from printhelp import CATALOG

from generator.catalog import load
from generator.printing.build import print_all


PUBLISHED_URL = "https://liuxue.weihai.gov.cn"


@pytest.fixture(scope="session")
def shipped():
    """The shipped catalog as it is: its site address is a placeholder, so nothing gets a QR code."""
    return load(CATALOG)


@pytest.fixture(scope="session")
def catalog(shipped):
    """The shipped catalog at a real-looking address, so its QR codes are printed and decoded."""
    return shipped.model_copy(update={"meta": shipped.meta.model_copy(update={"site_url": PUBLISHED_URL})})


@pytest.fixture(scope="session")
def printed(catalog, tmp_path_factory):
    """(out_dir, manifest) of the shipped catalog printed as draft."""
    out = tmp_path_factory.mktemp("print") / "print"
    manifest = print_all(catalog, out, draft=True)
    return out, manifest
