"""pypinyin's phrase readings, given to it only for the words being read.

Imported as is, pypinyin loads its whole phrase dictionary and a set of every prefix of every
phrase: 44 MB of Python objects, a sixth of a 1,000-service build's peak memory, for the few
thousand words of one catalog. Here pypinyin starts without them (``PYPINYIN_NO_PHRASES``) and
``prepare(text)`` hands it, before it reads ``text``, exactly what its segmenter can consult for
that text: every phrase that is a substring of it, and every substring that begins some phrase.
pypinyin then reads ``text`` as it would with the whole dictionary (tests/site/test_phrases.py
compares the two). The dictionary itself stays one sorted JSON file of bytes (2.5 MB) with a
sorted list of its keys, searched by bisection.
"""

from __future__ import annotations

import json
import os
import re
from array import array
from bisect import bisect_left
from functools import lru_cache
from importlib import resources

# Before pypinyin is first imported: its constants module reads these once.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")  # no second copy of the character table

KEY = re.compile(rb'^"([^"\n]+)": \[$', re.M)  # pypinyin writes one key per line, sorted


class Phrases:
    """The phrase dictionary, searchable without being loaded."""

    def __init__(self, data: bytes):
        self._data = data
        keys, starts = [], array("I")
        for m in KEY.finditer(data):
            keys.append(m.group(1).decode("utf-8"))
            starts.append(m.end() - 1)  # the value's "["
        if not keys or keys != sorted(keys):  # another layout: read it the ordinary way
            whole = json.loads(data)
            keys = sorted(whole)
            self._data = b""
            self._values = whole
        else:
            self._values = None
        self._keys = keys
        self._starts = starts

    def _index(self, text: str) -> int:
        return bisect_left(self._keys, text)

    def get(self, phrase: str) -> list | None:
        """The readings of ``phrase`` as pypinyin stores them, or None when it is not a phrase."""
        i = self._index(phrase)
        if i == len(self._keys) or self._keys[i] != phrase:
            return None
        if self._values is not None:
            return self._values[phrase]
        end = self._starts[i + 1] if i + 1 < len(self._starts) else len(self._data)
        value, _ = json.JSONDecoder().raw_decode(self._data[self._starts[i]:end].decode("utf-8"))
        return value

    def begins_some(self, text: str) -> bool:
        """Whether some phrase starts with ``text``."""
        i = self._index(text)
        return i < len(self._keys) and self._keys[i].startswith(text)


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    return Phrases(resources.files("pypinyin").joinpath("phrases_dict.json").read_bytes())


def prepare(text: str) -> None:
    """Give pypinyin what it needs from its phrase dictionary to read ``text`` (one run of Han
    characters): the phrases inside it, and the substrings that begin a phrase (its segmenter
    extends a match only while what it has begins some phrase)."""
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg import mmseg

    table = phrases()
    found, begins = {}, []
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            part = text[i:j]
            if not table.begins_some(part):
                break  # no phrase begins with a longer one either
            begins.append(part)
            value = table.get(part)
            if value is not None and part not in PHRASES_DICT:  # a correction loaded before wins
                found[part] = value
    PHRASES_DICT.update(found)
    mmseg.seg.train(begins)
