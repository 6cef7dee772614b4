"""Fixture catalogs for the site tests, made by text edits of the shipped catalog
(the loader stays the only YAML parser)."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import REPO as ROOT  # noqa: E402
SHIPPED = ROOT / "data" / "services.yaml"
RETIRED_ID = "literature-search"
REPLACEMENT_ID = "instrument-sharing"


def edit_service(text: str, sid: str, lines: list[str]) -> str:
    """Insert ``lines`` (service-level keys) right after ``- id: <sid>``."""
    anchor = f"  - id: {sid}\n"
    assert text.count(anchor) == 1, sid
    return text.replace(anchor, anchor + "".join(f"    {line}\n" for line in lines))


def retired_catalog(path: Path) -> Path:
    """The shipped catalog with one service retired and replaced."""
    text = SHIPPED.read_text(encoding="utf-8")
    text = edit_service(text, RETIRED_ID, [
        "status: retired",
        f"replaced_by: {REPLACEMENT_ID}",
        "retired_on: 2026-11-01",
        "retired_note: 本事项已并入大型科研仪器共享服务。",
    ])
    path.write_text(text, encoding="utf-8")
    return path


def hostile_catalog(path: Path) -> Path:
    """The shipped catalog with markup and a javascript: link in service text."""
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("summary: 公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。",
                        "summary: <script>alert(1)</script>签发普通护照。", 1)
    text = text.replace("keywords: [办护照,", 'keywords: ["javascript:alert(1)", 办护照,', 1)
    path.write_text(text, encoding="utf-8")
    return path


def copy_project(dest: Path) -> Path:
    """A copy of the project (pages, theme, catalog, config) at ``dest``, for builds that may break it."""
    dest.mkdir()
    for name in ("content", "overrides", "data"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []
