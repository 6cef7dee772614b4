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
    # Every department's maintainers own the one catalog file; the lead (first department) the rest.
    assert "/data/services.yaml @hrss-editor @police-editor\n" in text
    assert "/.github/ @hrss-editor\n" in text and "/generator/schema.py @hrss-editor\n" in text
    # A maintainer added in the catalog makes the file stale.
    cat = tmp_path / "data" / "services.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("[police-editor]", "[police-editor, new-one]"), encoding="utf-8")
    r = runner.invoke(main, ["owners", "--check"])
    assert r.exit_code == 1 and "不一致" in r.output


def test_empty_maintainers_give_no_owner_lines():
    catalog = load(REPO / "data" / "services.yaml")
    nobody = catalog.model_copy(update={
        "departments": [d.model_copy(update={"maintainers": []}) for d in catalog.departments],
    })
    text = owners.render(nobody)
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == []  # nobody invented: paths without owners stay comments
    assert "/data/services.yaml" in text


def test_bad_account_is_refused(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8").replace("[police-editor]", '["police editor"]')
    (tmp_path / "data" / "services.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["owners"])
    assert r.exit_code == 1 and "不是有效的 GitHub 账号" in r.output
    assert not (tmp_path / ".github").exists()
