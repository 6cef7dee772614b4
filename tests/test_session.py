"""A loading session gives exactly what a fresh ``check``/``load`` gives, call after call, while
reading again only the services that changed."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from support import CATALOG, MINIMAL, edited
from generator import layout, yamlsource
from generator.catalog import CatalogError, check, load
from generator.session import Session

TODAY = dt.date(2026, 11, 27)
CORPUS = sorted((Path(__file__).parent / "corpus" / "yaml-test-suite").glob("*.yaml"))


def same_document(a: yamlsource.Document | None, b: yamlsource.Document | None) -> None:
    """Two readings agree on the data, every node, and every position a diagnostic can ask for."""
    assert (a is None) == (b is None)
    if a is None or b is None:
        return
    assert a.data == b.data
    assert a.nodes == b.nodes
    for path, _ in a.nodes:
        for p in (path, path + ("nothing",), path + (99,)):
            assert a.locate(p) == b.locate(p), p
            assert a.locate_value(p) == b.locate_value(p), p
            assert a.key_mark(p) == b.key_mark(p), p


def agrees(session: Session, path: Path, today: dt.date = TODAY) -> None:
    """The session's report and catalog are a fresh check's, down to each position."""
    got = session.check(path, today=today)
    want = check(path, today=today)
    assert got.diagnostics == want.diagnostics
    assert (got.services, got.pending, got.path) == (want.services, want.pending, want.path)
    assert got.loaded is not None and want.loaded is not None
    assert got.loaded.catalog == want.loaded.catalog
    same_document(got.loaded.document, want.loaded.document)


# ---------------------------------------------------------------- the text cut into services


def test_split_finds_each_service_and_keeps_line_numbers():
    text = CATALOG.read_text(encoding="utf-8")
    cut = layout.split(text)
    assert cut is not None and len(cut.items) == len(load(CATALOG).services)
    lines = text.split("\n")
    for line, piece in cut.items:
        assert lines[line].startswith("  - id: ")
        assert text.split("\n")[line:line + piece.count("\n")] == piece.split("\n")[:-1]
    assert cut.outer.count("\n") == text.count("\n")
    assert lines[cut.key_line] == "services:"
    assert "- id: passport" not in cut.outer and "departments:" in cut.outer


@pytest.mark.parametrize("text", [
    "services:\n  - id: a\n    name: \"x\r\n  - id: b\n",  # another line break than "\n"
    "services: [a,\n  b]\n",  # a flow list
    "services: !!seq\n  - id: a\n",  # a tag on the key's line
    "services:\n  - a\nservices:\n  - b\n",  # a duplicate key
    "services:\n  name: x\n",  # no list
    "services:\n    - a\n  - b\n",  # items at two indentations
    "meta: 1\n",  # no services at all
])
def test_split_declines_what_it_cannot_cut_with_certainty(text):
    assert layout.split(text) is None


def test_split_ends_the_list_at_the_next_top_level_key():
    cut = layout.split("a: 1\nservices:\n- id: x\n  n: 1\n# note\n- id: y\nz: 2\n")
    assert cut is not None
    assert [line for line, _ in cut.items] == [2, 5]
    assert cut.items[0][1] == "- id: x\n  n: 1\n# note\n"
    assert cut.outer == "a: 1\nservices:\n\n\n\n\nz: 2\n"


# ---------------------------------------------------------------- the same answers


def test_corpus_through_one_session(write):
    """Every conformance file, in turn, at the same path of one session: each time as a fresh check."""
    session = Session()
    target = write("")
    for source in CORPUS:
        target.write_bytes(source.read_bytes())
        agrees(session, target)


def test_shipped_catalog_first_call_and_after_edits(write):
    text = CATALOG.read_text(encoding="utf-8")
    path = write(text)
    session = Session()
    agrees(session, path)
    assert session.changed is None
    path.write_text(edited(text, "    name: 普通护照签发\n", "    name: 普通护照签发(新)\n"), encoding="utf-8")
    agrees(session, path)
    assert session.changed == {"passport"}
    path.write_text(edited(text, "    department: police\n", "    department: nobody\n"), encoding="utf-8")
    agrees(session, path)
    assert any(d.rule == "ref" for d in session.check(path, today=TODAY).diagnostics)
    path.write_text(text, encoding="utf-8")
    agrees(session, path)


def test_lines_move_with_an_edit_above(write, minimal_text):
    broken = edited(minimal_text, '    phones:\n      - {kind: 咨询, number: "12367"}\n',
                    '    phones:\n      - {kind: 咨询, number: "123"}\n')
    path = write(broken)
    session = Session()
    first = session.check(path, today=TODAY)
    [phone] = [d for d in first.diagnostics if d.rule == "phone"]
    # three lines more above the finding, in the same service
    grown = edited(broken, "    summary: 为出国人员签发普通护照。\n",
                   "    summary: 为出国人员签发普通护照。\n    # 一\n    # 二\n    # 三\n")
    path.write_text(grown, encoding="utf-8")
    agrees(session, path)
    [moved] = [d for d in session.check(path, today=TODAY).diagnostics if d.rule == "phone"]
    assert moved.line == phone.line + 3 and moved.column == phone.column


def test_only_what_changed_is_read_again(write, monkeypatch):
    text = CATALOG.read_text(encoding="utf-8")
    path = write(text)
    session = Session()
    session.check(path, today=TODAY)
    path.write_text(edited(text, "    name: 普通护照签发\n", "    name: 普通护照签发一\n"), encoding="utf-8")
    session.check(path, today=TODAY)  # reads the rest of the file once, as it now stands

    calls = {"parse": 0, "parse_item": 0}
    for name in calls:
        real = getattr(yamlsource, name)

        def counted(*args, _real=real, _name=name):
            calls[_name] += 1
            return _real(*args)

        monkeypatch.setattr(yamlsource, name, counted)
    path.write_text(edited(text, "    name: 普通护照签发\n", "    name: 普通护照签发二\n"), encoding="utf-8")
    session.check(path, today=TODAY)
    assert calls == {"parse": 0, "parse_item": 1}
    assert session.changed == {"passport"}
    agrees(session, path)


def test_session_load_raises_as_load_does(write, minimal_text):
    path = write(minimal_text)
    session = Session()
    assert session.load(path) == load(path)
    path.write_text(edited(minimal_text, "    department: hrss\n", "    department: nobody\n"), encoding="utf-8")
    with pytest.raises(CatalogError) as got:
        session.load(path)
    with pytest.raises(CatalogError) as want:
        load(path)
    assert got.value.diagnostics == want.value.diagnostics


def test_a_service_written_twice_word_for_word(write, minimal_text):
    """Two identical texts share one piece: each place still gets its own findings."""
    start = minimal_text.index("  - id: archive\n")
    archive = minimal_text[start:]
    path = write(minimal_text)
    session = Session()
    agrees(session, path)
    marked = archive.replace("    summary: ", "    summary: <b>", 1)
    path.write_text(minimal_text[:start] + marked, encoding="utf-8")
    agrees(session, path)
    path.write_text(minimal_text[:start] + marked + marked, encoding="utf-8")
    agrees(session, path)
    assert len([d for d in session.check(path, today=TODAY).diagnostics if d.rule == "markup"]) == 2
    path.write_text(minimal_text[:start] + marked, encoding="utf-8")
    agrees(session, path)


# ---------------------------------------------------------------- what changed


def test_changed_names_added_removed_and_edited_services(write, minimal_text):
    path = write(minimal_text)
    session = Session()
    session.check(path, today=TODAY)
    assert session.changed is None  # the first call
    session.check(path, today=TODAY)
    assert session.changed == set()
    start = minimal_text.index("  - id: archive\n")
    archive = minimal_text[start:]
    copy = archive.replace("id: archive", "id: archive-two").replace("number: 1\n", "number: 2\n", 1)
    path.write_text(minimal_text + copy, encoding="utf-8")
    session.check(path, today=TODAY)
    assert session.changed == {"archive-two"}
    path.write_text(minimal_text[:start] + copy, encoding="utf-8")
    session.check(path, today=TODAY)
    assert session.changed == {"archive"}  # removed; archive-two is as it was
    path.write_text(edited(minimal_text[:start] + copy, "  title:", "  title: 新", 1), encoding="utf-8")
    session.check(path, today=TODAY)
    assert session.changed is None  # meta changed: everything may have


def test_changed_is_none_when_the_order_changes(write, minimal_text):
    path = write(minimal_text)
    session = Session()
    session.check(path, today=TODAY)
    start = minimal_text.index("  - id: passport\n")
    middle = minimal_text.index("  - id: archive\n")
    path.write_text(minimal_text[:start] + minimal_text[middle:] + minimal_text[start:middle], encoding="utf-8")
    agrees(session, path)
    assert session.changed is None


# ---------------------------------------------------------------- random edits


def _services(text: str) -> list[tuple[int, int]]:
    """Where each service's text starts and ends."""
    cut = layout.split(text)
    assert cut is not None
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return [(line_starts[line], line_starts[line] + len(piece)) for line, piece in cut.items]


