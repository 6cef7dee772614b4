"""Atomic writes: the file is whole or as it was, and no temporary stays behind."""

from __future__ import annotations

import pytest

from generator.files import atomic_write


def test_writes_into_a_new_folder_and_replaces(tmp_path):
    path = tmp_path / "a" / "b" / "page.html"
    atomic_write(path, "护照")
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in path.parent.iterdir()) == ["page.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "page.html"
    atomic_write(path, "old")
    with pytest.raises(TypeError):
        atomic_write(path, 42)  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
