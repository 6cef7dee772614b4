"""Handing freed memory back to the system: peak memory is what a build's budget counts."""

from __future__ import annotations

import ctypes
import gc


def release() -> None:
    """Free what is unreferenced now and hand it back to the system.

    A laid-out WeasyPrint document is held by reference cycles, freed only when the cyclic
    collector next runs: a worker printing flyers grew by 40 MB a flyer, to 500 MB, between
    collections. glibc would then keep the freed memory for later (OpenCC's dictionaries too,
    43 MB); malloc_trim returns it."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, only not returned
        pass
