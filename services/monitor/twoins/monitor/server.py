"""The monitor: listens to heartbeats and bus traffic, keeps each node's state, serves it over
gRPC (NetworkHealthService) and as Prometheus metrics. It reads no SME data."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent import futures
from dataclasses import dataclass, field
from datetime import UTC, datetime

import grpc
import nats
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from nats.aio.msg import Msg
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from twoins.common.auth import AuthSettings, InvalidToken, TokenVerifier, bearer_token
from twoins.common.broker_config import inbox_prefix
from twoins.common.envelope import HEARTBEAT_PREFIX, SUBJECT_PREFIX, EnvelopeError, open_envelope
from twoins.common.metrics import MetricsServer, register_build_info, serve_metrics
from twoins.common.realm_config import CLUSTER_MANAGER, NETWORK_COORDINATOR
from twoins.common.reflection import enable_reflection
from twoins.common.signing import KeyRingCache, parse_public_key
from twoins.monitor.status import Beat, NetworkStatus, NodeRecord, NodeState, Thresholds
from twoins.v1 import common_pb2, events_pb2, network_health_pb2, network_health_pb2_grpc

logger = logging.getLogger(__name__)

_STATES = {
    NodeState.UP: network_health_pb2.NODE_STATE_UP,
    NodeState.DEGRADED: network_health_pb2.NODE_STATE_DEGRADED,
    NodeState.DOWN: network_health_pb2.NODE_STATE_DOWN,
}


@dataclass(frozen=True)
class MonitorSettings:
    regions: tuple[str, ...]
    listen: str = "127.0.0.1:7200"
    metrics_listen: str = ""
    nats_url: str = ""
    nats_user: str = "monitor"
    nats_password: str = ""
    thresholds: Thresholds = field(default_factory=Thresholds)
    #: Callers must show an access token of this realm; None serves anyone (a local trial).
    auth: AuthSettings | None = None
    #: The network key ring (file or URL) and its root's public key: heartbeats must be
    #: signed by their region's key. `twoins monitor serve` requires both with a bus.
    keyring_url: str = ""
    keyring_root_key: str = ""


def _timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


class Monitor:
    """The shared state of the monitor: the network's status and what was ignored."""

    def __init__(self, settings: MonitorSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self.status = NetworkStatus(settings.regions, settings.thresholds, datetime.now(UTC))
        #: Heartbeats by outcome: accepted, or the reason they were ignored.
        self.heartbeats: Counter[str] = Counter()
        self._keyring = (
            KeyRingCache(settings.keyring_url, parse_public_key(settings.keyring_root_key))
            if settings.keyring_url
            else None
        )

    def load_keyring(self) -> None:
        """Fetches the network key ring now; SigningError says why it cannot be had."""
        if self._keyring is not None:
            self._keyring.load()

    def on_heartbeat(
        self, subject: str, data: bytes, now: datetime, headers: Mapping[str, str] | None = None
    ) -> str:
        """Takes one heartbeat message; returns its outcome ("accepted" or why ignored)."""
        try:
            envelope, payload = open_envelope(
                subject,
                data,
                frozenset(self.settings.regions),
                verify=self._keyring.verify_event if self._keyring is not None else None,
                headers=headers,
            )
        except EnvelopeError as error:
            outcome = error.reason.lower()
        else:
            if not isinstance(payload, events_pb2.NodeHeartbeat):
                outcome = "not_a_heartbeat"
            elif payload.region != envelope.origin_region:
                outcome = "wrong_region"
            else:
                outcome = "accepted"
                beat = Beat(
                    received_at=now,
                    version=payload.version[:64],
                    uptime_seconds=payload.uptime_seconds,
                    outbox_backlog=payload.outbox_backlog,
                    consumer_lag=payload.consumer_lag,
                    last_applied_time=(
                        payload.last_applied_time.ToDatetime(tzinfo=UTC)
                        if payload.HasField("last_applied_time")
                        else None
                    ),
                    open_needs=payload.open_needs,
                    open_referrals=payload.open_referrals,
                )
                with self._lock:
                    self.status.heartbeat(payload.region, beat)
        with self._lock:
            self.heartbeats[outcome] += 1
        if outcome != "accepted":
            logger.warning("heartbeat ignored", extra={"subject": subject, "reason": outcome})
        return outcome

    def on_event(self, subject: str) -> None:
        parts = subject.split(".")
        if len(parts) > 2:
            with self._lock:
                self.status.saw_event(parts[2])

    def snapshot(self, now: datetime | None = None) -> list[NodeRecord]:
        with self._lock:
            records = self.status.evaluate(now or datetime.now(UTC))
            return [
                NodeRecord(
                    record.region,
                    record.state,
                    record.since,
                    record.notes,
                    record.last,
                    events_seen=record.events_seen,
                )
                for record in records.values()
            ]

    def heartbeat_counts(self) -> dict[str, int]:
        """Heartbeats received, by outcome."""
        with self._lock:
            return dict(self.heartbeats)

    def ignored(self) -> int:
        return sum(
            count for outcome, count in self.heartbeat_counts().items() if outcome != "accepted"
        )


def node_health(record: NodeRecord) -> network_health_pb2.NodeHealth:
    message = network_health_pb2.NodeHealth(
        region=record.region,
        state=_STATES[record.state],
        reasons=list(record.reasons),
        reason_notes=[common_pb2.Note(code=note.code, params=note.params) for note in record.notes],
        state_since=_timestamp(record.since),
        events_seen=record.events_seen,
    )
    beat = record.last
    if beat is not None:
        message.last_heartbeat_time.CopyFrom(_timestamp(beat.received_at))
        message.version = beat.version
        message.uptime_seconds = beat.uptime_seconds
        message.outbox_backlog = beat.outbox_backlog
        message.consumer_lag = beat.consumer_lag
        message.open_needs = beat.open_needs
        message.open_referrals = beat.open_referrals
        if beat.last_applied_time is not None:
            message.last_applied_time.CopyFrom(_timestamp(beat.last_applied_time))
    return message


class NetworkHealthServicer(network_health_pb2_grpc.NetworkHealthServiceServicer):
    """Network coordinators see every node; a cluster manager sees their region's node."""

    def __init__(self, monitor: Monitor, verifier: TokenVerifier | None = None) -> None:
        self._monitor = monitor
        self._verifier = verifier

    def _visible(self, context: grpc.ServicerContext) -> str | None:
        """The one region the caller may see, or None for all; aborts when none."""
        if self._verifier is None:
            return None
        header = next(
            (value for key, value in context.invocation_metadata() if key == "authorization"),
            None,
        )
        try:
            token = bearer_token(header if isinstance(header, str) else None)
            principal = self._verifier.verify(token)
        except InvalidToken as error:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, str(error))
        if principal.has_role(NETWORK_COORDINATOR):
            return None
        if principal.has_role(CLUSTER_MANAGER) and principal.region:
            return principal.region
        context.abort(
            grpc.StatusCode.PERMISSION_DENIED,
            "the network's health is for network coordinators and cluster managers",
        )
        raise AssertionError("abort raises")

    def GetNetworkHealth(  # noqa: N802 - the contract's name
        self, request: network_health_pb2.GetNetworkHealthRequest, context: grpc.ServicerContext
    ) -> network_health_pb2.GetNetworkHealthResponse:
        visible = self._visible(context)
        return network_health_pb2.GetNetworkHealthResponse(
            nodes=[
                node_health(record)
                for record in self._monitor.snapshot()
                if visible is None or record.region == visible
            ],
            heartbeats_ignored=self._monitor.ignored() if visible is None else 0,
        )

    def GetNodeHealth(  # noqa: N802 - the contract's name
        self, request: network_health_pb2.GetNodeHealthRequest, context: grpc.ServicerContext
    ) -> network_health_pb2.GetNodeHealthResponse:
        visible = self._visible(context)
        for record in self._monitor.snapshot():
            if record.region == request.region and visible in (None, record.region):
                return network_health_pb2.GetNodeHealthResponse(node=node_health(record))
        context.abort(
            grpc.StatusCode.NOT_FOUND,
            f"region {request.region!r} is not in the network; see GetNetworkHealth",
        )
        raise AssertionError("abort raises")


