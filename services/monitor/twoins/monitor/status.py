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


@dataclass(frozen=True, slots=True)
class Note:
    """A reason of the monitor's judgement as a code with its values (the contract's
    `twoins.v1.Note`), for consoles to say in their reader's language."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **params: object) -> Note:
        return cls(code, {name: str(value) for name, value in params.items()})


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
    #: Why the node is not UP, as codes with their values (empty when UP).
    notes: tuple[Note, ...] = ()
    last: Beat | None = None
    lags: deque[int] = field(default_factory=lambda: deque(maxlen=16))
    events_seen: int = 0

    @property
    def reasons(self) -> tuple[str, ...]:
        """`notes` in words an operator can act on."""
        return tuple(reason_text(note) for note in self.notes)


def reason_text(note: Note) -> str:
    """A health note in English, for operators, logs and API clients."""
    values = note.params
    match note.code:
        case "NO_HEARTBEAT_YET":
            return "no heartbeat yet"
        case "NO_HEARTBEAT_FOR":
            return (
                f"no heartbeat for {values['seconds']} s "
                f"(more than {values['intervals']} intervals)"
            )
        case "OUTBOX_BACKLOG":
            return f"{values['events']} events wait in its outbox"
        case "CONSUMER_LAG":
            return f"{values['events']} network events wait for it"
        case "FALLING_BEHIND":
            return (
                f"falling behind: {values['events']} network events wait, more at each of "
                f"the last {values['heartbeats']} heartbeats"
            )
    raise ValueError(f"unknown health note {note.code}")


class NetworkStatus:
    """Every region's record; `heartbeat` and `evaluate` are the only ways it changes."""

    def __init__(self, regions: tuple[str, ...], thresholds: Thresholds, started: datetime):
        self.thresholds = thresholds
        self.started = started
        self.nodes = {
            region: NodeRecord(region, NodeState.DOWN, started, (Note("NO_HEARTBEAT_YET"),))
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
        state, notes = self._assess(record, now)
        if state is not record.state:
            record.state = state
            record.since = now
        record.notes = notes

    def _assess(self, record: NodeRecord, now: datetime) -> tuple[NodeState, tuple[Note, ...]]:
        limits = self.thresholds
        last = record.last
        allowed = timedelta(seconds=limits.heartbeat_seconds * limits.missed_heartbeats)
        if last is None:
            return NodeState.DOWN, (Note("NO_HEARTBEAT_YET"),)
        silence = now - last.received_at
        if silence > allowed:
            return NodeState.DOWN, (
                Note.of(
                    "NO_HEARTBEAT_FOR",
                    seconds=f"{silence.total_seconds():.0f}",
                    intervals=limits.missed_heartbeats,
                ),
            )
        notes = []
        if last.outbox_backlog > limits.outbox_backlog_events:
            notes.append(Note.of("OUTBOX_BACKLOG", events=last.outbox_backlog))
        if last.consumer_lag > limits.consumer_lag_events:
            notes.append(Note.of("CONSUMER_LAG", events=last.consumer_lag))
        elif _growing(record.lags, limits.growing_heartbeats):
            notes.append(
                Note.of(
                    "FALLING_BEHIND", events=last.consumer_lag, heartbeats=limits.growing_heartbeats
                )
            )
        if notes:
            return NodeState.DEGRADED, tuple(notes)
        return NodeState.UP, ()


def _growing(lags: deque[int], count: int) -> bool:
    if len(lags) < count:
        return False
    recent = list(lags)[-count:]
    return all(later > earlier for earlier, later in itertools.pairwise(recent))
