"""A returned 核对表 applied to the catalog: check it, read every row, then write all of it or nothing.

The new catalog is written beside the old one, loaded with ``generator.catalog.load`` (schema and
rules) and only then moved over it, so an invalid catalog is never left in place. A row whose element
changed in the catalog since the export is reported with both values and not applied.
"""

from __future__ import annotations

import datetime as dt
import os
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .. import files
from ..catalog import CatalogError, load
from ..located import parse_file
from ..schema import Catalog, Service
from . import elements as el
from . import layout, yamledit
from .layout import CONFIRM, CORRECT, NOT_OURS, SheetRow
from .parse import CellError, Context, parse

STATUS_OF = {CONFIRM: "部门已确认", CORRECT: "部门已更正", NOT_OURS: "本部门不办理"}


@dataclass(frozen=True)
class Applied:
    row: SheetRow
    service: str
    key: str
    opinion: str
    status: str  # the ElementCheck status recorded


@dataclass
class Outcome:
    errors: list[str] = field(default_factory=list)  # located; any error: nothing is written
    notes: list[str] = field(default_factory=list)  # stale, deleted and ignored rows, extra sheets …
    applied: list[Applied] = field(default_factory=list)
    department: str = ""
    old: Catalog | None = None
    new: Catalog | None = None
    written: bool = False


def run(workbook: Path, catalog_path: Path, *, today: dt.date, department: str | None = None,
        shown: str | None = None, dry_run: bool = False) -> Outcome:
    """Apply ``workbook`` to the catalog at ``catalog_path`` (all rows or none)."""
    shown = shown or str(workbook)
    out = Outcome()

    def err(where: str, message: str) -> None:
        out.errors.append(f"{shown}:{where}: {message}" if where else f"{shown}: {message}")

    try:
        returned = layout.read(workbook)
    except layout.WorkbookError as exc:
        err(exc.where, str(exc))
        return out
    try:
        catalog = load(catalog_path)
    except CatalogError as exc:
        out.errors += [d.text() for d in exc.diagnostics] or [f"{catalog_path}: 目录无法读取"]
        out.errors.append(f"{catalog_path}: 目录未通过检查,请先运行 guide check 改正错误,再导入核对表")
        return out
    out.old = catalog
    located = parse_file(catalog_path)  # positions of the services, to edit them one by one
    assert located.document is not None
    entries = yamledit.services_of(catalog_path.read_text(encoding="utf-8"), located.document, len(catalog.services))

    meta = returned.meta
    mine = layout.identity(catalog)
    for k, v in mine.items():
        if meta.get(k) != v:
            err(f"{layout.HIDDEN}!B{layout.META_KEYS.index(k) + 1}",
                f"核对表不属于这个目录:{k}为“{meta.get(k)}”,本目录为“{v}”")
            return out
    dept_id = meta["部门编号"]
    depts = {d.id: d for d in catalog.departments}
    if dept_id not in depts:
        err(f"{layout.HIDDEN}!B{layout.META_KEYS.index('部门编号') + 1}", f"核对表的部门“{dept_id}”在目录中不存在")
        return out
    if department is not None and department != dept_id:
        err("", f"这是{meta['部门名称']}({dept_id})的核对表,不是 --department 指定的"
                f"{depts[department].name if department in depts else department}({department})的")
        return out
    out.department = dept_id
    if meta["目录版本"] != catalog.meta.version:
        out.notes.append(f"核对表导出时目录版本为 {meta['目录版本']},现在为 {catalog.meta.version}:已逐行核对要素是否有变")
    for name in returned.extra_sheets:
        out.notes.append(f"忽略多出的工作表“{name}”(只读取“{layout.SHEET}”)")

    current = {(r.service, r.label): r for r in el.rows(catalog, dept_id)}
    expected = {(e.service, e.label): e for e in returned.expected}
    by_id = {s.id: (i, s) for i, s in enumerate(catalog.services)}
    names = {m.id: m.name for m in catalog.materials}
    seen: dict[tuple[str, str], int] = {}
    plans: list[tuple[Applied, Any]] = []  # (what, parsed value for a correction)

    for row in returned.rows:
        key = (row.get("事项编号"), row.get("要素"))
        exp = expected.get(key)
        opinion, fix = row.get("部门意见"), row.get("更正后的内容")
        if exp is None:
            if opinion or fix:
                err(row.where("事项编号"), f"第 {row.number} 行不是导出时的行(事项编号或要素被改动,或是新增的行),"
                    "其中的意见无法采用:新增内容请写在相应要素的“更正后的内容”中")
            else:
                out.notes.append(f"{row.where('事项编号')}:忽略多出的一行(不是导出时的行)")
            continue
        if key in seen:
            err(row.where("事项编号"), f"与第 {seen[key]} 行重复({key[0]} · {key[1]}):每个要素只能有一行")
            continue
        seen[key] = row.number
        if el.digest(*row.cells[:6]) != exp.row_fp:
            err(*_locked_change(row, current.get(key), exp))
            continue
        if not opinion:
            if fix:
                err(row.where("部门意见"), f"填写了“更正后的内容”,但“部门意见”为空:请选择“{CORRECT}”")
            continue
        if opinion not in layout.OPINIONS:
            err(row.where("部门意见"), f"部门意见“{opinion}”无效,只能是:{'、'.join(layout.OPINIONS)}")
            continue
        now = current.get(key)
        if now is None or now.value_fp != exp.value_fp:
            out.notes.append(_stale(row, now, exp, catalog))
            continue
        who, basis = row.get("经办人"), row.get("依据文件或网址")
        if not who:
            err(row.where("经办人"), f"选择了“{opinion}”,但没有填写经办人")
            continue
        if opinion != NOT_OURS and not basis:
            err(row.where("依据文件或网址"), f"选择了“{opinion}”,请写明依据的文件(文号)或网址")
            continue
        _, service = by_id[exp.service]
        value = el.value_of(service, exp.key)
        parsed = None
        status = STATUS_OF[opinion]
        if opinion == CONFIRM and el.has_pending(value):
            err(row.where("部门意见"), f"现在的内容含“待核实”,不能“{CONFIRM}”:请选择“{CORRECT}”并在“更正后的内容”中写出完整内容")
            continue
        if opinion == CORRECT:
            try:
                parsed = _correction(exp.key, fix, service, value, names, entries.node(by_id[exp.service][0]))
            except CellError as exc:
                err(row.where("更正后的内容"), str(exc))
                continue
            if parsed is _SAME:
                status, parsed = "部门已确认", None
        elif fix:
            err(row.where("更正后的内容"), f"部门意见为“{opinion}”,却填写了“更正后的内容”:需要更正请选择“{CORRECT}”")
            continue
        plans.append((Applied(row, exp.service, exp.key, opinion, status), parsed))

    for key, exp in expected.items():
        if key not in seen:
            out.notes.append(f"导出时的“{exp.service} · {exp.label}”一行在交回的核对表中不存在(被删除),该要素未核对")
    if out.errors:
        return out
    out.applied = [a for a, _ in plans]
    if not plans:
        out.new = catalog
        return out
    _write(out, plans, entries, {sid: i for sid, (i, _) in by_id.items()}, catalog_path, today, dept_id, shown,
           dry_run)
    return out


