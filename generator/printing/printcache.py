"""The print cache: a document's inputs -> its PDF, page count, flyer detail level and thumbnail.

A key is ``digest(environment, kind, options, html...)``: the environment (templates, fonts,
tool versions; ``fingerprint.environment``) with everything the document's bytes come from.
An entry is the finished files, so a hit writes them without WeasyPrint or pdftoppm and the
output is byte-identical to a fresh render. Entries live in ``cache_root(project)/print``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import Store, cache_root, digest

NAMESPACE = "print"
_HEAD = 4  # bytes giving the length of an entry's JSON header


def cache_dir(project: Path | None) -> Path | None:
    """The print cache folder of the project at ``project`` (None: no project, or the cache is off)."""
    root = cache_root(Path(project)) if project is not None else None
    return root / NAMESPACE if root is not None else None


@dataclass(frozen=True)
class Entry:
    """One printed document as stored: its bytes and what the manifest says of it."""

    pdf: bytes
    png: bytes
    pages: int
    detail: str | None = None

    def pack(self) -> bytes:
        head = json.dumps({"pages": self.pages, "detail": self.detail, "pdf": len(self.pdf)}).encode()
        return len(head).to_bytes(_HEAD, "big") + head + self.pdf + self.png

    @classmethod
    def unpack(cls, data: bytes) -> "Entry | None":
        try:
            size = int.from_bytes(data[:_HEAD], "big")
            head = json.loads(data[_HEAD:_HEAD + size])
            start = _HEAD + size
            end = start + int(head["pdf"])
            if end > len(data):
                return None
            return cls(data[start:end], data[end:], int(head["pages"]), head.get("detail"))
        except (ValueError, KeyError, TypeError):
            return None


class PrintCache:
    """The print namespace of the cache for one run: keys, lookups, and what the run used."""

    def __init__(self, root: Path | None, environment: str = ""):
        self.store = Store(root)
        self.environment = environment

    @property
    def root(self) -> Path | None:
        return self.store.root

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    @property
    def hits(self) -> int:
        return self.store.hits

    @property
    def misses(self) -> int:
        return self.store.misses

    def key(self, kind: str, options: dict, *inputs: Any) -> str:
        return digest(self.environment, kind, options, *inputs)

    def get(self, key: str) -> Entry | None:
        """The stored entry, or None (counted as a miss: the document will be rendered)."""
        data = self.store.get(key)
        if data is None:
            return None
        entry = Entry.unpack(data)
        if entry is None:  # checksummed but unreadable: an older layout; render again
            self.store.hits -= 1
            self.store.misses += 1
            self.store.used.discard(key)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.store.put(key, entry.pack())

    def rendered(self, key: str) -> None:
        """A worker rendered and stored ``key``: keep it at the next prune."""
        self.store.used.add(key)

    def prune(self) -> int:
        return self.store.prune()
