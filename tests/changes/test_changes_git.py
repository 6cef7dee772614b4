"""``guide diff --base REV`` in a real git repository, run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO
from support import guide as _guide

FIXTURES = Path(__file__).parent / "fixtures"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def guide(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return _guide(*args, cwd=cwd, env=GIT_ENV)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is required (scripts/setup.sh installs it)")
    (tmp_path / "data").mkdir()
    shutil.copy(FIXTURES / "base.yaml", tmp_path / "data" / "services.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "data/services.yaml")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def test_base_head_unchanged(repo):
    r = guide(repo, "diff", "--base", "HEAD")
    assert r.returncode == 0, r.stderr
    assert "`HEAD:data/services.yaml`" in r.stdout and "没有变更" in r.stdout


def test_base_head_with_working_tree_change(repo):
    shutil.copy(FIXTURES / "material-added.yaml", repo / "data" / "services.yaml")
    r = guide(repo, "diff", "--base", "HEAD", "--author", "police-editor")
    assert r.returncode == 0, r.stderr
    assert "新增材料“户口簿”" in r.stdout and "flyers/passport.pdf" in r.stdout
    r = guide(repo, "diff", "--base", "HEAD", "--author", "hrss-editor")
    assert r.returncode == 1 and "不是市公安局的维护人" in r.stdout


def test_from_a_subdirectory_and_a_broken_link(repo):
    shutil.copy(FIXTURES / "id-renamed.yaml", repo / "data" / "services.yaml")
    r = guide(repo / "data", "diff", "--base", "HEAD", "services.yaml")
    assert r.returncode == 1
    assert "/s/passport/" in r.stdout and "404" in r.stdout


def test_bad_revision_exits_2_in_chinese(repo):
    r = guide(repo, "diff", "--base", "no-such-branch")
    assert r.returncode == 2
    assert "无法读取 git 版本“no-such-branch”" in r.stderr and "Traceback" not in r.stderr


def test_not_a_git_repository(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(FIXTURES / "base.yaml", tmp_path / "data" / "services.yaml")
    env_cwd = tmp_path
    r = subprocess.run([sys.executable, str(REPO / "cli.py"), "diff", "--base", "HEAD"], cwd=env_cwd,
                       env={**GIT_ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}, capture_output=True, text=True)
    assert r.returncode == 2 and "无法读取 git 版本" in r.stderr


def test_catalog_that_does_not_load_gives_located_diagnostics(repo):
    p = repo / "data" / "services.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("    number: 1\n", "    number: one\n", 1), encoding="utf-8")
    r = guide(repo, "diff", "--base", "HEAD")
    assert r.returncode == 1
    assert "data/services.yaml:" in r.stdout and "error: [schema]" in r.stdout and "Traceback" not in r.stderr


def test_usage_errors(repo):
    r = guide(repo, "diff", "only-one.yaml")
    assert r.returncode == 2 and "请给出两个目录文件" in r.stderr
    r = guide(repo, "diff", "a.yaml", "b.yaml")
    assert r.returncode == 2 and "找不到目录文件" in r.stderr
