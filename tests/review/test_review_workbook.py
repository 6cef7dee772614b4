"""The exported workbook as staff receive it, and the cell formats read back."""

from __future__ import annotations

import re

import pytest
from conftest import DAY, guide
from openpyxl import load_workbook

from support import CATALOG
from generator.catalog import load
from generator.review import elements as el
from generator.review import layout, yamledit
from generator.review.parse import CellError, Context, limit, parse


def test_export_layout(export, libreoffice):
    path = export("police")
    # LibreOffice run headless keeps no view settings, so the frozen header is checked on the export only
    assert load_workbook(path)[layout.SHEET].freeze_panes == "A2"
    for wb in (load_workbook(path), load_workbook(libreoffice(path))):  # and as LibreOffice saves it
        assert wb.sheetnames[:2] == [layout.INSTRUCTIONS, layout.SHEET]
        ws = wb[layout.SHEET]
        assert [c.value for c in ws[1]][:11] == [
            "事项编号", "事项", "要素", "现在的内容", "出处", "状态", "部门意见", "更正后的内容", "依据文件或网址", "经办人", "备注"]
        assert ws.max_column == 11  # exactly the 11 columns staff see
        n = 6 * 13
        statuses = {ws.cell(r, 6).value for r in range(2, n + 2)}
        assert statuses <= {"待核实", "已确认", "仅有第三方来源"} and "待核实" in statuses
        assert ws.protection.sheet
        for col in range(1, 12):
            locked = ws.cell(2, col).protection.locked
            assert locked == (col <= 6), (col, locked)
            assert ws.cell(2, col).alignment.wrap_text
        dv = ws.data_validations.dataValidation
        assert len(dv) == 1 and dv[0].type == "list"
        assert dv[0].formula1.strip('"').split(",") == ["确认无误", "需更正", "本部门不办理此项"]
        assert str(dv[0].sqref) == f"G2:G{n + 1}"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
        assert ws.cell(n + 3, 1).value == "签字/盖章"
        assert "经办人(签字)" in ws.cell(n + 4, 1).value
        hidden = wb[layout.HIDDEN]
        assert hidden.sheet_state in ("veryHidden", "hidden")
        meta = {hidden.cell(i, 1).value: hidden.cell(i, 2).value for i in range(1, len(layout.META_KEYS) + 1)}
        assert meta["目录版本"] == "2026.11.27" and meta["部门编号"] == "police" and meta["导出日期"] == DAY
        start = len(layout.META_KEYS) + 3
        fps = [hidden.cell(r, 4).value for r in range(start, start + n)]
        assert len(set(fps)) == n and all(len(f) == 20 for f in fps)  # a fingerprint per row
        assert "核对" in wb[layout.INSTRUCTIONS]["A1"].value


def test_export_is_reproducible_and_covers_every_department(tmp_path, catalog):
    c = load(catalog)
    for d in c.departments:
        a, b = tmp_path / f"{d.id}-a.xlsx", tmp_path / f"{d.id}-b.xlsx"
        for out in (a, b):
            r = guide("review", "export", str(catalog), "--department", d.id, "-o", str(out), "--date", DAY)
            assert r.exit_code == 0, r.output
        assert a.read_bytes() == b.read_bytes()
        rows = load_workbook(a)[layout.SHEET].max_row
        expected = 13 * len(el.reviewing(c, d.id))
        assert rows == expected + 4  # header, rows, a blank row, the 签字/盖章 title and block


def test_every_current_value_reads_back_as_itself():
    """现在的内容 pasted into 更正后的内容 unchanged gives back the catalog's value (so staff may copy it)."""
    c = load(CATALOG)
    doc = yamledit.load(CATALOG.read_text(encoding="utf-8"))
    names = {m.id: m.name for m in c.materials}
    from generator.review.apply import _field_type, _unsourced
    from pydantic import TypeAdapter

    checked = 0
    for i, s in enumerate(c.services):
        for key in el.KEYS:
            value = el.value_of(s, key)
            if el.has_pending(value):
                continue
            node = doc["services"][i]
            for part in key.split("."):
                node = node[part]
            parsed = parse(key, el.text(value, names), value, node, Context(s.name, names))
            back = TypeAdapter(_field_type(key)).validate_python(parsed)
            assert _unsourced(el.plain(back)) == _unsourced(el.plain(value)), (s.id, key)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("text,want", [
    ("7个工作日", {"value": 7, "unit": "工作日"}), ("15日", {"value": 15, "unit": "日"}),
    ("20 天", {"value": 20, "unit": "日"}), ("即办", {"unit": "即办"}), ("2.5工作日", {"value": 2.5, "unit": "工作日"}),
])
def test_time_limit_formats(text, want):
    assert limit(text) == want


