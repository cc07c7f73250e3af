"""The references the other benchmarks are judged against, measured in the same run: raw
NATS core publish/consume, raw JetStream publish (with its acknowledgement) and consume, and a
bare Flask response under gunicorn. Run with `make bench`."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from pathlib import Path

import nats
from nats.aio.msg import Msg

from tests.bench.bench_gateway import THREADS, WORKERS, _process, _wait_http, _wrk
from tests.bench.report import latency_summary, record
from tests.bench.sizes import size
from tests.support.nats import NatsServer, running_nats
from tests.support.postgres import free_port

CORE_MESSAGES = size(20_000, 200)
JETSTREAM_MESSAGES = size(2_000, 20)
PAYLOAD = b"x" * 1024


#: How long the core reference waits for a message after the last one came: core NATS delivers
#: at most once, so a message it dropped never comes.
CORE_QUIET_SECONDS = 10.0


async def _core(server: NatsServer) -> tuple[float, list[float]]:
    """Messages a second from one publisher to one subscriber, and each message's latency
    (of those delivered: core NATS delivers at most once, and a flood on a busy machine may
    lose some, which the figures then count)."""
    publisher = await nats.connect(server.url, user="ops", password=server.password("ops"))
    subscriber = await nats.connect(server.url, user="ops", password=server.password("ops"))
    latencies: list[float] = []
    done = asyncio.Event()

    async def receive(message: Msg) -> None:
        sent = float(message.headers["sent"]) if message.headers else 0.0
        latencies.append(time.perf_counter() - sent)
        if len(latencies) == CORE_MESSAGES:
            done.set()

    await subscriber.subscribe("bench.core", cb=receive)
    await subscriber.flush()
    started = time.perf_counter()
    for _ in range(CORE_MESSAGES):
        await publisher.publish("bench.core", PAYLOAD, headers={"sent": repr(time.perf_counter())})
    await publisher.flush()
    seen, deadline = -1, time.monotonic() + 120
    while not done.is_set() and len(latencies) != seen and time.monotonic() < deadline:
        seen = len(latencies)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), CORE_QUIET_SECONDS)
    elapsed = time.perf_counter() - started
    await publisher.close()
    await subscriber.close()
    if not latencies:
        raise AssertionError(f"none of {CORE_MESSAGES} core NATS messages came back")
    return len(latencies) / elapsed, latencies


async def _jetstream(server: NatsServer) -> tuple[float, list[float], float]:
    """Acknowledged publishes a second with their latencies, then consumes a second."""
    client = await nats.connect(server.url, user="ops", password=server.password("ops"))
    js = client.jetstream()
    await js.add_stream(name="BENCH", subjects=["bench.js"])
    latencies = []
    started = time.perf_counter()
    for _ in range(JETSTREAM_MESSAGES):
        sent = time.perf_counter()
        await js.publish("bench.js", PAYLOAD)
        latencies.append(time.perf_counter() - sent)
    publish_rate = JETSTREAM_MESSAGES / (time.perf_counter() - started)
    subscription = await js.pull_subscribe("bench.js", durable="bench")
    received = 0
    started = time.perf_counter()
    while received < JETSTREAM_MESSAGES:
        for message in await subscription.fetch(256, timeout=10):
            await message.ack()
            received += 1
    consume_rate = JETSTREAM_MESSAGES / (time.perf_counter() - started)
    await client.close()
    return publish_rate, latencies, consume_rate


def test_raw_nats_core_and_jetstream(tmp_path: Path) -> None:
    with running_nats(tmp_path / "jetstream") as server:
        core_rate, core_latencies = asyncio.run(_core(server))
        publish_rate, publish_latencies, consume_rate = asyncio.run(_jetstream(server))
    core = {
        "messages_per_second": round(core_rate),
        "lost": CORE_MESSAGES - len(core_latencies),
        **latency_summary(core_latencies),
    }
    record(
        "reference_nats_core",
        core,
        "messages/s",
        core,
        1.0,
        f"{CORE_MESSAGES} messages of 1 KiB sent as fast as one publisher can to one "
        "subscriber on loopback; the latency includes the queueing of that flood",
        samples_ms=[value * 1000 for value in core_latencies],
    )
    jetstream = {
        "acked_publishes_per_second": round(publish_rate),
        **latency_summary(publish_latencies),
        "consumed_per_second": round(consume_rate),
    }
    record(
        "reference_jetstream",
        jetstream,
        "messages/s",
        jetstream,
        1.0,
        f"{JETSTREAM_MESSAGES} messages of 1 KiB published one at a time awaiting the ack "
        "(file store, fsync always), then pulled in batches of 256 and acked",
        samples_ms=[value * 1000 for value in publish_latencies],
    )


def test_bare_flask_under_gunicorn(tmp_path: Path) -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--bind",
        f"127.0.0.1:{port}",
        "tests.bench.bare_flask:app",
    ]
    with _process(command, {}, tmp_path / "bare_flask.log") as process:
        _wait_http(f"http://127.0.0.1:{port}/", process)
        figures = _wrk(f"http://127.0.0.1:{port}/", "none")
    record(
        "reference_bare_flask",
        figures,
        "requests/s",
        figures,
        1.0,
        f"a constant JSON answer, gunicorn {WORKERS} workers x {THREADS} threads, wrk",
    )
