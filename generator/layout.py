"""Where each service stands in the catalog text, found without parsing: the pieces a reloading
session parses one by one.

``split(text)`` cuts the block of the top-level ``services:`` list into one piece per item and
keeps the rest of the file as ``outer`` (the items' lines left blank, so every other line keeps
its number). It answers None for anything it cannot cut with certainty; the caller then parses
the whole file. Whether the pieces really parse alone as they do in the file is for the caller to
check (each piece must parse to one item, ``outer`` must show an empty ``services`` at its line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Line breaks YAML knows beside "\n": with any of them, line numbers are not "\n" counts.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_KEY = "services:"
_KEY_REST = re.compile(r"(?:[ ]+(?:#.*)?)?$", re.MULTILINE)  # what may follow the key on its line
# Patterns start at the "\n" before a line: a "^" in MULTILINE mode is tried at every character (7x slower).
_CONTENT = re.compile(r"\n([ ]*)([^ \n])")  # a line's indentation and first character


@dataclass(frozen=True)
class Layout:
    outer: str  # the file with the items' lines left empty
    around: tuple[str, str]  # the text before the first item and after the last, as written
    key_line: int  # 0-based line of ``services:``
    indent: int  # the column of each item's "-"
    items: tuple[tuple[int, str], ...]  # (0-based first line, text) of each item, in file order


def split(text: str) -> Layout | None:
    """The file cut into ``outer`` and one piece per service, or None when that is not certain."""
    if any(b in text for b in _OTHER_BREAKS):
        return None
    text_ = "\n" + text  # every line now follows a "\n"; offsets below are one more than in ``text``
    if text_.count("\n" + _KEY) != 1:
        return None  # none, or a duplicate key the parser will report
    key = text_.find("\n" + _KEY) + 1
    if not _KEY_REST.match(text_, key + len(_KEY)):
        return None  # a value or tag on the key's line
    body = text_.find("\n", key)
    if body < 0:
        return None
    first = next((m for m in _CONTENT.finditer(text_, body) if m.group(2) != "#"), None)
    if first is None or not _is_dash(text_, first):
        return None  # no block list of items right under the key
    indent = len(first.group(1))
    starts: list[int] = []  # offsets of the items' lines
    end = len(text)
    # Only lines indented no deeper than the items' "-" matter: those inside an item are skipped in C.
    for m in _shallow(indent).finditer(text_, first.start()):
        col = len(m.group(1))
        if m.group(2) == "#":
            continue  # a comment line, wherever it stands
        if col == indent and _is_dash(text_, m):
            starts.append(m.start())  # the "\n" before the line in ``text_``: the line's offset in ``text``
        elif col == 0:
            end = m.start()  # the next top-level key, or "---": the list ends here
            break
        else:
            return None  # neither an item nor inside one: not a shape to cut
    if not starts:
        return None
    key_line = text_.count("\n", 0, key) - 1
    line = text.count("\n", 0, starts[0])
    items = []
    for start, stop in zip(starts, starts[1:] + [end]):
        piece = text[start:stop]
        items.append((line, piece))
        line += piece.count("\n")
    before, after = text[:starts[0]], text[end:]
    outer = before + "\n" * (line - items[0][0]) + after
    return Layout(outer, (before, after), key_line, indent, tuple(items))


def _is_dash(text: str, m: re.Match) -> bool:
    """Whether the line ``m`` found starts with a list item's "-"."""
    return m.group(2) == "-" and text[m.end():m.end() + 1] in (" ", "\n", "")


_SHALLOW: dict[int, re.Pattern] = {}


def _shallow(indent: int) -> re.Pattern:
    """Lines indented by at most ``indent`` spaces: their indentation and first character."""
    if indent not in _SHALLOW:
        _SHALLOW[indent] = re.compile(rf"\n([ ]{{0,{indent}}})([^ \n])")
    return _SHALLOW[indent]
