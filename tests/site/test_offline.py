"""The service worker's inputs: which files it precaches, their hashes, and per-service hashes."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from generator.catalog import load
from generator.site.structure.offline import search_scripts, service_hashes, write_service_worker

ROOT = Path(__file__).resolve().parents[2]
LUNR = "assets/javascripts/lunr/"


def test_search_scripts_follow_materials_worker():
    assert search_scripts(["zh"]) == {LUNR + "min/lunr.stemmer.support.min.js", LUNR + "min/lunr.zh.min.js"}
    assert search_scripts(["en"]) == set()
    assert search_scripts(["ja", "en"]) == {LUNR + f for f in (
        "tinyseg.js", "min/lunr.ja.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js")}
    assert LUNR + "wordcut.js" in search_scripts(["th"])


def test_manifest_lists_hashes_of_the_bytes_and_only_needed_lunr_files(tmp_path):
    files = {
        "index.html": b"home", "services/a/index.html": b"a", "assets/x.js": b"x", "page.pdf": b"pdf",
        LUNR + "min/lunr.zh.min.js": b"zh", LUNR + "min/lunr.de.min.js": b"de",
        LUNR + "min/lunr.stemmer.support.min.js": b"st", LUNR + "wordcut.js": b"w",
    }
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    version, count = write_service_worker(tmp_path, ["zh"])
    text = (tmp_path / "sw.js").read_text(encoding="utf-8")
    listed = json.loads(re.search(r"^const FILES = (\{.*?\});$", text, re.S | re.M).group(1))

    def h(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()[:16]

    assert listed == {
        "./": h(b"home"), "services/a/": h(b"a"), "assets/x.js": h(b"x"),
        LUNR + "min/lunr.zh.min.js": h(b"zh"), LUNR + "min/lunr.stemmer.support.min.js": h(b"st"),
    }
    assert count == 5 and f'const VERSION = "{version}";' in text
    (tmp_path / "assets/x.js").write_bytes(b"y")
    assert write_service_worker(tmp_path, ["zh"])[0] != version  # any change: a new release


def test_service_hash_changes_with_the_service_and_its_shared_materials(tmp_path):
    text = (ROOT / "data" / "services.yaml").read_text(encoding="utf-8")
    before = service_hashes(load(ROOT / "data" / "services.yaml"))
    summary = "    summary: 公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。\n"
    assert text.count(summary) == 1
    one = tmp_path / "one.yaml"
    one.write_text(text.replace(summary, summary.replace("。", "(新)。")), encoding="utf-8")
    after = service_hashes(load(one))
    assert [k for k in before if before[k] != after[k]] == ["passport"]
    # A shared material's text is on every page that uses it.
    catalog = load(ROOT / "data" / "services.yaml")
    users = sorted(s.id for s in catalog.services if isinstance(s.materials, list)
                   and any(m.ref == "photo" for m in s.materials))
    data = catalog.model_dump()
    for m in data["materials"]:
        if m["id"] == "photo":
            m["name"] = m["name"] + "(新)"
    changed = service_hashes(type(catalog).model_validate(data))
    assert users and sorted(k for k in before if before[k] != changed[k]) == users
