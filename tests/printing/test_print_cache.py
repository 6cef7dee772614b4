"""The print cache: an unchanged catalog prints nothing and gives the same bytes; any input change reprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.printing import fingerprint, render
from generator.printing.build import print_all
from generator.printing.printcache import PrintCache

from printhelp import CATALOG


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entries(cache: Path) -> int:
    return sum(1 for p in cache.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def warm(catalog, tmp_path_factory):
    """(cache folder, output, cold-run cache) after a full print of the shipped catalog with the cache on."""
    tmp = tmp_path_factory.mktemp("warm")
    cache = PrintCache(tmp / "cache")
    print_all(catalog, tmp / "print", draft=True, cache=cache)
    return tmp / "cache", tmp / "print", cache


def _copy(cache: Path, tmp_path: Path) -> Path:
    """A private copy of the warm cache: a full run prunes, and tests must not see each other's runs."""
    shutil.copytree(cache, tmp_path / "cache")
    return tmp_path / "cache"


def test_cold_run_with_cache_is_the_clean_build(warm, printed):
    cache_dir, out, cold = warm
    clean, manifest = printed  # the session's print, cache off
    assert cold.misses == len(manifest["items"]) and cold.hits == 0
    assert _files(out) == _files(clean)
    assert _entries(cache_dir) == len(manifest["items"])


def test_unchanged_catalog_renders_nothing_and_is_byte_identical(warm, printed, catalog, tmp_path):
    cache_dir, _, _ = warm
    clean, manifest = printed
    cache = PrintCache(_copy(cache_dir, tmp_path))
    again = print_all(catalog, tmp_path / "again", draft=True, cache=cache)
    assert (cache.hits, cache.misses) == (len(manifest["items"]), 0)
    assert again == manifest
    assert _files(tmp_path / "again") == _files(clean)


def test_a_changed_service_reprints_its_flyer_and_the_booklet_only(warm, catalog, tmp_path):
    """The summary is on the flyer and in the booklet, not on the posters."""
    cache_dir, out, _ = warm
    services = [s.model_copy(update={"summary": s.summary + "(已更新)"}) if s.id == "passport" else s
                for s in catalog.services]
    changed = catalog.model_copy(update={"services": services})
    cache = PrintCache(_copy(cache_dir, tmp_path))
    manifest = print_all(changed, tmp_path / "print", draft=True, cache=cache)
    assert cache.misses == 2
    before, after = _files(out), _files(tmp_path / "print")
    differ = {name for name in before if before[name] != after[name]}
    assert {"flyers/passport.pdf", "booklet.pdf"} <= differ <= {
        "flyers/passport.pdf", "thumbs/flyers/passport.png", "booklet.pdf", "thumbs/booklet.png", "manifest.json"}
    assert _entries(tmp_path / "cache") == len(manifest["items"]), "the replaced entries were not pruned"


def test_damaged_entry_is_printed_again(warm, catalog, tmp_path):
    cache_dir, out, _ = warm
    copy = _copy(cache_dir, tmp_path)
    for entry in copy.rglob("*"):
        if entry.is_file():
            data = bytearray(entry.read_bytes())
            data[len(data) // 2] ^= 0xFF
            entry.write_bytes(bytes(data))
            break
    cache = PrintCache(copy)
    print_all(catalog, tmp_path / "print", draft=True, cache=cache)
    assert cache.misses == 1
    assert _files(tmp_path / "print") == _files(out)


def _passport(catalog, out: Path, cache: Path) -> PrintCache:
    """The passport flyer alone (printed in this process): the cache as the run left it."""
    run = PrintCache(cache)
    print_all(catalog, out, draft=True, only={"passport"}, cache=run)
    return run


def test_a_changed_template_file_reprints(catalog, tmp_path, monkeypatch):
    assert _passport(catalog, tmp_path / "a", tmp_path / "c").misses == 1
    assert _passport(catalog, tmp_path / "a", tmp_path / "c").hits == 1
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATE_DIR, templates)
    css = templates / "flyer.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.n { color: #000; }\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATE_DIR", templates)
    monkeypatch.setattr(render, "_ENV", None)
    assert _passport(catalog, tmp_path / "a", tmp_path / "c").misses == 1
    # a file that no page includes still counts: WeasyPrint may load anything under the folder
    (templates / "logo.svg").write_text("<svg/>", encoding="utf-8")
    assert _passport(catalog, tmp_path / "a", tmp_path / "c").misses == 1


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def test_an_added_font_reprints(catalog, tmp_path, monkeypatch):
    """Through fontconfig, as Pango finds fonts: a config with one more font folder changes the key."""
    assert _passport(catalog, tmp_path / "a", tmp_path / "c").misses == 1
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    resolved = fingerprint.fonts(render.TEMPLATE_DIR)["resolved"]
    source = Path(sorted(resolved)[0])
    shutil.copy(source, fonts / ("Extra" + source.suffix))
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=fonts, cache=tmp_path / "fc-cache"), encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    assert str(fonts) in json.dumps(fingerprint.fonts(render.TEMPLATE_DIR))
    assert _passport(catalog, tmp_path / "a", tmp_path / "c").misses == 1
    assert _passport(catalog, tmp_path / "a", tmp_path / "c").hits == 1


def test_fingerprint_sees_font_contents_and_versions(tmp_path, monkeypatch):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "a.css").write_text('p { font-family: "Noto Sans CJK SC", serif; }', encoding="utf-8")
    assert fingerprint.families(templates) == ["Noto Sans CJK SC", "serif"]
    before = fingerprint.environment(templates)
    assert fingerprint.environment(templates) == before
    found = fingerprint.versions()
    assert {"weasyprint", "pydyf", "pypdf", "pdftoppm", "libpango-1.0.so.0", "libharfbuzz.so.0"} <= set(found)
    assert found["pdftoppm"].startswith("pdftoppm version") and found["libpango-1.0.so.0"] != "-"
    monkeypatch.setattr(fingerprint, "versions", lambda: {**found, "weasyprint": "0"})
    assert fingerprint.environment(templates) != before


def test_cli_reuses_the_project_cache_and_no_cache_prints_all(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("GUIDE_CACHE_DIR", raising=False)
    args = ["print", "--draft", str(CATALOG), "--out", str(tmp_path / "o"), "--service", "passport"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "取自缓存" not in first.output, first.output
    assert (project / ".cache" / "guide" / "print").is_dir()
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0 and "其中 1 份内容未变,取自缓存" in second.output, second.output
    third = CliRunner().invoke(main, [*args, "--no-cache"])
    assert third.exit_code == 0 and "取自缓存" not in third.output, third.output