class _StatusCollector(Collector):
    """The nodes' states at scrape time."""

    def __init__(self, monitor: Monitor) -> None:
        self._monitor = monitor

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        now = datetime.now(UTC)
        records = self._monitor.snapshot(now)
        up = GaugeMetricFamily(
            "twoins_monitor_node_up", "1 unless the node is DOWN", labels=["region"]
        )
        state = GaugeMetricFamily(
            "twoins_monitor_node_state",
            "1 for the node's current state (up, degraded, down)",
            labels=["region", "state"],
        )
        age = GaugeMetricFamily(
            "twoins_monitor_heartbeat_age_seconds",
            "Seconds since the node's last heartbeat (since the monitor started if never)",
            labels=["region"],
        )
        lag = GaugeMetricFamily(
            "twoins_monitor_consumer_lag_events",
            "Network events waiting for the node, as it last reported",
            labels=["region"],
        )
        backlog = GaugeMetricFamily(
            "twoins_monitor_outbox_backlog_events",
            "Events waiting in the node's outbox, as it last reported",
            labels=["region"],
        )
        needs = GaugeMetricFamily(
            "twoins_monitor_open_needs", "The region's open needs, as reported", labels=["region"]
        )
        referrals = GaugeMetricFamily(
            "twoins_monitor_open_referrals",
            "The region's open referrals, as reported",
            labels=["region"],
        )
        events = CounterMetricFamily(
            "twoins_monitor_events_seen",
            "Network events from the region seen on the bus",
            labels=["region"],
        )
        for record in records:
            up.add_metric([record.region], 0 if record.state is NodeState.DOWN else 1)
            for candidate in NodeState:
                state.add_metric(
                    [record.region, candidate.value], 1 if candidate is record.state else 0
                )
            beat = record.last
            since = beat.received_at if beat else self._monitor.status.started
            age.add_metric([record.region], max(0.0, (now - since).total_seconds()))
            lag.add_metric([record.region], beat.consumer_lag if beat else 0)
            backlog.add_metric([record.region], beat.outbox_backlog if beat else 0)
            needs.add_metric([record.region], beat.open_needs if beat else 0)
            referrals.add_metric([record.region], beat.open_referrals if beat else 0)
            events.add_metric([record.region], record.events_seen)
        heartbeats = CounterMetricFamily(
            "twoins_monitor_heartbeats",
            "Heartbeats received, by outcome (accepted, or why ignored)",
            labels=["outcome"],
        )
        for outcome, count in sorted(self._monitor.heartbeat_counts().items()):
            heartbeats.add_metric([outcome], count)
        yield from (up, state, age, lag, backlog, needs, referrals, events, heartbeats)


