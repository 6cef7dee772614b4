"""``guide print``: flyers, posters and the booklet as print-ready PDFs."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from ..catalog import CatalogError, load
from ..errors import catalog_file, git_show
from ..schema import Catalog
from .model import PrintError
from .printcache import PrintCache, cache_dir

DEFAULT_CATALOG = "data/services.yaml"


def _load(path: str) -> Catalog:
    try:
        return load(catalog_file(path))
    except CatalogError as exc:
        for d in exc.diagnostics:
            click.echo(d.text(), err=True)
        raise PrintError(f"目录有 {len(exc.diagnostics)} 处错误,未印制任何文件。请先用 guide check 改正") from None


def catalog_at(rev: str, path: Path) -> Catalog:
    """The catalog file as it was at git revision ``rev`` (read through the one loader)."""
    data = git_show(rev, path)
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / path.name
        old.write_bytes(data)
        try:
            return load(old)
        except CatalogError as exc:
            raise PrintError(f"版本“{rev}”中的目录文件不能通过检查({len(exc.diagnostics)} 处错误),无法比较")


@click.command("print")
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("--catalog", "catalog_option", hidden=True, help="旧写法,同 [CATALOG]")
@click.option("--out", "out_dir", default="site/print", show_default=True, help="输出文件夹")
@click.option("--draft", is_flag=True, help="印制样稿:每页带“样稿”水印,允许占位网址")
@click.option("--service", "services", multiple=True, metavar="ID", help="只印这些事项的单页(可重复)")
@click.option("--department", "departments", multiple=True, metavar="ID", help="只印该部门主办或协办事项的单页(可重复)")
@click.option("--changed-since", "rev", metavar="REV", help="只印自 git 版本 REV 以来内容有变化的印刷品")
@click.option("--crop-marks", is_flag=True, help="在出血区加裁切标记(印刷厂需要时)")
@click.option("--no-cache", "no_cache", is_flag=True, help="不用缓存:每份都重新印制(默认只重印内容有变化的)")
@click.option("--checklist", "answers", metavar="ANSWERS", help="改为印制“我的清单”,如 \"stage=before&destination=hk-macau&funding=self\"")
@click.option("--checklist-out", default="checklist.pdf", show_default=True, help="“我的清单”PDF 的文件名")
@click.option("--charts", "charts", is_flag=True, help="改为印制业务流程图:全程一张、每个事项一张(A4 PDF 和 SVG)")
@click.option("--charts-out", default="charts", show_default=True, help="业务流程图的输出文件夹")
def print_cmd(catalog, catalog_option, out_dir, draft, services, departments, rev, crop_marks, no_cache, answers,
              checklist_out, charts, charts_out) -> None:
    """印制单页、海报和手册(可直接交印刷厂的 PDF);或用 --checklist 印制一份“我的清单”,用 --charts 印制业务流程图。"""
    from . import build, changes

    catalog_path = catalog_option or catalog  # --catalog PATH: the old spelling, still accepted
    catalog = _load(catalog_path)
    if answers is not None:
        _print_checklist(catalog, answers, Path(checklist_out), draft)
        return
    if charts:
        _print_charts(catalog, Path(charts_out), draft, Path(catalog_path))
        return
    only: set[str] | None = None
    overview: bool | None = None
    active = {s.id for s in catalog.services if s.status == "active"}
    if services:
        only = set(services)
    if departments:
        known = {d.id for d in catalog.departments}
        bad = sorted(set(departments) - known)
        if bad:
            raise PrintError(f"没有这些部门:{'、'.join(bad)}(可用的部门编号:{'、'.join(sorted(known))})")
        picked = {
            s.id for s in catalog.services
            if s.id in active and (s.department in departments or set(s.co_departments) & set(departments))
        }
        only = picked if only is None else only | picked
    if rev:
        old = catalog_at(rev, Path(catalog_path))
        changed = changes.changed_services(old, catalog)
        overview = changes.booklet_changed(old, catalog) or changes.posters_changed(old, catalog)
        only = changed if only is None else only & changed
        if not only and not overview:
            click.echo(f"自 {rev} 以来没有影响印刷品的变化,无需重印。")
            return
        if only:
            click.echo(f"自 {rev} 以来内容有变化的事项:{'、'.join(sorted(only))}", err=True)
    if only is not None and not only and not overview:
        raise PrintError("没有要印制的事项")
    is_draft = build.resolve_draft(catalog, True if draft else None)
    total = len(build.plan_jobs(catalog, only, overview if overview is not None else only is None))
    cache = PrintCache(None if no_cache else cache_dir(_project()))
    run = dict(draft=is_draft or None, only=only, overview=overview, crop_marks=crop_marks,
               protected=(Path.cwd(), Path(catalog_path).resolve()), cache=cache)
    if total > 2:  # a progress bar only on long runs
        with click.progressbar(length=total, label="印制中", file=sys.stderr, show_pos=True) as bar:
            manifest = build.print_all(catalog, Path(out_dir), progress=bar.update, **run)
    else:
        manifest = build.print_all(catalog, Path(out_dir), **run)
    kinds = {"flyer": "单页", "poster": "海报", "booklet": "手册"}
    made: dict[str, int] = {}
    for item in manifest["items"]:
        made[item["kind"]] = made.get(item["kind"], 0) + 1
    summary = "、".join(f"{kinds[k]} {n} 份" for k, n in made.items())
    label = "样稿" if manifest["draft"] else "正式版"
    reused = f",其中 {cache.hits} 份内容未变,取自缓存" if cache.hits else ""
    click.echo(f"已印制{label} {total} 份{reused}(目录版本 {manifest['catalog_version']});{out_dir} 现有{summary}")
    for item in manifest["items"]:
        if item["kind"] == "flyer":  # a flyer is one sheet: anything beyond one page is said, never silent
            note = _flyer_note(item)
            if note:
                click.echo(f"注意:单页 {item['file']}({item['title']}){note}", err=True)


def _project() -> Path | None:
    """The project folder (the current one, when it holds mkdocs.yml): its cache serves this run."""
    return Path.cwd() if (Path.cwd() / "mkdocs.yml").is_file() else None


def _flyer_note(item: dict) -> str | None:
    from .model import FLYER_MAX_PAGES

    pages, brief = item.get("pages", 1), item.get("detail") == "brief"
    if pages > FLYER_MAX_PAGES:
        return (f"即使改印精简版(不列备注)也超出一张 A4 纸,共 {pages} 页:"
                "请精简该事项的材料、说明等文字(guide check 的 flyer-fit 警告会提前指出)")
    sides = f",共 {pages} 页,须正反两面印制" if pages > 1 else ""
    if brief:
        return f"完整内容超出一张 A4 纸,已改印精简版(不列各项备注,附网上指南链接){sides}"
    if pages > 1:
        return f"一页印不下{sides}"
    return None


def _print_checklist(catalog: Catalog, answers: str, out: Path, draft: bool) -> None:
    from ..checklist.merge import parse_answers
    from ..checklist.pdf import print_checklist
    from .build import resolve_draft

    parsed = parse_answers(answers, catalog)
    is_draft = resolve_draft(catalog, True if draft else None)
    print_checklist(catalog, parsed, out, draft=is_draft)
    click.echo(f"已印制“我的清单”{'样稿' if is_draft else ''}:{out}")


def _print_charts(catalog: Catalog, out: Path, draft: bool, catalog_path: Path) -> None:
    from .build import resolve_draft
    from .charts import chart_keys, print_charts

    is_draft = resolve_draft(catalog, True if draft else None)  # a PrintError ends the command (errors.GuideError)
    with click.progressbar(length=len(chart_keys(catalog)), label="印制中", file=sys.stderr, show_pos=True) as bar:
        made = print_charts(catalog, out, draft=is_draft, protected=(Path.cwd(), catalog_path.resolve()),
                            progress=bar.update)
    click.echo(f"已印制业务流程图{'样稿' if is_draft else ''} {len(made)} 份:{out}")


commands = [print_cmd]
