"""The 核对表 loop with a real spreadsheet program: export, staff edit, LibreOffice re-save, import."""

from __future__ import annotations

import re

from conftest import DAY, Staff, guide, import_

from generator.catalog import load
from generator.schema import Fees, Pending, TimeLimit


def _comments(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("#")]


def test_round_trip_without_edits_leaves_the_catalog_byte_identical(catalog, export, libreoffice):
    before = catalog.read_bytes()
    departments = [d.id for d in load(catalog).departments]
    saved = libreoffice(*(export(d) for d in departments))
    for d, path in zip(departments, saved):
        r = import_(path, catalog, "--department", d)
        assert r.exit_code == 0, r.output  # every locked cell reads back as written
        assert "没有可导入的意见" in r.stdout and "没有变更" in r.stdout and "未采用" not in r.stdout
    assert catalog.read_bytes() == before
    assert sorted(p.name for p in catalog.parent.iterdir()) == ["services.yaml"]  # no temp file left


def test_staff_edits_re_saved_by_libreoffice_are_applied(catalog, export, libreoffice, tmp_path):
    before = catalog.read_text(encoding="utf-8")
    old_path = tmp_path / "exported.yaml"
    old_path.write_text(before, encoding="utf-8")
    photo = next(m.name for m in load(catalog).materials if m.id == "photo")
    staff = Staff(export("police"))
    staff.fill("passport", "服务对象", "确认无误")
    staff.fill("passport", "收费标准", "需更正", "普通护照 120元/本\n护照加注 20元/项(按需)\n收费依据:发改价格〔2019〕914号")
    staff.fill("passport", "承诺办结时限", "需更正", "7个工作日\n说明:户籍地申请")
    staff.fill("passport", "办件类型", "需更正", "承诺件")
    staff.fill("passport", "电话", "需更正", "咨询 12367\n咨询 0631-12367\n监督投诉 0631-5897001")
    staff.fill("hk-macau-permit", "申请材料", "需更正", f"居民身份证(原件1份,复印件1份)\n{photo}\n新的材料(有条件提交:未满16周岁)")
    staff.fill("passport", "网上办理", "本部门不办理此项", basis=None, note="由国家移民管理局负责")
    saved = libreoffice(staff.save(tmp_path / "returned.xlsx"))

    r = import_(saved, catalog)
    assert r.exit_code == 0, r.output
    c = load(catalog)  # the normal loader and checker accept it
    p = next(s for s in c.services if s.id == "passport")
    assert isinstance(p.fees, Fees) and [(i.name, i.amount, i.unit, i.optional) for i in p.fees.items] == [
        ("普通护照", 120, "本", False), ("护照加注", 20, "项", True)]
    assert p.fees.basis == "发改价格〔2019〕914号"
    # the lead it rested on (a secondary page, another city's page) is not carried into the corrected
    # value, which the secondary-only and locality rules would refuse: no source, the confirmation is its evidence
    was = next(s for s in load(old_path).services if s.id == "passport").time_limits.committed
    kinds = {x.id: x.type for x in c.sources}
    assert isinstance(was, Pending) and any(kinds[ref] == "secondary" for ref in was.source)
    assert p.time_limits.committed == TimeLimit(value=7, unit="工作日", note="户籍地申请")
    assert p.time_limits.committed.source == []  # type: ignore[union-attr]
    assert p.case_type == "承诺件"
    assert [(x.kind, x.number) for x in p.phones][-1] == ("监督投诉", "0631-5897001")  # type: ignore[union-attr]
    # unchanged phone lines keep their notes and sources
    assert p.phones[0].note and p.phones[0].source  # type: ignore[index]
    checks = p.verification.elements
    assert checks["audience"].status == "部门已确认" and checks["audience"].confirmed_by == "张三"
    assert checks["audience"].basis == "发改价格〔2019〕914号" and str(checks["audience"].date) == DAY
    assert checks["fees"].status == "部门已更正" and checks["phones"].status == "部门已更正"
    assert checks["channels.online"].status == "本部门不办理" and checks["channels.online"].note == "由国家移民管理局负责"
    # a corrected value carries no source of its own: the department's confirmation is its evidence
    from generator.evidence import evidence

    strength = {(e.service, e.element): e.strength for e in evidence(c)}
    old = {(e.service, e.element): e.strength for e in evidence(load(old_path))}
    assert old[("passport", "time_limits.committed")] == "pending" and old[("hk-macau-permit", "materials")] == "pending"
    for key in ("audience", "fees", "time_limits.committed", "case_type", "phones"):
        assert strength[("passport", key)] == "confirmed", key
    assert strength[("hk-macau-permit", "materials")] == "confirmed"
    assert strength[("passport", "channels.online")] == old[("passport", "channels.online")] != "confirmed"
    hk = next(s for s in c.services if s.id == "hk-macau-permit")
    mats = hk.materials
    assert [(m.ref, m.name, m.originals, m.copies, m.required) for m in mats] == [  # type: ignore[union-attr]
        ("id-card", None, 1, 1, True), ("photo", None, None, None, True), (None, "新的材料", None, None, False)]

    # the editor's schema agrees: element checks are written as data/services.schema.json describes them
    import json

    import jsonschema
    from test_jsonschema import _jsonable

    from generator import yamlsource
    from generator.jsonschema import SCHEMA_FILE

    jsonschema.validate(_jsonable(yamlsource.load(catalog).data), json.loads(SCHEMA_FILE.read_text(encoding="utf-8")),
                        format_checker=jsonschema.FormatChecker())

    after = catalog.read_text(encoding="utf-8")
    assert _comments(after) == _comments(before)  # every comment kept, in order
    assert "\n\n  - id: hk-macau-permit\n" in after  # the blank line between services too
    other = re.search(r"\n  - id: taiwan-permit\n.*?\n\n", before, re.S)
    assert other and other.group(0) in after  # an untouched service is byte-identical
    # The report is the one guide diff prints for the same two catalogs.
    old = tmp_path / "old.yaml"
    old.write_text(before, encoding="utf-8")
    d = guide("diff", str(old), str(catalog))
    report = r.stdout[r.stdout.index("## 目录变更报告"):]
    assert report.split("\n", 3)[3] == d.stdout.split("\n", 3)[3]  # all but the two file labels
    assert "收费标准" in report and "核实信息" in report and "部门已更正" in report


