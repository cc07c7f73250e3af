"""Giving memory the process freed back to the system.

Loading the catalogue reads every row once and keeps a fraction of it; glibc's allocator keeps
the freed rest in the process (about 40 MB at 10,000 entries per kind), which the resident set
then shows as the node's. `malloc_trim` returns it. Elsewhere (no glibc) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
