"""Synthetic catalogs of any size, made from the shipped one, for benchmarks.

``synth_catalog(n, path)`` writes a valid catalog with ``n`` services: the shipped
services repeated with new ids and names, spread over enough stages that each stage
holds about 100 services (as a city-wide catalog would). Deterministic for a given n.

    python3 bench/synth.py 1000 catalog-1000.yaml
"""

from __future__ import annotations

import copy
import tempfile
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.catalog import load  # noqa: E402

SHIPPED = ROOT / "data" / "services.yaml"
PER_STAGE = 100


def synth_data(n: int, base: Path = SHIPPED) -> dict:
    """Plain data for a catalog of ``n`` services."""
    catalog = load(base)
    data = catalog.model_dump(mode="json", exclude_none=True)
    templates = data["services"]
    stages = list(data["stages"])
    while len(stages) * PER_STAGE < n:
        k = len(stages) + 1
        stages.append({"id": f"stage-{k}", "name": f"阶段{k}", "description": f"合成阶段 {k}"})
    data["stages"] = stages
    categories = [c["id"] for c in data["categories"]]
    services = []
    counters: dict[tuple, int] = {}
    for i in range(n):
        s = copy.deepcopy(templates[i % len(templates)])
        stage = stages[min(i // PER_STAGE, len(stages) - 1)]["id"] if n > len(templates) else s["stage"]
        category = categories[i % len(categories)] if n > len(templates) else s["category"]
        key = (stage, category)
        counters[key] = counters.get(key, 0) + 1
        if i >= len(templates) or n > len(templates):
            s["id"] = f"{s['id']}-{i}"
            s["name"] = f"{s['name']}(合成{i})"
            s["stage"], s["category"], s["number"] = stage, category, counters[key]
            s["related"] = [f"{r}-{j}" for r in s.get("related", []) for j in [_twin(r, i, templates)] if j is not None]
            s["prerequisites"] = [{**p, "service": f"{p['service']}-{j}"} for p in s.get("prerequisites", [])
                                  for j in [_twin(p["service"], i, templates)] if j is not None]
            s.pop("replaced_by", None)
            s["status"] = "active"
            s.pop("retired_on", None)
        services.append(s)
    data["services"] = services
    data.pop("questions", None)
    for s in services:
        s.pop("applies", None)
    return data


def _twin(ref: str, i: int, templates: list[dict]) -> int | None:
    """Index of a synthetic copy of ``ref`` in the same block of copies, so related ids resolve."""
    ids = [t["id"] for t in templates]
    if ref not in ids:
        return None
    block = i - i % len(templates)
    return block + ids.index(ref)


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the catalog reader rejects anchors and aliases
        return True


def synth_catalog(n: int, path: str | Path, base: Path = SHIPPED) -> Path:
    """Write a valid synthetic catalog with ``n`` services to ``path``."""
    data = synth_data(n, base)
    # ``related`` twins must exist: drop those that fall past n.
    ids = {s["id"] for s in data["services"]}
    for s in data["services"]:
        s["related"] = [r for r in s.get("related", []) if r in ids]
        s["prerequisites"] = [p for p in s.get("prerequisites", []) if p["service"] in ids]
    path = Path(path)
    text = yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text("# yaml-language-server: $schema=services.schema.json\n" + text, encoding="utf-8")
    return path


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.gettempdir()) / f"catalog-{count}.yaml"
    synth_catalog(count, out)
    print(out)
