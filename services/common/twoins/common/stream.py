"""The network's JetStream stream: one definition, created by operations, used by everyone."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DiscardPolicy,
    ExternalStream,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamConsumerSource,
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
#: The hub's account that holds the network stream; every region has an account of its own.
NETWORK_ACCOUNT = "NETWORK"
#: In a region's account at the hub: where the network stream's API is imported (only the
#: reset of the region's own consumer is).
NETWORK_API_PREFIX = "TWOINS.NETWORK.API"


def regional_stream_name(region: str) -> str:
    return "TWOINS_" + region.upper().replace("-", "_")


def region_api_prefix(region: str) -> str:
    """In the hub's NETWORK account: where a region's leaf JetStream API is imported."""
    return f"TWOINS.REGION.{region}.API"


def hub_delivery_prefix(region: str) -> str:
    """The subjects on which a region's stream is delivered to the hub's network stream."""
    return f"TWOINS.DELIVER.HUB.{region}"


def mirror_consumer(region: str) -> str:
    """The durable consumer of the network stream that feeds one region's mirror."""
    return "MIRROR_" + region.upper().replace("-", "_")


def mirror_delivery_subject(region: str) -> str:
    return f"TWOINS.DELIVER.{region}.MIRROR"


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


def hub_stream_config(regions: list[str], replicas: int = 1) -> StreamConfig:
    """On the hub: the network stream, sourcing each region's stream from its leaf's domain
    through the region's account. The filter takes only the region's own subjects, whatever
    its stream holds. On a clustered hub `replicas` servers keep a copy of every message (3
    keeps it while any one server is down); the regions' mirror consumers inherit it."""
    return StreamConfig(
        name=STREAM_NAME,
        subjects=[],
        num_replicas=replicas,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=MAX_AGE_SECONDS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        sources=[
            StreamSource(
                name=regional_stream_name(region),
                filter_subject=f"{SUBJECT_PREFIX}.{region}.>",
                external=ExternalStream(
                    api=region_api_prefix(region), deliver=hub_delivery_prefix(region)
                ),
            )
            for region in regions
        ],
    )


#: What of the network stream goes to every region: the catalogue (needs, offers, knowledge).
NETWORK_WIDE_AGGREGATES = ("need", "offer", "knowledge")


def mirror_filter_subjects(region: str) -> list[str]:
    """What one region's mirror takes from the network stream: the catalogue of every region,
    and of the referral moves only those addressed to the region (and those of nodes from
    before moves named their addressee). A third region never receives a referral's moves."""
    return [
        *(f"{SUBJECT_PREFIX}.*.{aggregate}.>" for aggregate in NETWORK_WIDE_AGGREGATES),
        f"{SUBJECT_PREFIX}.*.referral.moved.{region}",
        f"{SUBJECT_PREFIX}.*.referral.moved",
    ]


def mirror_consumer_config(region: str) -> ConsumerConfig:
    """On the hub: the durable consumer of the network stream that one region's mirror reads
    (made by operations; the region may only reset it)."""
    return ConsumerConfig(
        durable_name=mirror_consumer(region),
        deliver_subject=mirror_delivery_subject(region),
        ack_policy=AckPolicy.FLOW_CONTROL,
        filter_subjects=mirror_filter_subjects(region),
    )


def network_mirror_config(region: str) -> StreamConfig:
    """On a region's leaf: the hub's network stream, mirrored through the region's consumer."""
    return StreamConfig(
        name=NETWORK_MIRROR,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=MAX_AGE_SECONDS,
        mirror=StreamSource(
            name=STREAM_NAME,
            external=ExternalStream(api=NETWORK_API_PREFIX),
            consumer=StreamConsumerSource(
                name=mirror_consumer(region), deliver_subject=mirror_delivery_subject(region)
            ),
        ),
    )


async def ensure_mirror_consumer(js: JetStreamContext, region: str) -> None:
    """On the hub: the region's consumer of the network stream, created or left as it is."""
    await js.add_consumer(STREAM_NAME, mirror_consumer_config(region))


async def ensure(js: JetStreamContext, config: StreamConfig) -> None:
    """Creates the stream, or brings it to `config`. A mirror cannot change its origin in
    place, so one made differently (an earlier layout) is made again: its messages come back
    from the origin, and its consumers' applied-event records make the replay harmless."""
    try:
        info = await js.stream_info(str(config.name))
    except NotFoundError:
        await js.add_stream(config)
        return
    if config.mirror is not None and _mirror_differs(info.config.mirror, config.mirror):
        await js.delete_stream(str(config.name))
        await js.add_stream(config)
    else:
        await js.update_stream(config)


def _mirror_differs(current: StreamSource | None, wanted: StreamSource) -> bool:
    if current is None:
        return True
    return (
        current.name != wanted.name
        or (current.external.api if current.external else None)
        != (wanted.external.api if wanted.external else None)
        or (current.consumer.name if current.consumer else None)
        != (wanted.consumer.name if wanted.consumer else None)
    )
