"""我的清单 domain: selection by answers, the merged list of materials, stage totals, answer text."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist_support import shipped
from generator.catalog import load
from generator.checklist.merge import (
    AnswerError,
    applies,
    format_answers,
    merge_materials,
    parse_answers,
    select,
    to_plain,
)

FIXTURE = Path(__file__).parent / "fixtures" / "checklist.yaml"


@pytest.fixture(scope="module")
def small():
    return load(FIXTURE)


def ids(services):
    return [s.id for s in services]


def merged(catalog, answers):
    return merge_materials(select(catalog, answers), catalog)


# ---------------------------------------------------------------- the shipped catalog


def test_abroad_self_funded_gets_passport_and_personnel_file():
    got = ids(select(shipped(), {"stage": ["before"], "destination": ["abroad"], "funding": ["self"]}))
    assert got == ["passport", "archive-intake", "pre-departure-training"]


def test_state_sponsored_keeps_no_personnel_file_unless_asked():
    c = shipped()
    state = ids(select(c, {"stage": ["before"], "destination": ["abroad"], "funding": ["state"]}))
    assert "passport" in state and "archive-intake" not in state
    asked = ids(select(c, {"stage": ["before"], "destination": ["abroad"], "funding": ["state"], "plans": ["archive"]}))
    assert "archive-intake" in asked


def test_hong_kong_study_permit_and_endorsement():
    c = shipped()
    got = ids(select(c, {"stage": ["before"], "destination": ["hk-macau"], "funding": ["self"]}))
    assert got[:2] == ["hk-macau-permit", "hk-macau-stay-endorsement"]
    assert "passport" not in got and "taiwan-permit" not in got


def test_id_card_once_for_passport_and_exit_entry_records():
    # (The 港澳 services' material lists rested on secondary sites only and are 待核实 now.)
    c = shipped()
    m = merged(c, {"stage": ["before", "after"], "destination": ["abroad"], "funding": ["self"], "plans": ["car"]})
    cards = [sm for sm in m.shared if sm.material.id == "id-card"]
    assert len(cards) == 1
    assert ids(cards[0].services) == ["passport", "exit-entry-records"]
    # Only one service gives its count: no total is made up.
    assert cards[0].originals.total is None
    assert cards[0].originals.unknown == ("passport",)


def test_taiwan_study():
    got = ids(select(shipped(), {"stage": ["before"], "destination": ["taiwan"], "funding": ["self"]}))
    assert got[:2] == ["taiwan-permit", "taiwan-study-endorsement"]
    assert "passport" not in got and "hk-macau-permit" not in got


def test_back_home_buying_a_car():
    got = ids(select(shipped(), {"stage": ["after"], "plans": ["car"]}))
    assert "duty-free-car" in got and "exit-entry-records" in got
    assert not {"passport", "archive-intake", "job-recommendation"} & set(got)


def test_stage_order_then_category_then_number():
    c = shipped()
    every = {q.id: [a.id for a in q.answers] for q in c.questions}
    got = select(c, every)
    stage = {s.id: i for i, s in enumerate(c.stages)}
    cat = {x.id: i for i, x in enumerate(c.categories)}
    keys = [(stage[s.stage], cat[s.category], s.number) for s in got]
    assert keys == sorted(keys)
    # With every answer, every active service applies.
    assert set(ids(got)) == {s.id for s in c.services if s.status == "active"}


def test_no_answers_no_services():
    assert select(shipped(), {}) == []
    # Plans alone bring nothing: every condition names the stage.
    assert select(shipped(), {"plans": ["car", "job"]}) == []


def test_stage_question_lists_the_stages():
    c = shipped()
    stage_q = [q for q in c.questions if q.id == "stage"]
    assert len(stage_q) == 1 and stage_q[0].multiple
    assert [a.id for a in stage_q[0].answers] == [s.id for s in c.stages]


def test_every_service_is_reachable_alone():
    """Each active service is brought in by some single condition (or its stage)."""
    c = shipped()
    for s in c.services:
        conds = s.applies or [{"stage": [s.stage]}]
        answers = {q: [a[0]] for q, a in conds[0].items()}
        assert s.id in ids(select(c, answers)), s.id


# ---------------------------------------------------------------- selection rules (small catalog)


def test_service_without_applies_follows_its_stage(small):
    assert ids(select(small, {"stage": ["before"]})) == ["training"]
    assert ids(select(small, {"stage": ["abroad"]})) == ["care"]
    assert ids(select(small, {"stage": ["before", "abroad"]})) == ["training", "care"]


def test_any_condition_every_question(small):
    # "car" applies after OR before (second condition) when the plan is chosen.
    assert "car" in ids(select(small, {"stage": ["before"], "plans": ["car"]}))
    assert "car" in ids(select(small, {"stage": ["after"], "plans": ["car", "job"]}))
    # Every question of a condition must match.
    assert "car" not in ids(select(small, {"stage": ["after"], "plans": ["job"]}))
    assert "car" not in ids(select(small, {"plans": ["car"]}))


def test_retired_service_never_applies(small):
    old = next(s for s in small.services if s.id == "old")
    assert old.status == "retired"
    assert not applies(old, {"stage": ["after"]})
    assert "old" not in ids(select(small, {"stage": ["after"], "plans": ["car"]}))


def test_cross_stage_service_sorted_in_its_own_stage(small):
    got = ids(select(small, {"stage": ["before"], "destination": ["abroad"], "plans": ["car"]}))
    assert got == ["passport", "training", "car"]


# ---------------------------------------------------------------- merge (small catalog)


def test_counts_add_up_when_known(small):
    m = merged(small, {"stage": ["before"], "destination": ["hk-macau"]})
    card = next(sm for sm in m.shared if sm.material.id == "id-card")
    assert ids(card.services) == ["permit", "endorsement"]
    assert card.originals.total == 2 and card.copies.total == 2


def test_unknown_count_makes_no_total(small):
    m = merged(small, {"stage": ["before"], "destination": ["hk-macau"]})
    photo = next(sm for sm in m.shared if sm.material.id == "photo")
    assert photo.originals.total is None and photo.originals.unknown == ("permit",)
    m = merged(small, {"stage": ["before", "after"], "destination": ["abroad"], "plans": ["car"]})
    card = next(sm for sm in m.shared if sm.material.id == "id-card")
    assert ids(card.services) == ["passport", "records", "car"]
    # passport 1 + records 1 known, car does not say.
    assert card.originals.known == 2 and card.originals.unknown == ("car",) and card.originals.total is None
    # copies: passport 1 + car 1 known, records does not say.
    assert card.copies.known == 2 and card.copies.unknown == ("records",)


def test_each_shared_material_once_in_registry_order(small):
    m = merged(small, {"stage": ["before", "after"], "destination": ["abroad"], "plans": ["car"]})
    assert [sm.material.id for sm in m.shared] == ["id-card", "photo", "household-register"]


def test_conditional_uses_kept_with_condition_out_of_totals(small):
    m = merged(small, {"stage": ["before", "after"], "destination": ["abroad"], "plans": ["car"]})
    hr = next(sm for sm in m.shared if sm.material.id == "household-register")
    assert not hr.required
    assert [(u.service.id, u.item.condition) for u in hr.uses] == [("passport", "未满16周岁"), ("car", "本地户籍")]
    assert hr.originals.known == 0 and hr.originals.unknown == ()


def test_service_specific_materials_under_their_service(small):
    m = merged(small, {"stage": ["before"], "destination": ["hk-macau"]})
    spec = {sp.service.id: sp for sp in m.specific}
    assert list(spec) == ["endorsement", "training"]
    assert [i.name for i in spec["endorsement"].items] == ["入学通知书"]
    assert spec["endorsement"].items[0].condition == "赴港就学"
    assert spec["training"].pending is not None and spec["training"].pending.pending == "所需材料待核实"


def test_stage_fees_and_longest_limit(small):
    m = merged(small, {"stage": ["before"], "destination": ["hk-macau"], "plans": ["car"]})
    before, after = m.stages
    assert before.stage.id == "before" and after.stage.id == "after"
    assert before.fee_total == 75.5 and ids(before.fee_fixed) == ["permit", "endorsement"]
    assert ids(before.fee_pending) == ["training"] and before.fee_variable == []
    assert before.longest[0].id == "permit"
    assert ids(before.limit_pending) == ["endorsement", "training"]
    assert after.fee_total == 0 and after.fee_fixed == [] and after.fee_pending == []


def test_optional_fee_items_are_not_summed(small):
    m = merged(small, {"stage": ["before"], "destination": ["abroad"]})
    st = m.stages[0]
    assert st.fee_total == 120 and ids(st.fee_fixed) == ["passport"]  # 护照加注 is optional
    assert ids(st.fee_variable) == ["passport"]


def test_only_optional_items_make_no_total():
    from generator.checklist.merge import _summary
    from generator.catalog import load
    from support import CATALOG

    catalog = load(CATALOG)
    passport = next(s for s in catalog.services if s.id == "passport")
    # a service whose every fee item is optional (one-of-several), as 签注 tables are
    items = [i.model_copy(update={"optional": True}) for i in passport.fees.items]
    choice = passport.model_copy(update={"fees": passport.fees.model_copy(update={"items": items})})
    st = _summary(catalog.stages[0], [choice])
    assert st.fee_total == 0 and st.fee_fixed == [] and ids(st.fee_variable) == [choice.id]


def test_working_days_compare_with_calendar_days(small):
    # 7 working days can be 9.8 calendar days: longer than 9 days, shorter than 10.
    both = merge_materials([s for s in small.services if s.id in ("permit", "passport")], small)
    assert both.stages[0].longest[0].id == "passport"
    with_car = merge_materials([s for s in small.services if s.id in ("car", "records")], small)
    assert with_car.stages[0].longest[0].id == "car"


def test_plain_form(small):
    p = to_plain(merged(small, {"stage": ["before"], "destination": ["hk-macau"]}))
    assert p["services"] == ["permit", "endorsement", "training"]
    card = p["shared"][0]
    assert card["id"] == "id-card" and card["originals"] == {"known": 2, "unknown": []}
    assert p["stages"][0]["longest"] == {"service": "permit", "value": 9.0, "unit": "日"}


# ---------------------------------------------------------------- answers as text


def test_parse_answers(small):
    assert parse_answers("#plans=job&stage=after,before&plans=car", small) == {
        "stage": ["before", "after"],
        "plans": ["car", "job"],
    }
    assert parse_answers("?destination=hk-macau", small) == {"destination": ["hk-macau"]}
    assert parse_answers("stage=before%2Cafter", small) == {"stage": ["before", "after"]}


@pytest.mark.parametrize(
    "text, words",
    [
        ("country=abroad", ["问题“country”不存在", "stage"]),
        ("stage=later", ["没有选项“later”", "before"]),
        ("destination=abroad,hk-macau", ["只能选一个答案"]),
        ("stage", ["格式不对"]),
        ("", ["答案为空"]),
    ],
)
def test_parse_answers_errors_in_chinese(small, text, words):
    with pytest.raises(AnswerError) as e:
        parse_answers(text, small)
    for w in words:
        assert w in str(e.value)


def test_format_answers_round_trips(small):
    answers = {"plans": ["job", "car"], "stage": ["after"]}
    text = format_answers(answers, small)
    assert text == "stage=after&plans=car,job"
    assert parse_answers(text, small) == {"stage": ["after"], "plans": ["car", "job"]}