def _mutations(rng: random.Random, text: str) -> str:
    """One random edit: inside a service, a section, the list of services, or an error."""
    spans = _services(text)
    i = rng.randrange(len(spans))
    start, end = spans[i]
    piece = text[start:end]
    d = " " * (len(piece) - len(piece.lstrip(" ")))  # before the item's "-"
    k = d + "  "  # before the item's keys

    def inside(old: str, new: str) -> str:
        return text[:start] + piece.replace(k + old, k + new, 1) + text[end:]

    kind = rng.choice([
        "rename", "lines", "comment", "meta", "department", "add", "remove", "swap", "schema", "rule",
        "syntax", "duplicate-key", "markup", "dash-alone", "flow", "twin", "today",
    ])
    if kind == "rename":
        return inside("name: ", f"name: 改{rng.randrange(100)}")
    if kind == "lines":
        return inside("summary:", f"keywords: [新词一, 新词二]\n{k}summary:")
    if kind == "comment":
        return text[:start] + d + "# 注释\n\n" + text[start:]
    if kind == "meta":
        return text.replace("  title: ", f"  title: 第{rng.randrange(100)}版", 1)
    if kind == "department":
        at = text.index("departments:\n") + len("departments:\n")
        dd = " " * (len(text[at:]) - len(text[at:].lstrip(" ")))
        return text[:at] + dd + "- {id: extra, name: 新部门, short_name: 新部门}\n" + text[at:]
    if kind == "add" and len(spans) < 6:
        sid = f"copy{rng.randrange(1000)}"
        new = piece.replace(piece.split("\n")[0], f"{d}- id: {sid}", 1)
        return text[:end] + new + text[end:]
    if kind == "twin" and len(spans) < 6:  # the same text twice
        return text[:end] + piece + text[end:]
    if kind == "remove" and len(spans) > 1:
        return text[:start] + text[end:]
    if kind == "swap" and len(spans) > 1:
        j = (i + 1) % len(spans)
        (a, b), (c, e) = sorted([spans[i], spans[j]])
        return text[:a] + text[c:e] + text[b:c] + text[a:b] + text[e:]
    if kind == "schema":
        return inside("number: ", "number: 0")
    if kind == "rule":
        return inside("department: ", "department: nobody-")
    if kind == "syntax":
        return inside("summary: ", 'summary: "')
    if kind == "duplicate-key":
        return inside("summary: ", f"stage: x\n{k}summary: ")
    if kind == "markup":
        return inside("summary: ", "summary: <b>")
    if kind == "dash-alone":
        return text[:start] + piece.replace(f"{d}- id: ", f"{d}-\n{k}id: ", 1) + text[end:]
    if kind == "flow":
        return inside("summary: ", f"summary: [a,\n{d}b]\n{k}x: ")
    return text


