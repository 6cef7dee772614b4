"""Every rule, passing and failing, located at the exact line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from support import edited
from generator.catalog import check
from generator.links import check_link
from generator.rules import RULES

TODAY = dt.date(2026, 11, 27)


def at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text`` (plus ``offset`` characters)."""
    i = text.index(needle) + offset
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def findings(write, text, rule=None, severity=None):
    report = check(write(text), today=TODAY)
    return [
        d for d in report.diagnostics
        if (rule is None or d.rule == rule) and (severity is None or d.severity == severity)
    ]


def only(write, text, rule, severity="error"):
    found = findings(write, text, rule, severity)
    assert len(found) == 1, found
    return found[0]


def test_minimal_fixture_is_clean(write, minimal_text):
    assert findings(write, minimal_text, severity="error") == []


def test_every_rule_is_exercised_here():
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    for rule_id in RULES:
        assert f'"{rule_id}"' in source, f"rule {rule_id} has no test"


def test_unique_id(write, minimal_text):
    text = edited(minimal_text, "  - id: archive\n", "  - id: passport\n")
    d = only(write, text, "unique-id")
    assert (d.line, d.column) == at(text, "passport", text.index("  - id: passport", text.index("  - id: passport") + 1) - text.index("passport") + 8)
    assert "重复" in d.message


def test_unique_department(write, minimal_text):
    text = edited(minimal_text, "  - id: hrss\n", "  - id: police\n")
    assert "部门编号" in only(write, text, "unique-id").message


def test_ref_department(write, minimal_text):
    text = edited(minimal_text, "    department: hrss\n", "    department: hrs\n")
    d = only(write, text, "ref")
    assert (d.line, d.column) == at(text, "hrs\n")
    assert "“hrs”不存在" in d.message


def test_ref_lead_department(write, minimal_text):
    text = edited(minimal_text, "lead_department: police", "lead_department: customs")
    d = only(write, text, "ref")
    assert (d.line, d.column) == at(text, "customs") and "牵头部门“customs”不存在" in d.message


def test_ref_material(write, minimal_text):
    text = edited(minimal_text, "{ref: id-card,", "{ref: id-crd,")
    d = only(write, text, "ref")
    assert (d.line, d.column) == at(text, "id-crd")


def test_ref_source(write, minimal_text):
    text = edited(minimal_text, "{title: 《测试法》, article: 第六条, source: [law]}", "{title: 《测试法》, article: 第六条, source: [lawx]}")
    d = only(write, text, "ref")
    assert (d.line, d.column) == at(text, "lawx")


def test_ref_related_and_replaced_by(write, minimal_text):
    text = edited(minimal_text, "related: [archive]", "related: [archiv]")
    assert only(write, text, "ref").line == at(text, "archiv]")[0]
    text = edited(minimal_text, "related: [archive]", "related: [passport]")
    d = only(write, text, "ref")
    assert "本事项自己" in d.message and d.line == at(text, "passport]")[0]
    retired = "    status: retired\n    retired_on: 2026-01-01\n    replaced_by: {target}\n"
    for target, says in (("archiv", "替代事项“archiv”不存在"), ("passport", "替代事项不能是本事项自己")):
        text = edited(minimal_text, "related: [archive]", "related: [archive]\n" + retired.format(target=target).rstrip("\n"))
        d = only(write, text, "ref")
        assert says in d.message and d.line == at(text, f"replaced_by: {target}")[0], d


def test_ref_applies_question(write, minimal_text):
    text = edited(minimal_text, "    keywords: [办护照]\n", "    keywords: [办护照]\n    applies:\n      - {where: [abroad]}\n")
    d = only(write, text, "ref")
    assert "问题" in d.message and (d.line, d.column) == at(text, "where")


def test_unused_source_is_a_warning(write, minimal_text):
    text = edited(minimal_text, "sources:\n", "sources:\n  - {id: spare, title: 多余, type: news}\n")
    d = only(write, text, "unused", "warning")
    assert (d.line, d.column) == at(text, "spare")


def test_material_ref_or_name(write, minimal_text):
    text = edited(minimal_text, "{ref: id-card, originals: 1, copies: 0}", "{ref: id-card, name: 身份证, originals: 1}")
    assert "二者只能选一" in only(write, text, "material").message


