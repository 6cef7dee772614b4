"""The key of a whole build changes with every input, so a changed project is never restored:
each kind of change is built again and equals a clean build."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site import buildkey
from generator.site.buildkey import build_key

from site_support import assert_same_tree, copy_project, tree
from support import REPO

RESTORED = "输入与上次构建完全相同,网站已从缓存恢复。"
DAY = dt.date(2026, 12, 3)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "proj")


def key(proj: Path, **options) -> str | None:
    args = {"offline": False, "with_print": False, "site_name": "site", "today": DAY, **options}
    return build_key(proj, proj / "data" / "services.yaml", **args)


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def test_the_key_is_stable_and_follows_every_input(project, monkeypatch):
    first = key(project)
    assert first is not None and key(project) == first
    seen = {first}

    def changed(value: str | None) -> None:
        assert value is not None and value not in seen
        seen.add(value)

    changed(key(project, offline=True))
    changed(key(project, site_name="public"))
    changed(key(project, today=DAY + dt.timedelta(days=1)))
    monkeypatch.setenv("GUIDE_SOMETHING", "1")
    changed(key(project))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    changed(key(project))
    append(project / "data" / "services.yaml", "\n")
    changed(key(project))
    append(project / "content" / "about.md", "\n")
    changed(key(project))
    (project / "content" / "new.md").write_text("# 新\n", encoding="utf-8")
    changed(key(project))
    append(project / "overrides" / "main.html", "\n")
    changed(key(project))
    append(project / "mkdocs.yml", "\n")
    changed(key(project))


def test_the_key_follows_installed_software(project, monkeypatch, tmp_path):
    status, fonts = tmp_path / "dpkg-status", tmp_path / "fonts"
    status.write_text("Package: libpango\nVersion: 1\n", encoding="utf-8")
    (fonts / "conf.d").mkdir(parents=True)
    (fonts / "conf.d" / "10-hinting.conf").write_text("<fontconfig/>", encoding="utf-8")
    monkeypatch.setattr(buildkey, "SYSTEM_PACKAGES", (str(status),))
    monkeypatch.setattr(buildkey, "FONTCONFIG", fonts)
    seen = {key(project)}

    def changed() -> None:
        value = key(project)
        assert value is not None and value not in seen
        seen.add(value)

    packages = tmp_path / "packages"
    (packages / "somepkg-1.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(packages))
    changed()
    os.rename(packages / "somepkg-1.0.dist-info", packages / "somepkg-1.1.dist-info")
    changed()
    status.write_text("Package: libpango\nVersion: 2\n", encoding="utf-8")
    changed()
    (fonts / "conf.d" / "10-hinting.conf").write_text("<fontconfig><!-- other --></fontconfig>", encoding="utf-8")
    changed()


def test_a_config_naming_files_outside_the_key_is_not_cached(project):
    append(project / "mkdocs.yml", "hooks:\n  - hooks.py\n")
    assert key(project) is None
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
    assert key(project) is None
    (project / "mkdocs.yml").write_text("site_name: !ENV NAME\n", encoding="utf-8")
    assert key(project) is None


def build(proj: Path, site: Path, *args: str, cache: Path | str, cli: Path = REPO / "cli.py") -> str:
    """``guide build --no-print`` of ``proj`` into ``site`` by the ``cli`` given; its output."""
    env = {**os.environ, "GUIDE_CACHE_DIR": str(cache)}
    r = subprocess.run([sys.executable, str(cli), "build", "--no-print", "--site-dir", str(site), *args],
                       cwd=proj, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "网站已构建:" in r.stdout
    return r.stdout


def _edit_catalog(proj: Path) -> None:
    path = proj / "data" / "services.yaml"
    text = path.read_text(encoding="utf-8")
    old = "公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old[:-1] + "(缓存测试)。"), encoding="utf-8")


def _edit(rel: str, old: str, new: str):
    def edit(proj: Path) -> None:
        path = proj / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def test_each_changed_input_is_built_again_and_the_result_equals_a_clean_build(project, tmp_path):
    """One project through every kind of change, run by a copy of the generator (its own files
    are inputs too). Each change must miss and show in the output; the last output, restored,
    must equal a clean build (that a cached miss equals a clean one is tests/site/test_pagecache.py's)."""
    code = tmp_path / "code"
    code.mkdir()
    shutil.copy2(REPO / "cli.py", code / "cli.py")
    shutil.copytree(REPO / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    site, cache = tmp_path / "site", tmp_path / "cache"

    def run(*args: str, cache_dir: Path | str = cache, into: Path = site) -> str:
        return build(project, into, *args, cache=cache_dir, cli=code / "cli.py")

    run()
    assert RESTORED in run()
    changes = [
        (project, _edit_catalog, "缓存测试"),
        (project, _edit("content/about.md", "\n", "\n\n缓存测试段落。\n"), "缓存测试段落"),
        (project, _edit("overrides/assets/stylesheets/guide.css", "\n", "\n/* cache-test */\n"), "cache-test"),
        (project, _edit("mkdocs.yml", "primary: indigo", "primary: teal"), 'data-md-color-primary="teal"'),
        (code, _edit("generator/site/templates/service.html", "\n", "\n<!-- cache-test -->\n"), "<!-- cache-test -->"),
    ]
    for where, edit, shows in changes:
        edit(where)
        assert RESTORED not in run(), shows
        assert any(shows.encode() in data for data in tree(site).values()), shows
    out = run("--offline")
    assert RESTORED not in out and "离线版:site-offline/" in out
    built, offline = tree(site), tree(tmp_path / "site-offline")
    again = run("--offline")
    assert RESTORED in again and "离线版:site-offline/" in again  # the build's own lines are said again
    assert tree(site) == built and tree(tmp_path / "site-offline") == offline
    run("--offline", cache_dir="off", into=tmp_path / "clean")
    assert_same_tree(built, tree(tmp_path / "clean"))
    assert_same_tree(offline, tree(tmp_path / "clean-offline"))
