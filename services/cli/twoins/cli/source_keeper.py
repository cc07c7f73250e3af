"""Keeps the hub's network stream sourcing every region that is on line.

After the hub restarts, it asks each region's leaf for its stream before the leaves have joined
again; nats-server then waits 30 s for an answer and 10 s more before asking again (neither is a
setting), so a region's events reached the others about 40 s after the hub came back. The hub
asks again at once when a leaf joins only for streams of the leaf's own account, and the
network stream lives in another. The keeper watches the regions' heartbeats (plain messages
that cross as soon as a leaf is joined) and the stream's sources: a region whose heartbeat
arrives while its source has had no contact for a while has that source removed and added back,
which nats-server resumes at once from the last event it holds from the region (found in the
stream, so nothing is taken twice; the stream's duplicate window covers a replay anyway).
Each source is resumed at most once a minute, and never while its region is silent."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import nats
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import StreamConfig, StreamInfo
from prometheus_client import CollectorRegistry, Counter, Gauge

from twoins.common.envelope import HEARTBEAT_PREFIX
from twoins.common.stream import STREAM_NAME, regional_stream_name

logger = logging.getLogger(__name__)

#: A source with no contact for longer than this is stalled (healthy ones hear from their
#: region's stream about every second, heartbeats included).
STALLED_AFTER_SECONDS = 15.0
#: A region whose heartbeat arrived within this is on line (nodes beat every 10 s).
ON_LINE_WITHIN_SECONDS = 30.0
#: A source is resumed at most this often.
RESUME_AT_MOST_EVERY_SECONDS = 60.0


class KeeperMetrics:
    """What the keeper did, for Prometheus: resumes by region and the time of its last look."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.resumed = Counter(
            "twoins_bus_sources_resumed",
            "Sources of the network stream resumed by the keeper, by region",
            ["region"],
            registry=self.registry,
        )
        self.last_look = Gauge(
            "twoins_bus_keeper_last_look_timestamp_seconds",
            "When the keeper last read the network stream's sources (Unix time)",
            registry=self.registry,
        )


@dataclass
class SourceWatch:
    """What the keeper knows: each region's last heartbeat and last resume, by the clock."""

    clock: Callable[[], float] = time.monotonic
    heard: dict[str, float] = field(default_factory=dict)
    resumed: dict[str, float] = field(default_factory=dict)

    def heartbeat(self, region: str) -> None:
        self.heard[region] = self.clock()

    def to_resume(self, info: StreamInfo) -> list[str]:
        """The regions whose sources to resume now: on line, stalled, not resumed lately."""
        now = self.clock()
        on_line = {
            regional_stream_name(region): region
            for region, heard in self.heard.items()
            if now - heard <= ON_LINE_WITHIN_SECONDS
        }
        due = []
        for source in info.sources or []:
            region = on_line.get(source.name or "")
            if region is None:
                continue
            # `active` is nanoseconds since the source last heard from its stream; -1: never.
            active = source.active if source.active is not None else -1
            if 0 <= active < STALLED_AFTER_SECONDS * 1e9:
                continue
            if now - self.resumed.get(region, float("-inf")) < RESUME_AT_MOST_EVERY_SECONDS:
                continue
            due.append(region)
        return due


async def resume_sources(js: JetStreamContext, config: StreamConfig, regions: list[str]) -> None:
    """Removes the regions' sources from the network stream and adds them back as they were
    (`config`, the stream's configuration before)."""
    names = {regional_stream_name(region) for region in regions}
    without = copy.deepcopy(config)
    without.sources = [source for source in config.sources or [] if source.name not in names]
    await js.update_stream(without)
    await js.update_stream(config)


async def keep_sourcing(
    hub_urls: list[str],
    ops_password: str,
    stop: asyncio.Event,
    interval: float = 2.0,
    metrics: KeeperMetrics | None = None,
) -> None:
    """Runs until `stop` is set: listens to the heartbeats, looks at the sources every
    `interval` seconds, resumes the stalled sources of regions on line."""
    watch = SourceWatch()
    metrics = metrics or KeeperMetrics()

    async def on_heartbeat(message: Msg) -> None:
        watch.heartbeat(message.subject.removeprefix(f"{HEARTBEAT_PREFIX}."))

    client = await nats.connect(
        hub_urls,
        user="ops",
        password=ops_password,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        name="twoins-source-keeper",
    )
    try:
        await client.subscribe(f"{HEARTBEAT_PREFIX}.*", cb=on_heartbeat)
        js = client.jetstream()
        # The configuration to put back when a resume removed sources and did not get to add
        # them again (the hub went away between the two updates).
        unfinished: StreamConfig | None = None
        while not stop.is_set():
            try:
                if unfinished is not None:
                    await js.update_stream(unfinished)
                    unfinished = None
                info = await js.stream_info(STREAM_NAME)
                metrics.last_look.set_to_current_time()
                due = watch.to_resume(info)
                if due:
                    unfinished = info.config
                    await resume_sources(js, info.config, due)
                    unfinished = None
                    for region in due:
                        watch.resumed[region] = watch.clock()
                        metrics.resumed.labels(region=region).inc()
                    logger.info("resumed the network stream's sources of %s", ", ".join(due))
            except (TimeoutError, nats.errors.Error) as error:
                logger.warning("the hub did not answer (%s); asking again", error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
    finally:
        await client.close()