def test_material_condition_required(write, minimal_text):
    text = edited(minimal_text, "required: false, condition: 窗口不能现场拍照时", "required: false")
    d = only(write, text, "material")
    assert (d.line, d.column) == at(text, "required: false")


def test_committed_longer_than_statutory(write, minimal_text):
    text = edited(minimal_text, "committed: {value: 7, unit: 工作日}", "committed: {value: 16, unit: 工作日}")
    d = only(write, text, "time-limit")
    assert (d.line, d.column) == at(text, "{value: 16")
    assert "16个工作日" in d.message and "15日" in d.message


def test_committed_working_days_within_calendar_days_is_fine(write, minimal_text):
    text = edited(minimal_text, "committed: {value: 7, unit: 工作日}", "committed: {value: 15, unit: 工作日}")
    assert findings(write, text, "time-limit") == []  # 15 working days can't be shorter than 15 days, but equal is allowed


def test_committed_same_unit(write, minimal_text):
    text = edited(minimal_text, "committed: {value: 7, unit: 工作日}", "committed: {value: 20, unit: 日}")
    assert only(write, text, "time-limit")


def test_immediate_has_no_value(write, minimal_text):
    text = edited(minimal_text, "committed: {value: 7, unit: 工作日}", "committed: {value: 7, unit: 即办}")
    assert "即办" in only(write, text, "time-limit").message


def test_fee_charged_needs_items_and_basis(write, minimal_text):
    text = edited(minimal_text, "      basis: 发改价格〔2019〕914号\n", "")
    d = only(write, text, "fee")
    assert "收费依据" in d.message and (d.line, d.column) == at(text, "charged: true")


def test_free_service_lists_no_items(write, minimal_text):
    text = edited(minimal_text, "fees: {charged: false, source: [law]}", "fees: {charged: false, items: [{name: 工本费, amount: 5, unit: 本}]}")
    assert only(write, text, "fee")


def test_government_service_needs_legal_basis(write, minimal_text):
    text = edited(minimal_text, "    legal_basis:\n      - {title: 《测试法》, article: 第六条, source: [law]}\n", "    legal_basis: []\n")
    d = only(write, text, "legal-basis")
    assert (d.line, d.column) == at(text, "[]\n    materials")


def test_legal_basis_follows_the_category_kind_not_its_name(write, minimal_text):
    no_basis = edited(minimal_text, "    legal_basis:\n      - {title: 《测试法》, article: 第六条, source: [law]}\n", "    legal_basis: []\n")
    renamed = edited(no_basis, "name: 政务服务, description", "name: 依法办理的服务, description")
    assert only(write, renamed, "legal-basis")
    # A value-added category named like the government one asks for no legal basis.
    swapped = edited(no_basis, "kind: government", "kind: value-added")
    assert findings(write, swapped, "legal-basis") == []


def test_category_kind_is_required(write, minimal_text):
    text = edited(minimal_text, ", kind: government}", "}")
    d = only(write, text, "schema")
    assert "kind" in d.message


def test_pending_legal_basis_is_a_warning(write, minimal_text):
    assert only(write, minimal_text, "legal-basis", "warning")


def test_plan_number_unique(write, minimal_text):
    text = edited(minimal_text, "    number: 2\n", "    number: 1\n")
    assert "序号 1" in only(write, text, "plan-number").message


def test_retired_needs_date(write, minimal_text):
    text = edited(minimal_text, "    verification: {status: 部门已确认", "    status: retired\n    replaced_by: passport\n    verification: {status: 部门已确认")
    assert "retired_on" in only(write, text, "retired").message


def test_retired_properly(write, minimal_text):
    text = edited(minimal_text, "    verification: {status: 部门已确认", "    status: retired\n    retired_on: 2026-06-01\n    replaced_by: passport\n    verification: {status: 部门已确认")
    assert findings(write, text, "retired") == []


