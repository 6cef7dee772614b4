"""``guide check`` on 我的清单 data: unknown question or answer ids in ``applies`` are located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.catalog import check

FIXTURE = Path(__file__).parent / "fixtures" / "checklist.yaml"
TODAY = dt.date(2026, 11, 27)
GOOD = "    applies: [{stage: [after], plans: [car]}]\n"


def errors(tmp_path, text):
    p = tmp_path / "services.yaml"
    p.write_text(text, encoding="utf-8")
    return [d for d in check(p, today=TODAY).diagnostics if d.severity == "error"]


def position(text, needle):
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def test_fixture_is_clean(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    assert GOOD in text
    assert errors(tmp_path, text) == []


def test_unknown_question_id(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace(GOOD, "    applies: [{stage: [after], wishes: [car]}]\n")
    found = errors(tmp_path, text)
    assert len(found) == 1, found
    d = found[0]
    assert d.rule == "ref" and "问题“wishes”不存在" in d.message
    # Located at the unknown key itself.
    assert (d.line, d.column) == position(text, "wishes: [car]")


def test_unknown_answer_id(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace(GOOD, "    applies: [{stage: [after], plans: [car, boat]}]\n")
    found = errors(tmp_path, text)
    assert len(found) == 1, found
    d = found[0]
    assert d.rule == "ref" and "“boat”" in d.message and "plans" in d.message
    assert (d.line, d.column) == position(text, "boat]")


def test_answer_of_another_question_is_unknown(tmp_path):
    # "hk-macau" is an answer of destination, not of stage.
    text = FIXTURE.read_text(encoding="utf-8").replace(GOOD, "    applies: [{stage: [hk-macau], plans: [car]}]\n")
    found = errors(tmp_path, text)
    assert [d.rule for d in found] == ["ref"] and "hk-macau" in found[0].message
