"""What a long-running process asks of the C allocator (glibc's malloc) about its memory.

- `release_free_memory`: loading the catalogue reads every row once and keeps a fraction of it;
  glibc keeps the freed rest in the process (about 40 MB at 10,000 entries per kind), which
  the resident set then shows as the node's. `malloc_trim` returns it.
- `limit_arenas`: glibc gives threads that allocate at once arenas of their own, up to eight per
  core, and each keeps what its threads freed; a gateway worker's or a node's request threads
  spread their garbage over many of them. A few arenas hold the same work in less memory.

Elsewhere (no glibc) both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

#: The arenas of a server process with request threads (a node, a gateway worker).
SERVER_ARENAS = 2
#: mallopt's parameter for the most arenas (glibc's malloc.h).
_M_ARENA_MAX = -8


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def release_free_memory() -> None:
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def limit_arenas(count: int) -> bool:
    """At most `count` arenas for the process and the children it forks; call it before the
    threads start. Whether the allocator took it."""
    if count < 1:
        raise ValueError(f"at least one arena, not {count}")
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, count))