def test_active_with_replacement_is_an_error(write, minimal_text):
    text = edited(minimal_text, "    verification: {status: 部门已确认", "    replaced_by: passport\n    verification: {status: 部门已确认")
    assert only(write, text, "retired")


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://s.nia.gov.cn", True),
        ("https://www.gov.cn/path?q=1", True),
        ("http://s.nia.gov.cn", False),
        ("https://gov.cn.evil.com", False),
        ("https://evilgov.cn", False),
        ("https://gov.cn@evil.com", False),
        ("https://xn--gov-cn-xyz.gov.cn", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ('https://s.nia.gov.cn/a"onmouseover="x', False),
        ("https://s.nia.gov.cn/a b", False),
        ("https://s.nia.gov.cn/a'b", False),
        ("https://s.nia.gov.cn/<x>", False),
        ("https://s.nia.gov.cn/a\\b", False),
        ("https://s.nia.gov.cn/a\tb", False),
        ("https://s.nia.gov.cn/a\u0007b", False),
        ("https://s.nia.gov.cn/a\u3000b", False),
        ("https://s.nia.gov.cn/a%20b", True),
    ],
)
def test_check_link(url, ok):
    assert (check_link(url, ["gov.cn"]) is None) is ok


def test_lookalike_link_in_catalog(write, minimal_text):
    text = edited(minimal_text, '"https://s.nia.gov.cn"', '"https://s.nia-gov.cn"')
    d = only(write, text, "link")
    assert (d.line, d.column) == at(text, '"https://s.nia-gov.cn"')
    assert "仿冒" in d.message


def test_site_url_outside_allowed_domains(write, minimal_text):
    text = edited(minimal_text, "site_url: https://guide.test.gov.cn", "site_url: https://guide.example.com")
    assert any(d.rule == "link" for d in findings(write, text, severity="error"))
    assert findings(write, text, "placeholder", "warning")


@pytest.mark.parametrize("bad", ['a"b', "a b", "a<b"])
def test_link_with_quote_or_space_is_located(write, minimal_text, bad):
    text = edited(minimal_text, '"https://s.nia.gov.cn"', f"'https://s.nia.gov.cn/{bad}'")
    d = only(write, text, "link")
    assert (d.line, d.column) == at(text, f"'https://s.nia.gov.cn/{bad}'")
    assert "空格" in d.message


def test_bad_link_domain_entry(write, minimal_text):
    text = edited(minimal_text, "link_domains: [gov.cn]", "link_domains: [gov.cn, 'https://x.cn/']")
    assert "不是有效的域名" in only(write, text, "link").message


@pytest.mark.parametrize("number,ok", [("12367", True), ("0631-5897000", True), ("010-62677800", True),
                                       ("13800138000", True), ("400-123-4567", True), ("0631 5897000", False),
                                       ("5897000", False), ("电话", False), ("0631-58970000000", False)])
def test_phone(write, minimal_text, number, ok):
    text = edited(minimal_text, '{kind: 咨询, number: "12367"}', f'{{kind: 咨询, number: "{number}"}}')
    found = findings(write, text, "phone")
    assert (found == []) is ok
    if not ok:
        assert (found[0].line, found[0].column) == at(text, f'"{number}"')


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "点击<a href=x>这里</a>", "javascript:alert(1)", "&lt;b&gt;", "<img src=x onerror=alert(1)>"])
def test_markup_in_text(write, minimal_text, hostile):
    text = edited(minimal_text, "summary: 为出国人员签发普通护照。", f"summary: '{hostile}'")
    d = only(write, text, "markup")
    assert (d.line, d.column) == at(text, f"'{hostile}'")


@pytest.mark.parametrize("char,zh", [("\u202e", "从右到左"), ("\u202a", "从左到右"), ("\u2066", "方向"),
                                     ("\u2069", "方向"), ("\u200f", "方向"), ("\u061c", "方向"),
                                     ("\u200b", "零宽"), ("\u200d", "零宽"), ("\u2060", "零宽"), ("\ufeff", "零宽")])
def test_invisible_control_characters(write, minimal_text, char, zh):
    name = f"普通{char}护照签发"
    text = edited(minimal_text, "    name: 普通护照签发\n", f"    name: {name}\n")
    d = only(write, text, "invisible-char")
    assert (d.line, d.column) == at(text, name)
    assert f"U+{ord(char):04X}" in d.message and zh in d.message


def test_invisible_control_character_in_pending_note(write, minimal_text):
    text = edited(minimal_text, "address: {pending: 待核实}", 'address: {pending: "待\\u202e核实"}')
    d = only(write, text, "invisible-char")
    assert (d.line, d.column) == at(text, '"待')


