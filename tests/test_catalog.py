"""The shipped catalog: the plan's 30 services in its order, its 8 departments, and the known traps."""

from __future__ import annotations

import pytest

from support import CATALOG
from generator.catalog import CatalogError, load
from generator.schema import is_pending

PLAN = [  # (stage, category, number, name) in the order of section 三 of 威人社字〔2025〕16号
    *[("before", "government", i + 1, n) for i, n in enumerate([
        "普通护照签发", "往来港澳通行证签发", "往来港澳签注签发(逗留签注)", "往来台湾通行证签发",
        "前往台湾签注签发(学习签注)", "留学人才人事档案接收", "基本医疗保险参保人员参保信息查询", "社会保障卡申领(成年人)"])],
    *[("after", "government", i + 1, n) for i, n in enumerate([
        "国(境)外学历学位认证", "留学人员购买免税国产汽车", "查询出入境记录", "留学人才人事档案材料收集",
        "留学人才人事档案转出", "小微企业一次性创业补贴申领", "个体工商户一次性创业补贴申领", "个人申请创业担保贷款资格审核",
        "个人社会保险参保缴费证明查询打印", "个人社会保险权益记录查询打印", "大型科学仪器设备资源共享"])],
    ("before", "value-added", 1, "出国(境)留学行前培训服务"),
    ("abroad", "value-added", 1, "留学期间关怀服务(政策推介、咨询、解读,就业政策和岗位推送)"),
    *[("after", "value-added", i + 1, n) for i, n in enumerate([
        "留学人才就业岗位推荐", "留学生一次性留学补贴申请", "留学人员企业一次性创业资助资金申报", "留学人才职称申报",
        "科技文献查询", "创业辅导(政策宣讲、项目孵化、融资对接、主题培训)", "留学人才联谊交流", "留学人才劳动人事争议调解",
        "企业营业执照信息核验"])],
]


@pytest.fixture(scope="module")
def catalog():
    return load(CATALOG)


def test_thirty_services_in_plan_order(catalog):
    got = [(s.stage, s.category, s.number, s.name) for s in catalog.services]
    assert got == PLAN


def test_eight_departments(catalog):
    assert {d.short_name for d in catalog.departments if d.in_plan} == {
        "市人力资源社会保障局", "市委统战部", "市科技局", "市公安局", "市医保局", "市大数据局", "威海海关", "荣成海关"}


def test_services_the_plan_assigns_to_no_department(catalog):
    """Section 五 of the plan names no department for these two: the catalog must not imply 市人社局 does them."""
    by_id = {s.id: s for s in catalog.services}
    outside = {d.id for d in catalog.departments if not d.in_plan}
    for sid in ("degree-verification", "business-license-check"):
        assert by_id[sid].department in outside, sid
        assert "未指定" in by_id[sid].verification.note, sid


def test_plan_departments(catalog):
    by_id = {s.id: s for s in catalog.services}
    police = {s.id for s in catalog.services if s.department == "police"}
    assert police == {"passport", "hk-macau-permit", "hk-macau-stay-endorsement", "taiwan-permit",
                      "taiwan-study-endorsement", "exit-entry-records"}
    assert by_id["duty-free-car"].department == "weihai-customs" and "rongcheng-customs" in by_id["duty-free-car"].co_departments
    assert {s.id for s in catalog.services if s.department == "science"} == {"instrument-sharing", "literature-search"}
    assert by_id["medical-insurance-query"].department == "healthcare-security"


def _texts(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _texts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _texts(v)


def test_abolished_certificate_is_never_a_material(catalog):
    for s in catalog.services:
        if is_pending(s.materials):
            continue
        for m in s.materials:
            assert "留学回国人员证明" not in (m.name or ""), s.id


def test_social_insurance_record_queries_are_free(catalog):
    """社会保险法 第七十四条第四款: querying and checking one's own records is free."""
    by_id = {s.id: s for s in catalog.services}
    for sid in ("insurance-payment-certificate", "insurance-rights-record", "medical-insurance-query"):
        fees = by_id[sid].fees
        assert not is_pending(fees) and fees.charged is False and "第七十四条第四款" in fees.note, sid


def test_current_fees(catalog):
    by_id = {s.id: s for s in catalog.services}
    passport = {i.name: i.amount for i in by_id["passport"].fees.items}
    assert 120 in passport.values() and 160 not in passport.values()
    assert 60 in {i.amount for i in by_id["hk-macau-permit"].fees.items}


def test_degree_law_not_the_repealed_regulation(catalog):
    for s in catalog.services:
        if not is_pending(s.legal_basis):
            for b in s.legal_basis:
                assert "学位条例" not in b.title, s.id


def test_every_element_has_a_source_or_is_pending(catalog):
    """A value a person relies on carries its source; an unknown one says 待核实."""
    for s in catalog.services:
        for name in ("legal_basis", "conditions", "results", "phones"):
            element = getattr(s, name)
            if is_pending(element):
                assert element.pending.strip()
                continue
            for item in element:
                assert item.source, f"{s.id}.{name}: {item}"
        for which in ("statutory", "committed"):
            t = getattr(s.time_limits, which)
            assert is_pending(t) or t.source, f"{s.id}.time_limits.{which}"
        assert is_pending(s.fees) or s.fees.source, f"{s.id}.fees"


def test_nobody_confirmed_what_nobody_confirmed(catalog):
    assert all(s.verification.status == "待核实" for s in catalog.services)


def test_load_raises_with_every_error(write, minimal_text):
    from support import edited

    text = edited(minimal_text, "    department: hrss\n", "    department: nobody\n")
    with pytest.raises(CatalogError) as info:
        load(write(text))
    assert [d.rule for d in info.value.diagnostics] == ["ref"]


def test_research_notes_stay_in_editor_notes():
    """Public text gives the reason an applicant can act on; where a lead came from is an editor's note."""
    from generator.located import parse_file

    loaded = parse_file(CATALOG)
    public = [(path, node) for path, node in loaded.nodes
              if isinstance(node, str) and path[0] not in ("sources", "meta") and "editor_note" not in path]
    assert len(public) > 500
    for path, text in public:
        for phrase in ("第三方", "取自同一大厅", "本地宝", "南阳", "焦作", "烟台", "6个月内"):
            assert phrase not in text, (path, phrase)
