"""``guide serve``: an edit updates only the pages it reaches, and the preview then equals a
full build of the edited catalog, byte for byte; a bad edit keeps the last good preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site.build import mkdocs_build
from generator.site.incremental import changed_services
from generator.site.preview import Preview

from site_support import ROOT, assert_same_tree, copy_project, tree

SUMMARY = "summary: 公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "proj")



def edit(catalog: Path, old: str, new: str) -> None:
    text = catalog.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    catalog.write_text(text.replace(old, new), encoding="utf-8")


def full_build(project: Path, out: Path) -> dict[str, bytes]:
    mkdocs_build(project, out, catalog=project / "data" / "services.yaml", preview=True)
    return tree(out)



@pytest.fixture
def preview(project, tmp_path, monkeypatch) -> Preview:
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "cache"))
    p = Preview(project, project / "data" / "services.yaml", tmp_path / "preview", say=lambda line: None)
    assert "全部页面" in p.update()
    return p


def test_an_edit_rewrites_a_few_pages_and_equals_a_full_build(preview, project, tmp_path, monkeypatch):
    catalog = project / "data" / "services.yaml"
    before = tree(preview.site_dir)
    edit(catalog, SUMMARY, SUMMARY.replace("学习", "留学"))
    message = preview.update()
    assert re.search(r"预览已更新\((\d+) 个页面\)", message), message
    pages = int(re.search(r"(\d+) 个页面", message).group(1))
    assert 1 <= pages <= 6  # the service, and the lists that show its summary
    after = tree(preview.site_dir)
    assert after["services/passport/index.html"] != before["services/passport/index.html"]
    assert after["about/index.html"] == before["about/index.html"]
    monkeypatch.setenv("GUIDE_CACHE_DIR", "off")
    assert_same_tree(after, full_build(project, tmp_path / "full"))


def test_edits_in_a_row_stay_equal_to_a_full_build(preview, project, tmp_path, monkeypatch):
    """A step, then another service's fee wording, then back: each state as a full build has it."""
    catalog = project / "data" / "services.yaml"
    edit(catalog, SUMMARY, SUMMARY.replace("学习", "求学"))
    preview.update()
    text = catalog.read_text(encoding="utf-8")
    summaries = re.findall(r"\n    summary: (.+)\n", text)
    other = summaries[-1]
    edit(catalog, f"summary: {other}\n", f"summary: {other}(已更新)\n")
    assert "个页面" in preview.update()
    edit(catalog, SUMMARY.replace("学习", "求学"), SUMMARY)
    preview.update()
    monkeypatch.setenv("GUIDE_CACHE_DIR", "off")
    assert_same_tree(tree(preview.site_dir), full_build(project, tmp_path / "full"))


def test_a_rename_or_a_template_change_builds_everything(preview, project, tmp_path, monkeypatch):
    catalog = project / "data" / "services.yaml"
    text = catalog.read_text(encoding="utf-8")
    name = re.search(r"  - id: passport\n(?:    .*\n)*?    name: (.+)\n", text).group(1)
    edit(catalog, f"    name: {name}\n", f"    name: {name}(因私)\n")
    assert "全部页面" in preview.update()
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8")
    assert "全部页面" in preview.update()
    monkeypatch.setenv("GUIDE_CACHE_DIR", "off")
    assert_same_tree(tree(preview.site_dir), full_build(project, tmp_path / "full"))


def test_a_bad_edit_keeps_the_last_good_preview(preview, project):
    catalog = project / "data" / "services.yaml"
    said: list[str] = []
    preview.say = said.append
    before = tree(preview.site_dir)
    edit(catalog, SUMMARY, "summary: [未闭合")
    message = preview.update()
    assert "预览未更新" in message
    assert re.search(r"services\.yaml:\d+:\d+", "\n".join(said))
    assert tree(preview.site_dir) == before


def test_changed_services_tells_content_from_structure():
    from generator.catalog import load

    old = load(ROOT / "data" / "services.yaml")
    s = old.services[0]
    same_shape = old.model_copy(update={"services": [s.model_copy(update={"summary": s.summary + "。"}), *old.services[1:]]})
    assert changed_services(old, same_shape) == {s.id}
    renamed = old.model_copy(update={"services": [s.model_copy(update={"name": s.name + "甲"}), *old.services[1:]]})
    assert changed_services(old, renamed) is None
    reordered = old.model_copy(update={"services": [*old.services[1:], s]})
    assert changed_services(old, reordered) is None
    meta = old.model_copy(update={"meta": old.meta.model_copy(update={"version": "9.9.9"})})
    assert changed_services(old, meta) is None


def test_a_replaced_build_is_freed(preview, project):
    """Reading a whole catalog freezes what is alive (gc.freeze); the preview must not keep the
    builds it replaced for good."""
    import gc
    import weakref

    from generator.session import Session

    first = weakref.ref(preview.config.plugins["guide"])
    preview.session = Session()  # its first call reads the whole file, freezing the first build
    edit(project / "data" / "services.yaml", 'version: "2026.11.27"', 'version: "2026.11.28"')
    assert "全部页面" in preview.update()
    preview.update()  # nothing changed
    gc.collect()
    assert first() is None


def test_what_an_update_froze_is_freed_when_idle(preview, project):
    """Each update freezes what is alive (so no full collection falls inside the next edit);
    the tidy that follows once the preview is idle frees what was replaced."""
    import gc
    import weakref

    class Node:
        pass

    edit(project / "data" / "services.yaml", 'version: "2026.11.27"', 'version: "2026.11.28"')
    node = Node()
    node.me = node  # a reference cycle, as a replaced build holds
    ref = weakref.ref(node)
    preview.update()
    assert preview._timer is not None and preview._timer.is_alive()
    preview._timer.cancel()
    del node
    gc.collect()
    assert ref() is not None  # frozen by the update: out of the collector's sight
    preview.tidy()
    assert ref() is None
