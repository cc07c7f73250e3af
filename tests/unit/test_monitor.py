"""The monitor's judgement of nodes, and heartbeats it must survive: malformed, foreign, forged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from twoins.common.envelope import heartbeat_subject, wrap
from twoins.monitor.server import Monitor, MonitorSettings, node_health
from twoins.monitor.status import Beat, NetworkStatus, NodeState, Note, Thresholds
from twoins.v1 import events_pb2, network_health_pb2

START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
REGIONS = ("gr-west", "mt-isla")


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


@pytest.fixture
def status() -> NetworkStatus:
    return NetworkStatus(REGIONS, Thresholds(heartbeat_seconds=10), START)


def test_a_node_never_heard_of_is_down(status: NetworkStatus) -> None:
    record = status.evaluate(at(1))["gr-west"]
    assert record.state is NodeState.DOWN
    assert record.reasons == ("no heartbeat yet",)


def test_up_then_down_after_three_missed_heartbeats_then_up_again(status: NetworkStatus) -> None:
    status.heartbeat("gr-west", Beat(received_at=at(5)))
    assert status.evaluate(at(6))["gr-west"].state is NodeState.UP
    assert status.evaluate(at(35))["gr-west"].state is NodeState.UP
    down = status.evaluate(at(36))["gr-west"]
    assert down.state is NodeState.DOWN
    assert down.since == at(36)
    assert "no heartbeat for 31 s" in down.reasons[0]
    assert down.notes == (Note("NO_HEARTBEAT_FOR", {"seconds": "31", "intervals": "3"}),)
    status.heartbeat("gr-west", Beat(received_at=at(40)))
    back = status.evaluate(at(41))["gr-west"]
    assert back.state is NodeState.UP
    assert back.since == at(40)
    assert back.reasons == ()


def test_a_stuck_outbox_or_large_lag_degrades(status: NetworkStatus) -> None:
    status.heartbeat("gr-west", Beat(received_at=at(1), outbox_backlog=500))
    record = status.evaluate(at(2))["gr-west"]
    assert record.state is NodeState.DEGRADED
    assert record.reasons == ("500 events wait in its outbox",)
    assert record.notes == (Note("OUTBOX_BACKLOG", {"events": "500"}),)
    status.heartbeat("mt-isla", Beat(received_at=at(1), consumer_lag=5000))
    assert status.evaluate(at(2))["mt-isla"].reasons == ("5000 network events wait for it",)


def test_a_lag_growing_at_every_heartbeat_degrades(status: NetworkStatus) -> None:
    for index, lag in enumerate((1, 3, 9, 20)):
        status.heartbeat("gr-west", Beat(received_at=at(10 * index), consumer_lag=lag))
    record = status.evaluate(at(31))["gr-west"]
    assert record.state is NodeState.DEGRADED
    assert record.reasons[0].startswith("falling behind: 20 network events wait")
    assert record.notes[0] == Note("FALLING_BEHIND", {"events": "20", "heartbeats": "4"})
    status.heartbeat("gr-west", Beat(received_at=at(40), consumer_lag=0))
    assert status.evaluate(at(41))["gr-west"].state is NodeState.UP


def _beat_bytes(region: str, origin: str | None = None, open_needs: int = 0) -> bytes:
    beat = events_pb2.NodeHeartbeat(region=region, version="0.1.0", open_needs=open_needs)
    return wrap(beat, origin or region, START).SerializeToString()


@pytest.fixture
def monitor() -> Monitor:
    return Monitor(MonitorSettings(regions=REGIONS))


def test_a_good_heartbeat_is_accepted(monitor: Monitor) -> None:
    outcome = monitor.on_heartbeat(
        heartbeat_subject("mt-isla"), _beat_bytes("mt-isla", open_needs=4), at(1)
    )
    assert outcome == "accepted"
    record = next(item for item in monitor.snapshot(at(2)) if item.region == "mt-isla")
    message = node_health(record)
    assert message.state == network_health_pb2.NODE_STATE_UP
    assert message.open_needs == 4
    assert message.version == "0.1.0"


@pytest.mark.parametrize(
    ("subject", "data", "outcome"),
    [
        (heartbeat_subject("mt-isla"), b"\xff\x00garbage", "undecodable"),
        (heartbeat_subject("mt-isla"), b"", "invalid"),
        (heartbeat_subject("xx-nowhere"), _beat_bytes("xx-nowhere"), "unknown_region"),
        (heartbeat_subject("mt-isla"), _beat_bytes("gr-west", origin="mt-isla"), "wrong_region"),
        (heartbeat_subject("mt-isla"), _beat_bytes("gr-west"), "wrong_origin"),
        ("twoins.heartbeat", _beat_bytes("mt-isla"), "bad_subject"),
        (heartbeat_subject("mt-isla"), b"x" * 100_000, "oversized"),
    ],
)
def test_bad_heartbeats_are_counted_and_ignored(
    monitor: Monitor, subject: str, data: bytes, outcome: str
) -> None:
    assert monitor.on_heartbeat(subject, data, at(1)) == outcome
    assert monitor.heartbeats[outcome] == 1
    assert monitor.ignored() == 1
    assert all(record.state is NodeState.DOWN for record in monitor.snapshot(at(2)))


def test_a_payload_that_is_no_heartbeat_is_ignored(monitor: Monitor) -> None:
    other = wrap(events_pb2.NeedRemoved(need_id="x"), "mt-isla", START).SerializeToString()
    assert monitor.on_heartbeat(heartbeat_subject("mt-isla"), other, at(1)) == "wrong_subject"
