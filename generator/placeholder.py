"""Placeholder site addresses (``.example`` and the like): nothing public may point at them.

A neutral module, so the outputs need not import the checker to know it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost", "example.com", "example.org", "example.net")


def is_placeholder(url: str) -> bool:
    """True when ``url``'s host is reserved for examples (RFC 2606/6761): it never resolves."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.endswith(PLACEHOLDER_SUFFIXES)
