"""业务流程图: the SVG says what the catalog says, in order; it is reproducible; changes reach `guide diff`."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from support import CATALOG, REPO, edited
from generator.catalog import load
from generator.schema import is_pending
from generator.charts import ChartError, catalog_charts, journey_chart, render_svgs, service_chart
from generator.charts import render as chart_render
from generator.charts.graph import feeds
from generator.cli import main
from generator.schema import TimeLimit, format_limit

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def catalog():
    return load(CATALOG)


@pytest.fixture(scope="module")
def charts(catalog):
    return catalog_charts(catalog)


def boxes(svg: str) -> list[list[str]]:
    """The text lines of every node of an SVG chart, in drawing order (parsed, not grepped)."""
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            out.append([t.text or "" for t in g.iter(f"{SVG}text")])
    return out


def all_text(svg: str) -> str:
    return "".join(t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def in_service(text: str, sid: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced inside service ``sid``'s block only (many services share step titles)."""
    assert text.count(f"\n  - id: {sid}\n") == 1, sid
    start = text.index(f"\n  - id: {sid}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end < 0 else end
    return text[:start] + edited(text[start:end], old, new) + text[end:]


def last_step(catalog, sid: str = "passport") -> tuple[int, str]:
    """(number, title) of the last step of a service whose steps are known."""
    s = next(x for x in catalog.services if x.id == sid)
    assert not is_pending(s.process) and s.process
    return len(s.process), s.process[-1].title


def test_every_active_service_and_the_journey_have_a_chart(catalog, charts):
    active = [s.id for s in catalog.services if s.status == "active"]
    assert set(charts) == {"journey", *active}
    for svg in charts.values():
        root = ET.fromstring(svg)  # well-formed XML, one <svg> root
        assert root.tag == f"{SVG}svg"
        assert len(root.findall(f".//{SVG}text")) >= 4  # text is <text>, not outlines
        assert 'font-family="Noto Sans CJK SC,' in svg


def test_service_chart_text_is_the_catalogs_steps_in_order(catalog, charts):
    checked = 0
    for s in catalog.services:
        if s.status != "active" or is_pending(s.process):
            continue
        nodes = boxes(charts[s.id])
        steps = [lines for lines in nodes if re.match(r"^\d+\. ", lines[0])]
        assert [lines[0] for lines in steps] == [f"{i}. {p.title}" for i, p in enumerate(s.process, 1)], s.id
        for lines, p in zip(steps, s.process):
            if p.detail:
                assert squash(p.detail) in squash("".join(lines[1:])), (s.id, p.title)
        checked += 1
    # The shipped catalog has sourced steps for 护照, the 港澳/台湾 permits and endorsements, 出入境记录 and 调解;
    # the others' steps are 待核实 (tested below), so a vacuous pass would need this floor to fall.
    assert checked >= 7


def test_a_pending_process_draws_no_steps_but_its_note(catalog, charts):
    pending = [s for s in catalog.services if s.status == "active" and is_pending(s.process)]
    assert pending
    for s in pending:
        nodes = boxes(charts[s.id])
        assert not [lines for lines in nodes if re.match(r"^\d+\. ", lines[0])], s.id
        assert squash("办理流程:待核实" + s.process.pending) in {squash("".join(lines)) for lines in nodes}, s.id


def test_service_chart_shows_materials_places_result_and_limit(catalog, charts):
    passport = next(s for s in catalog.services if s.id == "passport")
    text = all_text(charts["passport"])
    assert f"备齐申请材料{len(passport.materials)}项" in squash(text)
    assert "主办:市公安局" in text
    assert squash("网上:" + passport.channels.online[0].name) in squash(text)
    assert squash(passport.channels.in_person[0].place) in squash(text)
    assert squash(passport.results[0].name) in squash(text)
    # The passport's committed limit is 待核实 (its 7个工作日 rested on secondary sources): the statutory one is shown.
    committed, statutory = passport.time_limits.committed, passport.time_limits.statutory
    assert is_pending(committed) and not is_pending(statutory)
    assert squash(f"法定时限:{format_limit(statutory)}(承诺时限待核实)") in squash(text)
    assert "承诺时限:" not in text and "7个工作日" not in squash(text)
    # A service whose committed limit is known shows it on the last arrow.
    known = [s for s in catalog.services if s.status == "active" and not is_pending(s.time_limits.committed)]
    assert known
    for s in known:
        assert squash("承诺时限:" + format_limit(s.time_limits.committed)) in squash(all_text(charts[s.id])), s.id


@pytest.mark.parametrize("committed_pending, statutory_pending, expected", [
    (False, False, "承诺时限:5个工作日"),
    (False, True, "承诺时限:5个工作日"),
    (True, False, "法定时限:30日(承诺时限待核实)"),
    (True, True, "办结时限:待核实"),
])
def test_every_combination_of_pending_limits_is_drawn(catalog, committed_pending, statutory_pending, expected):
    from generator.schema import Pending

    s = next(x for x in catalog.services if x.id == "passport")
    limits = s.time_limits.model_copy(update={
        "committed": Pending(pending="测试") if committed_pending else TimeLimit(value=5, unit="工作日"),
        "statutory": Pending(pending="测试") if statutory_pending else TimeLimit(value=30, unit="日"),
    })
    g = service_chart(catalog, s.model_copy(update={"time_limits": limits}))
    edge = [e for e in g.edges if e.head == "end"][0]
    assert "".join(edge.label) == expected and edge.pending == (committed_pending and statutory_pending)
    assert squash(expected) in squash(all_text(render_svgs([g])[0]))


def test_pending_process_and_limits_are_shown_as_pending(catalog, charts):
    s = next(s for s in catalog.services if s.id == "archive-intake")
    assert is_pending(s.process)
    text = squash(all_text(charts[s.id]))
    assert "办理流程:待核实" in text and squash(s.process.pending) in text
    assert "办结时限:待核实" in text and "办理结果:待核实" in text


def test_statutory_limit_when_committed_is_pending(catalog):
    s = next(s for s in catalog.services if s.id == "hk-macau-stay-endorsement")
    assert is_pending(s.time_limits.committed) and not is_pending(s.time_limits.statutory)
    edge = [e for e in service_chart(catalog, s).edges if e.head == "end"][0]
    assert "".join(edge.label) == "法定时限:60日(承诺时限待核实)"


def test_journey_chart_lists_services_in_plan_order_with_departments(catalog, charts):
    nodes = boxes(charts["journey"])
    short = {d.id: d.short_name for d in catalog.departments}
    names = {squash("".join(lines)) for lines in nodes}
    for s in catalog.services:
        if s.status == "active":
            assert any(squash(s.name) in n and squash(short[s.department]) in n for n in names), s.id
    # Laid out in the plan's order (stage, category, number), read down then right; stages one below another.
    stage = {st.id: i for i, st in enumerate(catalog.stages)}
    cat = {c.id: i for i, c in enumerate(catalog.categories)}
    order = sorted((s for s in catalog.services if s.status == "active"),
                   key=lambda s: (stage[s.stage], cat[s.category], s.number))
    assert [n.id for n in journey_chart(catalog).nodes] == [f"svc-{s.id}" for s in order]
    where = {}
    for g in ET.fromstring(charts["journey"]).iter(f"{SVG}g"):
        if g.get("class") == "node":
            first = next(g.iter(f"{SVG}text"))
            joined = squash("".join(t.text or "" for t in g.iter(f"{SVG}text")))
            sid = next(s.id for s in order if squash(s.name) in joined)
            where[sid] = (float(first.get("x")), float(first.get("y")))
    for a, b in zip(order, order[1:]):
        (xa, ya), (xb, yb) = where[a.id], where[b.id]
        if a.stage == b.stage:
            assert yb > ya or xb > xa, (a.id, b.id)
        else:
            assert min(where[s.id][1] for s in order if s.stage == b.stage) > max(
                where[s.id][1] for s in order if s.stage == a.stage)
    text = all_text(charts["journey"])
    for i, st in enumerate(catalog.stages, 1):
        assert f"第 {i} 步 {st.name}" in text


def test_journey_chart_draws_the_catalogs_prerequisites(catalog, charts):
    # What the catalog says, read here from the services themselves (not through feeds()).
    active = {s.id for s in catalog.services if s.status == "active"}
    expected = {}
    for s in catalog.services:
        if s.status == "active":
            for p in s.prerequisites:
                if p.service in active:
                    pending = is_pending(p.provides)
                    expected[(p.service, s.id)] = (p.provides.pending if pending else p.provides, pending)
    relations = {(a.id, b.id): (what, pending) for a, b, what, pending in feeds(catalog)}
    assert relations == expected
    assert ("exit-entry-records", "duty-free-car") in relations  # 出入境记录 for 免税车
    assert ("degree-verification", "professional-title") in relations  # 认证 before 职称
    root = ET.fromstring(charts["journey"])
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    labelled = [(squash("".join(t.text or "" for t in g.iter(f"{SVG}text"))), g) for g in edges]
    labelled = [(x, g) for x, g in labelled if x]
    assert len(labelled) == len(relations)
    # A pending relation is drawn dashed and says 先办待核实; a known one says what it provides.
    drawn_pending = [x for x, g in labelled if x == "先办待核实"]
    assert len(drawn_pending) == sum(1 for _, pending in relations.values() if pending)
    for x, g in labelled:
        dashed = all(p.get("stroke-dasharray") for p in g.iter(f"{SVG}path"))
        assert dashed == (x == "先办待核实"), x
    for what, pending in relations.values():
        if not pending:
            assert squash(what) in [x for x, _ in labelled]


def test_journey_chart_draws_a_known_relation_with_what_it_provides(catalog):
    # The shipped relations are all 待核实 today; a sourced one shows its text on a solid arrow.
    s = next(x for x in catalog.services if x.id == "duty-free-car")
    p = s.prerequisites[0].model_copy(update={"provides": "申请材料“出入境记录”"})
    known = catalog.model_copy(update={"services": [
        x.model_copy(update={"prerequisites": [p]}) if x.id == s.id else x for x in catalog.services]})
    root = ET.fromstring(render_svgs([journey_chart(known)])[0])
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    solid = [g for g in edges if "".join(t.text or "" for t in g.iter(f"{SVG}text"))
             and not any(q.get("stroke-dasharray") for q in g.iter(f"{SVG}path"))]
    assert [squash("".join(t.text or "" for t in g.iter(f"{SVG}text"))) for g in solid] == [
        squash("申请材料“出入境记录”")]


def test_prerequisite_must_name_another_existing_service(write):
    text = CATALOG.read_text(encoding="utf-8")
    bad = edited(text, "      - service: exit-entry-records\n", "      - service: exit-entry-recordz\n")
    r = CliRunner().invoke(main, ["check", str(write(bad))])
    assert r.exit_code == 1 and "先办事项“exit-entry-recordz”不存在" in r.output
    own = edited(text, "      - service: exit-entry-records\n", "      - service: duty-free-car\n")
    r = CliRunner().invoke(main, ["check", str(write(own))])
    assert r.exit_code == 1 and "先办事项不能是本事项自己" in r.output


def test_two_renders_are_byte_identical_and_carry_nothing_that_varies(catalog, charts):
    again = catalog_charts(catalog)
    assert again == charts
    for svg in charts.values():
        assert "<!--" not in svg and "graphviz" not in svg.lower() and " id=" not in svg and "<title>" not in svg
    # A separate process (another Python, another dot run) gives the same bytes.
    code = ("import sys, json; from generator.catalog import load; from generator.charts import catalog_charts;"
            f"sys.stdout.write(json.dumps(catalog_charts(load({str(CATALOG)!r}))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    import json

    assert json.loads(out) == charts


def test_a_changed_step_changes_the_chart(catalog, write):
    text = CATALOG.read_text(encoding="utf-8")
    n, title = last_step(catalog)
    changed = load(write(in_service(text, "passport", f"      - title: {title}\n", f"      - title: {title}并采集指纹\n")))
    old = service_chart(catalog, next(s for s in catalog.services if s.id == "passport"))
    new = service_chart(changed, next(s for s in changed.services if s.id == "passport"))
    old_svg, new_svg = render_svgs([old, new])
    assert old_svg != new_svg
    assert [f"{n}. {title}并采集指纹"] == [b[0] for b in boxes(new_svg) if b[0].startswith(f"{n}. ")]


def test_guide_diff_lists_the_chart_when_a_step_changes(catalog, write, monkeypatch):
    text = CATALOG.read_text(encoding="utf-8")
    _, title = last_step(catalog)
    new = write(in_service(text, "passport", f"      - title: {title}\n", f"      - title: {title}并采集指纹\n"), "new.yaml")
    r = CliRunner().invoke(main, ["diff", str(CATALOG), str(new)])
    assert r.exit_code == 0, r.output
    reprint = r.output.split("### 需重新印刷", 1)[1].split("### ", 1)[0]
    assert "`charts/passport.pdf` 普通护照签发 办理流程图 | 办理流程" in reprint
    assert "`charts/journey.pdf`" not in reprint  # the journey chart does not show steps
    data = CliRunner().invoke(main, ["diff", str(CATALOG), str(new), "--format", "json"]).stdout
    import json

    charts = json.loads(data)["reprint"]["charts"]
    assert [c["file"] for c in charts] == ["charts/passport.pdf"]


def _car_relation_yaml(catalog) -> tuple[str, str]:
    """The YAML of 免税车's pending relation to 出入境记录, as the shipped catalog writes it, and its note."""
    car = next(s for s in catalog.services if s.id == "duty-free-car")
    p = next(p for p in car.prerequisites if p.service == "exit-entry-records")
    assert is_pending(p.provides)
    lines = f"        provides:\n          pending: {p.provides.pending}\n"
    if p.provides.editor_note:
        lines += f"          editor_note: {p.provides.editor_note}\n"
    return lines, p.provides.pending


def test_guide_diff_lists_the_journey_chart_when_a_relation_changes(catalog, write):
    text = CATALOG.read_text(encoding="utf-8")
    pending, _ = _car_relation_yaml(catalog)
    # The relation becomes known: the dashed 先办待核实 arrow turns into a solid one saying what it provides.
    new = write(in_service(text, "duty-free-car", pending, "        provides: 申请材料“出入境记录”\n"), "new.yaml")
    r = CliRunner().invoke(main, ["diff", str(CATALOG), str(new)])
    assert r.exit_code == 0, r.output
    reprint = r.output.split("### 需重新印刷", 1)[1].split("### ", 1)[0]
    assert "`charts/journey.pdf` 全程业务流程图 | 事项先办事项变化:留学人员购买免税国产汽车" in reprint
    assert "全程业务流程图;" in reprint  # and the booklet, which carries it


def test_guide_diff_leaves_the_journey_chart_when_only_a_pending_note_changes(catalog, write):
    # The chart draws a pending relation as 先办待核实 whatever its note says, so nothing printed changes.
    text = CATALOG.read_text(encoding="utf-8")
    _, note = _car_relation_yaml(catalog)
    new = write(in_service(text, "duty-free-car", f"pending: {note}\n", f"pending: {note}(已去函)\n"), "new.yaml")
    r = CliRunner().invoke(main, ["diff", str(CATALOG), str(new)])
    assert r.exit_code == 0, r.output
    assert "(已去函)" in r.output  # the change itself is reported
    assert "`charts/journey.pdf`" not in r.output


def test_catalog_text_cannot_escape_the_dot_label(catalog, write):
    text = CATALOG.read_text(encoding="utf-8")
    hostile = 'a\\\\nb" ] ; x -> y [label="z'
    n, title = last_step(catalog)
    changed = load(write(in_service(text, "passport", f"      - title: {title}\n", f"      - title: '{hostile}'\n")))
    s = next(s for s in changed.services if s.id == "passport")
    svg = render_svgs([service_chart(changed, s)])[0]
    step = [b for b in boxes(svg) if b[0].startswith(f"{n}. ")]
    assert step and step[0][0] == f"{n}. " + hostile
    assert len(boxes(svg)) == len(boxes(render_svgs([service_chart(catalog, next(
        x for x in catalog.services if x.id == "passport"))])[0]))  # no node was injected


def test_missing_graphviz_is_one_chinese_message(catalog, monkeypatch):
    monkeypatch.setattr(chart_render, "DOT", "/nonexistent/dot")
    with pytest.raises(ChartError, match="找不到 Graphviz 的 dot 命令.*scripts/setup.sh"):
        catalog_charts(catalog)


def test_graph_text_is_what_the_svg_shows(catalog, charts):
    for key, g in (("journey", journey_chart(catalog)),
                   ("passport", service_chart(catalog, next(s for s in catalog.services if s.id == "passport")))):
        lines = [t.text or "" for t in ET.fromstring(charts[key]).iter(f"{SVG}text")]
        assert sorted(lines) == sorted(g.text())


def test_a_large_catalogs_journey_draws_one_box_per_stage_and_category(catalog):
    from generator.charts.graph import JOURNEY_MAX

    copies = JOURNEY_MAX // len(catalog.services) + 1
    services = [
        s.model_copy(update={"id": f"{s.id}-{i}", "prerequisites": [
            p.model_copy(update={"service": f"{p.service}-{i}"}) for p in s.prerequisites]})
        for i in range(copies) for s in catalog.services
    ]
    big = catalog.model_copy(update={"services": services})
    g = journey_chart(big)
    groups = {(s.stage, s.category) for s in services if s.status == "active"}
    assert len(g.nodes) == len(groups)
    svg = render_svgs([g])[0]
    text = squash(all_text(svg))
    for stage, cat in groups:
        n = sum(1 for s in services if s.stage == stage and s.category == cat and s.status == "active")
        name = next(c.name for c in catalog.categories if c.id == cat)
        assert f"{name}:{n}个事项" in text
    assert "先办" in text  # relations between boxes are still drawn


def test_prerequisites_may_not_go_round_in_a_circle(write):
    text = CATALOG.read_text(encoding="utf-8")
    looped = edited(text, "    related: [duty-free-car, passport]\n", "    related: [duty-free-car, passport]\n"
                    "    prerequisites:\n      - service: duty-free-car\n        provides: {pending: 测试}\n")
    r = CliRunner().invoke(main, ["check", str(write(looped))])
    assert r.exit_code == 1 and "先办事项形成循环" in r.output, r.output


def test_wrapped_lines_follow_chinese_line_breaking():
    from generator.charts.graph import NO_END, NO_START, wrap

    text = "创业辅导(政策宣讲、项目孵化、融资对接、主题培训)增值服务 · 市人力资源社会保障局、市委统战部。" * 3
    for width in range(4, 20):
        lines = wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines[1:]:
            assert line[0] not in NO_START, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in NO_END, (width, line)


def test_markup_in_catalog_text_stays_text_in_the_svg(catalog):
    s = next(x for x in catalog.services if x.id == "passport")
    step = s.process[0].model_copy(update={"title": "<script>alert(1)</script>&amp;", "detail": '"><svg onload=x>'})
    hostile = s.model_copy(update={"process": [step]})
    svg = render_svgs([service_chart(catalog, hostile)])[0]
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "foreignObject")]
    assert len(root.findall(f"{SVG}svg")) == 0 and not root.findall(f".//{SVG}svg")
    lines = [b for b in boxes(svg) if b[0].startswith("1. ")][0]
    assert lines[0] == "1. <script>alert(1)</script>&amp;"  # an entity in the catalog is shown as typed