def test_status_counts_what_departments_returned(catalog, export, libreoffice, tmp_path):
    from openpyxl import load_workbook

    from generator.review.elements import rows as review_rows

    before = load(catalog)
    police, hrss = (len(review_rows(before, d)) for d in ("police", "hrss"))
    assert police > 3 and hrss > 0
    staff = Staff(export("police"))
    staff.fill("passport", "服务对象", "确认无误")
    staff.fill("passport", "办件类型", "需更正", "承诺件")
    staff.fill("passport", "网上办理", "本部门不办理此项", basis=None)
    assert import_(libreoffice(staff.save()), catalog).exit_code == 0
    out = tmp_path / "进度.xlsx"
    r = guide("review", "status", str(catalog), "-o", str(out), "--date", DAY)
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("市公安局"))
    assert line.split() == ["市公安局", "police", str(police), "1", "1", "1", str(police - 2), DAY]
    assert "普通护照签发(passport)· 网上办理" in r.stdout
    ws = load_workbook(out)["核对进度"]
    rows = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["police"][2:] == (police, 1, 1, 1, police - 2, DAY)
    assert rows["hrss"][2:] == (hrss, 0, 0, 0, hrss, "未交回")
    assert load_workbook(out)["本部门不办理"].max_row == 2
    p = guide("pending", str(catalog), "--department", "police")
    assert "部门已通过核对表确认 2 项要素" in p.stdout


def test_site_shows_department_confirmed_with_date(catalog, export):
    from generator.site.structure.render import Renderer
    from generator.site.structure.site import Site

    staff = Staff(export("police"))
    staff.fill("passport", "收费标准", "确认无误")
    assert import_(staff.save(), catalog).exit_code == 0
    html = Renderer(Site(load(catalog))).render("service:passport")
    assert f"收费标准:<span class=\"guide-tag guide-confirmed\">部门已确认({DAY})</span>" in html
    other = Renderer(Site(load(catalog))).render("service:hk-macau-permit")
    assert "部门已确认(" not in other


