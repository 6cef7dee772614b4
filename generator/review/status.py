"""Progress of the 核对表 for the lead department: per department, how many elements it reviews,
how many it confirmed or corrected, how many are still open, and when it last returned a workbook.

Written to the terminal and to an .xlsx file: the lead department opens it in WPS or Excel, which
read .xlsx without the encoding trouble a UTF-8 CSV has in Excel, and a second sheet lists the
elements departments said they do not handle (本部门不办理), for the lead department to settle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..schema import Catalog
from . import elements as el
from .layout import save_reproducibly

HEADERS = ("部门", "部门编号", "要素", "已确认", "已更正", "本部门不办理", "仍待核对", "最近交回日期")


@dataclass(frozen=True)
class DepartmentStatus:
    name: str
    id: str
    elements: int
    confirmed: int
    corrected: int
    not_ours: int
    open: int  # neither confirmed nor corrected (本部门不办理 stays open until the lead department settles it)
    last_return: dt.date | None

    @property
    def cells(self) -> tuple:
        last = self.last_return.isoformat() if self.last_return else "未交回"
        return (self.name, self.id, self.elements, self.confirmed, self.corrected, self.not_ours, self.open, last)


@dataclass(frozen=True)
class NotOurs:
    service: str
    name: str
    label: str
    department: str
    by: str
    date: dt.date
    note: str


def compute(catalog: Catalog) -> tuple[list[DepartmentStatus], list[NotOurs]]:
    out = []
    short = {d.id: d.short_name for d in catalog.departments}
    not_ours: list[NotOurs] = []
    for d in catalog.departments:
        counts = {"部门已确认": 0, "部门已更正": 0, "本部门不办理": 0}
        last: dt.date | None = None
        n = 0
        for s in el.reviewing(catalog, d.id):
            for key in el.KEYS:
                n += 1
                check = s.verification.elements.get(key)  # type: ignore[call-overload]
                if check is None or check.department != d.id:
                    continue
                counts[check.status] += 1
                last = check.date if last is None or check.date > last else last
                if check.status == "本部门不办理":
                    not_ours.append(NotOurs(s.id, s.name, el.LABELS[key], short[d.id], check.confirmed_by,
                                            check.date, check.note or ""))
        done = counts["部门已确认"] + counts["部门已更正"]
        out.append(DepartmentStatus(d.short_name, d.id, n, counts["部门已确认"], counts["部门已更正"],
                                    counts["本部门不办理"], n - done, last))
    return out, not_ours


def render_text(rows: list[DepartmentStatus], not_ours: list[NotOurs]) -> str:
    table = [HEADERS] + [tuple(str(c) for c in r.cells) for r in rows]
    total = ("合计", "", *(str(sum(getattr(r, f) for r in rows)) for f in ("elements", "confirmed", "corrected",
                                                                            "not_ours", "open")), "")
    table.append(total)
    widths = [max(_width(str(row[i])) for row in table) for i in range(len(HEADERS))]
    lines = ["  ".join(_pad(str(c), w) for c, w in zip(row, widths)).rstrip() for row in table]
    if not_ours:
        lines += ["", "本部门不办理(请牵头部门确定由谁办理):"]
        lines += [f"  {x.name}({x.service})· {x.label}:{x.department} {x.by},{x.date.isoformat()}"
                  + (f";{x.note}" if x.note else "") for x in not_ours]
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK is two columns wide in a terminal


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def write_xlsx(catalog: Catalog, rows: list[DepartmentStatus], not_ours: list[NotOurs], path: Path,
               today: dt.date) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "核对进度"
    ws.append([f"{catalog.meta.title} 部门核对进度(目录版本 {catalog.meta.version},统计日期 {today.isoformat()})"])
    ws["A1"].font = Font(bold=True)
    ws.append(list(HEADERS))
    for r in rows:
        ws.append(list(r.cells))
    for c in ws[2]:
        c.font = Font(bold=True)
    for col, w in zip("ABCDEFGH", (16, 20, 8, 8, 8, 12, 10, 14)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A3"
    other = wb.create_sheet("本部门不办理")
    other.append(["事项编号", "事项", "要素", "部门", "经办人", "日期", "备注"])
    for c in other[1]:
        c.font = Font(bold=True)
    for x in not_ours:
        other.append([x.service, x.name, x.label, x.department, x.by, x.date.isoformat(), x.note])
    for col, w in zip("ABCDEFG", (22, 24, 12, 12, 12, 12, 40)):
        other.column_dimensions[col].width = w
        for cell in other[col]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    stamp = dt.datetime.combine(today, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    save_reproducibly(wb, path, stamp)
