"""The 核对表 workbook: what it looks like, how it is written, and how it is read back.

Sheets: 填写说明 (instructions), 核对表 (one row per element, the 11 columns staff see) and a very
hidden 导出信息 sheet that carries the catalog's identity and version, the department, and per row its
element key and two fingerprints (the element's value, and the locked cells as written). Rows are
matched by 事项编号 + 要素, so sorting, deleting or adding rows in a spreadsheet program is noticed
rather than misapplied. Only columns 部门意见 … 备注 are unlocked; the sheets are protected without a
password (protection prevents slips; the fingerprints catch the rest).
"""

from __future__ import annotations

import datetime as dt
from copy import copy
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..schema import Catalog, Department
from .elements import Row

FORMAT = "guide-review-1"
INSTRUCTIONS = "填写说明"
SHEET = "核对表"
HIDDEN = "导出信息"
HEADERS = ("事项编号", "事项", "要素", "现在的内容", "出处", "状态", "部门意见", "更正后的内容", "依据文件或网址", "经办人", "备注")
WIDTHS = (16, 18, 11, 46, 28, 10, 13, 40, 24, 10, 18)
EDITABLE = ("部门意见", "更正后的内容", "依据文件或网址", "经办人", "备注")
COL = {h: i + 1 for i, h in enumerate(HEADERS)}
CONFIRM, CORRECT, NOT_OURS = "确认无误", "需更正", "本部门不办理此项"
OPINIONS = (CONFIRM, CORRECT, NOT_OURS)
SIGNATURE = "签字/盖章"
META_KEYS = ("格式", "目录名称", "城市", "实施方案文号", "目录版本", "目录日期", "部门编号", "部门名称", "导出日期", "行数")

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")
_EDIT_FILL = PatternFill("solid", fgColor="FFF9DB")


def identity(catalog: Catalog) -> dict[str, str]:
    m = catalog.meta
    return {"目录名称": m.title, "城市": m.city, "实施方案文号": m.plan.number}


# ---------------------------------------------------------------- writing


