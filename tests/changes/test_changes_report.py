"""The change report's text: a snapshot of one rich scenario, JSON, Markdown safety and the reprint list.

Regenerate the snapshot after an intended change of wording: ``UPDATE_SNAPSHOTS=1 python3 -m pytest tests/changes``
(then read the diff of ``fixtures/rich.expected.md`` before committing it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.located import parse_file
from generator.changes.compare import compare
from generator.changes.render import markdown, md
from generator.cli import main

from support import REPO  # noqa: E402
FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT = FIXTURES / "rich.expected.md"
REL = "tests/changes/fixtures"


def _run(*args: str):
    return CliRunner().invoke(main, ["diff", f"{REL}/base.yaml", f"{REL}/rich.yaml", "--author", "police-editor", *args])


def test_markdown_snapshot(monkeypatch):
    monkeypatch.chdir(REPO)  # paths in the report are as given on the command line
    r = _run()
    assert r.exit_code == 1  # the rich scenario touches another department's service
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(r.stdout, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8")
    assert r.stdout == expected, "change report differs from fixtures/rich.expected.md (UPDATE_SNAPSHOTS=1 to regenerate)"


def test_json_matches_markdown(monkeypatch):
    monkeypatch.chdir(REPO)
    data = json.loads(_run("--format", "json").stdout)
    assert data["passed"] is False
    assert data["summary"] == {"error": 2, "warning": 8, "info": 12}
    assert data["new"]["version"] == "2026.2.1" and data["author"] == "police-editor"
    fields = {(c["severity"], c["key"], c["field"]) for c in data["changes"]}
    assert ("warning", "passport", "time_limits.committed") in fields
    assert ("error", "archive", "owner") in fields
    files = [f["file"] for f in data["reprint"]["flyers"]]
    assert files == ["flyers/passport.pdf", "flyers/archive.pdf", "flyers/exit-records.pdf"]
    assert data["reprint"]["posters"]["files"] == ["posters/poster-a3.pdf", "posters/poster-a1.pdf"]
    assert data["reprint"]["booklet"]["file"] == "booklet.pdf"
    text = _run().stdout
    assert f"{data['summary']['error']} 个错误,{data['summary']['warning']} 个警告,{data['summary']['info']} 条说明" in text


def _load(name: str):
    loaded = parse_file(FIXTURES / f"{name}.yaml")
    assert loaded.catalog is not None
    return loaded.catalog


def test_catalog_text_cannot_break_the_markdown(tmp_path):
    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8")
    old = "    audience: 因私出国的中国公民\n"
    assert old in text
    p = tmp_path / "md.yaml"
    p.write_text(text.replace(old, '    audience: "a | b *c* [x](y) `z` # h"\n'), encoding="utf-8")
    report = compare(_load("base"), parse_file(p).catalog, author=None)
    row = next(line for line in markdown(report).splitlines() if line.startswith("| 说明 | 服务对象"))
    assert row.count(" | ") == 2  # still three cells
    assert md("a | b *c*") == "a \\| b \\*c\\*"


def test_reprint_names_the_pieces():
    r = compare(_load("base"), _load("limit-lengthened"), author=None).reprint
    assert [f.path for f in r.flyers] == ["flyers/passport.pdf"] and r.flyers[0].reasons == ("承诺办结时限",)
    assert not r.posters  # names, stages and order unchanged
    assert r.booklet == ["事项页:普通护照签发(passport)"]

    r = compare(_load("base"), _load("service-retired"), author=None).reprint
    assert not r.flyers and [f.path for f in r.withdrawn] == ["flyers/archive.pdf"]
    assert r.posters and r.booklet

    r = compare(_load("base"), _load("id-renamed-retired"), author=None).reprint
    assert [f.path for f in r.flyers] == ["flyers/passport-issue.pdf"]
    assert [f.path for f in r.withdrawn] == ["flyers/passport.pdf"]


@pytest.mark.parametrize("name", ["material-added", "limit-shortened", "fee-introduced", "service-retired", "rich"])
def test_reprint_names_exactly_the_pieces_whose_print_changes(name):
    """Checked against what is printed, not against the function ``reprint`` calls: a piece is
    out of date when its HTML (what goes to WeasyPrint) differs between the two catalogs."""
    from generator.printing import model, render

    old, new = _load("base"), _load(name)
    r = compare(old, new, author=None).reprint
    opts = render.Options(draft=True)
    active = {s.id for s in model.plan_order(new)}
    before = {s.id for s in model.plan_order(old)}

    def flyer(catalog, sid):
        return render.flyer_html(catalog, sid, opts).replace(catalog.meta.version, "VERSION")

    changed = {sid for sid in active if sid not in before or flyer(old, sid) != flyer(new, sid)}
    assert {f.service for f in r.flyers} == changed
    assert {f.service for f in r.withdrawn} == before - active
    posters = any(render.poster_html(old, s, opts) != render.poster_html(new, s, opts) for s in model.POSTER_SIZES)
    assert bool(r.posters) == posters
    assert bool(r.booklet) == (render.booklet_html(old, opts) != render.booklet_html(new, opts))


def test_github_annotations_point_at_the_lines(monkeypatch):
    monkeypatch.chdir(REPO)
    r = _run("--format", "github")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 10  # 2 errors + 8 warnings; info is left to the report
    assert all(x.startswith(("::error file=tests/changes/fixtures/rich.yaml,line=",
                             "::warning file=tests/changes/fixtures/rich.yaml,line=")) for x in lines)
    committed = next(x for x in lines if "承诺办结时限延长" in x)
    text = (FIXTURES / "rich.yaml").read_text(encoding="utf-8").splitlines()
    line = int(committed.split("line=")[1].split(",")[0])
    assert text[line - 1].strip().startswith("committed:")
    owner = next(x for x in lines if x.startswith("::error") and "人事档案接收" in x)
    line = int(owner.split("line=")[1].split(",")[0])
    assert text[line - 1].strip() == "- id: archive"


def test_editor_only_changes_reprint_nothing(tmp_path):
    """editor_note and the source policy in meta are never published: changing them outdates no paper."""
    from support import edited

    base = (FIXTURES / "base.yaml").read_text(encoding="utf-8")
    lead = edited(base, "    audience: {pending: 待核实}\n", "    audience: {pending: 待核实, editor_note: 线索甲}\n")
    (tmp_path / "a.yaml").write_text(lead, encoding="utf-8")
    changed = edited(lead, "editor_note: 线索甲}", "editor_note: 线索乙}")
    changed = edited(changed, "  link_domains: [gov.cn]\n", "  link_domains: [gov.cn]\n  denied_hosts: [spam.example.net]\n")
    (tmp_path / "b.yaml").write_text(changed, encoding="utf-8")
    old, new = (parse_file(tmp_path / f"{x}.yaml").catalog for x in "ab")
    report = compare(old, new, author=None)
    assert report.reprint.empty
    assert [(c.severity, c.field) for c in report.changes] == [("info", "audience"), ("info", "meta.denied_hosts")]
    assert "编辑备注" in report.changes[0].message  # and no call to renew the department's confirmation
    # the public text of the same element does outdate the flyer
    public = edited(lead, "{pending: 待核实, editor_note: 线索甲}", "{pending: 服务对象待部门核实, editor_note: 线索甲}")
    (tmp_path / "c.yaml").write_text(public, encoding="utf-8")
    assert not compare(old, parse_file(tmp_path / "c.yaml").catalog, author=None).reprint.empty


HOSTILE = ("x\\n```\\n# 注入标题\\n![图](https://evil.example/x.png)\\n[点我](https://evil.example) "
           "https://evil.example www.evil.example a@evil.example <b>粗</b> &#x202E; $x$ @someone ~~删~~\\n```")
OWN_TAGS = {"blockquote", "code", "pre", "h2", "h3", "h4", "li", "ol", "p", "strong", "table", "tbody", "td", "th",
            "thead", "tr", "ul"}


def test_hostile_catalog_text_stays_text_on_github(tmp_path, monkeypatch):
    """The job summary rendered the way GitHub renders it: catalog text adds no heading, image, link or tag."""
    import re

    import cmarkgfm

    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("    name: 普通护照签发\n", f'    name: "普通护照签发{HOSTILE}"\n'),
        ("    audience: 因私出国的中国公民\n", f'    audience: "{HOSTILE}"\n'),
        ('      - {kind: 咨询, number: "12367"}\n    keywords: [办护照]', f'      - {{kind: 咨询, number: "{HOSTILE}"}}\n    keywords: [办护照]'),
        ("      - {name: 照片, required: false,", f'      - {{name: "照片{HOSTILE}", required: false,'),
    ]:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "new.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "old.yaml").write_bytes((FIXTURES / "base.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["diff", "old.yaml", "new.yaml", "--author", "police-editor"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    html = cmarkgfm.github_flavored_markdown_to_html(r.stdout)
    assert "注入标题" in html and "evil.example" in html  # shown, as text
    # A bare mail address stays a mail link showing itself (GitHub links it even when escaped): not deceptive.
    html = re.sub(r'<a href="mailto:([^"]+)">\1</a>', r"\1", html)
    assert set(re.findall(r"<([a-z][a-z0-9]*)", html)) <= OWN_TAGS, html
    headings = re.findall(r"<h\d>(.*?)</h\d>", html)
    assert not any("注入标题" in h and "普通护照签发" not in h for h in headings), headings
    assert "<del>" not in html and "$x$" in html
    # The same values as GitHub annotations: one workflow command per line, nothing else.
    r = CliRunner().invoke(main, ["diff", "old.yaml", "new.yaml", "--author", "police-editor", "--format", "github"])
    assert r.exit_code == 1 and r.stdout
    for line in r.stdout.split("\n")[:-1]:
        assert re.match(r"^::(error|warning) file=new\.yaml,line=\d+,col=\d+::", line), line
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", line), line
    assert "注入标题" in r.stdout


def test_hostile_text_in_an_unreadable_catalog_stays_in_its_code_block(tmp_path, monkeypatch):
    import re

    import cmarkgfm

    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8")
    assert "meta:\n" in text
    (tmp_path / "new.yaml").write_text(text.replace("meta:\n", f'meta:\n  "{HOSTILE}": 1\n', 1), encoding="utf-8")
    (tmp_path / "old.yaml").write_bytes((FIXTURES / "base.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["diff", "old.yaml", "new.yaml"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "未知字段" in r.stdout
    html = cmarkgfm.github_flavored_markdown_to_html(r.stdout)
    assert "注入标题" in html
    assert set(re.findall(r"<([a-z][a-z0-9]*)", html)) <= OWN_TAGS, html
    assert re.findall(r"<h\d>(.*?)</h\d>", html) == ["目录变更报告"]
