"""``guide check``: output formats, summary and exit codes, run as a real process."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from support import MINIMAL, REPO, edited, guide

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): \[(?P<rule>[a-z-]+)\] (?P<msg>.+)$")


def test_shipped_catalog_passes_and_counts_pending():
    r = guide("check")
    assert r.returncode == 0, r.stdout + r.stderr
    summary = r.stdout.strip().splitlines()[-1]
    m = re.search(r"(\d+) 个事项,0 个错误,(\d+) 个警告,(\d+) 项要素待核实", summary)
    assert m and m.group(1) == "30" and int(m.group(3)) > 0
    for line in r.stdout.strip().splitlines()[:-1]:
        assert LINE.match(line), line
    assert "Traceback" not in r.stderr


def test_errors_exit_1_with_located_lines(write, minimal_text):
    text = edited(minimal_text, "    department: hrss\n", "    department: nobody\n")
    text = edited(text, '"12367"', '"123"')
    r = guide("check", str(write(text)))
    assert r.returncode == 1
    lines = [LINE.match(x) for x in r.stdout.splitlines()[:-1]]
    assert all(lines) and {m["rule"] for m in lines} >= {"ref", "phone"}
    assert "2 个错误" in r.stdout.splitlines()[-1]


def test_json_format(write, minimal_text):
    text = edited(minimal_text, "    department: hrss\n", "    department: nobody\n")
    r = guide("check", "--format", "json", str(write(text)))
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert isinstance(data, list) and data
    assert set(data[0]) == {"path", "line", "column", "severity", "rule", "message"}
    assert any(d["rule"] == "ref" and d["severity"] == "error" for d in data)
    assert "个错误" in r.stderr


def test_github_format(write, minimal_text):
    text = edited(minimal_text, "    department: hrss\n", "    department: nobody\n")
    path = write(text)
    r = guide("check", "--format", "github", str(path))
    assert r.returncode == 1
    first = r.stdout.splitlines()[0]
    assert re.match(rf"^::(error|warning) file={re.escape(str(path))},line=\d+,col=\d+::\[[a-z-]+\] ", first), first


def test_warnings_fail_only_when_strict():
    assert guide("check", "--strict").returncode == 1
    assert guide("check").returncode == 0


def test_missing_file_is_a_usage_error():
    r = guide("check", "no/such/file.yaml")
    assert r.returncode == 2
    assert "找不到目录文件" in r.stderr and "Traceback" not in r.stderr


def test_syntax_error_single_located_line(write):
    r = guide("check", str(write("meta:\n  title: a\n city: b\n")))
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 2 and LINE.match(lines[0]) and ":3:" in lines[0]


def test_help_runs():
    r = guide("--help")
    assert r.returncode == 0 and "check" in r.stdout


def test_default_catalog_is_data_services_yaml_in_the_current_folder(tmp_path):
    """Without [CATALOG] a command reads ./data/services.yaml: here the minimal one, not the shipped one."""
    (tmp_path / "data").mkdir()
    shutil.copy(MINIMAL, tmp_path / "data" / "services.yaml")
    r = guide("check", cwd=tmp_path)
    summary = r.stdout.strip().splitlines()[-1]
    assert summary.startswith("data/services.yaml: 检查")
    assert " 30 个事项" not in summary and re.search(r"(\d+) 个事项", summary)
    from generator.cli import main

    defaults = {
        name: next(p.default for p in cmd.params if p.name in ("catalog", "catalogs"))
        for name, cmd in main.commands.items() if any(p.name in ("catalog", "catalogs") for p in cmd.params)
    }
    defaults.pop("diff")  # OLD NEW, or --base REV [CATALOG] (its default is tested in tests/changes)
    assert set(defaults) == {"check", "pending", "build", "print", "owners"}
    assert set(defaults.values()) == {"data/services.yaml"}


def invoke(*args: str):
    """The command in-process (click's runner), as the checks below need no fresh interpreter."""
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("args", [
    ["check"], ["pending"], ["print", "--draft"], ["build", "--no-print"], ["owners"], ["diff", "--base", "HEAD"],
])
def test_a_missing_catalog_exits_2_in_every_command(monkeypatch, tmp_path, args):
    monkeypatch.chdir(REPO if args[0] == "build" else tmp_path)
    r = invoke(*args, "no/such.yaml")
    assert r.exit_code == 2, (args, r.output)
    assert "找不到目录文件:no/such.yaml" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)  # no traceback


