"""The network's JetStream stream: one definition, created by operations, used by everyone."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import (
    DiscardPolicy,
    ExternalStream,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamSource,
)
from nats.js.errors import NotFoundError

from twoins.common.envelope import MAX_ENVELOPE_BYTES, SUBJECT_PREFIX

STREAM_NAME = "TWOINS"
#: A message id seen within this window is stored once (JetStream deduplication).
DUPLICATE_WINDOW_SECONDS = 600.0
#: Events older than this are dropped from the stream; a node offline longer re-syncs.
MAX_AGE_SECONDS = 30 * 24 * 3600.0


def stream_config() -> StreamConfig:
    return StreamConfig(
        name=STREAM_NAME,
        subjects=[f"{SUBJECT_PREFIX}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=MAX_AGE_SECONDS,
        max_msg_size=MAX_ENVELOPE_BYTES * 2,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )


async def ensure_stream(js: JetStreamContext) -> None:
    """Creates the network stream, or brings an existing one to the current definition."""
    await ensure(js, stream_config())


# --- the edge topology: a hub and one leaf server per region ----------------------------------

HUB_DOMAIN = "hub"
#: On a region's leaf: the mirror of the hub's network stream that the region's node consumes.
NETWORK_MIRROR = "TWOINS_NETWORK"


def regional_stream_name(region: str) -> str:
    return "TWOINS_" + region.upper().replace("-", "_")


def regional_stream_config(region: str) -> StreamConfig:
    """On a region's leaf: the region's outgoing events, kept while the link is down."""
    return StreamConfig(
        name=regional_stream_name(region),
        subjects=[f"{SUBJECT_PREFIX}.{region}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=MAX_AGE_SECONDS,
        max_msg_size=MAX_ENVELOPE_BYTES * 2,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )


def hub_stream_config(regions: list[str]) -> StreamConfig:
    """On the hub: the network stream, sourcing each region's stream from its leaf's domain.
    The filter takes only the region's own subjects, whatever its stream holds."""
    return StreamConfig(
        name=STREAM_NAME,
        subjects=[],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=MAX_AGE_SECONDS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        sources=[
            StreamSource(
                name=regional_stream_name(region),
                filter_subject=f"{SUBJECT_PREFIX}.{region}.>",
                external=ExternalStream(api=f"$JS.{region}.API"),
            )
            for region in regions
        ],
    )


def network_mirror_config() -> StreamConfig:
    """On a region's leaf: the hub's network stream, mirrored for the region's node."""
    return StreamConfig(
        name=NETWORK_MIRROR,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=MAX_AGE_SECONDS,
        mirror=StreamSource(name=STREAM_NAME, external=ExternalStream(api=f"$JS.{HUB_DOMAIN}.API")),
    )


async def ensure(js: JetStreamContext, config: StreamConfig) -> None:
    try:
        await js.stream_info(str(config.name))
    except NotFoundError:
        await js.add_stream(config)
    else:
        await js.update_stream(config)
