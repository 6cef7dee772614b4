"""``guide build`` of an unchanged project restores the last build's output (generator/outputcache.py):
byte for byte a clean build's, without loading MkDocs or the catalog; a damaged cache is built
around, a failed build is never kept, and the cache stays one build's size."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_support import assert_same_tree, copy_project, tree
from support import REPO

RESTORED = "输入与上次构建完全相同,网站已从缓存恢复。"
HEAVY = ("mkdocs", "material", "jieba", "pydantic", "generator.catalog", "generator.schema", "generator.site.build")


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "proj")


def build(proj: Path, site: Path, cache: Path | str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GUIDE_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, str(REPO / "cli.py"), "build", "--no-print", "--site-dir", str(site), *args],
                          cwd=proj, env=env, capture_output=True, text=True)


def built(proj: Path, site: Path, cache: Path | str) -> str:
    r = build(proj, site, cache)
    assert r.returncode == 0, r.stderr
    assert "网站已构建:" in r.stdout
    return r.stdout


def blobs(cache: Path) -> list[Path]:
    return [p for p in (cache / "build").rglob("*") if p.is_file()]


def test_an_unchanged_rebuild_is_restored_and_equals_a_clean_build_and_off_builds(project, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert RESTORED not in built(project, site, cache)
    assert RESTORED not in built(project, tmp_path / "clean", "off")
    assert not (project / ".cache").exists()  # off: nothing written, not even in the default place
    clean = tree(tmp_path / "clean")
    assert ".guide-output" in clean
    # In place (left as it is), and from the cache alone (the old site deleted).
    out = built(project, site, cache)
    assert RESTORED in out
    assert out.splitlines()[-1].startswith(f"网站已构建:{site}/,{sum(k.endswith('.html') for k in clean)} 个页面,")
    assert_same_tree(tree(site), clean)
    for p in sorted(site.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()
    site.rmdir()
    assert RESTORED in built(project, site, cache)
    assert_same_tree(tree(site), clean)


def test_the_restore_loads_neither_mkdocs_nor_the_catalog(project, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    built(project, site, cache)
    argv = ["build", "--no-print", "--site-dir", str(site)]
    code = (f"import sys; sys.argv[1:] = {argv!r}; from generator.cli import main; main(standalone_mode=False); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    env = {**os.environ, "GUIDE_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert RESTORED in r.stdout
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_a_damaged_cache_entry_means_a_normal_build_and_a_correct_site(project, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    built(project, site, cache)
    first = tree(site)
    page = next(p for p in blobs(cache) if b"<!doctype html>" in p.read_bytes()[:200].lower())
    raw = bytearray(page.read_bytes())
    raw[-2] ^= 0x20
    page.write_bytes(bytes(raw))
    (site / "index.html").write_text("edited by hand", encoding="utf-8")  # so the cache must be read
    out = built(project, site, cache)
    assert RESTORED not in out
    assert_same_tree(tree(site), first)
    assert RESTORED in built(project, site, cache)  # the damaged entry was stored again


def test_a_failed_build_is_never_kept_and_keeps_the_site(project, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    built(project, site, cache)
    before = tree(site)
    catalog = project / "data" / "services.yaml"
    good = catalog.read_text(encoding="utf-8")
    catalog.write_text(good.replace("  - id: passport\n", "  - id: Passport!\n", 1), encoding="utf-8")
    r = build(project, site, cache)
    assert r.returncode == 1 and RESTORED not in r.stdout
    assert "网站未构建" in r.stderr
    assert tree(site) == before
    catalog.write_text(good, encoding="utf-8")
    assert RESTORED in built(project, site, cache)


def test_the_cache_stays_one_build_in_size(project, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    catalog = project / "data" / "services.yaml"
    text = catalog.read_text(encoding="utf-8")
    old = "公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。"
    assert text.count(old) == 1
    for i in range(3):
        catalog.write_text(text.replace(old, f"{old}第{i}版。"), encoding="utf-8")
        assert RESTORED not in built(project, site, cache)
    distinct = {f for f in tree(site).values()}
    assert len(blobs(cache)) == len(distinct) + 1  # the last build's files, stored once each, and its manifest
    assert (site / "services" / "passport" / "index.html").read_text(encoding="utf-8").count("第2版") >= 1


def test_a_build_with_print_is_restored_with_its_pdfs_and_its_lines(project, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    env = {**os.environ, "GUIDE_CACHE_DIR": str(cache)}

    def run() -> str:
        r = subprocess.run([sys.executable, str(REPO / "cli.py"), "build", "--site-dir", str(site)],
                           cwd=project, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout

    first = run()
    assert RESTORED not in first and "印刷品按样稿生成" in first  # the shipped catalog's placeholder address
    made = tree(site)
    assert any(k.startswith("print/") and k.endswith(".pdf") for k in made)
    shutil.rmtree(site)
    again = run()
    assert RESTORED in again
    assert again.splitlines()[0] == first.splitlines()[0]  # the draft notice is said again
    assert_same_tree(tree(site), made)