def test_chinese_angle_text_is_not_markup(write, minimal_text):
    text = edited(minimal_text, "summary: 为出国人员签发普通护照。", "summary: 年龄 < 16 周岁,《护照法》第六条 a < b、x<1")
    assert findings(write, text, "markup") == []


def test_verification_in_future(write, minimal_text):
    text = edited(minimal_text, "date: 2026-01-01}", "date: 2027-01-01}")
    d = only(write, text, "verification")
    assert (d.line, d.column) == at(text, "2027-01-01")


def test_verification_stale_is_a_warning(write, minimal_text):
    text = edited(minimal_text, "confirmed_by: hrss-editor, date: 2026-01-01}", "confirmed_by: hrss-editor, date: 2025-01-01}")
    d = only(write, text, "verification-stale", "warning")
    assert "365" in d.message


def test_confirmed_needs_who_and_when(write, minimal_text):
    text = edited(minimal_text, "{status: 部门已确认, confirmed_by: hrss-editor, date: 2026-01-01}", "{status: 部门已确认}")
    assert only(write, text, "verification")


def test_schema_errors_are_located_in_chinese(write, minimal_text):
    text = edited(minimal_text, "    case_type: 承诺件\n", "    case_type: 承诺件\n    colour: red\n")
    d = only(write, text, "schema")
    assert (d.line, d.column) == at(text, "colour")
    assert "未知字段" in d.message


def test_schema_missing_field_points_at_parent(write, minimal_text):
    text = edited(minimal_text, "    summary: 接收人事档案。\n", "")
    d = only(write, text, "schema")
    assert "summary" in d.message and "事项简介" in d.message
    assert d.line == at(text, "  - id: archive")[0]


def test_schema_type_error_hints_quotes(write, minimal_text):
    text = edited(minimal_text, "    audience: 因私出国的中国公民\n", "    audience: yes\n")
    d = only(write, text, "schema")
    assert (d.line, d.column) == at(text, "yes\n")
    assert "加引号" in d.message


def test_schema_error_inside_pending_union(write, minimal_text):
    text = edited(minimal_text, "statutory: {value: 15, unit: 日, source: [law]}", "statutory: {value: 15, unit: 天, source: [law]}")
    d = only(write, text, "schema")
    assert (d.line, d.column) == at(text, "天")
    assert "工作日" in d.message


def test_schema_bad_slug(write, minimal_text):
    text = edited(minimal_text, "  - id: archive\n", "  - id: Archive_1\n")
    d = only(write, text, "schema")
    assert "小写英文字母" in d.message


def test_pending_needs_a_note(write, minimal_text):
    text = edited(minimal_text, "    audience: {pending: 待核实}\n", "    audience: {pending: ''}\n")
    assert "不能为空" in only(write, text, "schema").message


def test_stage_question_must_offer_every_stage(write, minimal_text):
    text = edited(
        minimal_text, "materials:\n  - {id: id-card",
        "questions:\n  - id: stage\n    text: 阶段?\n    answers:\n      - {id: before, label: 出国前}\n"
        "materials:\n  - {id: id-card",
    )
    d = only(write, text, "ref")
    assert "stage" in d.message and (d.line, d.column) == at(text, "answers:\n      - {id: before")
    fixed = edited(text, "      - {id: before, label: 出国前}\n", "      - {id: before, label: 出国前}\n      - {id: after, label: 回国后}\n")
    assert findings(write, fixed, "ref") == []


def test_impossible_date_is_a_schema_error_among_others(write, minimal_text):
    text = edited(minimal_text, "  date: 2026-01-01\n", "  date: 2026-13-01\n")
    text = edited(text, "    department: hrss\n", "    department: hrss\n    colour: red\n")
    report = check(write(text), today=TODAY)
    rules = sorted(d.rule for d in report.diagnostics if d.severity == "error")
    assert rules == ["schema", "schema"]
    date = next(d for d in report.diagnostics if "日期" in d.message)
    assert (date.line, date.column) == at(text, "2026-13-01")


def test_misspelled_field_gets_a_suggestion(write, minimal_text):
    text = edited(minimal_text, "    legal_basis: {pending: 待核实}\n", "    legal_bases: {pending: 待核实}\n")
    extra = [d for d in findings(write, text, "schema") if "未知字段" in d.message]
    assert len(extra) == 1 and "是否应为“legal_basis”" in extra[0].message


