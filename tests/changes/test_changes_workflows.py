"""The repository's CI workflows, contributor guide and PR template: they parse, and what they say exists.

Workflow files are not catalogs, so reading them with ``yaml.safe_load`` is fine here.
"""

from __future__ import annotations

import re
import shlex
import typing

import click
import pytest
import yaml

from generator.cli import main
from generator.rules import RULES
from generator.schema import Category, ElementCheck, InPersonChannel, MaterialUse, Phone, Result, Service, TimeLimit, Verification

from support import REPO  # noqa: E402
WORKFLOWS = REPO / ".github" / "workflows"
SHELL_OPERATORS = {"&&", "||", ";", "|", ">", ">>", "<", "2>", "2>&1"}


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and "jobs" in data
    # YAML 1.1 reads the key ``on`` as true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict) -> list[tuple[str, dict]]:
    return [(job_id, step) for job_id, job in data["jobs"].items() for step in job.get("steps", [])]


def guide_commands(script: str) -> list[list[str]]:
    """Every ``guide …`` / ``python3 cli.py …`` invocation in a run script, as argument lists."""
    found = []
    for line in script.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        current: list[str] | None = None
        for i, w in enumerate(words):
            if w in SHELL_OPERATORS:
                if current is not None:
                    found.append(current)
                current = None
                continue
            start = current is None and (i == 0 or words[i - 1] in SHELL_OPERATORS)
            if start and w == "guide":
                current = []
            elif start and w in ("python3", "python") and words[i + 1 : i + 2] == ["cli.py"]:
                current = []
                words[i + 1] = "\0skip"
            elif w == "\0skip":
                continue
            elif current is not None:
                current.append(w)
        if current is not None:
            found.append(current)
    return found


def all_workflow_commands() -> list[tuple[str, list[str]]]:
    out = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for _, step in steps(workflow(path.name)):
            for cmd in guide_commands(step.get("run", "")):
                out.append((path.name, cmd))
    return out


def check_cli_call(args: list[str]) -> None:
    """The subcommand exists, and every option it is given is one of its options."""
    assert args, "bare guide call"
    cmd = main.commands.get(args[0])
    assert cmd is not None, f"guide has no command {args[0]!r}"
    options = {opt: p for p in cmd.params if isinstance(p, click.Option) for opt in (*p.opts, *p.secondary_opts)}
    arguments = [p for p in cmd.params if isinstance(p, click.Argument)]
    rest = iter(args[1:])
    positional = 0
    for word in rest:
        if word.startswith("--"):
            name = word.split("=", 1)[0]
            assert name in options, f"guide {args[0]} has no option {name}"
            opt = options[name]
            if not opt.is_flag and "=" not in word:
                value = next(rest, None)
                assert value is not None, f"{name} needs a value"
                if isinstance(opt.type, click.Choice):
                    assert value in opt.type.choices, f"{name} {value!r} not in {opt.type.choices}"
        else:
            positional += 1
    capacity = sum(float("inf") if a.nargs == -1 else a.nargs for a in arguments)
    assert positional <= capacity, f"guide {args[0]}: too many arguments {args[1:]}"


def test_workflows_parse_and_run_only_existing_commands():
    files = {p.name for p in WORKFLOWS.glob("*.yml")}
    assert files >= {"pages.yml", "pr.yml"} and not list(WORKFLOWS.glob("*.yaml"))
    calls = all_workflow_commands()
    names = {(f, c[0]) for f, c in calls}
    assert {("pr.yml", "check"), ("pr.yml", "diff"), ("pr.yml", "build"), ("pages.yml", "build")} <= names
    for _, args in calls:
        check_cli_call(args)
    for path in WORKFLOWS.glob("*.yml"):
        for _, step in steps(workflow(path.name)):
            for script in re.findall(r"bash (\S+)", step.get("run", "")):
                script = script.removeprefix("base/")  # the review job's checkout of the base branch
                assert (REPO / script).is_file(), f"{path.name} runs missing {script}"


def test_the_checker_itself_rejects_a_wrong_command():
    with pytest.raises(AssertionError):
        check_cli_call(["diff", "--bogus"])
    with pytest.raises(AssertionError):
        check_cli_call(["nope"])
    with pytest.raises(AssertionError):
        check_cli_call(["check", "--format", "xml"])
    assert guide_commands('guide diff --base "origin/$B" >> "$GITHUB_STEP_SUMMARY"') == [["diff", "--base", "origin/$B"]]
    assert guide_commands("python3 cli.py build && guide print --draft") == [["build"], ["print", "--draft"]]


