"""A node's other serving processes: more processes answering its gRPC API on the same port.

A node is one Python process, and Python runs one thread at a time: however many cores a
server has, a node's calls used one of them. With `serve_processes` above one, the node's first
process (the one `twoins node serve` starts, which also runs the bus, the relay, the jobs and
the metrics endpoint) starts the others: each serves every service of the API on the same port
(`SO_REUSEPORT`: the kernel gives each new connection to one of them), reads and writes the
same database, and follows the network catalogue from its tables (`CatalogueIndex.catch_up`,
every half second) instead of from the bus. A serving process that stops unexpectedly is
started again; stopping the node stops them all.

What the other processes do not do, the first does: events they write to the outbox are
published by the first process's relay, which looks at the outbox at least every half second.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twoins.node.config import NodeConfig

logger = logging.getLogger(__name__)

#: How often a serving process takes the catalogue's changes from the tables.
CATALOGUE_FOLLOW_SECONDS = 0.5
#: The wait before starting again a process that stopped; doubled (up to the last) while
#: processes stop soon after they start.
_RESTART_DELAYS = (1.0, 2.0, 5.0, 15.0, 30.0)
#: A process that served this long before it stopped is started again at once.
_STABLE_SECONDS = 60.0


@dataclass
class _Slot:
    number: int
    process: BaseProcess
    started: float = field(default_factory=time.monotonic)
    restarts: int = 0


class ServingProcesses:
    """The node's serving processes beyond its first, each started with `config` (whose
    `listen` is the port the first process bound)."""

    def __init__(self, config: NodeConfig, count: int) -> None:
        self._config = config
        self._count = count
        self._context = multiprocessing.get_context("spawn")
        self._slots: list[_Slot] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            self._slots = [self._spawn(number) for number in range(2, self._count + 2)]
        self._supervisor = threading.Thread(
            target=self._supervise, daemon=True, name="serving-processes"
        )
        self._supervisor.start()

    def stop(self, grace: float) -> None:
        """Asks each process to stop (SIGTERM: calls in flight finish within `grace`), then
        ends those still running."""
        self._stopping.set()
        if self._supervisor is not None:  # it starts no process once it has returned
            self._supervisor.join()
        with self._lock:
            slots = list(self._slots)
        for slot in slots:
            if slot.process.is_alive():
                slot.process.terminate()
        deadline = time.monotonic() + grace + 5.0
        for slot in slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                logger.warning(
                    "serving process did not stop in time; killed",
                    extra={"serving_process": slot.number, "pid": slot.process.pid},
                )
                slot.process.kill()
                slot.process.join(5.0)
            _forget_metrics(slot.process.pid)

    def _spawn(self, number: int, restarts: int = 0) -> _Slot:
        process = self._context.Process(
            target=_serve,
            args=(self._config, number),
            name=f"node-{self._config.region.id}-{number}",
            daemon=True,
        )
        process.start()
        logger.info(
            "serving process started", extra={"serving_process": number, "pid": process.pid}
        )
        return _Slot(number, process, restarts=restarts)

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                sentinels = {slot.process.sentinel: slot for slot in self._slots}
            for sentinel in wait(list(sentinels), timeout=0.5):
                if self._stopping.is_set():
                    return
                self._replace(sentinels[sentinel])  # type: ignore[index]

    def _replace(self, slot: _Slot) -> None:
        served = time.monotonic() - slot.started
        restarts = 0 if served >= _STABLE_SECONDS else slot.restarts + 1
        delay = 0.0 if restarts == 0 else _RESTART_DELAYS[min(restarts, len(_RESTART_DELAYS)) - 1]
        logger.error(
            "serving process stopped unexpectedly; starting another",
            extra={
                "serving_process": slot.number,
                "pid": slot.process.pid,
                "exit_code": slot.process.exitcode,
                "after_seconds": delay,
            },
        )
        _forget_metrics(slot.process.pid)
        if self._stopping.wait(delay):
            return
        replacement = self._spawn(slot.number, restarts)
        with self._lock:
            self._slots = [replacement if kept is slot else kept for kept in self._slots]


def _forget_metrics(pid: int | None) -> None:
    """Drops a stopped process's live gauges from what the node's metrics add up."""
    from twoins.node.metrics import MULTIPROCESS_DIRECTORY

    if pid is not None and os.environ.get(MULTIPROCESS_DIRECTORY):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def pin_if_asked(config: NodeConfig, number: int) -> None:
    """With `pin_cpus`, keeps the node's `number`th serving process (the first is 1) on one
    of `config.cpus`, the node's processes on them in turn; call it before the server's
    threads start."""
    if not config.pin_cpus:
        return
    from twoins.common.cpu_affinity import pin_process

    cpu = pin_process(number - 1, list(config.cpus))
    if cpu is None:
        logger.warning("pin_cpus: this machine lets the node use one CPU only; nothing pinned")
    else:
        logger.info(
            "serving process kept on one CPU", extra={"serving_process": number, "cpu": cpu}
        )


def _serve(config: NodeConfig, number: int) -> None:
    """A serving process's life (the `number`th of the node's): the node's API on the shared
    port until the first process asks it to stop (SIGTERM) or is gone."""
    from twoins.common.allocator import SERVER_ARENAS, limit_arenas
    from twoins.common.logs import configure_logging
    from twoins.node.server import NodeStartError, build_server
    from twoins.node.store.database import DatabaseError

    stop = threading.Event()
    # Ctrl-C reaches every process of the terminal's group: the first process stops the others.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    first = os.getppid()
    configure_logging(
        "node", config.region.id, json_lines=config.log_format == "json", level=config.log_level
    )
    limit_arenas(SERVER_ARENAS)
    pin_if_asked(config, number)
    try:
        server = build_server(config, serving_only=True, serving_number=number)
        server.start()
    except (DatabaseError, NodeStartError) as error:
        logger.error("serving process cannot start", extra={"reason": str(error)})
        raise SystemExit(1) from None
    while not stop.wait(0.5):
        if os.getppid() != first:  # the first process is gone (killed): nobody relays
            logger.error("the node's first process is gone; this serving process stops")
            break
    server.stop()