@pytest.mark.parametrize("key,text,want", [
    ("fees", "120元/本", {"charged": True, "items": [{"name": "普通护照签发", "amount": 120, "unit": "本"}],
                          "basis": {"pending": "收费依据未在核对表中写明,待核实"}}),
    ("fees", "不收费", {"charged": False}),
    ("phones", "0631-12367\n监督投诉 12345", [{"kind": "咨询", "number": "0631-12367"},
                                              {"kind": "监督投诉", "number": "12345"}]),
    ("channels.in_person", "办理地点:政务服务中心\n地址:威海市某路1号\n办理时间:工作日 9:00-17:00",
     [{"place": "政务服务中心", "address": "威海市某路1号", "hours": "工作日 9:00-17:00"}]),
    ("materials", "居民身份证(原件1份、复印件2份)\n单位证明(有条件提交:在职人员)",
     [{"ref": "id-card", "originals": 1, "copies": 2}, {"name": "单位证明", "required": False, "condition": "在职人员"}]),
    ("results", "中华人民共和国普通护照(纸质证件)", [{"name": "中华人民共和国普通护照", "form": "纸质证件"}]),
    ("channels.online", "无", []),
])
def test_correction_formats(key, text, want):
    ctx = Context("普通护照签发", {"id-card": "居民身份证"})
    assert parse(key, text, None, None, ctx) == want


@pytest.mark.parametrize("key,text,needle", [
    ("fees", "120", "读不懂"), ("case_type", "当天办", "只能是"), ("results", "护照", re.escape("结果名称(形式)")),
    ("channels.in_person", "地址:某路1号", "办理地点"), ("audience", "待核实:不知道", "不能是“待核实”"),
    ("materials", "照片(有条件提交:)", "须写明条件"), ("time_limits.committed", "0个工作日", "大于 0"),
])
def test_unreadable_corrections(key, text, needle):
    with pytest.raises(CellError, match=needle):
        parse(key, text, None, None, Context("事项", {}))


def test_the_review_package_does_not_borrow_the_checker():
    """Outputs read the catalog through generator.catalog; the checker's modules are not theirs to import."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "generator" / "review"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [f"{'.' * node.level}{node.module or ''}"] + [f"{node.module or ''}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert not any(part in ("rules", "check") for part in name.replace(".", " ").split()), (path.name, name)


def test_printed_workbook_is_a4_landscape_with_the_header_on_every_page(export, tmp_path):
    """Printed through LibreOffice: every page A4 landscape, the header repeated, every wrapped line shown,
    the signature block at the end."""
    import subprocess

    book = export("police")
    profile = tmp_path / "lo"
    res = subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                          "--outdir", str(tmp_path / "pdf"), str(book)], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "pdf" / (book.stem + ".pdf")
    assert res.returncode == 0 and pdf.is_file(), res.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "841.89 x 595.3" in info  # A4 landscape, in points
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout for p in range(1, pages + 1)]
    ids = [s.id for s in el.reviewing(load(CATALOG), "police")]
    table = [t for t in texts if any(i in t for i in ids)]
    assert len(table) >= 3  # the table spans pages ...
    assert all("现在的内容" in t and "依据文件或网址" in t for t in table)  # ... each with the header
    assert "签字/盖章" in texts[-1] and "部门(盖章)" in texts[-1]
    # a long cell is printed whole: the last line of passport's 设定依据 note is on the page
    assert any("第十一条、第二十二条" in t for t in texts)


def test_rows_are_tall_enough_for_their_wrapped_text():
    assert layout.row_height(("a",) * 6) == 2 * layout.LINE_PT  # room to write by hand
    ten_lines = "\n".join(["材料"] * 10)
    assert layout.row_height(("x", "x", "x", ten_lines, "x", "x")) == 10 * layout.LINE_PT
    wide = "字" * 100  # 200 columns in a 46-column cell: 5 lines
    assert layout.row_height(("x", "x", "x", wide, "x", "x")) == 5 * layout.LINE_PT
    assert layout.row_height(("x", "x", "x", "字\n" * 500, "x", "x")) == 409
