"""``guide build`` and ``guide serve``."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

from .. import diagnostics
from ..errors import catalog_file

DEFAULT_CATALOG = "data/services.yaml"


def _root() -> Path:
    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file():
        raise click.UsageError("当前目录下没有 mkdocs.yml:请在项目根目录运行")
    return root


def _check(catalog: str):
    """Like ``guide check``: on errors print every located problem and stop with exit code 1.

    Returns the checked catalog, which the print and the site then use (read once per build)."""
    from ..catalog import check as run_check

    report = run_check(catalog_file(catalog), display=catalog)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    if errors or report.loaded is None or report.loaded.catalog is None:
        click.echo(diagnostics.render(errors, "text"), err=True)
        click.echo(report.summary(), err=True)
        click.echo("网站未构建,原有的 site/ 保持不变。", err=True)
        sys.exit(1)
    return report.loaded.catalog


def _print(catalog, staging: Path, root: Path, say) -> Path:
    from ..printing.build import print_all
    from ..printing.fonts import require_chinese_font
    from ..printing.model import PrintError
    from ..printing.printcache import PrintCache, cache_dir

    try:
        require_chinese_font()
    except PrintError as exc:  # not worth a site whose PDFs are boxes
        click.echo(f"{exc}(或加 --no-print 只构建网站)", err=True)
        sys.exit(1)
    out = staging / "print"
    cache = PrintCache(cache_dir(root))  # unchanged documents come from the last build's
    try:
        print_all(catalog, out, cache=cache)
    except PrintError as exc:
        # A placeholder site address: the site is still published, its prints marked 样稿.
        say(f"印刷品按样稿生成:{exc}")
        shutil.rmtree(out, ignore_errors=True)
        print_all(catalog, out, draft=True, cache=cache)
    return out


def _restore(outputs, key: str | None, targets: dict[str, Path], protected: list[Path]):
    """The saved output of an identical build put in place, or None (then build as usual)."""
    from ..files import OutputDirError, check_replaceable

    if key is None:
        return None
    try:
        for t in targets.values():
            check_replaceable(t, protected=protected, what="网站输出文件夹")
    except OutputDirError:
        return None  # the usual build reports it, after the catalog's own errors
    return outputs.restore(key, targets)


@click.command()
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("--offline", is_flag=True, help="另外生成 site-offline/(可从 file:// 打开并搜索)及其 zip 下载")
@click.option("--no-print", "no_print", is_flag=True, help="不生成印刷品")
@click.option("--site-dir", default="site", show_default=True, help="输出目录")
def build(catalog: str, offline: bool, no_print: bool, site_dir: str) -> None:
    """检查目录,构建网站(及印刷品)到 site/;失败时原有 site/ 不变。"""
    from ..cache import cache_root
    from ..outputcache import NAMESPACE, OutputCache

    root = _root()
    catalog_path = Path(catalog).resolve()
    target = Path(os.path.abspath(root / site_dir))
    targets = {"offline": target.parent / f"{target.name}-offline"} if offline else {}
    targets["site"] = target
    protected = [root, catalog_path]
    started = time.perf_counter()
    cache = cache_root(root)
    # An unchanged project (same catalog, pages, theme, code, tools, options and date) gets the
    # last build's output back: its check passed with the same inputs, so it is not run again.
    outputs = OutputCache(cache / NAMESPACE if cache is not None else None)
    key = None
    if outputs.enabled and catalog_path.is_file():
        from .buildkey import build_key

        key = build_key(root, catalog_path, offline=offline, with_print=not no_print, site_name=target.name)
    restored = _restore(outputs, key, targets, protected)
    if restored is not None:
        for line in restored.notes:
            click.echo(line)
        pages = sum(1 for f in restored.files["site"] if f.endswith(".html"))
        click.echo("输入与上次构建完全相同,网站已从缓存恢复。")
        click.echo(f"网站已构建:{site_dir}/,{pages} 个页面,用时 {time.perf_counter() - started:.1f} 秒")
        return
    notes: list[str] = []

    def say(line: str) -> None:
        click.echo(line)
        notes.append(line)

    _build(root, catalog, catalog_path, targets, protected, no_print, cache, say)
    if key is not None:
        outputs.save(key, targets, notes)  # a failed build exited above: never saved
    pages = sum(1 for _ in target.rglob("*.html"))
    click.echo(f"网站已构建:{site_dir}/,{pages} 个页面,用时 {time.perf_counter() - started:.1f} 秒")


def _build(root: Path, catalog: str, catalog_path: Path, targets: dict[str, Path], protected: list[Path],
           no_print: bool, cache: Path | None, say) -> None:
    """Check the catalog and build into ``targets`` (the offline copy first, if asked); on any
    failure print why and exit 1, leaving the old folders as they were."""
    from .build import BuildError, build_offline, build_site

    from ..cache import Store
    from ..files import OutputDirError, check_replaceable, scratch

    checked = _check(catalog)
    try:
        for t in targets.values():
            check_replaceable(t, protected=protected, what="网站输出文件夹")
    except OutputDirError as exc:
        click.echo(f"错误:{exc}", err=True)
        sys.exit(1)
    target = targets["site"]
    staging = scratch(Path(tempfile.gettempdir()), "guide-build-")
    zip_path: Path | None = None
    store = Store(cache / "site" if cache is not None else None)
    try:
        print_dir = None if no_print else _print(checked, staging, root, say)
        if "offline" in targets:
            zip_path = build_offline(root, targets["offline"], catalog=catalog_path, loaded=checked, store=store)
            say(f"离线版:{target.name}-offline/(可直接打开 index.html)")
        build_site(root, target, catalog=catalog_path, print_dir=print_dir, offline_zip=zip_path,
                   loaded=checked, store=store)
        store.prune()  # what this build did not use can't serve the next one
    except BuildError as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        click.echo("网站构建失败,原有的 site/ 保持不变。", err=True)
        sys.exit(1)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if zip_path is not None:
            shutil.rmtree(zip_path.parent, ignore_errors=True)


@click.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="预览地址")
def serve(dev_addr: str) -> None:
    """本地预览:改动目录后只重建受影响的页面;content/、overrides/ 或模板改动后全部重建。"""
    from .preview import serve as run

    root = _root()
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("应写成 主机:端口,例如 127.0.0.1:8000", param_hint="--dev-addr")
    run(root, root / DEFAULT_CATALOG, host, int(port))


commands = [build, serve]