def test_choice_error_lists_the_choices_in_chinese(write, minimal_text):
    text = edited(minimal_text, "committed: {value: 7, unit: 工作日}", "committed: {value: 7, unit: 周}")
    d = only(write, text, "schema")
    assert d.message.endswith("只能是:工作日、日、即办")


# ---------------------------------------------------------------- sources: kinds, localities, deny list

def with_sources(text: str, entries: str) -> str:
    return edited(text, "sources:\n  - {id: law, title: 《测试法》, type: law_text}\n",
                  "sources:\n  - {id: law, title: 《测试法》, type: law_text}\n" + entries)


def test_official_source_must_sit_on_an_official_domain(write, minimal_text):
    text = with_sources(minimal_text, "  - {id: page, title: 转载, type: official, locality: national, url: 'https://gov.cn.mirror.example.com/a'}\n")
    text = edited(text, "{text: 因学习等非公务原因出国, source: [law]}", "{text: 因学习等非公务原因出国, source: [page]}")
    d = only(write, text, "source-kind")
    assert (d.line, d.column) == at(text, "'https://gov.cn.mirror.example.com/a'")
    assert "官方域名" in d.message
    ok = edited(text, "https://gov.cn.mirror.example.com/a", "whzwfw.sd.gov.cn/wh/page")  # no scheme: still a host
    assert findings(write, ok, "source-kind") == []


def test_official_domains_are_data(write, minimal_text):
    text = with_sources(minimal_text, "  - {id: page, title: 留服中心, type: official, locality: national, url: 'https://www.cscse.edu.cn/x'}\n")
    text = edited(text, "{text: 因学习等非公务原因出国, source: [law]}", "{text: 因学习等非公务原因出国, source: [page]}")
    assert only(write, text, "source-kind")
    allowed = edited(text, "  link_domains: [gov.cn]\n", "  link_domains: [gov.cn]\n  official_domains: [gov.cn, cscse.edu.cn]\n")
    assert findings(write, allowed, "source-kind") == []
    bad = edited(text, "  link_domains: [gov.cn]\n", "  link_domains: [gov.cn]\n  official_domains: ['https://gov.cn/']\n")
    d = [x for x in findings(write, bad, "source-kind") if "不是有效的域名" in x.message]
    assert len(d) == 1 and (d[0].line, d[0].column) == at(bad, "'https://gov.cn/'")


def test_state_media_names_its_outlet(write, minimal_text):
    text = with_sources(minimal_text, "  - {id: xinhua, title: 报道, type: state_media, locality: national}\n")
    text = edited(text, "{text: 因学习等非公务原因出国, source: [law]}", "{text: 因学习等非公务原因出国, source: [xinhua]}")
    d = only(write, text, "source-kind")
    assert (d.line, d.column) == at(text, "state_media")
    assert "outlet" in d.message
    named = edited(text, "type: state_media,", "type: state_media, outlet: 新华社,")
    assert findings(write, named, "source-kind") == []


def test_source_without_locality_is_a_warning(write, minimal_text):
    text = with_sources(minimal_text, "  - {id: paper, title: 报道, type: news}\n")
    text = edited(text, "{text: 因学习等非公务原因出国, source: [law]}", "{text: 因学习等非公务原因出国, source: [paper]}")
    d = only(write, text, "source-kind", "warning")
    assert (d.line, d.column) == at(text, "paper,")
    assert findings(write, text, "source-kind", "error") == []


def test_denied_host_anywhere_is_an_error(write, minimal_text):
    deny = edited(minimal_text, "  link_domains: [gov.cn]\n", "  link_domains: [gov.cn]\n  denied_hosts: [spam.example.net]\n")
    as_source = with_sources(deny, "  - {id: copy, title: 转载, type: secondary, locality: national, url: 'm.spam.example.net/p/1.html'}\n")
    d = only(write, as_source, "denied-host")
    assert (d.line, d.column) == at(as_source, "'m.spam.example.net/p/1.html'")
    in_note = edited(deny, "summary: 为出国人员签发普通护照。", "summary: 为出国人员签发普通护照(见 SPAM.example.net)。")
    d = only(write, in_note, "denied-host")
    assert (d.line, d.column) == at(in_note, "为出国人员签发普通护照(见")
    lookalike = edited(deny, "summary: 为出国人员签发普通护照。", "summary: 为出国人员签发普通护照(notspam.example.net)。")
    assert findings(write, lookalike, "denied-host") == []
    assert findings(write, deny, "denied-host") == []  # the list itself is not a mention


