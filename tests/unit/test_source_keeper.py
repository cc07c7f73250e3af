"""Which of the network stream's sources the keeper resumes: only a stalled source of a region
that is on line, and at most once a minute."""

from __future__ import annotations

from nats.js.api import StreamConfig, StreamInfo, StreamSourceInfo, StreamState

from twoins.cli.source_keeper import SourceWatch


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _info(**active_by_stream: int) -> StreamInfo:
    return StreamInfo(
        config=StreamConfig(name="TWOINS"),
        state=StreamState(messages=0, bytes=0, first_seq=0, last_seq=0, consumer_count=0),
        sources=[
            StreamSourceInfo(name=name, lag=0, active=active)
            for name, active in active_by_stream.items()
        ],
    )


def test_a_stalled_source_of_a_region_on_line_is_resumed_once_a_minute() -> None:
    clock = Clock()
    watch = SourceWatch(clock=clock)
    watch.heartbeat("it-basilicata")
    info = _info(TWOINS_IT_BASILICATA=-1)
    assert watch.to_resume(info) == ["it-basilicata"]
    watch.resumed["it-basilicata"] = clock.now
    clock.now += 30
    watch.heartbeat("it-basilicata")
    assert watch.to_resume(info) == []  # resumed 30 s ago
    clock.now += 31
    watch.heartbeat("it-basilicata")
    assert watch.to_resume(info) == ["it-basilicata"]


def test_a_healthy_source_or_a_silent_region_is_left_alone() -> None:
    clock = Clock()
    watch = SourceWatch(clock=clock)
    watch.heartbeat("gr-attica")
    # Heard from its stream 0.8 s ago: healthy.
    assert watch.to_resume(_info(TWOINS_GR_ATTICA=800_000_000)) == []
    # Stalled, but its region has not beaten for a minute: a request would only wait.
    clock.now += 60
    assert watch.to_resume(_info(TWOINS_GR_ATTICA=-1)) == []
    # Stalled for 20 s and on line again.
    watch.heartbeat("gr-attica")
    assert watch.to_resume(_info(TWOINS_GR_ATTICA=20_000_000_000)) == ["gr-attica"]


def test_sources_that_are_not_regions_are_left_alone() -> None:
    watch = SourceWatch(clock=Clock())
    watch.heartbeat("ops")
    assert watch.to_resume(_info(OTHER=-1)) == []