_SAME = object()


def _field_type(key: str) -> Any:
    tp: Any = Service
    for part in key.split("."):
        ann = tp.model_fields[part].annotation
        tp = ann
        while typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
    return ann


def _correction(key: str, fix: str, service: Service, value: Any, names: dict[str, str], node: Any) -> Any:
    """Parsed correction, or ``_SAME`` when it says what the catalog already says."""
    for part in key.split("."):
        node = node[part]
    parsed = parse(key, fix, value, node, Context(service.name, names))
    try:
        new_value = TypeAdapter(_field_type(key)).validate_python(_plain(parsed))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"] if not str(p).startswith("~"))
        raise CellError(f"更正后的内容不符合要素格式({where}:{first['msg']})") from None
    if _unsourced(el.plain(new_value)) == _unsourced(el.plain(value)):
        return _SAME  # says what the catalog says: a confirmation, and the catalog keeps its sources
    return parsed


def _unsourced(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _unsourced(v) for k, v in data.items() if k != "source"}
    if isinstance(data, list):
        return [_unsourced(v) for v in data]
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _locked_change(row: SheetRow, now: el.Row | None, exp: layout.Expected) -> tuple[str, str]:
    """Where a locked cell was changed: the exact cell when the catalog still says what was exported."""
    if now is not None and now.row_fp == exp.row_fp:
        for header, want, got in zip(layout.HEADERS, now.locked, row.cells):
            if want != got:
                return row.where(header), (f"锁定的“{header}”一栏被改动(导出时为“{_short(want)}”,现在是“{_short(got)}”),"
                                           f"本行不能采用:请恢复原内容,更正请写在“更正后的内容”中")
    return row.where("事项编号"), "本行锁定的单元格(事项编号至状态)被改动,本行不能采用:请恢复原内容或重新导出核对表"


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _stale(row: SheetRow, now: el.Row | None, exp: layout.Expected, catalog: Catalog) -> str:
    where = row.where("现在的内容")
    if now is None:
        why = "该事项已不在本部门的在办事项中(已停办、移交或删除)"
        return f"{where}:未采用({exp.service} · {exp.label}):{why}"
    return (f"{where}:未采用({exp.service} · {exp.label}):导出后目录中的该要素已有变化,请按现在的内容重新核对。"
            f"导出时:“{_short(row.get('现在的内容'), 80)}”;现在:“{_short(now.content, 80)}”")


