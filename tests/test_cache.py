"""The content-addressed cache: keys change with any input, damaged entries are misses, prune keeps one run."""

from __future__ import annotations

from generator.cache import Store, cache_root, digest, file_digest


def test_digest_separates_parts_and_sees_every_input():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest(b"x") != digest(b"y")


def test_file_digest_sees_content_and_name(tmp_path):
    a, b = tmp_path / "a.css", tmp_path / "b.css"
    a.write_text("x"), b.write_text("x")
    before = file_digest([a])
    assert file_digest([b]) != before
    a.write_text("y")
    assert file_digest([a]) != before


def test_round_trip_and_damage_is_a_miss(tmp_path):
    store = Store(tmp_path)
    store.put("ab12", b"<html>")
    assert Store(tmp_path).get("ab12") == b"<html>"
    entry = tmp_path / "ab" / "ab12"
    entry.write_bytes(entry.read_bytes()[:-1] + b"!")
    fresh = Store(tmp_path)
    assert fresh.get("ab12") is None and fresh.misses == 1
    assert not entry.exists()


def test_prune_keeps_only_what_this_run_used(tmp_path):
    Store(tmp_path).put("aa01", b"1")
    Store(tmp_path).put("bb02", b"2")
    run = Store(tmp_path)
    assert run.get("aa01") == b"1"
    run.put("cc03", b"3")
    assert run.prune() == 1
    assert Store(tmp_path).get("bb02") is None
    assert Store(tmp_path).get("cc03") == b"3"


def test_off_and_override(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDE_CACHE_DIR", "off")
    assert cache_root(tmp_path) is None
    off = Store(None)
    off.put("aa01", b"1")
    assert off.get("aa01") is None and not off.enabled
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "c"))
    assert cache_root(tmp_path) == tmp_path / "c"
    monkeypatch.delenv("GUIDE_CACHE_DIR")
    assert cache_root(tmp_path) == tmp_path / ".cache" / "guide"


def test_keep_marks_a_stored_entry_of_that_size_without_reading_it(tmp_path):
    Store(tmp_path).put("k", b"data")
    store = Store(tmp_path)
    assert not store.keep("k", 5) and not store.keep("missing", 4)
    assert store.keep("k", 4)
    Store(tmp_path).put("other", b"x")
    assert store.prune() == 1
    assert Store(tmp_path).get("k") == b"data" and Store(tmp_path).get("other") is None
    assert not Store(None).keep("k", 4)


def test_a_failed_write_is_no_error_and_a_killed_runs_leftover_goes_at_the_prune(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    store = Store(blocked)
    store.put("k", b"data")  # its folder can't be made: the build goes on without the entry
    assert store.get("k") is None
    store = Store(tmp_path / "cache")
    store.put("k", b"data")
    leftover = tmp_path / "cache" / "k"[:2] / ".other.12345.tmp"
    leftover.write_bytes(b"half")
    assert [p.name for p in (tmp_path / "cache").rglob("*.tmp")] == [leftover.name]
    store.prune()
    assert not leftover.exists() and Store(tmp_path / "cache").get("k") == b"data"
