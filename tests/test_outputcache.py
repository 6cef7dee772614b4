"""The output cache: a saved output comes back byte for byte, or not at all (then the caller builds)."""

from __future__ import annotations

import os
from pathlib import Path

from generator.outputcache import OutputCache

from site_support import assert_same_tree, tree


def make_output(folder: Path, marker: str = "a") -> Path:
    """A small output: nested files, a duplicate content, an empty folder, a dot file."""
    (folder / "x" / "y").mkdir(parents=True)
    (folder / "empty").mkdir()
    (folder / "index.html").write_text(f"<p>{marker}</p>", encoding="utf-8")
    (folder / "x" / "a.js").write_bytes(b"same")
    (folder / "x" / "y" / "b.js").write_bytes(b"same")
    (folder / ".guide-output").write_text("marker\n", encoding="utf-8")
    return folder


def entries(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()]


def dirs(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir())


def test_a_saved_output_is_restored_byte_for_byte_with_its_notes(tmp_path):
    made = make_output(tmp_path / "made")
    cache = OutputCache(tmp_path / "cache")
    assert cache.save("k1", {"site": made}, ["离线版:site-offline/"])
    assert len(entries(tmp_path / "cache")) == 4  # the manifest and three distinct contents
    target = tmp_path / "site"
    restored = cache.restore("k1", {"site": target})
    assert restored is not None
    assert restored.notes == ["离线版:site-offline/"]
    assert restored.files["site"] == sorted(tree(made))
    assert_same_tree(tree(target), tree(made))
    assert dirs(target) == dirs(made)  # the empty folder too


def test_an_unknown_key_or_another_set_of_folders_is_a_miss(tmp_path):
    cache = OutputCache(tmp_path / "cache")
    cache.save("k1", {"site": make_output(tmp_path / "made")}, [])
    assert cache.restore("k2", {"site": tmp_path / "site"}) is None
    assert cache.restore("k1", {"site": tmp_path / "site", "offline": tmp_path / "off"}) is None
    assert not (tmp_path / "site").exists() and not (tmp_path / "off").exists()


def test_a_target_holding_other_bytes_or_an_extra_file_is_replaced(tmp_path):
    made = make_output(tmp_path / "made")
    cache = OutputCache(tmp_path / "cache")
    cache.save("k", {"site": made}, [])
    target = make_output(tmp_path / "site", marker="b")
    (target / "stale.html").write_text("old", encoding="utf-8")
    assert cache.restore("k", {"site": target}) is not None
    assert_same_tree(tree(target), tree(made))
    # Once in place, the same output is left as it is (no copy written and removed).
    inode = (target / "index.html").stat().st_ino
    assert cache.restore("k", {"site": target}) is not None
    assert (target / "index.html").stat().st_ino == inode
    assert_same_tree(tree(target), tree(made))


def test_a_damaged_or_missing_entry_is_a_miss_and_leaves_the_target(tmp_path):
    made = make_output(tmp_path / "made")
    cache = OutputCache(tmp_path / "cache")
    cache.save("k", {"site": made}, [])
    target = make_output(tmp_path / "site", marker="old")
    before = tree(target)
    blob = next(p for p in entries(tmp_path / "cache") if p.read_bytes().endswith(b"same"))
    raw = bytearray(blob.read_bytes())
    raw[-1] ^= 1
    blob.write_bytes(bytes(raw))
    assert cache.restore("k", {"site": target}) is None
    assert tree(target) == before
    assert not blob.exists()  # dropped when read, so the next save stores it again
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []  # no staging left
    assert cache.save("k", {"site": made}, [])
    assert cache.restore("k", {"site": target}) is not None
    assert_same_tree(tree(target), tree(made))


def test_saving_keeps_only_the_last_output(tmp_path):
    cache_dir = tmp_path / "cache"
    for i in range(4):
        made = make_output(tmp_path / f"made{i}", marker=str(i))
        OutputCache(cache_dir).save(f"k{i}", {"site": made}, [])
    assert len(entries(cache_dir)) == 4  # one manifest and its three contents
    assert OutputCache(cache_dir).restore("k2", {"site": tmp_path / "site"}) is None
    assert OutputCache(cache_dir).restore("k3", {"site": tmp_path / "site"}) is not None
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "<p>3</p>"


def test_a_link_in_the_output_is_not_saved(tmp_path):
    made = make_output(tmp_path / "made")
    os.symlink(tmp_path / "made" / "index.html", made / "link.html")
    cache = OutputCache(tmp_path / "cache")
    assert not cache.save("k", {"site": made}, [])
    assert cache.restore("k", {"site": tmp_path / "site"}) is None


def test_off_saves_and_restores_nothing(tmp_path):
    cache = OutputCache(None)
    assert not cache.enabled
    assert not cache.save("k", {"site": make_output(tmp_path / "made")}, [])
    assert cache.restore("k", {"site": tmp_path / "site"}) is None
