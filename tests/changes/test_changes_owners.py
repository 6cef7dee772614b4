"""``guide owners``: .github/CODEOWNERS generated from departments[].maintainers, and kept up to date."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.catalog import load
from generator.changes import owners
from generator.cli import main

from support import REPO  # noqa: E402
FIXTURES = Path(__file__).parent / "fixtures"


def test_codeowners_is_up_to_date(monkeypatch):
    monkeypatch.chdir(REPO)
    r = CliRunner().invoke(main, ["owners", "--check"])
    assert r.exit_code == 0, r.output + "\n→ run: guide owners"


def test_check_fails_when_stale_and_writing_fixes_it(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copy(FIXTURES / "base.yaml", tmp_path / "data" / "services.yaml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(main, ["owners", "--check"])
    assert r.exit_code == 1 and "guide owners" in r.output  # no file yet
    r = runner.invoke(main, ["owners"])
    assert r.exit_code == 0 and "已更新" in r.output
    assert runner.invoke(main, ["owners", "--check"]).exit_code == 0
    assert "无变化" in runner.invoke(main, ["owners"]).output
    text = (tmp_path / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    # Every department's maintainers own the one catalog file; the lead (meta.lead_department) the rest.
    assert "/data/services.yaml @hrss-editor @police-editor\n" in text
    assert "\n* @hrss-editor\n" in text
    # CODEOWNERS: the last matching pattern wins, so the catalog line must follow the catch-all.
    assert text.index("\n* @hrss-editor") < text.index("/data/services.yaml @")
    # The role, not the list order, names the lead: moving police to the top changes nothing.
    moved = cat_text = (tmp_path / "data" / "services.yaml").read_text(encoding="utf-8")
    police = moved[moved.index("  - id: police"):moved.index("\nstages:")]
    moved = moved.replace(police, "").replace("departments:\n", "departments:\n" + police.rstrip("\n") + "\n", 1)
    assert moved.index("- id: police") < moved.index("- id: hrss")
    (tmp_path / "data" / "services.yaml").write_text(moved, encoding="utf-8")
    assert runner.invoke(main, ["owners", "--check"]).exit_code == 0, "order must not change ownership"
    (tmp_path / "data" / "services.yaml").write_text(cat_text, encoding="utf-8")
    # A maintainer added in the catalog makes the file stale.
    cat = tmp_path / "data" / "services.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("[police-editor]", "[police-editor, new-one]"), encoding="utf-8")
    r = runner.invoke(main, ["owners", "--check"])
    assert r.exit_code == 1 and "不一致" in r.output


def test_empty_maintainers_give_no_owner_lines():
    catalog = load(FIXTURES / "base.yaml")
    data = catalog.model_dump()
    for d in data["departments"]:
        d["maintainers"] = []
    text = owners.render(type(catalog).model_validate(data))
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == []  # nobody invented: paths without owners stay comments
    assert "# /data/services.yaml  (no maintainers listed yet)" in text and "# *  (no maintainers listed yet)" in text


def test_bad_account_is_refused(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8").replace("[police-editor]", '["police editor"]')
    (tmp_path / "data" / "services.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["owners"])
    assert r.exit_code == 1 and "不是有效的 GitHub 账号" in r.output
    assert not (tmp_path / ".github").exists()


def test_team_handle_is_refused(tmp_path, monkeypatch):
    # A team can own files on GitHub, but `guide diff --author` compares the author with the accounts
    # listed: a team would never match anyone, so the department could never change its services.
    (tmp_path / "data").mkdir()
    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8").replace("[police-editor]", "[weihai/police-team]")
    (tmp_path / "data" / "services.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["owners"])
    assert r.exit_code == 1, r.output
    assert "“weihai/police-team”是团队" in r.output and "逐个列出" in r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / ".github").exists()
