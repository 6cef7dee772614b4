"""``guide diff`` (the change report) and ``guide owners`` (CODEOWNERS from the catalog)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from .. import diagnostics
from ..catalog import Report, check
from ..diagnostics import Diagnostic
from ..errors import catalog_file, git_show
from ..files import atomic_write
from ..located import Loaded
from ..schema import Catalog, Service

DEFAULT_CATALOG = "data/services.yaml"


def _load(path: Path, display: str) -> tuple[Catalog | None, Loaded, Report]:
    """The catalog if it passes the schema (rule errors are reported by the caller), what was read,
    and the checker's report."""
    report = check(path, display)
    assert report.loaded is not None
    return report.loaded.catalog, report.loaded, report


def _service_lines(loaded: Loaded) -> dict[str, int]:
    """Where each service starts in its file, so a reviewer can jump to it."""
    assert loaded.catalog is not None and loaded.document is not None
    return {s.id: loaded.document.locate(("services", i)).line for i, s in enumerate(loaded.catalog.services)}


_REGISTRIES = {"department": "departments", "stage": "stages", "category": "categories",
               "material": "materials", "source": "sources", "question": "questions"}


def _annotations(report, loaded: Loaded) -> list[Diagnostic]:
    """Errors and warnings of the report placed on the lines of the new file they concern."""
    assert loaded.catalog is not None and loaded.document is not None
    doc, cat = loaded.document, loaded.catalog
    where = {"service": {s.id: ("services", i) for i, s in enumerate(cat.services)}}
    for area, key in _REGISTRIES.items():
        where[area] = {x.id: (key, i) for i, x in enumerate(getattr(cat, key))}
    out = list(report.checks)
    for c in report.changes:
        if c.severity == "info":
            continue
        base = where.get(c.area, {}).get(c.key)
        if c.area == "service" and base is not None:
            loc = base + tuple(c.field.split(".")) if c.field.split(".")[0] in Service.model_fields else base
            what = f"{report.names.get(c.key, c.key)}({c.key})· "
        elif base is not None:
            loc, what = base, ""
        elif c.area == "meta":
            loc, what = ("meta",) + tuple(c.field.split(".")[1:2]), ""
        else:
            loc = ("services",)  # gone from the new file: point at the list it left
            what = f"{report.names.get(c.key, c.key)}({c.key})· " if c.area == "service" else ""
        mark = doc.locate(loc)
        sev = "error" if c.severity == "error" else "warning"
        out.append(Diagnostic(loaded.path, mark.line, mark.column, sev, "变更", f"{what}{c.label}:{c.message}"))
    return out


_git_show = git_show  # the file at a git revision, or GuideError (exit 2) as in guide print


def _diagnostics_out(loaded: Loaded, fmt: str) -> None:
    diags = diagnostics.sort(d for d in loaded.diagnostics if d.severity == "error")
    if fmt == "json":
        click.echo(diagnostics.render(diags, "json"))
    else:
        from .render import code, code_block

        click.echo(f"## 目录变更报告\n\n无法比较:{code(loaded.path)} 不能作为目录读取(写法或结构有误),请先修正:\n")
        click.echo("\n".join(code_block([d.text() for d in diags])))
    click.echo(f"{loaded.path}: 目录无法读取,共 {len(diags)} 个错误", err=True)


