"""Change scenarios: a base catalog and one edited copy per scenario, with the expected classification.

Each fixture under ``fixtures/`` is ``base.yaml`` with one change (its second line says which).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.located import parse_file
from generator.changes.compare import compare, limit_trend
from generator.cli import main
from generator.schema import TimeLimit

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base.yaml"


def catalog(name: str):
    loaded = parse_file(FIXTURES / f"{name}.yaml")
    assert loaded.catalog is not None, [d.text() for d in loaded.diagnostics]
    return loaded.catalog


def classes(report) -> list[tuple]:
    return sorted((c.severity, c.area, c.key, c.field) for c in report.changes)


# scenario -> (author, expected (severity, area, key, field) of every change, exit code of guide diff)
SCENARIOS = {
    "material-added": (None, [("warning", "service", "passport", "materials")], 0),
    "limit-shortened": (None, [("info", "service", "passport", "time_limits.committed")], 0),
    "limit-lengthened": (None, [("warning", "service", "passport", "time_limits.committed")], 0),
    "fee-introduced": (
        "hrss-editor",
        [
            ("info", "service", "archive", "fees"),  # basis: 待核实 recorded
            ("warning", "service", "archive", "fees"),  # 新增收费
            ("warning", "service", "archive", "verification"),  # confirmed, not renewed
        ],
        0,
    ),
    "id-renamed": (
        None,
        [("error", "service", "passport", "service"), ("info", "service", "passport-issue", "service")],
        1,
    ),
    "id-renamed-retired": (
        "police-editor",
        [("info", "service", "passport", "status"), ("info", "service", "passport-issue", "service")],
        0,
    ),
    "service-retired": (
        "hrss-editor",
        [("info", "service", "archive", "status"), ("info", "service", "archive", "verification")],
        0,
    ),
    "other-department": (
        "police-editor",
        [
            ("error", "service", "archive", "owner"),
            ("info", "service", "archive", "audience"),
            ("info", "service", "archive", "verification"),
        ],
        1,
    ),
    "dangling-material": (
        "hrss-editor",
        [("error", "service", "passport", "materials"), ("info", "material", "id-card", "removed")],
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_classification(name):
    author, expected, _ = SCENARIOS[name]
    report = compare(catalog("base"), catalog(name), author=author)
    assert classes(report) == sorted(expected)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_cli_exit_code(name):
    author, _, code = SCENARIOS[name]
    args = ["diff", str(BASE), str(FIXTURES / f"{name}.yaml")] + (["--author", author] if author else [])
    r = CliRunner().invoke(main, args)
    assert r.exit_code == code, r.output
    assert "## 目录变更报告" in r.output


def test_no_change_is_empty_and_passes():
    report = compare(catalog("base"), catalog("base"), author="police-editor")
    assert report.changes == [] and not report.failed and report.reprint.empty


def test_messages_show_old_and_new():
    by = {name: compare(catalog("base"), catalog(name), author=None) for name in SCENARIOS}
    [c] = by["limit-lengthened"].changes
    assert "7个工作日 → 10个工作日" in c.message and "延长" in c.message
    [c] = by["material-added"].changes
    assert "户口簿" in c.message and "原件 1 份" in c.message
    fee = next(c for c in by["fee-introduced"].changes if c.severity == "warning" and c.field == "fees")
    assert "不收费 → 收费:档案保管 50 元/年" in fee.message
    gone = next(c for c in by["id-renamed"].changes if c.severity == "error")
    assert "/s/passport/" in gone.message and "passport-issue" in gone.message and "retired" in gone.message
    kept = next(c for c in by["id-renamed-retired"].changes if c.key == "passport-issue")
    assert "仍然有效" in kept.message


def test_pending_is_shown_with_its_note():
    report = compare(catalog("base"), catalog("rich"), author=None)
    lost = next(c for c in report.changes if c.field == "audience")
    assert lost.severity == "warning"
    assert lost.new == "待核实(服务对象表述待市公安局核实)"
    filled = next(c for c in report.changes if c.key == "archive" and c.field == "results")
    assert filled.severity == "info" and filled.old == "待核实(待核实)"


def test_dangling_reference_fails_with_located_check_error():
    # The new catalog does not pass the rules: its located errors join the report.
    r = CliRunner().invoke(main, ["diff", str(BASE), str(FIXTURES / "dangling-material.yaml")])
    assert r.exit_code == 1
    assert "新目录未通过检查" in r.output
    assert "dangling-material.yaml:" in r.output and "[ref]" in r.output and "id-card" in r.output


def test_renewed_confirmation_is_not_warned(tmp_path):
    text = (FIXTURES / "fee-introduced.yaml").read_text(encoding="utf-8")
    old = "verification: {status: 部门已确认, confirmed_by: hrss-editor, date: 2026-01-01}"
    assert old in text
    renewed = tmp_path / "renewed.yaml"
    renewed.write_text(text.replace(old, old.replace("2026-01-01", "2026-02-01")), encoding="utf-8")
    loaded = parse_file(renewed)
    report = compare(catalog("base"), loaded.catalog, author=None)
    assert not [c for c in report.changes if c.field == "verification" and c.severity == "warning"]


def test_author_cannot_grant_itself_the_right(tmp_path):
    """Ownership is read from the old catalog: adding yourself to maintainers in the same change does not help."""
    text = BASE.read_text(encoding="utf-8")
    for a, b in (
        ("maintainers: [police-editor]", "maintainers: [police-editor, mallory]"),
        ("    audience: 因私出国的中国公民\n", "    audience: 中国公民\n"),
    ):
        assert a in text
        text = text.replace(a, b)
    p = tmp_path / "grab.yaml"
    p.write_text(text, encoding="utf-8")
    report = compare(catalog("base"), parse_file(p).catalog, author="@Mallory")
    owners = sorted((c.area, c.key) for c in report.changes if c.field == "owner")
    assert owners == [("department", "police"), ("service", "passport")]
    assert all("@mallory" in c.message for c in report.changes if c.field == "owner")
    # The real maintainer may, whatever the case of the account.
    ok = compare(catalog("base"), parse_file(p).catalog, author="Police-Editor")
    assert not ok.failed


def test_empty_maintainers_make_every_authored_change_an_error(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace("maintainers: [police-editor]", "maintainers: []")
    old_p, new_p = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_p.write_text(text, encoding="utf-8")
    new_p.write_text(text.replace("    audience: 因私出国的中国公民\n", "    audience: 中国公民\n"), encoding="utf-8")
    old, new = parse_file(old_p).catalog, parse_file(new_p).catalog
    report = compare(old, new, author="police-editor")
    [err] = [c for c in report.changes if c.severity == "error"]
    assert "尚未登记维护人" in err.message and "maintainers 为空" in err.message
    assert not compare(old, new, author=None).failed  # without --author nothing is enforced


def test_shared_parts_belong_to_the_lead_department():
    report = compare(catalog("base"), catalog("rich"), author="police-editor")
    owner_errors = sorted((c.area, c.key) for c in report.changes if c.field == "owner")
    # The stage rename is the lead's (hrss); archive is hrss's; version/date bumps are anyone's.
    assert owner_errors == [("service", "archive"), ("stage", "before")]


@pytest.mark.parametrize(
    "old, new, trend",
    [
        (TimeLimit(value=7, unit="工作日"), TimeLimit(value=10, unit="工作日"), "longer"),
        (TimeLimit(value=7, unit="工作日"), TimeLimit(value=5, unit="工作日"), "shorter"),
        (TimeLimit(value=7, unit="工作日"), TimeLimit(value=7, unit="工作日", note="x"), "same"),
        (TimeLimit(value=7, unit="工作日"), TimeLimit(value=10, unit="日"), "longer"),  # 7 wd ≤ 9.8 d < 10 d
        (TimeLimit(value=7, unit="工作日"), TimeLimit(value=9, unit="日"), "unclear"),
        (TimeLimit(value=5, unit="日"), TimeLimit(value=5, unit="工作日"), "maybe-longer"),
        (TimeLimit(value=5, unit="日"), TimeLimit(unit="即办"), "shorter"),
        (TimeLimit(unit="即办"), TimeLimit(value=1, unit="日"), "longer"),
    ],
)
def test_limit_trend(old, new, trend):
    assert limit_trend(old, new) == trend


def test_committed_limit_maybe_longer_is_a_warning(tmp_path):
    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8")
    a = "committed: {value: 7, unit: 工作日}"
    assert a in text
    p = tmp_path / "days.yaml"
    p.write_text(text.replace(a, "committed: {value: 9, unit: 日}"), encoding="utf-8")
    [c] = compare(catalog("base"), parse_file(p).catalog, author=None).changes
    assert c.severity == "info" and "单位改变" in c.message  # 7 working days may be 9 days: not longer for sure
    p.write_text(text.replace(a, "committed: {value: 7, unit: 日}").replace("{value: 15, unit: 日", "{value: 15, unit: 工作日"),
                 encoding="utf-8")
    report = compare(catalog("base"), parse_file(p).catalog, author=None)
    committed = next(c for c in report.changes if c.field == "time_limits.committed")
    statutory = next(c for c in report.changes if c.field == "time_limits.statutory")
    assert committed.severity == "info"  # 7 working days -> 7 days: not longer
    assert statutory.severity == "info"  # statutory limits follow the law: never a warning


def _edited_base(tmp_path, *edits: tuple[str, str]):
    text = BASE.read_text(encoding="utf-8")
    for a, b in edits:
        assert a in text, a
        text = text.replace(a, b, 1)
    p = tmp_path / "edited.yaml"
    p.write_text(text, encoding="utf-8")
    loaded = parse_file(p)
    assert loaded.catalog is not None, [d.text() for d in loaded.diagnostics]
    return loaded.catalog


def _moved_police_first(tmp_path):
    text = BASE.read_text(encoding="utf-8")
    police = text[text.index("  - id: police\n"):text.index("stages:\n")]
    hrss = text[text.index("  - id: hrss\n"):text.index("  - id: police\n")]
    return _edited_base(tmp_path, (hrss + police, police + hrss))


def test_moving_a_department_to_the_top_grants_nothing(tmp_path):
    """The lead is meta.lead_department: reordering departments is the lead's change, and makes nobody lead."""
    moved = _moved_police_first(tmp_path)
    assert moved.departments[0].id == "police" and moved.meta.lead_department == "hrss"
    report = compare(catalog("base"), moved, author="police-editor")
    assert [(c.severity, c.area, c.field) for c in report.changes] == [
        ("info", "department", "order"), ("error", "department", "owner")]
    assert "无权修改" in report.changes[-1].message and "hrss" in report.changes[-1].message
    # The police account, first in the list now, still may not change what the lead owns.
    then = _edited_base(tmp_path, ("site_url: https://guide.test.gov.cn", "site_url: https://evil.gov.cn"))
    report = compare(moved, then, author="police-editor")
    assert report.failed and any(c.field == "owner" for c in report.changes)


def test_lead_role_change_is_flagged_and_only_the_lead_may_make_it(tmp_path):
    new = _edited_base(tmp_path, ("lead_department: hrss", "lead_department: police"))
    by_police = compare(catalog("base"), new, author="police-editor")
    assert by_police.failed
    by_lead = compare(catalog("base"), new, author="hrss-editor")
    assert not by_lead.failed
    [c] = by_lead.changes
    assert (c.severity, c.field) == ("warning", "meta.lead_department")


@pytest.mark.parametrize("edit, field, words", [
    (("site_url: https://guide.test.gov.cn", "site_url: https://other.gov.cn"), "meta.site_url", "二维码"),
    (("link_domains: [gov.cn]", "link_domains: [gov.cn, example.com]"), "meta.link_domains", "官方网站"),
])
def test_repointing_every_qr_is_flagged_and_the_leads_alone(tmp_path, edit, field, words):
    new = _edited_base(tmp_path, edit)
    report = compare(catalog("base"), new, author=None)
    [c] = report.changes
    assert (c.severity, c.field) == ("warning", field) and words in c.message
    assert compare(catalog("base"), new, author="police-editor").failed
    assert not compare(catalog("base"), new, author="hrss-editor").failed
