"""The monitor's judgement of each node, from its heartbeats alone (pure: no I/O, no clock).

A node is DOWN when no heartbeat came within `missed_heartbeats` intervals (or never came);
DEGRADED when heartbeats come but it is behind: events wait in its outbox, or network events
wait for it, above a threshold or growing heartbeat after heartbeat; UP otherwise.
"""

from __future__ import annotations

import enum
import itertools
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta


class NodeState(enum.Enum):
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"


@dataclass(frozen=True)
class Thresholds:
    heartbeat_seconds: float = 10.0
    missed_heartbeats: int = 3
    #: Network events waiting for a node before it counts as behind.
    consumer_lag_events: int = 1000
    #: Events waiting in a node's outbox before it counts as stuck.
    outbox_backlog_events: int = 100
    #: Heartbeats in a row with a growing lag before the node counts as falling behind.
    growing_heartbeats: int = 4


@dataclass(frozen=True)
class Beat:
    """What one heartbeat reported."""

    received_at: datetime
    version: str = ""
    uptime_seconds: int = 0
    outbox_backlog: int = 0
    consumer_lag: int = 0
    last_applied_time: datetime | None = None
    open_needs: int = 0
    open_referrals: int = 0


@dataclass
class NodeRecord:
    region: str
    state: NodeState
    since: datetime
    reasons: tuple[str, ...] = ()
    last: Beat | None = None
    lags: deque[int] = field(default_factory=lambda: deque(maxlen=16))
    events_seen: int = 0


class NetworkStatus:
    """Every region's record; `heartbeat` and `evaluate` are the only ways it changes."""

    def __init__(self, regions: tuple[str, ...], thresholds: Thresholds, started: datetime):
        self.thresholds = thresholds
        self.started = started
        self.nodes = {
            region: NodeRecord(region, NodeState.DOWN, started, ("no heartbeat yet",))
            for region in regions
        }

    def knows(self, region: str) -> bool:
        return region in self.nodes

    def heartbeat(self, region: str, beat: Beat) -> None:
        record = self.nodes[region]
        record.last = beat
        record.lags.append(beat.consumer_lag)
        self._judge(record, beat.received_at)

    def saw_event(self, region: str) -> None:
        if region in self.nodes:
            self.nodes[region].events_seen += 1

    def evaluate(self, now: datetime) -> dict[str, NodeRecord]:
        for record in self.nodes.values():
            self._judge(record, now)
        return self.nodes

    def _judge(self, record: NodeRecord, now: datetime) -> None:
        state, reasons = self._assess(record, now)
        if state is not record.state:
            record.state = state
            record.since = now
        record.reasons = reasons

    def _assess(self, record: NodeRecord, now: datetime) -> tuple[NodeState, tuple[str, ...]]:
        limits = self.thresholds
        last = record.last
        allowed = timedelta(seconds=limits.heartbeat_seconds * limits.missed_heartbeats)
        if last is None:
            return NodeState.DOWN, ("no heartbeat yet",)
        silence = now - last.received_at
        if silence > allowed:
            return NodeState.DOWN, (
                f"no heartbeat for {silence.total_seconds():.0f} s "
                f"(more than {limits.missed_heartbeats} intervals)",
            )
        reasons = []
        if last.outbox_backlog > limits.outbox_backlog_events:
            reasons.append(f"{last.outbox_backlog} events wait in its outbox")
        if last.consumer_lag > limits.consumer_lag_events:
            reasons.append(f"{last.consumer_lag} network events wait for it")
        elif _growing(record.lags, limits.growing_heartbeats):
            reasons.append(
                f"falling behind: {last.consumer_lag} network events wait, more at each of "
                f"the last {limits.growing_heartbeats} heartbeats"
            )
        if reasons:
            return NodeState.DEGRADED, tuple(reasons)
        return NodeState.UP, ()


def _growing(lags: deque[int], count: int) -> bool:
    if len(lags) < count:
        return False
    recent = list(lags)[-count:]
    return all(later > earlier for earlier, later in itertools.pairwise(recent))