def test_denied_host_entry_must_be_a_domain(write, minimal_text):
    text = edited(minimal_text, "  link_domains: [gov.cn]\n", "  link_domains: [gov.cn]\n  denied_hosts: ['http://spam.example.net/x']\n")
    d = only(write, text, "denied-host")
    assert (d.line, d.column) == at(text, "'http://spam.example.net/x'")


def test_another_citys_page_is_not_this_citys_value(write, minimal_text):
    text = with_sources(minimal_text, "  - {id: nanyang, title: 南阳市指南, type: official, locality: 南阳, url: 'https://www.nanyang.gov.cn/a'}\n")
    text = edited(text, "committed: {value: 7, unit: 工作日}", "committed: {value: 7, unit: 工作日, source: [nanyang]}")
    d = only(write, text, "locality")
    assert (d.line, d.column) == at(text, "source: [nanyang]")
    assert "南阳" in d.message and "测试市" in d.message
    pending = edited(text, "committed: {value: 7, unit: 工作日, source: [nanyang]}",
                     "committed: {pending: 本市承诺时限待核实, source: [nanyang], editor_note: 南阳为7个工作日}")
    assert findings(write, pending, "locality") == []
    with_home = edited(text, "source: [nanyang]}", "source: [nanyang, law]}")
    assert findings(write, with_home, "locality") == []
    province = edited(text, "  link_domains: [gov.cn]\n", "  link_domains: [gov.cn]\n  home_localities: [national, 南阳]\n")
    assert findings(write, province, "locality") == []
    spelled = edited(province, "locality: 南阳,", "locality: 南阳市,")  # 南阳市 and 南阳 are one place
    assert findings(write, spelled, "locality") == []


def test_secondary_only_value_must_be_pending(write, minimal_text):
    text = with_sources(minimal_text, "  - {id: farm, title: 第三方网页, type: secondary, locality: national}\n")
    text = edited(text, "{text: 因学习等非公务原因出国, source: [law]}", "{text: 因学习等非公务原因出国, source: [farm]}")
    d = only(write, text, "secondary-only")
    assert (d.line, d.column) == at(text, "source: [farm]")
    assert "farm" in d.message and "editor_note" in d.message
    backed = edited(text, "source: [farm]}", "source: [farm, law]}")
    assert findings(write, backed, "secondary-only") == []
    pending = edited(text, "      - {text: 因学习等非公务原因出国, source: [farm]}\n",
                     "      pending: 受理条件待核实\n      source: [farm]\n      editor_note: 第三方网页称因学习等非公务原因出国\n")
    pending = edited(pending, "    conditions:\n      pending", "    conditions:\n      pending")
    assert findings(write, pending, "secondary-only") == []
    assert findings(write, pending, severity="error") == []


def test_evidence_strength_is_computed_per_element(write, minimal_text):
    from generator.located import parse_file
    from generator.evidence import counts_by_department, evidence

    text = with_sources(minimal_text, "  - {id: farm, title: 第三方网页, type: secondary, locality: national}\n"
                                      "  - {id: paper, title: 报道, type: state_media, outlet: 新华社, locality: national}\n")
    text = edited(text, "{title: 《测试法》, article: 第六条, source: [law]}", "{title: 《测试法》, article: 第六条, source: [paper]}")
    text = edited(text, "{text: 因学习等非公务原因出国, source: [law]}", "{text: 因学习等非公务原因出国, source: [farm]}")
    loaded = parse_file(write(text))
    got = {(e.service, e.element): e.strength for e in evidence(loaded.catalog)}
    assert got[("passport", "legal_basis")] == "media"
    assert got[("passport", "conditions")] == "secondary"
    assert got[("passport", "time_limits.statutory")] == "official"
    assert got[("passport", "audience")] == "unsourced"
    assert got[("passport", "case_type")] == "unsourced"
    assert got[("archive", "fees")] == "confirmed"  # archive's department confirmed it
    assert got[("archive", "materials")] == "pending"
    counts = counts_by_department(loaded.catalog)
    assert counts["hrss"]["pending"] == 11 and counts["hrss"]["confirmed"] == 2
    assert sum(counts["police"].values()) == 13


