"""``guide pending``: every 待核实 element, located, by department and service."""

from __future__ import annotations

import json

from support import CATALOG, guide
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
    assert "收费标准 · 收费依据" in endorsement and "办结时限 · 承诺办结时限" in endorsement
    assert any(i.department == "" and i.element.startswith("综合服务窗口") for i in items)


def test_department_filter_and_json():
    r = guide("pending", "--department", "police", "--format", "json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data and {d["department"] for d in data} == {"police"}
    assert set(data[0]) == {"line", "column", "department", "service", "element", "note"}


def test_text_is_grouped_and_counted():
    r = guide("pending", "--department", "police")
    assert r.returncode == 0
    out = r.stdout.splitlines()
    assert out[0].startswith("市公安局(police):") and out[-1].startswith("共 ")
    assert any(line.strip().startswith("data/services.yaml:") for line in out)


def test_unknown_department_is_a_chinese_usage_error():
    r = guide("pending", "--department", "nobody")
    assert r.returncode == 2 and "没有部门“nobody”" in r.stderr
