"""Text held compressed until it is read: what a site build holds for every page at once while
it renders them one at a time (HTML compresses about 8 to 1)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping


class Packed(Mapping):
    """A read-only mapping of names to text, each kept zlib-compressed."""

    def __init__(self, texts: Mapping[str, str] | None = None):
        self._packed = {k: _pack(v) for k, v in (texts or {}).items()}

    def updated(self, texts: Mapping[str, str]) -> Packed:
        """A copy with ``texts`` added or replacing these (only they are compressed)."""
        new = Packed(texts)
        new._packed = {**self._packed, **new._packed}
        return new

    def pop(self, key: str) -> str | None:
        """The text of ``key``, no longer held; None when there is none."""
        data = self._packed.pop(key, None)
        return None if data is None else _unpack(data)

    def __getitem__(self, key: str) -> str:
        return _unpack(self._packed[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)  # level 1: a tenth of level 6's time, nearly its size


def _unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")