def test_a_flood_of_schema_errors_is_cut_short_and_counted(write, minimal_text):
    from generator.diagnostics import MAX_REPORTED

    n = MAX_REPORTED * 3
    text = edited(minimal_text, "keywords: [办护照]", "keywords: [" + ", ".join(["1"] * n) + "]")
    report = check(write(text), today=TODAY)
    schema = [d for d in report.diagnostics if d.rule == "schema"]
    assert len(schema) == MAX_REPORTED + 1
    last = max(schema, key=lambda d: (d.line, d.column))
    assert f"共 {n} 处" in last.message and f"只列出前 {MAX_REPORTED} 处" in last.message


def test_a_flood_of_rule_findings_is_cut_short(write, minimal_text):
    from generator.diagnostics import MAX_REPORTED

    n = MAX_REPORTED * 3
    text = edited(minimal_text, "keywords: [办护照]", "keywords: [" + ", ".join(["'<b>'"] * n) + "]")
    found = findings(write, text, "markup")
    assert len(found) == MAX_REPORTED + 1
    assert any(f"只列出前 {MAX_REPORTED} 处" in d.message for d in found)


def _with_extra_materials(text: str, n: int, note: str = "") -> str:
    anchor = "      - {name: 照片, required: false, condition: 窗口不能现场拍照时}\n"
    extra = "".join(f"      - {{name: 其他证明材料{i}, issuer: 有关单位, originals: 1, copies: 1{', note: ' + note if note else ''}}}\n"
                    for i in range(n))
    return edited(text, anchor, anchor + extra)


def test_flyer_fit_warns_when_even_the_brief_flyer_overflows_its_sheet(write, minimal_text):
    assert findings(write, minimal_text, "flyer-fit") == []
    # 12 more materials: two pages, printed front and back; still one sheet, so no warning.
    assert findings(write, _with_extra_materials(minimal_text, 12), "flyer-fit") == []
    text = _with_extra_materials(minimal_text, 40)
    d = only(write, text, "flyer-fit", "warning")
    assert (d.line, d.column) == at(text, "id: passport")
    assert "精简版" in d.message and "第 3 页" in d.message and "毫米" in d.message


def test_flyer_fit_is_quiet_when_leaving_notes_out_makes_the_flyer_fit(write, minimal_text):
    """Full detail overflows the sheet, brief fits: the designed fallback, reported by guide print."""
    from generator import flyerfit
    from generator.catalog import load

    note = "须为有效期内的原件，复印件须清晰完整并由本人逐页签名确认，外文材料须附有资质机构出具的中文译本"
    text = _with_extra_materials(minimal_text, 30, note)
    catalog = load(write(text))
    passport = next(s for s in catalog.services if s.id == "passport")
    assert flyerfit.pages(catalog, passport, "full") > flyerfit.SHEET_PAGES  # the case is real
    assert flyerfit.pages(catalog, passport, "brief") <= flyerfit.SHEET_PAGES
    assert findings(write, text, "flyer-fit") == []
def test_keyword_claimed_by_two_services_is_a_warning_at_the_second(write, minimal_text):
    text = edited(minimal_text, "    summary: 接收人事档案。\n", "    summary: 接收人事档案。\n    keywords: [存档案, 办护照]\n")
    d = only(write, text, "keyword", "warning")
    second = text.index("办护照", text.index("存档案"))
    assert (d.line, d.column) == at(text, "存档案", second - text.index("存档案"))
    assert "“办护照”已用于事项“passport”(第 79 行)" in d.message
    assert findings(write, text, severity="error") == []


def test_keyword_repeated_by_one_service_or_unique_is_fine(write, minimal_text):
    text = edited(minimal_text, "    summary: 接收人事档案。\n", "    summary: 接收人事档案。\n    keywords: [存档案, 档案在哪]\n")
    assert findings(write, text, "keyword") == []


def test_keyword_of_a_retired_service_is_not_a_claim(write, minimal_text):
    text = edited(minimal_text, "    summary: 接收人事档案。\n",
                  "    summary: 接收人事档案。\n    keywords: [办护照]\n    status: retired\n    replaced_by: passport\n"
                  "    retired_on: 2026-01-01\n    retired_note: 并入护照办理\n")
    assert findings(write, text, "keyword") == []
    assert findings(write, text, severity="error") == []
