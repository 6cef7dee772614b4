"""Random mutations of the real catalog never crash the checker: every outcome is a report."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import CATALOG
from generator.catalog import CatalogError, check
from generator.catalog import load as load_catalog
from generator.yamlsource import load

TEXT = CATALOG.read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)
DATA = load(CATALOG).data
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=True),
    st.text(alphabet=st.sampled_from("ab中文:#-[]{}&*!|>'\"%@` \n<script>"), max_size=20),
)


def text_mutation(index: int, kind: int, junk: str) -> str:
    lines = list(LINES)
    i = index % len(lines)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2:
        lines[i] = " " + lines[i]
    elif kind == 3:
        lines[i] = lines[i].lstrip(" ")
    elif kind == 4:
        lines.insert(i, junk + "\n")
    else:
        head, sep, _ = lines[i].partition(": ")
        lines[i] = head + (sep or ": ") + junk + "\n"
    return "".join(lines)


def assert_report(path) -> None:
    """The property is "no exception, every problem located"; and the checker and the loader
    agree: a catalog passes the check exactly when ``load`` accepts it."""
    report = check(path)
    assert report.summary().startswith(f"{report.path}: 检查")
    try:
        load_catalog(path)
    except CatalogError as exc:
        assert report.errors > 0 and exc.diagnostics
    else:
        assert report.errors == 0
    for d in report.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.message


@SETTINGS
@given(st.integers(0, 10**6), st.integers(0, 5), st.text(alphabet=st.sampled_from("ab中:#-[]{}&*!|>'\"%@`\t "), max_size=12))
def test_text_mutations(tmp_path, index, kind, junk):
    path = tmp_path / "services.yaml"
    path.write_text(text_mutation(index, kind, junk), encoding="utf-8")
    assert_report(path)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


PATHS = [p for p in _paths(DATA) if p]


class _Plain(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


@SETTINGS
@given(st.integers(0, len(PATHS) - 1), st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=5), scalars, max_size=3)))
def test_data_mutations(tmp_path, which, value):
    import copy

    data = copy.deepcopy(DATA)
    *parents, last = PATHS[which]
    node = data
    for p in parents:
        node = node[p]
    node[last] = value
    path = tmp_path / "services.yaml"
    path.write_text(yaml.dump(data, Dumper=_Plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert_report(path)
