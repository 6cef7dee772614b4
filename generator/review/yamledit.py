"""Edit ``data/services.yaml`` in place with ruamel.yaml's round trip: what is not changed keeps its
comments, key order, quoting and layout byte for byte (a load and dump of the shipped catalog is identical).

ruamel keeps a comment that follows a node on the deepest last key of that node; replacing the node
would drop it (often the blank line between two services, or the comment above the next key), so
``replace`` moves that trailing comment onto the new node.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def _yaml(sequence: int = 4, offset: int = 2) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000  # never re-wrap a long line
    y.indent(mapping=2, sequence=sequence, offset=offset)  # the shipped catalog's layout by default
    y.representer.ignore_aliases = lambda data: True  # the catalog allows no anchors: write shared values twice
    return y


def load(text: str) -> Any:
    return _yaml().load(text)


def dump(doc: Any, sequence: int = 4, offset: int = 2) -> str:
    out = io.StringIO()
    _yaml(sequence, offset).dump(doc, out)
    return out.getvalue()


def commented(value: Any) -> Any:
    """Plain data as ruamel's commented containers (kept nodes stay as they are)."""
    if isinstance(value, (CommentedMap, CommentedSeq)):
        return value
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = commented(v)
        return m
    if isinstance(value, list):
        s = CommentedSeq()
        s.extend(commented(v) for v in value)
        return s
    return value


def _tail(container: Any, key: Any) -> tuple[Any, Any]:
    """The (container, key) whose comment slot holds what follows ``container[key]`` in the file."""
    value = container[key]
    if isinstance(value, CommentedMap) and len(value) and not value.fa.flow_style():
        return _tail(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value) and not value.fa.flow_style():
        return _tail(value, len(value) - 1)
    return container, key


def _pop_comment(container: Any, key: Any) -> Any:
    c, k = _tail(container, key)
    entry = c.ca.items.pop(k, None) if hasattr(c, "ca") else None
    if entry is None:
        return None
    return next((t for t in entry if t is not None), None)


def _put_comment(container: Any, key: Any, token: Any) -> None:
    if token is None:
        return
    c, k = _tail(container, key)
    if isinstance(c, CommentedSeq):
        c.ca.items[k] = [token, None, None, None]
    else:
        c.ca.items[k] = [None, None, token, None]


def replace(container: Any, key: Any, value: Any) -> None:
    """``container[key] = value``, keeping the comment that followed the old value."""
    token = _pop_comment(container, key)
    container[key] = commented(value)
    _put_comment(container, key, token)


def append(container: Any, key: Any, value: Any) -> None:
    """Add ``key`` at the end of mapping ``container``, moving the trailing comment after it."""
    last = list(container)[-1] if len(container) else None
    token = _pop_comment(container, last) if last is not None else None
    container[key] = commented(value)
    _put_comment(container, key, token)


def service_tail_token(service: Any) -> Any:
    """Pop the comment after a service entry (to be put back by ``restore_tail``)."""
    return _pop_comment(service, list(service)[-1])


def restore_tail(service: Any, token: Any) -> None:
    _put_comment(service, list(service)[-1], token)


class Services:
    """The catalog's services, each read with ruamel on its own when first needed and written back in
    place. ruamel's round trip is pure Python (about 1 s per 2,500 lines here); working on the touched
    services alone keeps an import fast on a large catalog, and leaves every other byte as it was."""

    HEAD = "services:\n"

    def __init__(self, text: str, starts: list[int], end: int):
        """``starts``: 0-based line of each service's ``- id:``; ``end``: the line after the last one."""
        self.lines = text.splitlines(keepends=True)
        bounds = starts[1:] + [end]
        self.spans = list(zip(starts, bounds))
        self.docs: dict[int, Any] = {}

    def node(self, i: int) -> Any:
        if i not in self.docs:
            a, b = self.spans[i]
            self.docs[i] = load(self.HEAD + "".join(self.lines[a:b]))
        return self.docs[i]["services"][0]

    def text(self) -> str:
        out, pos = [], 0
        for i in sorted(self.docs):
            a, b = self.spans[i]
            out.append("".join(self.lines[pos:a]))
            # The list's own layout, read off the entry's first line ("  - id:" or "- id:" …).
            m = re.match(r"^( *)- ( *)", self.lines[a])
            offset, sequence = (len(m.group(1)), len(m.group(1)) + 2 + len(m.group(2))) if m else (2, 4)
            dumped = dump(self.docs[i], sequence, offset)
            if not dumped.startswith(self.HEAD):
                raise ValueError("unexpected ruamel output")
            out.append(dumped[len(self.HEAD):])
            pos = b
        out.append("".join(self.lines[pos:]))
        return "".join(out)


def services_of(text: str, document: Any, count: int) -> Services:
    """``Services`` of a catalog text, with the positions from its located document (generator.yamlsource)."""
    starts = [document.locate(("services", i)).line - 1 for i in range(count)]
    keys = list(document.data)
    after = keys[keys.index("services") + 1:] if "services" in keys else []
    end = len(text.splitlines())
    if after:
        mark = document.key_mark((after[0],))
        if mark is not None:
            end = mark.line - 1
    return Services(text, starts, end)