def _walk(base: str, path: Path, seed: int, steps: int) -> int:
    """Random edits one after the other, each compared with a fresh check; an edit that breaks the
    YAML is undone at the next step. Returns how many calls the session answered from its pieces."""
    rng = random.Random(seed)
    session = Session()
    good = base
    path.write_text(good, encoding="utf-8")
    agrees(session, path)
    pieced = 0
    whole: list[str] = []  # the texts the session parsed whole
    real = yamlsource.parse

    def parse(text: str) -> yamlsource.Document:
        whole.append(text)
        return real(text)

    for _ in range(steps):
        text = _mutations(rng, good)
        if layout.split(text) is None or rng.random() < 0.1:
            text = base  # back to a clean start now and then, and after an edit the cut can't take
        path.write_text(text, encoding="utf-8")
        today = TODAY if rng.random() < 0.9 else TODAY + dt.timedelta(days=400)
        whole.clear()
        yamlsource.parse = parse
        try:
            session.check(path, today=today)
        finally:
            yamlsource.parse = real
        pieced += text not in whole
        agrees(session, path, today)
        report = check(path, today=today)
        if report.loaded is not None and report.loaded.document is not None:
            good = text  # readable: build on it
    return pieced


def _variant(text: str, kind: str) -> str:
    """The minimal catalog written another way a person or a tool might write it."""
    if kind == "indentless":  # as yaml.safe_dump writes it: the items' "-" at column 0
        import yaml

        return yaml.safe_dump(yaml.safe_load(text), allow_unicode=True, sort_keys=False, width=1000)
    if kind == "comments":  # comments at column 0 between services, no newline at the end
        return text.replace("  - id: archive\n", "# 档案\n\n  - id: archive\n").rstrip("\n")
    if kind == "ended":  # an explicit document start and end
        return "---\n" + text + "...\n"
    return text


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind", ["as-is", "indentless", "comments", "ended"])
def test_random_edits_agree_with_a_fresh_check(write, minimal_text, kind, seed):
    base = _variant(minimal_text, kind)
    assert layout.split(base) is not None
    pieced = _walk(base, write(""), seed, 25)
    assert pieced >= 5  # the edits did exercise the pieces, not only whole readings


def test_random_edits_on_the_shipped_catalog(write):
    assert _walk(CATALOG.read_text(encoding="utf-8"), write(""), 7, 15) >= 6


def test_unreadable_file_then_recovery(write, minimal_text):
    path = write(minimal_text)
    session = Session()
    agrees(session, path)
    path.write_text("meta:\n\ttitle: x\n", encoding="utf-8")
    agrees_unreadable = session.check(path, today=TODAY)
    assert agrees_unreadable.diagnostics == check(path, today=TODAY).diagnostics
    assert session.changed is None
    path.write_text(minimal_text, encoding="utf-8")
    agrees(session, path)
    assert session.changed is None


def test_minimal_fixture_is_cut():
    assert layout.split(MINIMAL.read_text(encoding="utf-8")) is not None