@click.command()
@click.argument("catalogs", nargs=-1, metavar="[OLD] [NEW]")
@click.option("--base", "rev", metavar="REV", help="与 git 版本 REV 中的同一目录文件比较(如 origin/main)")
@click.option("--author", metavar="ACCOUNT", help="提交人的 GitHub 账号:只能修改其所在部门的事项")
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "json", "github"]), default="markdown",
    help="输出格式:markdown 报告、json,或 github(错误和警告作为 GitHub 行内标注)",
)
def diff(catalogs: tuple[str, ...], rev: str | None, author: str | None, fmt: str) -> None:
    """变更报告:逐项列出两个版本目录的差别、级别和需重新印刷的印刷品。

    \b
    guide diff --base REV [CATALOG]   与 git 版本比较(CATALOG 默认 data/services.yaml)
    guide diff OLD NEW                比较两个文件
    有错误时退出码为 1。
    """
    from .compare import compare
    from .render import as_json, markdown

    if rev is not None:
        if len(catalogs) > 1:
            raise click.UsageError("使用 --base 时只能再给一个目录文件(默认 data/services.yaml)")
        new_path = catalogs[0] if catalogs else DEFAULT_CATALOG
        old_label = f"{rev}:{new_path}"
    else:
        if len(catalogs) != 2:
            raise click.UsageError("请给出两个目录文件 OLD NEW,或用 --base REV 与 git 版本比较")
        old_path, new_path = catalogs
        old_label = old_path
    catalog_file(new_path)

    with tempfile.TemporaryDirectory(prefix="guide-diff-") as tmp:
        if rev is not None:
            base_file = Path(tmp) / "base.yaml"
            base_file.write_bytes(_git_show(rev, new_path))
            old_file = base_file
        else:
            old_file = catalog_file(old_path)
        old, old_loaded, _ = _load(old_file, old_label)
        new, new_loaded, new_checked = _load(Path(new_path), new_path)
    for cat, loaded in ((old, old_loaded), (new, new_loaded)):
        if cat is None:
            _diagnostics_out(loaded, fmt)
            sys.exit(1)
    assert old is not None and new is not None
    report = compare(old, new, author=author, old_label=old_label, new_label=new_path)
    in_old, in_new = _service_lines(old_loaded), _service_lines(new_loaded)
    report.lines = {k: f"原文件第 {n} 行" for k, n in in_old.items() if k not in in_new}
    report.lines.update({k: f"第 {n} 行" for k, n in in_new.items()})
    # The new catalog's rule errors (a dangling reference, a broken limit …) fail the change too.
    report.checks = [d for d in new_checked.diagnostics if d.severity == "error"]
    if fmt == "github":
        out = diagnostics.render(diagnostics.sort(_annotations(report, new_loaded)), "github")
        click.echo(out + "\n" if out else "", nl=False)
    else:
        click.echo(as_json(report) if fmt == "json" else markdown(report), nl=False)
    errors, warnings, infos = (report.count(s) for s in ("error", "warning", "info"))
    click.echo(f"变更报告:{errors} 个错误,{warnings} 个警告,{infos} 条说明", err=True)
    sys.exit(1 if report.failed else 0)


@click.command()
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("--output", default=".github/CODEOWNERS", show_default=True, help="CODEOWNERS 文件的位置")
@click.option("--check", "only_check", is_flag=True, help="只检查 CODEOWNERS 是否与目录一致")
def owners(catalog: str, output: str, only_check: bool) -> None:
    """由目录中各部门的 maintainers 生成 .github/CODEOWNERS。"""
    from ..catalog import CatalogError, load
    from . import owners as own

    catalog_file(catalog)
    if Path(catalog).is_absolute():
        raise click.UsageError("目录文件须写相对于仓库根目录的路径,如 data/services.yaml")
    try:
        cat = load(catalog)
    except CatalogError as exc:
        for d in exc.diagnostics:
            click.echo(d.text(), err=True)
        sys.exit(1)
    bad = own.bad_accounts(cat)
    if bad:
        for line in bad:
            click.echo(line, err=True)
        sys.exit(1)
    text = own.render(cat, Path(catalog).as_posix())
    out = Path(output)
    current = out.read_text(encoding="utf-8") if out.is_file() else None
    if only_check:
        if current != text:
            click.echo(f"{output} 与目录中的 maintainers 不一致,请运行 guide owners 重新生成", err=True)
            sys.exit(1)
        click.echo(f"{output} 是最新的")
        return
    if current == text:
        click.echo(f"无变化:{output}")
        return
    atomic_write(out, text)
    click.echo(f"已更新:{output}")


commands = [diff, owners]
