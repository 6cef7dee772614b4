"""``guide build`` replaces only a folder it wrote, and a killed build leaves no scratch behind.

Every build here runs in a copy of the project, so a regression can't delete the real one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.files import MARKER, OutputDirError, check_replaceable, sweep

from site_support import ROOT, copy_project


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "proj")


def guide(proj: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=proj, capture_output=True,
                          text=True, env=env)


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("site_dir", [".", "data", "..", "content"])
def test_build_refuses_a_folder_holding_the_project_or_not_its_own(project, site_dir):
    before = snapshot(project.parent)
    r = guide(project, "build", "--no-print", "--site-dir", site_dir)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "网站输出文件夹" in r.stderr and "Traceback" not in r.stderr
    assert "网站已构建" not in r.stdout
    assert snapshot(project.parent) == before


def test_offline_target_is_checked_too(project):
    (project / "site-offline").mkdir()
    (project / "site-offline" / "notes.txt").write_text("mine", encoding="utf-8")
    r = guide(project, "build", "--no-print", "--offline")
    assert r.returncode == 1 and "site-offline" in r.stderr
    assert (project / "site-offline" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (project / "site").exists()


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_own_folder_is_rebuilt_and_a_killed_runs_scratch_is_swept(project):
    r = guide(project, "build", "--no-print")
    assert r.returncode == 0, r.stderr
    assert (project / "site" / MARKER).is_file()
    stale = project / f"site.tmp-{dead_pid()}-abc"
    stale.mkdir()
    (stale / "half.html").write_text("half", encoding="utf-8")
    alive = project / f"site.tmp-{os.getpid()}-mine"  # a running process's scratch is left alone
    alive.mkdir()
    r = guide(project, "build", "--no-print")
    assert r.returncode == 0, r.stderr
    assert not stale.exists() and alive.exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site", alive.name]


def test_terminated_build_removes_its_scratch_and_keeps_the_site(project, tmp_path):
    site = project / "site"
    site.mkdir()
    (site / MARKER).write_text("", encoding="utf-8")
    (site / "index.html").write_text("previous", encoding="utf-8")
    scratch_tmp = tmp_path / "tmp"
    scratch_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch_tmp)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "build", "--no-print"], cwd=project,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(project.glob("site.tmp-*")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert not list(project.glob("site.*-*")), list(project.iterdir())
    assert not list(scratch_tmp.iterdir())
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_check_replaceable_rules(tmp_path):
    check_replaceable(tmp_path / "new", protected=[])
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty", protected=[])
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputDirError):
        check_replaceable(tmp_path / "file", protected=[])
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    with pytest.raises(OutputDirError):
        check_replaceable(tmp_path / "link", protected=[])
    own = tmp_path / "own"
    own.mkdir()
    (own / MARKER).write_text("", encoding="utf-8")
    (own / "catalog.yaml").write_text("", encoding="utf-8")
    check_replaceable(own, protected=[])
    with pytest.raises(OutputDirError, match="包含"):  # the marker never licenses deleting the catalog
        check_replaceable(own, protected=[own / "catalog.yaml"])


def test_sweep_only_takes_dead_runs(tmp_path):
    dead = tmp_path / f"x.tmp-{dead_pid()}-a"
    mine = tmp_path / f"x.tmp-{os.getpid()}-b"
    other = tmp_path / "x.tmp-notapid"
    for p in (dead, mine, other):
        p.mkdir()
    assert sweep(tmp_path, "x.tmp-") == [dead]
    assert mine.exists() and other.exists()