def test_a_bad_git_revision_exits_2_in_diff_and_print(monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    for args in (["diff", "--base", "no-such-rev"], ["print", "--draft", "--out", str(tmp_path), "--changed-since", "no-such-rev"]):
        r = invoke(*args)
        assert r.exit_code == 2, (args, r.output)
        assert "无法读取 git 版本“no-such-rev”" in r.output


def test_print_takes_the_catalog_like_every_command(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: [\n", encoding="utf-8")
    for args in (["print", str(bad)], ["print", "--catalog", str(bad)]):  # --catalog: the old spelling, hidden
        r = invoke(*args, "--draft", "--out", str(tmp_path / "out"))
        assert r.exit_code == 1 and f"{bad}:2:1: error: [yaml-syntax]" in r.output and "未印制" in r.output, r.output
    assert "--catalog" not in invoke("print", "--help").output


def test_a_guide_error_ends_the_process_with_its_code():
    """The real entry point (not click's runner): message alone on stderr, the error's exit code."""
    r = guide("print", "--draft", "no/such.yaml")
    assert (r.returncode, r.stderr.strip()) == (2, "找不到目录文件:no/such.yaml")


def test_usage_slips_are_told_in_chinese():
    r = guide("check", "--formt", "json")
    assert r.returncode == 2
    assert r.stderr.strip() == "用法错误:没有选项“--formt”,是否应为“--format”?(查看帮助:cli.py check --help)"
    r = guide("chek")
    assert r.returncode == 2 and r.stderr.startswith("用法错误:没有命令“chek”")
    r = guide("check", "--format", "xml")
    assert r.returncode == 2 and "取值“xml”无效" in r.stderr and "Traceback" not in r.stderr


# A value that would start workflow commands of its own if it reached the log raw.
HOSTILE = '12367\\n::add-mask::secret\\r::error file=x,line=1::forged\\u2028::warning::u2028\\x85::error::nel\\e[31m'
COMMANDS = re.compile(r"^::(?P<cmd>[a-z-]+)(?: (?P<props>[^:]*))?::")


def test_catalog_text_cannot_start_a_workflow_command(write, tmp_path, minimal_text):
    text = edited(minimal_text, '{kind: 咨询, number: "12367"}', f'{{kind: 咨询, number: "{HOSTILE}"}}')
    path = tmp_path / "a,b:c.yaml"  # the path is a property value too: its "," and ":" must not end it
    path.write_text(text, encoding="utf-8")
    r = guide("check", "--format", "github", str(path))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    for line in lines:
        m = COMMANDS.match(line)
        assert m and m["cmd"] in ("error", "warning", "notice"), line
        assert m["props"].startswith("file=" + str(path).replace(",", "%2C").replace(":", "%3A")), line
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", line), line
    phone = next(x for x in lines if "[phone]" in x)
    assert "::add-mask::secret" in phone and "::error file=x" in phone  # shown, inside the one annotation
    # The text format is read by the runner too (the build step prints it): one finding, one line.
    r = guide("check", str(write(text)))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 3 and all(LINE.match(x) for x in lines[:-1]), lines
    assert not any(x.startswith("::") for x in lines)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", r.stdout)
    phone = next(x for x in lines if "[phone]" in x)
    assert "12367\\n::add-mask::secret\\r::error" in phone  # the escapes a reader can see and fix


def test_every_command_module_is_known_to_the_lazy_group():
    """``guide`` imports a command's module only when it runs: each module's commands must be listed."""
    import importlib

    from generator.cli import LAZY

    found = {".".join(p.relative_to(REPO).with_suffix("").parts) for p in (REPO / "generator").rglob("commands.py")}
    assert set(LAZY) == found
    for module, names in LAZY.items():
        assert tuple(c.name for c in importlib.import_module(module).commands) == names
