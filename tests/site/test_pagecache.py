"""Incremental builds: with the cache, ``guide build`` renders only pages whose inputs changed,
and its output is byte-for-byte a clean build's, whatever changed (catalog, template, damage)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from generator.cache import Store
from generator.site.build import build_site

from site_support import assert_same_tree, copy_project, tree

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "proj")



def build(proj: Path, out: Path, store: Store | None, caplog) -> tuple[dict[str, bytes], list[str]]:
    """The built files, and the pages the theme rendered (all of them without a store)."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.guide"):
        build_site(proj, out, catalog=proj / "data" / "services.yaml", store=store)
    found = [r.getMessage() for r in caplog.records if r.getMessage().startswith("page cache:")]
    assert len(found) == 1
    rendered = eval(found[0].split("rendering ", 1)[1])  # a list literal of src_uris
    return tree(out), rendered



def test_unchanged_rebuild_renders_nothing_and_equals_a_clean_build(project, tmp_path, caplog):
    clean, rendered_clean = build(project, tmp_path / "clean", None, caplog)
    assert len(rendered_clean) > 40
    cold, rendered_cold = build(project, tmp_path / "cold", Store(tmp_path / "cache"), caplog)
    assert rendered_cold == rendered_clean
    warm, rendered_warm = build(project, tmp_path / "warm", Store(tmp_path / "cache"), caplog)
    assert rendered_warm == []
    # The warm build is the first to compile the one-line template of stored pages; then nothing.
    store = Store(tmp_path / "cache")
    again, _ = build(project, tmp_path / "again", store, caplog)
    assert store.misses == 0 and store.hits > len(rendered_clean)
    assert_same_tree(again, clean)
    assert_same_tree(cold, clean)
    assert_same_tree(warm, clean)


def edit(project: Path, old: str, new: str) -> None:
    path = project / "data" / "services.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_one_service_edit_renders_only_its_pages(project, tmp_path, caplog):
    build(project, tmp_path / "first", Store(tmp_path / "cache"), caplog)
    edit(project, "summary: 公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。",
         "summary: 公安机关出入境管理机构为因留学等非公务原因出国的中国公民签发普通护照。")
    warm, rendered = build(project, tmp_path / "warm", Store(tmp_path / "cache"), caplog)
    clean, everything = build(project, tmp_path / "clean", None, caplog)
    assert_same_tree(warm, clean)
    assert "services/passport/index.md" in rendered
    assert "about.md" not in rendered and "services/hk-macau-permit/index.md" not in rendered
    assert len(rendered) < len(everything) / 4


def test_a_renamed_service_equals_a_clean_build(project, tmp_path, caplog):
    """A name is in the menus, the neighbours' footer links and other pages: all must follow."""
    build(project, tmp_path / "first", Store(tmp_path / "cache"), caplog)
    text = (project / "data" / "services.yaml").read_text(encoding="utf-8")
    name = re.search(r"  - id: passport\n(?:    .*\n)*?    name: (.+)\n", text).group(1)
    edit(project, f"    name: {name}\n", f"    name: {name}(因私)\n")
    warm, rendered = build(project, tmp_path / "warm", Store(tmp_path / "cache"), caplog)
    clean, _ = build(project, tmp_path / "clean", None, caplog)
    assert_same_tree(warm, clean)
    assert "services/passport/index.md" in rendered


def test_a_changed_template_or_stylesheet_renders_again(project, tmp_path, caplog):
    _, everything = build(project, tmp_path / "first", Store(tmp_path / "cache"), caplog)
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8")
    _, rendered = build(project, tmp_path / "template", Store(tmp_path / "cache"), caplog)
    assert sorted(rendered) == sorted(everything)
    css = project / "overrides" / "assets" / "stylesheets" / "guide.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    warm, rendered = build(project, tmp_path / "css", Store(tmp_path / "cache"), caplog)
    assert sorted(rendered) == sorted(everything)
    clean, _ = build(project, tmp_path / "clean", None, caplog)
    assert_same_tree(warm, clean)


def test_damaged_entries_are_rendered_again(project, tmp_path, caplog):
    clean, everything = build(project, tmp_path / "clean", Store(tmp_path / "cache"), caplog)
    for entry in (tmp_path / "cache").rglob("*"):
        if entry.is_file():
            data = entry.read_bytes()
            entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    again, rendered = build(project, tmp_path / "again", Store(tmp_path / "cache"), caplog)
    assert sorted(rendered) == sorted(everything)
    assert_same_tree(again, clean)
