"""Export the catalog schema as JSON Schema, for the editor's completion and hover help."""

from __future__ import annotations

import json
from pathlib import Path

from .schema import Catalog

SCHEMA_FILE = Path("data/services.schema.json")


def json_schema() -> dict:
    schema = Catalog.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "“一件事”服务目录",
        "description": "data/services.yaml 的结构。由 generator/schema.py 生成,请勿手工修改(guide schema 重新生成)。",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(path: Path = SCHEMA_FILE) -> bool:
    """Write the schema; True when the file changed."""
    text = render()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
