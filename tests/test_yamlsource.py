"""Bad input ends in one located Chinese error, never a traceback, quickly."""

from __future__ import annotations

import resource
import time

import pytest

from generator import yamlsource
from generator.yamlsource import Mark, SourceError


def error_of(write, content) -> SourceError:
    with pytest.raises(SourceError) as info:
        yamlsource.load(write(content))
    return info.value


def test_values_and_positions(write):
    doc = yamlsource.load(write("a: 1\nb:\n  - x\n  - 'y'\nc: 2025-10-14\nd: yes\n"))
    assert doc.data == {"a": 1, "b": ["x", "y"], "c": __import__("datetime").date(2025, 10, 14), "d": True}
    assert doc.locate(("b", 1)) == Mark(4, 5)
    assert doc.locate(("b",)) == Mark(2, 1)  # the key
    assert doc.locate_value(("b",)) == Mark(3, 3)
    assert doc.locate(("b", 1, "missing")) == Mark(4, 5)  # nearest parent


def test_keys_stay_text(write):
    doc = yamlsource.load(write("on: 1\n1: x\nnull: y\n"))
    assert list(doc.data) == ["on", "1", "null"]


def test_duplicate_key_is_an_error_at_the_second(write):
    err = error_of(write, "meta:\n  title: a\n  city: b\n  title: c\n")
    assert err.rule == "duplicate-key"
    assert err.mark == Mark(4, 3)
    assert "title" in err.message and "第 2 行" in err.message


def test_tab(write):
    err = error_of(write, "meta:\n\ttitle: a\n")
    assert err.rule == "tab" and err.mark == Mark(2, 1)
    assert "制表符" in err.message


def test_bom(write):
    err = error_of(write, b"\xef\xbb\xbfmeta: {}\n")
    assert err.rule == "encoding" and "BOM" in err.message


def test_invalid_utf8_is_located(write):
    err = error_of(write, "a: 1\nb: 护照\n".encode("utf-8") + "c: 护照\n".encode("gbk"))
    assert err.rule == "encoding"
    assert err.mark == Mark(3, 4)
    assert "UTF-8" in err.message


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty(write, content):
    err = error_of(write, content)
    assert err.rule == "empty"
    assert "为空" in err.message


@pytest.mark.parametrize("content,kind", [("- a\n- b\n", "列表"), ("just text\n", "单个值")])
def test_top_level_must_be_a_mapping(write, content, kind):
    err = error_of(write, content)
    assert err.rule == "yaml-root" and kind in err.message


def test_billion_laughs_is_refused_at_the_first_anchor(write):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    start = time.perf_counter()
    err = error_of(write, "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 5
    assert err.rule == "yaml-alias" and err.mark == Mark(1, 4)


def test_alias_alone(write):
    err = error_of(write, "a: x\nb: *x\n")
    assert err.rule in ("yaml-alias", "yaml-syntax")
    assert err.mark.line == 2


def test_deep_nesting_is_bounded(write):
    depth = 100_000
    err = error_of(write, "a: " + "[" * depth + "]" * depth + "\n")
    assert err.rule == "yaml-depth"
    assert err.mark.line == 1


def test_deep_block_nesting(write):
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    err = error_of(write, text)
    assert err.rule == "yaml-depth"


def test_huge_file_is_refused_before_reading(write, tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.write(b"a: ")
        f.write(b"x" * (50 * 1024 * 1024))
        f.write(b"\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(SourceError) as info:
        yamlsource.load(path)
    assert time.perf_counter() - start < 2
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 20, "the file must not be read into memory"
    assert info.value.rule == "file-size" and "MB" in info.value.message


def test_many_documents(write):
    err = error_of(write, "a: 1\n---\nb: 2\n")
    assert err.rule == "yaml-documents" and err.mark.line == 2


@pytest.mark.parametrize("text", ["a: !!python/object:os.system x\n", "a: !custom x\n", "a: !!binary aGk=\n"])
def test_foreign_tags(write, text):
    assert error_of(write, text).rule == "yaml-tag"


def test_syntax_error_is_translated_and_located(write):
    err = error_of(write, "meta:\n  title: a\n city: b\n")
    assert err.rule == "yaml-syntax"
    assert err.message.startswith("YAML 语法错误")
    assert err.mark.line == 3


def test_unclosed_quote(write):
    err = error_of(write, 'a: "abc\nb: 1\n')
    assert err.rule == "yaml-syntax" and err.mark.line >= 1


def test_complex_key(write):
    assert error_of(write, "? [a, b]\n: c\n").rule == "yaml-key"


def test_control_character(write):
    err = error_of(write, "a: x\x07y\n")
    assert err.mark.line == 1
    assert "字符" in err.message


def test_node_flood_is_refused_at_the_measured_limit(write):
    # 600,000 one-character values (1.2 MB): each one a schema error took guide check 66 s and 4 GB at
    # 2,000,000 nodes. The limit (bench/check.py measures it) is far above a 2,000-service catalog.
    err = error_of(write, "a: [" + ",".join(["1"] * 600_000) + "]\n")
    assert err.rule == "file-size" and "500,000" in err.message
    assert err.mark.line == 1
