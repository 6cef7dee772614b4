"""``guide review export|import|status``: the 部门核对表 loop on the command line."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from .. import files

DEFAULT_CATALOG = "data/services.yaml"


def _date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"日期“{value}”格式不对,应为 YYYY-MM-DD") from None


def _catalog(path: str):
    """The checked catalog, or its located errors and exit 1."""
    from ..catalog import CatalogError, load

    if not Path(path).is_file():
        raise click.UsageError(f"找不到目录文件:{path}")
    try:
        return load(path)
    except CatalogError as exc:
        for d in exc.diagnostics:
            click.echo(d.text(), err=True)
        click.echo(f"{path}: 目录未通过检查,请先运行 guide check 改正错误", err=True)
        sys.exit(1)


def _save_atomically(path: Path, save) -> None:
    """``save(tmp)`` then replace ``path``: never a half-written workbook."""
    with files.temp_beside(path) as tmp:
        save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)


@click.group()
def review() -> None:
    """部门核对表:导出 .xlsx 给部门核对,导入部门交回的核对表,查看核对进度。"""


@review.command("export")
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("--department", "department", required=True, metavar="ID", help="部门编号,如 police")
@click.option("-o", "--output", metavar="FILE", help="输出文件(默认 核对表-部门编号.xlsx)")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="导出日期(默认今天)")
def export(catalog: str, department: str, output: str | None, date: str | None) -> None:
    """导出本部门各事项的要素,一行一项,供部门在 WPS 或 Excel 中核对、签字盖章。"""
    from . import elements, layout

    cat = _catalog(catalog)
    depts = {d.id: d for d in cat.departments}
    if department not in depts:
        raise click.UsageError(f"没有部门“{department}”(可用:{'、'.join(depts)})")
    rows = elements.rows(cat, department)
    out = Path(output or f"核对表-{department}.xlsx")
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"输出文件须以 .xlsx 结尾:{out}")
    _save_atomically(out, lambda p: layout.write(cat, depts[department], rows, p, _date(date)))
    services = len(elements.reviewing(cat, department))
    click.echo(f"已导出:{out}({depts[department].short_name},{services} 个事项,{len(rows)} 项要素,目录版本 {cat.meta.version})")


@review.command("import")
@click.argument("workbook", metavar="FILE")
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("--department", metavar="ID", help="核对表应属于的部门(不一致时拒绝导入)")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="记录的核对日期(默认今天)")
@click.option("--dry-run", is_flag=True, help="只检查并输出报告,不修改目录")
def import_(workbook: str, catalog: str, department: str | None, date: str | None, dry_run: bool) -> None:
    """导入部门交回的核对表:确认、更正、本部门不办理,写回目录并输出变更报告(与 guide diff 相同)。"""
    from ..located import parse_file
    from ..changes.compare import compare
    from ..changes.render import markdown
    from . import apply

    path = Path(workbook)
    if not path.is_file():
        raise click.UsageError(f"找不到核对表文件:{workbook}")
    if not Path(catalog).is_file():
        raise click.UsageError(f"找不到目录文件:{catalog}")
    outcome = apply.run(path, Path(catalog), today=_date(date), department=department, shown=workbook,
                        dry_run=dry_run)
    if outcome.errors:
        for line in outcome.errors:
            click.echo(line, err=True)
        click.echo(f"核对表未导入:{len(outcome.errors)} 个错误,目录未作任何修改", err=True)
        sys.exit(1)
    counts: dict[str, int] = {}
    for a in outcome.applied:
        counts[a.status] = counts.get(a.status, 0) + 1
    summary = "、".join(f"{k} {v} 项" for k, v in counts.items()) or "没有可导入的意见"
    click.echo(f"## 核对表导入\n\n- 核对表:`{workbook}`({outcome.department})\n- 导入:{summary}")
    if outcome.notes:
        click.echo("- 未采用或已忽略:\n" + "\n".join(f"  - {n}" for n in outcome.notes))
    click.echo("")
    assert outcome.old is not None and outcome.new is not None
    report = compare(outcome.old, outcome.new, author=None, old_label=f"{catalog}(导入前)", new_label=catalog)
    if outcome.written:
        loaded = parse_file(catalog)
        if loaded.catalog is not None and loaded.document is not None:
            report.lines = {s.id: f"第 {loaded.document.locate(('services', i)).line} 行"
                            for i, s in enumerate(loaded.catalog.services)}
    click.echo(markdown(report), nl=False)
    if outcome.written:
        click.echo(f"已写入:{catalog}", err=True)
    elif dry_run and outcome.applied:
        click.echo("--dry-run:目录未修改", err=True)
    else:
        click.echo("没有需要写入的内容,目录未修改", err=True)


@review.command("status")
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("-o", "--output", default="核对进度.xlsx", show_default=True, metavar="FILE", help="写出的进度表(.xlsx)")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="统计日期(默认今天)")
def status(catalog: str, output: str, date: str | None) -> None:
    """各部门核对进度:要素数、已确认、已更正、仍待核对、最近交回日期(同时写入 .xlsx)。"""
    from . import status as st

    cat = _catalog(catalog)
    rows, not_ours = st.compute(cat)
    click.echo(st.render_text(rows, not_ours))
    out = Path(output)
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"输出文件须以 .xlsx 结尾:{out}")
    _save_atomically(out, lambda p: st.write_xlsx(cat, rows, not_ours, p, _date(date)))
    click.echo(f"已写入:{out}")


commands = [review]