# ---------------------------------------------------------------- writing


def _write(out: Outcome, plans: list[tuple[Applied, Any]], entries: yamledit.Services, index: dict[str, int],
           catalog_path: Path, today: dt.date, dept: str, shown: str, dry_run: bool) -> None:
    touched: dict[str, Any] = {}
    for a, parsed in plans:
        s = entries.node(index[a.service])
        if a.service not in touched:
            touched[a.service] = yamledit.service_tail_token(s)
        if parsed is not None:
            parent = s
            parts = a.key.split(".")
            for p in parts[:-1]:
                parent = parent[p]
            yamledit.replace(parent, parts[-1], parsed)
        record: dict[str, Any] = {"status": a.status, "department": dept, "confirmed_by": a.row.get("经办人"),
                                  "date": today}
        if a.row.get("依据文件或网址"):
            record["basis"] = a.row.get("依据文件或网址")
        if a.row.get("备注"):
            record["note"] = a.row.get("备注")
        v = s["verification"]
        if "elements" not in v:
            yamledit.append(v, "elements", {})
        yamledit.replace(v["elements"], a.key, record) if a.key in v["elements"] else v["elements"].update(
            {a.key: yamledit.commented(record)})
    for sid, token in touched.items():
        yamledit.restore_tail(entries.node(index[sid]), token)
    new_text = entries.text()

    # Written beside the catalog and checked there; only a catalog that loads replaces the old one.
    with files.temp_beside(catalog_path) as tmp:
        tmp.write_text(new_text, encoding="utf-8", newline="")
        try:
            out.new = load(tmp)
        except CatalogError as exc:
            _blame(out, exc, tmp, plans, shown)
            return
        if not dry_run:
            os.chmod(tmp, os.stat(catalog_path).st_mode & 0o777)
            os.replace(tmp, catalog_path)
            out.written = True


# the record fields written from a row's cells (the rest are set by the import itself)
RECORD_CELLS = {"confirmed_by": "经办人", "basis": "依据文件或网址", "note": "备注"}


def _blame(out: Outcome, exc: CatalogError, tmp: Path, plans: list[tuple[Applied, Any]], shown: str) -> None:
    """Rule errors of the corrected catalog, put back on the cells that caused them."""
    loaded = parse_file(tmp)
    starts: list[tuple[int, Applied | None]] = []
    services: list[tuple[int, str]] = []
    cells: dict[int, tuple[Applied, str]] = {}  # line of a recorded cell value -> (row, column header)
    if loaded.catalog is not None and loaded.document is not None:
        doc = loaded.document
        ids = {s.id: i for i, s in enumerate(loaded.catalog.services)}
        services = sorted((doc.locate(("services", i)).line, sid) for sid, i in ids.items())
        for a, parsed in plans:
            record = ("services", ids[a.service], "verification", "elements", a.key)
            for field, header in RECORD_CELLS.items():
                if a.row.get(header):
                    for mark in (doc.locate(record + (field,)), doc.locate_value(record + (field,))):
                        cells[mark.line] = (a, header)
            if parsed is not None:
                starts.append((doc.locate(("services", ids[a.service], *a.key.split("."))).line, a))
        # a correction's lines end where its service's verification begins
        for sid in dict.fromkeys(a.service for a, _ in plans):
            starts.append((doc.locate(("services", ids[sid], "verification")).line, None))
        starts.sort(key=lambda x: x[0])
    for d in exc.diagnostics:
        if d.line in cells:
            a, header = cells[d.line]
            out.errors.append(f"{shown}:{a.row.where(header)}: 导入后未通过目录检查:{d.message}")
            continue
        in_service = next((sid for line, sid in reversed(services) if line <= d.line), None)
        culprit: Applied | None = None
        for line, start in starts:
            if line <= d.line and (start is None or start.service == in_service):
                culprit = start
        if culprit is not None and culprit.service == in_service:
            out.errors.append(f"{shown}:{culprit.row.where('更正后的内容')}: 更正后未通过目录检查:{d.message}")
        else:
            out.errors.append(f"{shown}: 导入后的目录未通过检查([{d.rule}] {d.message})")
    if not out.errors:
        out.errors.append(f"{shown}: 导入后的目录未通过检查")
