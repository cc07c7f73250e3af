"""The node's metrics (Prometheus naming: twoins_<subsystem>_<what>_<unit>, small label sets)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from twoins.common.metrics import register_build_info
from twoins.node.domain.referral import ReferralState
from twoins.node.store.node_store import NodeStore
from twoins.node.store.vitals import read_vitals

#: Where the processes of a node serving from several write their metrics' values.
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


class _OutboxCollector(Collector):
    """Reads the database's figures at scrape time (outbox backlog, open needs, whether it
    answers at all), so they are never stale."""

    def __init__(self, store: NodeStore) -> None:
        self._store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            vitals = read_vitals(self._store)
        except SQLAlchemyError:
            yield GaugeMetricFamily("twoins_db_up", "1 while the node's database answers", value=0)
            return
        yield GaugeMetricFamily("twoins_db_up", "1 while the node's database answers", value=1)
        yield GaugeMetricFamily(
            "twoins_bus_outbox_backlog_events",
            "Events written to the outbox and not yet published",
            value=vitals.outbox_backlog,
        )
        yield GaugeMetricFamily(
            "twoins_bus_outbox_oldest_age_seconds",
            "Age of the oldest unpublished event; 0 when none waits",
            value=vitals.outbox_oldest_age_seconds,
        )
        by_state = GaugeMetricFamily(
            "twoins_referrals",
            "Referrals the region takes part in, by state",
            labels=["state"],
        )
        for state in ReferralState:
            if state is not ReferralState.UNSPECIFIED:
                by_state.add_metric([state.name.lower()], vitals.referrals.get(state.name, 0))
        yield by_state
        yield GaugeMetricFamily(
            "twoins_referrals_overdue",
            "Proposals past their answer deadline",
            value=vitals.overdue_referrals,
        )
        mails = GaugeMetricFamily(
            "twoins_node_mails",
            "Mails of the outbox by kind and state (queued, retrying, sent, failed)",
            labels=["kind", "state"],
        )
        for (kind, mail_state), count in sorted(vitals.mails.items()):
            mails.add_metric([kind.lower(), mail_state.lower()], count)
        yield mails
        yield GaugeMetricFamily(
            "twoins_node_mail_oldest_queued_age_seconds",
            "Age of the oldest mail waiting to be sent; 0 when none waits",
            value=vitals.mail_oldest_age_seconds,
        )
        yield GaugeMetricFamily(
            "twoins_node_open_needs",
            "The region's needs in an open state (draft, in review, published, matched)",
            value=vitals.open_needs,
        )


class NodeMetrics:
    """One registry per node, so that several nodes can share a process (as in tests).

    A node serving from several processes (`serve_processes`) runs in prometheus_client's
    multiprocess mode (`PROMETHEUS_MULTIPROC_DIR`, set before the library is imported): each
    process writes its values to files there, and the registry served adds them up."""

    def __init__(self, region: str, store: NodeStore) -> None:
        #: The registry /metrics serves.
        self.registry = CollectorRegistry()
        shared = os.environ.get(MULTIPROCESS_DIRECTORY)
        if shared:
            MultiProcessCollector(self.registry, path=shared)  # type: ignore[no-untyped-call]
            # The values of this process are in the files; its own registry is not served.
            own = CollectorRegistry()
        else:
            own = self.registry
        register_build_info(self.registry, "node", region)
        self.requests = Counter(
            "twoins_grpc_requests",
            "gRPC calls handled",
            ["method", "outcome"],
            registry=own,
        )
        self.request_duration = Histogram(
            "twoins_grpc_request_duration_seconds",
            "Time to handle a gRPC call",
            ["method"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=own,
        )
        self.events_published = Counter(
            "twoins_bus_events_published",
            "Events this node published to the bus",
            registry=own,
        )
        self.events_consumed = Counter(
            "twoins_bus_events_consumed",
            "Network events received, by outcome: applied, stale, duplicate, dead_lettered, "
            "deferred (signed with a key the node's key ring does not list yet)",
            ["outcome"],
            registry=own,
        )
        self.dead_letters = Counter(
            "twoins_bus_dead_letters",
            "Events set aside, by reason",
            ["reason"],
            registry=own,
        )
        self.consumer_lag = Gauge(
            "twoins_bus_consumer_lag_events",
            "Network events in the stream not yet delivered to this node",
            registry=own,
            multiprocess_mode="livemax",
        )
        self.heartbeats_sent = Counter(
            "twoins_bus_heartbeats_sent",
            "Heartbeats this node published",
            registry=own,
        )
        self.bus_connected = Gauge(
            "twoins_bus_connected",
            "1 while the node is connected to its NATS server",
            registry=own,
            multiprocess_mode="livemax",
        )
        self.mail_attempts = Counter(
            "twoins_node_mail_attempts",
            "Attempts to hand a mail to the relay, by kind and outcome (sent, retry, failed)",
            ["kind", "outcome"],
            registry=own,
        )
        self.registry.register(_OutboxCollector(store))