def test_macro_labels_match_the_review_elements():
    from pathlib import Path

    from generator.review.elements import LABELS

    text = (Path(__file__).resolve().parents[2] / "generator/site/templates/confirmed.html").read_text(encoding="utf-8")
    found = dict(re.findall(r'"([a-z_.]+)": "([^"]+)"', text))
    assert found == LABELS


def test_a_pending_element_cannot_be_confirmed_only_corrected(catalog, export):
    staff = Staff(export("police"))
    r1 = staff.fill("passport", "办件类型", "确认无误")  # still 待核实 in the catalog
    before = catalog.read_bytes()
    r = import_(staff.save(), catalog)
    assert r.exit_code == 1
    assert f"核对表-police.xlsx:核对表!G{r1}: 现在的内容含“待核实”" in r.stderr
    assert catalog.read_bytes() == before


def test_corrected_to_the_same_value_is_a_confirmation(catalog, export):
    staff = Staff(export("police"))
    staff.fill("passport", "法定办结时限", "需更正", staff.ws.cell(staff.row("passport", "法定办结时限"), 4).value)
    assert import_(staff.save(), catalog).exit_code == 0
    p = next(s for s in load(catalog).services if s.id == "passport")
    assert p.verification.elements["time_limits.statutory"].status == "部门已确认"
    assert not isinstance(p.time_limits.statutory, Pending) and p.time_limits.statutory.source  # untouched


def test_a_confirmed_element_edited_later_warns_in_the_change_report(catalog, export, tmp_path):
    staff = Staff(export("police"))
    staff.fill("passport", "法定办结时限", "确认无误")
    staff.fill("passport", "服务对象", "确认无误")
    assert import_(staff.save(), catalog).exit_code == 0
    confirmed = tmp_path / "confirmed.yaml"
    confirmed.write_bytes(catalog.read_bytes())
    text = catalog.read_text(encoding="utf-8")
    old = "        value: 15\n        unit: 日\n        note: 自收到申请材料之日起15日内签发"
    assert text.count(old) == 1
    catalog.write_text(text.replace(old, old.replace("value: 15", "value: 10")), encoding="utf-8")
    r = guide("diff", str(confirmed), str(catalog))
    assert "法定办结时限已由 张三 于 2026-12-02 通过核对表确认,内容有变但要素核对记录未更新" in r.stdout
    assert "服务对象已由" not in r.stdout  # unchanged elements keep their confirmation quietly


def test_dry_run_reports_and_writes_nothing(catalog, export):
    staff = Staff(export("police"))
    staff.fill("passport", "办件类型", "需更正", "即办件")
    before = catalog.read_bytes()
    r = import_(staff.save(), catalog, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "办件类型已补充(原待核实)" in r.stdout and "--dry-run:目录未修改" in r.stderr
    assert catalog.read_bytes() == before
    assert sorted(p.name for p in catalog.parent.iterdir()) == ["services.yaml"]


def test_the_per_element_macro_marks_only_confirmed_elements(catalog, export):
    from generator.site.structure.render import Renderer
    from generator.site.structure.site import Site

    staff = Staff(export("police"))
    staff.fill("passport", "收费标准", "确认无误")
    staff.fill("passport", "网上办理", "本部门不办理此项", basis=None)
    assert import_(staff.save(), catalog).exit_code == 0
    c = load(catalog)
    env = Renderer(Site(c)).env
    macro = env.from_string('{% from "confirmed.html" import confirmed %}[{{ confirmed(s, k) }}]')
    p = next(s for s in c.services if s.id == "passport")
    assert macro.render(s=p, k="fees") == f'[<span class="guide-tag guide-confirmed">部门已确认({DAY})</span>]'
    assert macro.render(s=p, k="channels.online") == "[]"  # 本部门不办理 is not a confirmation
    assert macro.render(s=p, k="phones") == "[]"
