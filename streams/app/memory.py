"""Give freed heap memory back to the system, so a long-running worker's RSS stays flat.

A worker allocates and frees megabytes per batch (fetched records, enriched documents, bulk
bodies). glibc's allocator keeps freed blocks for reuse and returns them to the system only at
the top of its heaps, so resident memory creeps up towards the busiest moment's high-water mark
and stays there, although the live Python objects stay small (measured with tracemalloc: tens of
MiB live against hundreds resident). ``malloc_trim(0)`` releases the free pages; it takes about a
millisecond at rest and a few during a burst. Elsewhere than glibc it is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

__all__ = ["trim_heap"]


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def trim_heap() -> bool:
    """Return free heap pages to the system; False where the allocator cannot (not glibc)."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
