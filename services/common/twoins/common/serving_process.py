"""Which of a node's serving processes answered a call.

A node serving from several processes on one port (`twoins node serve --processes N`) names
the process in the trailing metadata of every answer, as "number/count" (the first process is
1). The kernel gives each connection to one process, so a client that keeps several
connections to a node reads the header to tell whether they reached different processes.
A node of one process sends no header.
"""

from __future__ import annotations

from collections.abc import Iterable

SERVING_PROCESS_HEADER = "x-twoins-serving-process"

#: As many processes as `--processes` allows.
MAX_PROCESSES = 64


def serving_process_header(number: int, count: int) -> tuple[str, str]:
    return (SERVING_PROCESS_HEADER, f"{number}/{count}")


def serving_process(metadata: Iterable[tuple[str, str | bytes]] | None) -> tuple[int, int] | None:
    """(number, count) from an answer's metadata; None when the node sent none (one process)
    or something that is not a process number of a count."""
    for key, value in metadata or ():
        if key != SERVING_PROCESS_HEADER or not isinstance(value, str):
            continue
        number, _, count = value.partition("/")
        if not (number.isdigit() and count.isdigit()):
            return None
        parsed = int(number), int(count)
        return parsed if 1 <= parsed[0] <= parsed[1] <= MAX_PROCESSES else None
    return None
