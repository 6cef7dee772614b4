"""The ``guide`` command line."""

from __future__ import annotations

import os
import re
import signal
import sys

import click

from . import diagnostics
from .errors import GuideError, catalog_file

DEFAULT_CATALOG = "data/services.yaml"


# The commands defined in other modules, by module: one is imported only when it runs (or when
# help or a caller lists them all). Importing every module took 0.35 s, the catalog model most
# of it, which an unchanged ``guide build`` (restored from the cache in about 0.3 s) never needs.
LAZY = {
    "generator.site.commands": ("build", "serve"),
    "generator.printing.commands": ("print",),
    "generator.changes.commands": ("diff", "owners"),
    "generator.review.commands": ("review",),
}


class LazyGroup(click.Group):
    """A group whose ``commands`` (and listing) hold every command, and whose dispatch imports
    only the module of the command run."""

    @property
    def commands(self) -> dict:
        for module in LAZY:
            self._load(module)
        return self._commands

    @commands.setter
    def commands(self, value) -> None:
        self._commands = value
        self._loaded: set[str] = set()

    def _load(self, module: str) -> None:
        if module in self._loaded:
            return
        self._loaded.add(module)
        import importlib

        for cmd in importlib.import_module(module).commands:
            self._commands[cmd.name] = cmd

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        self._commands[name or cmd.name] = cmd

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self._commands:
            for module, names in LAZY.items():
                if cmd_name in names:
                    self._load(module)
        return self._commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """留学人才服务“一件事”:目录检查、网站、印刷品。"""


@main.command()
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", help="输出格式")
@click.option("--strict", is_flag=True, help="有警告也视为未通过")
def check(catalog: str, fmt: str, strict: bool) -> None:
    """检查目录文件:逐条列出错误和警告(文件:行:列)。"""
    from .catalog import check as run_check

    path = catalog_file(catalog)
    report = run_check(path, display=catalog)
    out = diagnostics.render(report.diagnostics, fmt)
    if fmt == "json":
        click.echo(out)
        click.echo(diagnostics.one_line(report.summary()), err=True)
    else:
        if out:
            click.echo(out)
        if fmt == "github":
            click.echo(diagnostics.workflow_command("notice", report.summary(), file=catalog))
        else:
            click.echo(diagnostics.one_line(report.summary()))
    failed = report.errors > 0 or (strict and report.warnings > 0)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("catalog", default=DEFAULT_CATALOG, metavar="[CATALOG]")
@click.option("--department", "departments", multiple=True, metavar="ID", help="只列这些部门的事项(可重复)")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式")
def pending(catalog: str, departments: tuple[str, ...], fmt: str) -> None:
    """列出所有待核实的要素(按部门、事项,带行号),供各部门补充。"""
    import json

    from .catalog import check as run_check
    from .pending import as_dicts, confirmed_count, evidence_table, pending_items, render_evidence, render_text

    loaded = run_check(catalog_file(catalog), display=catalog).loaded
    assert loaded is not None
    if loaded.catalog is None:
        click.echo(diagnostics.render(loaded.diagnostics, "text"), err=True)
        click.echo("目录未通过检查,请先运行 guide check 改正错误", err=True)
        sys.exit(1)
    known = {d.id for d in loaded.catalog.departments}
    unknown = sorted(set(departments) - known)
    if unknown:
        raise click.UsageError(f"没有部门“{'、'.join(unknown)}”(可用:{'、'.join(sorted(known))})")
    items = [i for i in pending_items(loaded) if not departments or i.department in departments]
    evidence = evidence_table(loaded, departments)
    if fmt == "json":
        click.echo(json.dumps({"pending": as_dicts(items), "evidence": evidence}, ensure_ascii=False, indent=2))
    else:
        if items:
            click.echo(render_text(loaded, items))
        click.echo(render_evidence(evidence))
        click.echo(f"共 {len(items)} 项要素待核实;部门已通过核对表确认 {confirmed_count(loaded, departments)} 项要素")


@main.command()
@click.option("--check", "only_check", is_flag=True, help="只检查 data/services.schema.json 是否最新")
def schema(only_check: bool) -> None:
    """由 generator/schema.py 生成编辑器用的 JSON Schema。"""
    from . import jsonschema

    path = jsonschema.SCHEMA_FILE
    if only_check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != jsonschema.render():
            click.echo(f"{path} 已过期,请运行 guide schema", err=True)
            sys.exit(1)
        click.echo(f"{path} 是最新的")
        return
    changed = jsonschema.write(path)
    click.echo(f"{'已更新' if changed else '无变化'}:{path}")


# click's usage errors, in the words of the rest of the tool.
_USAGE_ZH = [
    (re.compile(r"No such option '([^']+)'\. Did you mean '([^']+)'\?"), r"没有选项“\1”,是否应为“\2”?"),
    (re.compile(r"No such option:? '?([^'\s]+)'?"), r"没有选项“\1”"),
    (re.compile(r"No such command '([^']+)'\. \(Did you mean one of: (.+)\?\)"), r"没有命令“\1”,是否应为 \2 之一?"),
    (re.compile(r"No such command '([^']+)'\. \(Did you mean '([^']+)'\?\)"), r"没有命令“\1”,是否应为“\2”?"),
    (re.compile(r"No such command '([^']+)'\."), r"没有命令“\1”"),
    (re.compile(r"Missing argument '([^']+)'\."), r"缺少参数 \1"),
    (re.compile(r"Option '([^']+)' requires an argument\."), r"选项“\1”后面要写一个值"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"多余的参数:\1"),
    (re.compile(r"Invalid value for '([^']+)': '([^']+)' is not one of (.+)\."), r"“\1”的取值“\2”无效,只能是 \3"),
]


def usage_zh(message: str) -> str:
    for pattern, zh in _USAGE_ZH:
        if pattern.search(message):
            return pattern.sub(zh, message)
    return message


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def run() -> None:
    """Entry point: a usage slip or a bug ends in one Chinese line, never a traceback
    (GUIDE_DEBUG=1 shows a bug's traceback)."""
    # SIGTERM (a CI cancel, `kill`) unwinds like Ctrl-C, so builds remove their scratch folders.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        ctx = exc.ctx
        where = ctx.command_path if ctx is not None else "guide"
        click.echo(f"用法错误:{usage_zh(exc.format_message())}(查看帮助:{where} --help)", err=True)
        sys.exit(2)
    except GuideError as exc:  # its message is the whole sentence; some callers print located lines first
        click.echo(exc.format_message(), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"错误:{exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("GUIDE_DEBUG"):
            raise
        click.echo(f"内部错误:{type(exc).__name__}: {exc}(设置 GUIDE_DEBUG=1 可查看详情)", err=True)
        sys.exit(70)