class MonitorServer:
    """The monitor process's parts: bus listener, gRPC server, metrics endpoint."""

    def __init__(self, settings: MonitorSettings) -> None:
        self.settings = settings
        self.monitor = Monitor(settings)
        self.registry = CollectorRegistry()
        register_build_info(self.registry, "monitor")
        self.registry.register(_StatusCollector(self.monitor))
        self.metrics_server: MetricsServer | None = None
        self.connected = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._health = health.HealthServicer()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        network_health_pb2_grpc.add_NetworkHealthServiceServicer_to_server(
            NetworkHealthServicer(
                self.monitor, TokenVerifier(settings.auth) if settings.auth else None
            ),
            self._server,
        )
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        enable_reflection(
            self._server,
            (
                network_health_pb2.DESCRIPTOR.services_by_name["NetworkHealthService"].full_name,
                health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            ),
        )
        self.port = 0

    @property
    def address(self) -> str:
        return f"{self.settings.listen.rsplit(':', 1)[0]}:{self.port}"

    def start(self) -> None:
        self.port = self._server.add_insecure_port(self.settings.listen)
        if self.port == 0:
            raise RuntimeError(f"cannot listen on {self.settings.listen}; is it in use?")
        self._server.start()
        self._health.set("", health_pb2.HealthCheckResponse.SERVING)
        if self.settings.metrics_listen:
            self.metrics_server = serve_metrics(self.settings.metrics_listen, self.registry)
        if self.settings.nats_url:
            self.monitor.load_keyring()
            self._thread = threading.Thread(target=self._listen, daemon=True, name="monitor-bus")
            self._thread.start()
        logger.info("monitor serving", extra={"address": self.address})

    def stop(self) -> None:
        self._stopping.set()
        self._server.stop(2).wait()
        if self._thread is not None:
            self._thread.join(5)
        if self.metrics_server is not None:
            self.metrics_server.stop()

    def _listen(self) -> None:
        asyncio.run(self._subscribe())

    async def _subscribe(self) -> None:
        client = None
        while client is None and not self._stopping.is_set():
            try:
                client = await nats.connect(
                    servers=[self.settings.nats_url],
                    user=self.settings.nats_user,
                    password=self.settings.nats_password,
                    name="monitor",
                    inbox_prefix=inbox_prefix(self.settings.nats_user),
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                )
            except Exception as error:
                logger.warning("cannot reach the bus; retrying", extra={"error": str(error)})
                await asyncio.sleep(1)
        if client is None:
            return

        async def on_heartbeat(message: Msg) -> None:
            self.monitor.on_heartbeat(
                message.subject, message.data, datetime.now(UTC), message.headers
            )

        async def on_event(message: Msg) -> None:
            self.monitor.on_event(message.subject)

        await client.subscribe(f"{HEARTBEAT_PREFIX}.>", cb=on_heartbeat)
        await client.subscribe(f"{SUBJECT_PREFIX}.>", cb=on_event)
        self.connected.set()
        while not self._stopping.is_set():
            await asyncio.sleep(0.1)
        await client.close()
