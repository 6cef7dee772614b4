"""``guide pending``: every 待核实 element, located, by department and service."""

from __future__ import annotations

import json

from support import CATALOG, edited, guide
from generator.located import parse_file
from generator.catalog import check
from generator.pending import pending_items


def test_every_pending_element_is_listed_at_its_line():
    loaded = parse_file(CATALOG)
    items = pending_items(loaded)
    assert len(items) == check(CATALOG).pending > 0
    lines = CATALOG.read_text(encoding="utf-8").splitlines()
    for item in items:
        assert "pending" in lines[item.line - 1][item.column - 1:], item


def test_labels_name_the_element_in_chinese():
    items = pending_items(parse_file(CATALOG))
    passport = {i.element for i in items if i.service == "passport"}
    assert "办件类型" in passport
    endorsement = {i.element for i in items if i.service == "hk-macau-stay-endorsement"}
    assert "办结时限 · 承诺办结时限" in endorsement
    assert "办理渠道 · 网上办理" in {i.element for i in items if i.service == "degree-verification"}
    assert any(i.department == "" and i.element.startswith("综合服务窗口") for i in items)


def test_department_filter_and_json():
    r = guide("pending", "--department", "police", "--format", "json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    items = data["pending"]
    assert items and {d["department"] for d in items} == {"police"}
    assert set(items[0]) == {"line", "column", "department", "service", "element", "note", "editor_note"}
    [row] = data["evidence"]
    assert row["department"] == "police" and sum(row["counts"].values()) == 13 * 6  # police runs 6 services


def test_evidence_counts_add_up_to_every_element():
    r = guide("pending", "--format", "json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    from generator.catalog import load
    from generator.evidence import evidence

    catalog = load(CATALOG)
    rows = {row["department"]: row["counts"] for row in data["evidence"]}
    assert sum(sum(c.values()) for c in rows.values()) == 13 * len(catalog.services)
    assert sum(c["secondary"] for c in rows.values()) == 0  # the checker refuses secondary-only values
    per_service = {}
    for e in evidence(catalog):
        per_service.setdefault(e.department, []).append(e.strength)
    assert {d: sum(1 for x in v if x == "official") for d, v in per_service.items()} == {
        d: c["official"] for d, c in rows.items()}


def test_text_is_grouped_and_counted():
    r = guide("pending", "--department", "police")
    assert r.returncode == 0
    out = r.stdout.splitlines()
    assert out[0].startswith("市公安局(police):") and out[-1].startswith("共 ")
    assert any(line.startswith("要素出处强度") for line in out) and any("法律法规或官方来源" in line for line in out)
    assert any(line.strip().startswith("data/services.yaml:") for line in out)


def test_unknown_department_is_a_chinese_usage_error():
    r = guide("pending", "--department", "nobody")
    assert r.returncode == 2 and "没有部门“nobody”" in r.stderr


def test_editor_note_is_shown_to_editors(tmp_path):
    text = edited(CATALOG.read_text(encoding="utf-8"), "      pending: 国际人才港办公时间未公开,待核实\n",
                  "      pending: 国际人才港办公时间未公开,待核实\n      editor_note: 线索:某转载页写周一至周五\n")
    path = tmp_path / "services.yaml"
    path.write_text(text, encoding="utf-8")
    r = guide("pending", str(path))
    assert r.returncode == 0, r.stderr
    assert "编辑备注:线索:某转载页写周一至周五" in r.stdout
    data = json.loads(guide("pending", str(path), "--format", "json").stdout)
    assert "线索:某转载页写周一至周五" in [d["editor_note"] for d in data["pending"]]
