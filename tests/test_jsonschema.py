"""The exported JSON Schema is current, and every catalog in the repository conforms to it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from support import REPO
from generator import jsonschema as export
from generator.yamlsource import load

SCHEMA_FILE = REPO / "data" / "services.schema.json"
EXAMPLES = sorted(
    [REPO / "data" / "services.yaml", *REPO.glob("tests/fixtures/**/*.yaml")]
    + [p for p in REPO.glob("tests/*/fixtures/**/*.yaml")]
)
# Fixtures that exist to be wrong say so in their name.
EXAMPLES = [p for p in EXAMPLES if "invalid" not in p.stem and "invalid" not in p.parent.name]


def test_exported_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == export.render(), "run: guide schema"


def test_schema_has_chinese_help_for_every_field():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    missing = []
    for name, definition in schema["$defs"].items():
        for field, spec in definition.get("properties", {}).items():
            if not spec.get("title") or not any("\u4e00" <= ch <= "\u9fff" for ch in spec.get("description", "")):
                missing.append(f"{name}.{field}")
    assert missing == []


def _jsonable(node):
    if isinstance(node, dict):
        return {k: _jsonable(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_jsonable(v) for v in node]
    if hasattr(node, "isoformat"):
        return node.isoformat()
    return node


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(REPO)) for p in EXAMPLES])
def test_example_conforms(path: Path):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = _jsonable(load(path).data)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())


def test_first_line_points_editors_at_the_schema():
    first = (REPO / "data" / "services.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=services.schema.json"


def test_schema_rejects_what_the_model_rejects():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = _jsonable(load(REPO / "data" / "services.yaml").data)
    data["services"][0]["time_limits"]["committed"] = {"value": 7, "unit": "周"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
