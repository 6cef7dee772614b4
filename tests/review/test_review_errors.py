"""A returned 核对表 that is wrong in some way: a located error or a report, never a traceback, and never
a half-written catalog."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import Staff, import_

from generator.catalog import load
from generator.review import layout
from generator.schema import TimeLimit

REPO = Path(__file__).resolve().parents[2]


def _unchanged(catalog: Path, before: bytes) -> None:
    assert catalog.read_bytes() == before
    assert sorted(p.name for p in catalog.parent.iterdir()) == ["services.yaml"]


def test_malformed_cells_are_located_and_nothing_is_written(catalog, export, libreoffice):
    path = export("police")
    staff = Staff(path)
    fee = staff.fill("passport", "收费标准", "需更正", "一百二十块")
    limit = staff.fill("passport", "承诺办结时限", "需更正", "一周左右")
    phone = staff.fill("passport", "电话", "需更正", "咨询 请拨打总机")
    ok = staff.fill("passport", "办件类型", "需更正", "承诺件")
    saved = libreoffice(staff.save())
    before = catalog.read_bytes()
    r = import_(saved, catalog)
    assert r.exit_code == 1
    shown = str(saved)
    assert f"{shown}:核对表!H{fee}: 收费“一百二十块”读不懂" in r.stderr
    assert f"{shown}:核对表!H{limit}: 办结时限“一周左右”读不懂" in r.stderr
    assert f"{shown}:核对表!H{phone}: 电话“咨询 请拨打总机”读不懂" in r.stderr
    assert f"H{ok}" not in r.stderr
    assert "目录未作任何修改" in r.stderr
    _unchanged(catalog, before)


def test_missing_person_and_basis_are_located(catalog, export):
    staff = Staff(export("police"))
    a = staff.fill("passport", "服务对象", "确认无误", who=None)
    b = staff.fill("passport", "办理结果", "确认无误", basis=None)
    c = staff.fill("passport", "受理条件", "同意")  # typed instead of picked from the dropdown
    before = catalog.read_bytes()
    r = import_(staff.save(), catalog)
    assert r.exit_code == 1
    assert f"核对表!J{a}: 选择了“确认无误”,但没有填写经办人" in r.stderr
    assert f"核对表!I{b}: 选择了“确认无误”,请写明依据" in r.stderr
    assert f"核对表!G{c}: 部门意见“同意”无效" in r.stderr
    _unchanged(catalog, before)


def test_a_correction_that_breaks_a_rule_is_blamed_on_its_cell(catalog, export):
    staff = Staff(export("police"))
    r1 = staff.fill("passport", "承诺办结时限", "需更正", "40个工作日")  # longer than the statutory 15日
    r2 = staff.fill("passport", "电话", "需更正", "咨询 1234-5")  # digits, but no phone number
    before = catalog.read_bytes()
    r = import_(staff.save(), catalog)
    assert r.exit_code == 1
    assert f"核对表!H{r1}: 更正后未通过目录检查:承诺办结时限(40个工作日)长于法定办结时限" in r.stderr
    assert f"核对表!H{r2}: 更正后未通过目录检查:电话号码“1234-5”格式不对" in r.stderr
    _unchanged(catalog, before)


def test_another_departments_workbook(catalog, export):
    customs = export("weihai-customs")
    before = catalog.read_bytes()
    r = import_(customs, catalog, "--department", "police")
    assert r.exit_code == 1 and "(weihai-customs)的核对表,不是 --department 指定的威海市公安局(police)的" in r.stderr
    # a workbook of another catalog (another city or bundle)
    other = catalog.parent.parent / "other.yaml"
    other.write_text(catalog.read_text(encoding="utf-8").replace("city: 威海市", "city: 烟台市", 1), encoding="utf-8")
    r = import_(customs, other)
    assert r.exit_code == 1 and f"{customs}:导出信息!B3: 核对表不属于这个目录:城市为“威海市”,本目录为“烟台市”" in r.stderr
    # and one whose rows were copied into another department's workbook
    staff = Staff(export("police"))
    staff.ws.cell(2, 1).value = "duty-free-car"
    staff.ws.cell(2, layout.COL["部门意见"]).value = "确认无误"
    staff.save()
    r = import_(staff.path, catalog)
    assert r.exit_code == 1 and "核对表!A2: 第 2 行不是导出时的行" in r.stderr
    _unchanged(catalog, before)


def test_stale_row_is_reported_with_both_values_and_not_applied(catalog, export, libreoffice):
    staff = Staff(export("police"))
    staff.fill("passport", "法定办结时限", "确认无误")
    staff.fill("passport", "服务对象", "确认无误")
    saved = libreoffice(staff.save())
    # the catalog moves on after the export: the statutory limit changes
    limit = next(s for s in load(catalog).services if s.id == "passport").time_limits.statutory
    assert isinstance(limit, TimeLimit) and limit.note, "the passport needs a sourced statutory limit with a note"
    text = catalog.read_text(encoding="utf-8")
    value = f"{limit.value:g}"  # as written in the YAML (the model holds a float)
    old = f"        value: {value}\n        unit: {limit.unit}\n        note: {limit.note}"
    assert text.count(old) == 1
    changed = f"{limit.value + 1:g}"
    catalog.write_text(text.replace(old, old.replace(f"value: {value}", f"value: {changed}")), encoding="utf-8")
    r = import_(saved, catalog)
    assert r.exit_code == 0, r.output
    assert "未采用(passport · 法定办结时限):导出后目录中的该要素已有变化" in r.stdout
    assert f"导出时:“{value}{limit.unit} 说明:" in r.stdout and f"现在:“{changed}{limit.unit} 说明:" in r.stdout
    p = next(s for s in load(catalog).services if s.id == "passport")
    assert f"{p.time_limits.statutory.value:g}" == changed  # type: ignore[union-attr]
    assert "time_limits.statutory" not in p.verification.elements
    assert p.verification.elements["audience"].status == "部门已确认"


def test_deleted_row_is_reported(catalog, export, libreoffice):
    staff = Staff(export("police"))
    gone = staff.row("passport", "办理流程")
    staff.ws.delete_rows(gone)
    staff.fill("passport", "服务对象", "确认无误")
    r = import_(libreoffice(staff.save()), catalog)
    assert r.exit_code == 0, r.output
    assert "导出时的“passport · 办理流程”一行在交回的核对表中不存在(被删除),该要素未核对" in r.stdout
    assert "audience" in next(s for s in load(catalog).services if s.id == "passport").verification.elements


def test_changed_locked_cell_is_located(catalog, export, libreoffice):
    staff = Staff(export("police"))
    r1 = staff.fill("passport", "收费标准", "确认无误")
    staff.ws.cell(r1, layout.COL["现在的内容"]).value = "普通护照 100元/本"
    r2 = staff.fill("passport", "服务对象", "确认无误")
    staff.ws.cell(r2, layout.COL["状态"]).value = "已确认"
    before = catalog.read_bytes()
    r = import_(libreoffice(staff.save()), catalog)
    assert r.exit_code == 1
    assert f"核对表!D{r1}: 锁定的“现在的内容”一栏被改动" in r.stderr
    assert f"核对表!F{r2}: 锁定的“状态”一栏被改动(导出时为“待核实”,现在是“已确认”)" in r.stderr
    _unchanged(catalog, before)


def test_extra_sheets_and_rows(catalog, export, libreoffice):
    staff = Staff(export("police"))
    staff.wb.create_sheet("草稿")["A1"] = "随手记"
    last = len(staff.wb[layout.HIDDEN]["C"])  # anything below the table
    n = staff.ws.max_row + 1
    staff.ws.cell(n, 1).value = "passport"
    staff.ws.cell(n, 4).value = "补充说明"
    staff.fill("passport", "服务对象", "确认无误")
    r = import_(libreoffice(staff.save()), catalog)
    assert last > 0
    assert r.exit_code == 0, r.output
    assert "忽略多出的工作表“草稿”" in r.stdout
    assert f"核对表!A{n}:忽略多出的一行" in r.stdout
    # an extra row that carries an opinion cannot be applied: an error, nothing written
    staff.ws.cell(n, layout.COL["部门意见"]).value = "需更正"
    before = catalog.read_bytes()
    r = import_(staff.save(), catalog)
    assert r.exit_code == 1 and f"核对表!A{n}: 第 {n} 行不是导出时的行" in r.stderr
    _unchanged(catalog, before)


def test_not_a_workbook_and_a_broken_one(catalog, tmp_path, export):
    bad = tmp_path / "核对表.xlsx"
    bad.write_text("不是表格", encoding="utf-8")
    before = catalog.read_bytes()
    r = import_(bad, catalog)
    assert r.exit_code == 1 and f"{bad}: 无法作为 .xlsx 工作簿打开" in r.stderr
    staff = Staff(export("police"))
    del staff.wb[layout.HIDDEN]
    staff.save()
    r = import_(staff.path, catalog)
    assert r.exit_code == 1 and "没有“导出信息”工作表" in r.stderr
    staff = Staff(export("police"))
    staff.ws.cell(1, 4).value = "内容"
    staff.save()
    r = import_(staff.path, catalog)
    assert r.exit_code == 1 and "核对表!D1: 表头应为“现在的内容”" in r.stderr
    _unchanged(catalog, before)


def test_the_real_command_never_shows_a_traceback(catalog, tmp_path, export):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04broken zip")
    res = subprocess.run([sys.executable, "cli.py", "review", "import", str(bad), str(catalog)],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 1 and "Traceback" not in res.stderr and "无法作为 .xlsx 工作簿打开" in res.stderr
    res = subprocess.run([sys.executable, "cli.py", "review", "export", str(catalog), "--department", "nobody"],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 2 and "没有部门“nobody”" in res.stderr and "Traceback" not in res.stderr


def test_a_cell_the_import_records_is_checked_like_the_catalog(catalog, export):
    """The basis, person and note land in verification.elements: the checker's rules (deny list,
    invisible characters) apply to them, and an error names that cell, not a correction nearby."""
    denied = load(catalog).meta.denied_hosts[0]
    staff = Staff(export("police"))
    fix = staff.fill("passport", "办件类型", "需更正", "承诺件")
    r1 = staff.fill("passport", "服务对象", "确认无误", basis=f"https://{denied}/weihai-passport")
    r2 = staff.fill("passport", "法定办结时限", "确认无误", note="见窗口公示\u200b")
    before = catalog.read_bytes()
    r = import_(staff.save(), catalog)
    assert r.exit_code == 1
    assert f"核对表!I{r1}: 导入后未通过目录检查:“{denied}”在禁用域名" in r.stderr
    assert f"核对表!K{r2}: 导入后未通过目录检查:" in r.stderr
    assert f"H{fix}" not in r.stderr and "导入后的目录未通过检查" not in r.stderr
    _unchanged(catalog, before)