def write(catalog: Catalog, department: Department, rows: list[Row], path: Path, today: dt.date) -> None:
    """The workbook for ``department`` at ``path`` (the caller makes the write atomic)."""
    wb = Workbook()
    _instructions(wb.active, catalog, department, len(rows))
    ws = wb.create_sheet(SHEET)
    _table(ws, rows, catalog, department)
    meta = {
        "格式": FORMAT, **identity(catalog), "目录版本": catalog.meta.version, "目录日期": catalog.meta.date.isoformat(),
        "部门编号": department.id, "部门名称": department.name, "导出日期": today.isoformat(), "行数": str(len(rows)),
    }
    _hidden(wb.create_sheet(HIDDEN), meta, rows)
    wb.active = 1
    # A fixed creation time keeps the same catalog's workbook byte-identical from run to run.
    stamp = dt.datetime.combine(today, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = department.short_name
    wb.properties.title = f"{catalog.meta.title} 部门核对表({department.short_name})"
    save_reproducibly(wb, path, stamp)


def save_reproducibly(wb: Workbook, path: Path, stamp: dt.datetime) -> None:
    """Save with every zip entry dated ``stamp``: openpyxl dates them with the clock, which would make
    two exports of the same catalog differ."""
    raw = io.BytesIO()
    wb.save(raw)
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets 'modified' to the clock on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            dst.writestr(fixed, data)


def _instructions(ws, catalog: Catalog, department: Department, n: int) -> None:
    ws.title = INSTRUCTIONS
    lines = [
        f"{catalog.meta.title} · 部门核对表",
        f"部门:{department.name}    目录版本:{catalog.meta.version}    共 {n} 项要素",
        "",
        "请逐行核对“核对表”工作表中本部门事项的每个要素,在“部门意见”一栏的下拉框中选择:",
        f"  {CONFIRM}:现在的内容准确无误。请填写“依据文件或网址”和“经办人”。",
        f"  {CORRECT}:在“更正后的内容”中写出正确的完整内容(可先复制“现在的内容”再修改),并填写“依据文件或网址”和“经办人”。",
        f"  {NOT_OURS}:该要素不由本部门办理或掌握,由牵头部门另行确定。请填写“经办人”,可在“备注”中说明由哪个部门办理。",
        "  不清楚的要素可以不选,保持待核实。",
        "",
        "“更正后的内容”的写法(与“现在的内容”一致):",
        "  收费标准:每项一行,如“普通护照 120元/本”;只在特定情形收取的加“(按需)”;不收费写“不收费”;另起一行“收费依据:文号”。",
        "  办结时限:如“7个工作日”“15日”或“即办”;需要说明时另起一行“说明:……”。",
        "  电话:每个一行,如“咨询 0631-12367”“监督投诉 0631-5897000”。",
        "  申请材料:每项一行,如“居民身份证(原件1份,复印件1份)”;有条件提交的写“(有条件提交:未满16周岁)”。",
        "  线下办理:每个地点写三行“办理地点:……”“地址:……”“办理时间:……”,多个地点之间空一行。",
        "  受理条件、设定依据、办理流程、办理结果、网上办理:每项一行;办理结果写成“结果名称(纸质证件)”;没有的写“无”。",
        "",
        "状态一栏:待核实 = 尚未经部门确认;已确认 = 部门已确认;仅有第三方来源 = 现有内容只有第三方网站作出处,请特别留意。",
        "只需填写浅黄色的五栏(部门意见至备注);其余各栏已锁定,请勿修改,也不要增删行或改动工作表名称:导入时会逐行核对,改动过的行不会被采用。",
        "核对完毕后打印(A4 横向),在表末签字、盖章,并将本文件(电子版)交回牵头部门。",
    ]
    if n == 0:
        lines.insert(3, "本版目录中没有本部门主办或协办的在办事项,无需核对。")
    for i, text in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
    ws.protection.sheet = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _table(ws, rows: list[Row], catalog: Catalog, department: Department) -> None:
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        c = ws.cell(row=1, column=col, value=header)
        c.font = Font(bold=True)
        c.fill = _HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    editable = {COL[h] for h in EDITABLE}
    # Styled once, then copied: assigning style objects cell by cell hashes them every time (about
    # 80 % of an export of 8,000 rows); copying a cell's style array is openpyxl's cheap way.
    locked_style = ws.cell(row=2, column=1)
    locked_style.alignment, locked_style.border = _WRAP, _BORDER
    edit_style = ws.cell(row=2, column=len(HEADERS))
    edit_style.alignment, edit_style.border, edit_style.fill = _WRAP, _BORDER, _EDIT_FILL
    edit_style.protection = Protection(locked=False)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row.locked, start=1):
            c = ws.cell(row=r, column=col, value=value)
            c._style = copy(locked_style._style)
        for col in sorted(editable):
            ws.cell(row=r, column=col)._style = copy(edit_style._style)
        ws.row_dimensions[r].height = row_height(row.locked)
    last = len(rows) + 1
    if rows:
        dv = DataValidation(type="list", formula1='"' + ",".join(OPINIONS) + '"', allow_blank=True,
                            showDropDown=False, showErrorMessage=True, errorTitle="部门意见",
                            error=f"请从下拉框中选择:{'、'.join(OPINIONS)}")
        dv.add(f"{get_column_letter(COL['部门意见'])}2:{get_column_letter(COL['部门意见'])}{last}")
        ws.add_data_validation(dv)
    _signature(ws, last + 2)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = f"{department.name} 核对表(目录版本 {catalog.meta.version})"
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # allowed: staff may widen a column or a row to read
    ws.protection.formatRows = False


LINE_PT = 15  # one line of 11 pt text
MIN_LINES = 2  # room to write a short opinion by hand on the printed copy


