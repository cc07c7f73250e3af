"""Waiting for the signal that stops a served process (SIGTERM from an orchestrator, SIGINT
from Ctrl-C), so that it can stop gracefully."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType


def wait_for_stop_signal() -> str:
    """Blocks until SIGTERM or SIGINT arrives; returns its name. Call on the main thread."""
    received: list[str] = []
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        received.append(signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    # Waiting with a timeout lets the signal handlers run on this (the main) thread.
    while not stop.wait(0.5):
        pass
    print(f"received {received[0]}; stopping gracefully", file=sys.stderr)
    return received[0]
