"""The node's bus worker: publishes the outbox and applies the network's events.

nats-py is asynchronous and the node's gRPC server is threaded, so the worker runs one asyncio
loop on a thread of its own and hands database work and text embedding to worker threads, so
that publishing and consuming never wait for each other.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlalchemy.exc import OperationalError

from twoins.common.broker_config import inbox_prefix
from twoins.common.envelope import SUBJECT_PREFIX, heartbeat_subject, wrap
from twoins.common.metrics import package_version
from twoins.common.signing import KeyFileSigner, KeyRingCache
from twoins.common.stream import STREAM_NAME
from twoins.node.bus.apply import EventApplier
from twoins.node.context import NodeContext
from twoins.node.metrics import NodeMetrics
from twoins.node.store.vitals import read_vitals
from twoins.v1 import events_pb2

logger = logging.getLogger(__name__)

RELAY_BATCH = 200
FETCH_BATCH = 200
#: An event signed with a key this node does not know yet (a region's rotation that the
#: node's copy of the key ring has not caught up with) is delivered this many times, this
#: many seconds apart, before it is dead-lettered. The wait is no shorter than the key ring's
#: pause between two fetches on an unknown key, so the second delivery meets a fresh ring.
KEY_WAIT_DELIVERIES = 3
KEY_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class BusSettings:
    url: str
    user: str
    password: str
    #: The stream to consume: the network stream, or a leaf server's mirror of it.
    stream: str = STREAM_NAME
    #: How often the node tells the monitor it is alive (seconds).
    heartbeat_seconds: float = 10.0


class BusWorker:
    def __init__(
        self,
        context: NodeContext,
        settings: BusSettings,
        known_regions: frozenset[str],
        signer: KeyFileSigner,
        keyring: KeyRingCache,
        metrics: NodeMetrics | None = None,
    ) -> None:
        self._context = context
        self._signer = signer
        self._metrics = metrics
        self._settings = settings
        embed = context.embedder.embed_bytes if context.embedder is not None else None
        self._applier = EventApplier(
            context.store,
            known_regions,
            context.clock,
            embed,
            on_change=context.catalogue.apply,
            own_region=context.region.id,
            verify=keyring.verify_event,
            notifier=context.notifier,
        )
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        #: Events applied, duplicates and dead letters since start, by outcome.
        self.outcomes: Counter[str] = Counter()
        #: Events this node published since start.
        self.published = 0
        self.started = time.monotonic()
        #: When the node last applied a network event; None until it does.
        self.last_applied: datetime | None = None
        #: Network events not yet delivered to this node, from the consumer's last report.
        self.consumer_lag = 0
        self._subscription: JetStreamContext.PullSubscription | None = None

    @property
    def signing_kid(self) -> str:
        """The id of the key this node signs with now."""
        return self._signer.key.kid

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, daemon=True, name=f"bus-{self._context.region.id}"
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._context.outbox_written.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        client: Client | None = None
        while not self._stopping.is_set():
            try:
                client = await nats.connect(
                    servers=[self._settings.url],
                    user=self._settings.user,
                    password=self._settings.password,
                    name=f"node-{self._context.region.id}",
                    inbox_prefix=inbox_prefix(self._settings.user),
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    allow_reconnect=True,
                    connect_timeout=2,
                    error_cb=self._on_error,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                )
                break
            except Exception as error:  # the broker may not be up yet: retry until stopped
                logger.warning(
                    "cannot reach the bus; retrying",
                    extra={"url": self._settings.url, "error": str(error)},
                )
                await asyncio.sleep(1)
        if client is None:
            return
        self._set_connected(True)
        js = client.jetstream()
        tasks = [
            asyncio.create_task(self._keep_running("relay", self._relay, js)),
            asyncio.create_task(self._keep_running("consumer", self._consume, js)),
            asyncio.create_task(
                self._keep_running("heartbeat", lambda _js: self._heartbeats(client), js)
            ),
        ]
        while not self._stopping.is_set():
            await asyncio.sleep(0.1)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # Every event is acknowledged after its commit and the outbox marks only acknowledged
        # publishes, so closing loses nothing: an unacknowledged event comes again.
        await client.close()

    async def _keep_running(
        self, name: str, loop: Callable[[JetStreamContext], Awaitable[None]], js: JetStreamContext
    ) -> None:
        """Restarts a loop that failed (a locked or full disk, say) after a pause: what it had
        not finished stays in the outbox or unacknowledged, and is done again."""
        while not self._stopping.is_set():
            try:
                await loop(js)
            except asyncio.CancelledError:
                raise
            except OperationalError as error:
                # The database is down or restarting: nothing to debug here, only to wait.
                logger.warning(
                    f"bus {name} paused: the node's database is unavailable; retrying in 1 s",
                    extra={"error": _first_line(error)},
                )
                await asyncio.sleep(1)
            except Exception:
                logger.exception(f"bus {name} failed; restarting it in 1 s")
                await asyncio.sleep(1)

    async def _on_error(self, error: Exception) -> None:
        logger.warning("bus error", extra={"error": str(error)})

    def _set_connected(self, connected: bool) -> None:
        if connected:
            self.connected.set()
        else:
            self.connected.clear()
        if self._metrics is not None:
            self._metrics.bus_connected.set(1 if connected else 0)

    async def _on_disconnected(self) -> None:
        self._set_connected(False)
        logger.warning("bus disconnected; reconnecting")

    async def _on_reconnected(self) -> None:
        self._set_connected(True)
        logger.info("bus reconnected")

    async def _relay(self, js: JetStreamContext) -> None:
        """Publishes the outbox, oldest first in batches, each event once by its id."""
        store = self._context.store
        while True:
            # Cleared before reading, so that a write after the read still wakes the relay.
            self._context.outbox_written.clear()
            with store.read() as repositories:
                pending = repositories.outbox.pending(RELAY_BATCH)
            if not pending:
                await asyncio.get_running_loop().run_in_executor(
                    None, self._context.outbox_written.wait, 0.5
                )
                continue
            # A batch goes out concurrently: the message id makes a retry harmless, and the
            # consumers' version times make the order within a batch irrelevant.
            results = await asyncio.gather(
                *(self._publish_one(js, *event) for event in pending), return_exceptions=True
            )
            published = [result for result in results if isinstance(result, str)]
            failures = [result for result in results if isinstance(result, BaseException)]
            if failures:
                # Not acknowledged: stays in the outbox and goes again (same id, so once).
                logger.warning(
                    "publishing failed; retrying",
                    extra={"error": str(failures[0]), "failed": len(failures)},
                )
                await asyncio.sleep(0.5)
            if published:
                with store.write() as repositories:
                    repositories.outbox.mark_published(published, self._context.clock())
                self.published += len(published)
                if self._metrics is not None:
                    self._metrics.events_published.inc(len(published))

    async def _publish_one(
        self, js: JetStreamContext, event_id: str, subject: str, envelope: bytes
    ) -> str:
        headers = {"Nats-Msg-Id": event_id, **self._signer.key.event_headers(envelope)}
        await js.publish(subject, envelope, timeout=5, headers=headers)
        return event_id

    async def _heartbeats(self, client: Client) -> None:
        """Publishes the node's heartbeat at a fixed interval (core NATS: nobody keeps it)."""
        region = self._context.region.id
        while True:
            try:
                if self._subscription is not None:
                    info = await self._subscription.consumer_info()
                    self.consumer_lag = int(info.num_pending or 0)
                    if self._metrics is not None:
                        self._metrics.consumer_lag.set(self.consumer_lag)
            except Exception as error:
                logger.debug("consumer info unavailable", extra={"error": str(error)})
            vitals = await asyncio.get_running_loop().run_in_executor(
                None, read_vitals, self._context.store
            )
            beat = events_pb2.NodeHeartbeat(
                region=region,
                version=package_version(),
                uptime_seconds=int(time.monotonic() - self.started),
                outbox_backlog=vitals.outbox_backlog,
                consumer_lag=self.consumer_lag,
                open_needs=vitals.open_needs,
                open_referrals=vitals.open_referrals,
            )
            if self.last_applied is not None:
                beat.last_applied_time.FromDatetime(self.last_applied)
            data = wrap(beat, region, self._context.clock()).SerializeToString()
            if client.is_connected:
                await client.publish(
                    heartbeat_subject(region), data, headers=self._signer.key.event_headers(data)
                )
                if self._metrics is not None:
                    self._metrics.heartbeats_sent.inc()
            await asyncio.sleep(self._settings.heartbeat_seconds)

    async def _consume(self, js: JetStreamContext) -> None:
        """Applies every network event after commit, then acknowledges it."""
        durable = f"node-{self._context.region.id}"
        while True:
            try:
                subscription = await js.pull_subscribe(
                    f"{SUBJECT_PREFIX}.>", durable=durable, stream=self._settings.stream
                )
                self._subscription = subscription
                break
            except Exception as error:
                logger.warning(
                    "cannot subscribe to the network stream; retrying", extra={"error": str(error)}
                )
                await asyncio.sleep(1)
        while True:
            try:
                messages = await subscription.fetch(FETCH_BATCH, timeout=1)
            except TimeoutError:
                # No event within the second: nats-py's TimeoutError, or the builtin one it
                # raises when its pull request expires before the server's answer.
                continue
            except Exception as error:
                logger.warning("fetching events failed; retrying", extra={"error": str(error)})
                await asyncio.sleep(0.5)
                continue
            # One transaction for the batch, on a worker thread so that the relay publishes
            # meanwhile; acknowledged only once it is committed.
            try:
                results = await asyncio.get_running_loop().run_in_executor(
                    None,
                    self._applier.apply_batch,
                    [
                        (message.subject, message.data, message.headers or {})
                        for message in messages
                    ],
                    [_deliveries(message) < KEY_WAIT_DELIVERIES for message in messages],
                )
            except Exception as error:
                # Nothing of the batch was committed: ask for it again shortly.
                if isinstance(error, OperationalError):
                    logger.warning(
                        "applying events paused: the node's database is unavailable; "
                        "they will come again",
                        extra={"error": _first_line(error)},
                    )
                else:
                    logger.exception("applying events failed; they will come again")
                for message in messages:
                    await message.nak(delay=1)
                await asyncio.sleep(1)
                continue
            if any(outcome == "applied" for outcome, _reason in results):
                self.last_applied = self._context.clock()
            for message, (outcome, reason) in zip(messages, results, strict=True):
                self.outcomes[outcome] += 1
                if self._metrics is not None:
                    self._metrics.events_consumed.labels(outcome=outcome).inc()
                    if reason and outcome == "dead_lettered":
                        self._metrics.dead_letters.labels(reason=reason).inc()
                if outcome == "deferred":
                    await message.nak(delay=KEY_WAIT_SECONDS)
                else:
                    await message.ack()


def _deliveries(message: Msg) -> int:
    """How many times the stream has delivered this message, this time included."""
    try:
        return int(message.metadata.num_delivered or 1)
    except Exception:  # a message without JetStream metadata: its first delivery
        return 1


def _first_line(error: OperationalError) -> str:
    """What the database driver said, without the statement and its parameters."""
    return str(error.orig or error).strip().split("\n", 1)[0]