def _columns(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # a CJK character is two columns wide


def row_height(cells: tuple[str, ...]) -> float:
    """Points for a row to show its wrapped text: spreadsheet programs do not grow rows written by
    openpyxl, and a printed 核对表 must show every line."""
    lines = MIN_LINES
    for text, width in zip(cells, WIDTHS):
        usable = max(int(width) - 1, 1)
        n = sum(max(1, -(-_columns(part) // usable)) for part in text.split("\n"))
        lines = max(lines, n)
    return min(409.0, lines * LINE_PT)  # 409 pt is the tallest row Excel allows


def _signature(ws, r: int) -> None:
    ws.cell(row=r, column=1, value=SIGNATURE).font = Font(bold=True)
    parts = ((1, 3, "经办人(签字):"), (4, 5, "部门负责人(签字):"), (6, 8, "部门(盖章):"), (9, 11, "日期:      年    月    日"))
    for first, last, text in parts:
        ws.merge_cells(start_row=r + 1, start_column=first, end_row=r + 1, end_column=last)
        c = ws.cell(row=r + 1, column=first, value=text)
        c.alignment = Alignment(vertical="top", wrap_text=True)
    ws.row_dimensions[r + 1].height = 70


def _hidden(ws, meta: dict[str, str], rows: list[Row]) -> None:
    for i, k in enumerate(META_KEYS, start=1):
        ws.cell(row=i, column=1, value=k)
        ws.cell(row=i, column=2, value=meta[k])
    start = len(META_KEYS) + 2
    for col, h in enumerate(("事项编号", "要素", "要素键", "内容指纹", "行指纹", "状态"), start=1):
        ws.cell(row=start, column=col, value=h)
    for i, row in enumerate(rows, start=start + 1):
        for col, v in enumerate((row.service, row.label, row.key, row.value_fp, row.row_fp, row.status), start=1):
            ws.cell(row=i, column=col, value=v)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


# ---------------------------------------------------------------- reading


class WorkbookError(Exception):
    """The file is not a 核对表 this tool wrote; ``where`` is the sheet!cell or empty."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class Expected:
    """A row as exported, from the hidden sheet."""

    service: str
    label: str
    key: str
    value_fp: str
    row_fp: str


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number in the 核对表 sheet
    cells: tuple[str, ...]  # the 11 columns as text ("" for empty)

    def get(self, header: str) -> str:
        return self.cells[COL[header] - 1]

    def where(self, header: str) -> str:
        return f"{SHEET}!{get_column_letter(COL[header])}{self.number}"


@dataclass
class Returned:
    """What a returned workbook holds."""

    meta: dict[str, str]
    expected: list[Expected]
    rows: list[SheetRow]
    extra_sheets: list[str] = field(default_factory=list)


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, line ends as \\n."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").strip()


def read(path: Path) -> Returned:
    try:
        wb = load_workbook(path, data_only=True, read_only=True)  # streaming: a full load parses every style
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise WorkbookError(f"无法作为 .xlsx 工作簿打开({type(exc).__name__}):请交回导出的核对表文件(.xlsx)") from None
    names = wb.sheetnames
    if HIDDEN not in names:
        raise WorkbookError(f"没有“{HIDDEN}”工作表:这不是 guide review export 导出的核对表,或已被另存为其他格式")
    if SHEET not in names:
        raise WorkbookError(f"没有“{SHEET}”工作表:请勿删除或重命名工作表")
    try:
        meta, expected = _read_hidden(wb[HIDDEN])
        rows = _read_rows(wb[SHEET])
    finally:
        wb.close()
    extra_sheets = [n for n in names if n not in (INSTRUCTIONS, SHEET, HIDDEN)]
    return Returned(meta, expected, rows, extra_sheets)


def _read_rows(ws) -> list[SheetRow]:
    width = len(HEADERS)
    all_rows = ws.iter_rows(values_only=True)
    header = [cell_text(v) for v in (tuple(next(all_rows, ())) + (None,) * width)[:width]]
    for col, h in enumerate(HEADERS, start=1):
        got = header[col - 1]
        if got != h:
            raise WorkbookError(f"表头应为“{h}”,实际是“{got}”:请勿修改表头或增删列", f"{SHEET}!{get_column_letter(col)}1")
    rows: list[SheetRow] = []
    signature = -1
    for r, values in enumerate(all_rows, start=2):
        cells = tuple(cell_text(v) for v in (tuple(values) + (None,) * width)[:width])
        extra = [cell_text(v) for v in tuple(values)[width:]]
        if cells[0] == SIGNATURE and signature < 0:
            signature = r
        if signature > 0 and r <= signature + 1:
            continue  # the 签字/盖章 block: signed on paper, not read
        if any(cells) or any(extra):
            rows.append(SheetRow(r, cells))
    return rows


def _read_hidden(ws) -> tuple[dict[str, str], list[Expected]]:
    table = [[cell_text(v) for v in (tuple(values) + (None,) * 6)[:6]] for values in ws.iter_rows(values_only=True)]
    meta: dict[str, str] = {}
    for i, k in enumerate(META_KEYS, start=1):
        if len(table) < i or table[i - 1][0] != k:
            raise WorkbookError(f"“{HIDDEN}”工作表已损坏(第 {i} 行应为“{k}”):请重新导出核对表", f"{HIDDEN}!A{i}")
        meta[k] = table[i - 1][1]
    if meta["格式"] != FORMAT:
        raise WorkbookError(f"核对表格式“{meta['格式']}”不是本工具的格式 {FORMAT}:请重新导出", f"{HIDDEN}!B1")
    expected = []
    start = len(META_KEYS) + 3
    for r in range(start, start + int(meta["行数"] or 0) if meta["行数"].isdigit() else start):
        values = table[r - 1][:5] if len(table) >= r else [""] * 5
        if not all(values):
            raise WorkbookError(f"“{HIDDEN}”工作表第 {r} 行已损坏:请重新导出核对表", f"{HIDDEN}!A{r}")
        expected.append(Expected(*values))
    return meta, expected
