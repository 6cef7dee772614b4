"""A content-addressed cache: each output is stored under the hash of every input that made it.

A key is the SHA-256 of the inputs (the rendered HTML of a page, the template and theme files,
the fonts, the tool versions), so an entry can never be stale: changed inputs give a new key.
Entries carry a checksum of their own bytes; a damaged entry is a miss, never wrong output.
``Store.prune`` drops what the last full run did not use, so the cache stays one build's size.

The cache lives in ``<project>/.cache/guide/`` unless ``GUIDE_CACHE_DIR`` names a folder;
``GUIDE_CACHE_DIR=off`` (or ``Store(None)``) turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from .files import atomic_write

ENV = "GUIDE_CACHE_DIR"
DEFAULT = Path(".cache") / "guide"
_SUM = 32  # bytes of SHA-256 before the data in each entry


def cache_root(project: Path) -> Path | None:
    """Where the cache of ``project`` lives, or None when ``GUIDE_CACHE_DIR=off``."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() == "off":
        return None
    return Path(value) if value else Path(project) / DEFAULT


def digest(*parts: Any) -> str:
    """A hex SHA-256 of ``parts`` (bytes, text, or anything JSON can write with sorted keys).

    Each part is length-prefixed, so ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode("utf-8")
        else:
            data = json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_digest(paths: list[Path]) -> str:
    """One hash of the names and contents of ``paths`` (a template folder, fonts), in the order given."""
    h = hashlib.sha256()
    for p in paths:
        data = Path(p).read_bytes()
        h.update(str(p).encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def fonts_fingerprint() -> str:
    """A hash of every font fontconfig offers (file, size, time, version, family, style): text laid
    out with another or a changed font may take another width, so a layout cached under it must not
    be reused."""
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{file}|%{fontversion}|%{family}|%{style}\\n"],
            capture_output=True, timeout=60, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "no-fontconfig"
    rows = []
    for line in sorted(set(out.decode("utf-8", "replace").splitlines())):
        try:
            st = os.stat(line.split("|", 1)[0])
            rows.append(f"{line}|{st.st_size}|{st.st_mtime_ns}")
        except OSError:
            rows.append(line)
    return digest(rows)


class Store:
    """One namespace of the cache (``site``, ``print``): bytes in and out by key."""

    def __init__(self, root: Path | None):
        self.root = Path(root) if root is not None else None
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, or None (not stored, damaged, or the cache is off)."""
        if self.root is None:
            self.misses += 1
            return None
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        data = raw[_SUM:]
        if len(raw) < _SUM or hashlib.sha256(data).digest() != raw[:_SUM]:
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.used.add(key)
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (atomically: a killed run leaves no half entry)."""
        if self.root is None:
            return
        self.used.add(key)
        try:
            atomic_write(self._path(key), hashlib.sha256(data).digest() + data)
        except OSError:
            pass  # a full or read-only disk costs speed, never the build

    def keep(self, key: str, size: int) -> bool:
        """Keep the entry ``key`` at the next prune if one of ``size`` data bytes is stored (not
        read: a damaged one is dropped when read); False when there is none to keep."""
        if self.root is None:
            return False
        try:
            if self._path(key).stat().st_size != _SUM + size:
                return False
        except OSError:
            return False
        self.used.add(key)
        return True

    def prune(self) -> int:
        """Remove every entry this run did not read or write; returns how many went."""
        if self.root is None or not self.root.is_dir():
            return 0
        removed = 0
        for sub in self.root.iterdir():
            if not sub.is_dir():
                continue
            for entry in sub.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
                    removed += 1
        return removed