def test_pull_request_workflow():
    wf = workflow("pr.yml")
    assert "pull_request" in wf["on"] and "pull_request_target" not in wf["on"]
    review = wf["jobs"]["review"]
    runs = [s.get("run", "") for s in review["steps"]]
    checkouts = [s for s in review["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")]
    by_path = {c["with"]["path"]: c for c in checkouts}
    assert by_path["base"]["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert by_path["pr"]["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    assert by_path["pr"]["with"]["fetch-depth"] == 0  # the diff needs the target branch's history
    check = next(r for r in runs if r.startswith("guide check"))
    assert "--format github" in check
    diff = next(r for r in runs if r.startswith("guide diff"))
    assert "--base" in diff and "--author" in diff and "--format github" in diff
    # The last command writes the report to the job summary and decides the step's result.
    assert diff.strip().splitlines()[-1].endswith('>> "$GITHUB_STEP_SUMMARY"')
    env = next(s for s in review["steps"] if s.get("run", "").startswith("guide diff"))["env"]
    assert env["AUTHOR"] == "${{ github.event.pull_request.user.login }}"
    assert env["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    upload = next(s for s in review["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "base/site/"
    assert wf["permissions"] == {} and review["permissions"] == {"contents": "read"}


def test_pull_request_code_never_judges_the_pull_request():
    """Every guide call of the review job runs the base branch's code: set up from base/, run on pr/'s data."""
    review = workflow("pr.yml")["jobs"]["review"]
    setups = [s["run"] for s in review["steps"] if "setup.sh" in s.get("run", "")]
    assert setups == ["bash base/scripts/setup.sh"]
    for step in review["steps"]:
        run = step.get("run", "")
        if guide_commands(run):
            assert not re.search(r"python3? (\S*/)?cli\.py", run), "cli.py would run whichever checkout is the cwd"
            assert step.get("working-directory") in ("pr", "base"), step
        if step.get("working-directory") == "pr":
            assert "pr/" not in run and "setup.sh" not in run and "pip" not in run
    build = next(s for s in review["steps"] if s.get("run", "").startswith("guide build"))
    assert build["working-directory"] == "base" and "../pr/data/services.yaml" in build["run"]


def test_workflows_are_hardened():
    """Actions pinned to a commit, no persisted checkout credentials, permissions per job; zizmor agrees."""
    import shutil
    import subprocess

    for path in sorted(WORKFLOWS.glob("*.yml")):
        wf = workflow(path.name)
        assert wf.get("permissions") == {}, f"{path.name}: grant permissions per job"
        for job_id, job in wf["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {job_id} has no permissions"
        for _, step in steps(wf):
            uses = str(step.get("uses", ""))
            if uses:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{path.name}: {uses} not pinned"
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    zizmor = shutil.which("zizmor")
    assert zizmor, "zizmor is missing: run scripts/setup.sh --test"
    r = subprocess.run([zizmor, "--offline", "--no-progress", str(WORKFLOWS)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_pages_workflow():
    wf = workflow("pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    deploy = wf["jobs"]["deploy"]["permissions"]
    assert deploy == {"pages": "write", "id-token": "write"}
    assert wf["jobs"]["build"]["permissions"] == {"contents": "read"}
    uses = [str(s.get("uses", "")) for _, s in steps(wf)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    upload = next(s for _, s in steps(wf) if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/"


# ---------------------------------------------------------------- contributor guide and template

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _literals(model: type, field: str) -> list[str]:
    def walk(tp):
        if typing.get_origin(tp) is typing.Literal:
            return list(typing.get_args(tp))
        return [x for a in typing.get_args(tp) for x in walk(a)]

    return walk(model.model_fields[field].annotation)


def test_contributing_names_every_service_field_and_no_other():
    for name in Service.model_fields:
        assert f"`{name}`" in GUIDE, f"CONTRIBUTING.md does not explain services[].{name}"
    table = re.search(r"\| 字段 \| 含义 \| 写法要点 \|\n(.*?)\n\n", GUIDE, re.S)
    assert table
    for row in table.group(1).splitlines()[1:]:
        first_cell = row.split("|")[1]
        for key in re.findall(r"`([a-z_]+)`", first_cell):
            assert key in Service.model_fields, f"CONTRIBUTING.md documents unknown field {key}"
    for model in (MaterialUse, TimeLimit, Verification, ElementCheck):
        for name in model.model_fields:
            if name != "source":
                assert f"`{name}`" in GUIDE, f"CONTRIBUTING.md does not explain {model.__name__}.{name}"


def test_contributing_lists_the_allowed_values():
    for model, field in ((TimeLimit, "unit"), (Result, "form"), (Phone, "kind"), (Verification, "status"),
                         (Service, "status"), (Category, "kind"), (ElementCheck, "status")):
        for value in _literals(model, field):
            assert f"`{value}`" in GUIDE or f"status: {value}" in GUIDE, f"{model.__name__}.{field}: {value}"
    assert "即办件" in GUIDE and "承诺件" in GUIDE
    assert all(f"`{k}`" in GUIDE for k in ("place", "address", "hours")) and set(InPersonChannel.model_fields) >= {
        "place", "address", "hours"}


def test_contributing_explains_every_rule():
    for rule_id in (*RULES, "schema", "yaml-syntax"):
        assert f"`{rule_id}`" in GUIDE, f"CONTRIBUTING.md does not explain rule [{rule_id}]"
    assert "文件:行:列: 级别: [规则] 说明" in GUIDE
    assert "# yaml-language-server: $schema=services.schema.json" in GUIDE
    first = (REPO / "data" / "services.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=services.schema.json"  # what the guide tells staff


def test_pull_request_template_and_readme():
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 8 and "审核人" in template and "需重新印刷" in template
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`guide diff" in readme and "`guide owners" in readme and "CONTRIBUTING.md" in readme
