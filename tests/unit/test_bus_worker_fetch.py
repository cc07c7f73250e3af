"""The consumer's fetch loop: a fetch that times out, whichever way nats-py says so, is an
empty poll, not a failure."""

from __future__ import annotations

import asyncio
import logging
import time
from types import SimpleNamespace
from typing import Any

import pytest
from nats.errors import TimeoutError as NatsTimeoutError

from twoins.node.bus.worker import BusWorker


class _Subscription:
    """Times out as nats-py does: with its own error, or with the builtin one when its pull
    request expires first; then the test ends the loop."""

    def __init__(self) -> None:
        self.fetches = 0

    async def fetch(self, _batch: int, timeout: float) -> list[Any]:
        self.fetches += 1
        if self.fetches > 4:
            raise asyncio.CancelledError
        raise NatsTimeoutError() if self.fetches % 2 else TimeoutError()


class _JetStream:
    def __init__(self) -> None:
        self.subscription = _Subscription()

    async def pull_subscribe(self, _subject: str, durable: str, stream: str) -> _Subscription:
        return self.subscription


def test_a_fetch_that_times_out_is_an_empty_poll(caplog: pytest.LogCaptureFixture) -> None:
    worker = BusWorker.__new__(BusWorker)  # only the fetch loop's settings are needed
    worker._settings = SimpleNamespace(stream="TWOINS")  # type: ignore[assignment]
    worker._context = SimpleNamespace(region=SimpleNamespace(id="mt-isla"))  # type: ignore[assignment]
    js = _JetStream()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(asyncio.CancelledError):
        asyncio.run(worker._consume(js))  # type: ignore[arg-type]
    assert js.subscription.fetches == 5
    assert not [record for record in caplog.records if "fetching events failed" in record.message]
    assert time.monotonic() - started < 0.5  # no pause after a timeout
