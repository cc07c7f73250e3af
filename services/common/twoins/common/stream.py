"""The network's JetStream stream: one definition, created by operations, used by everyone."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
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
    try:
        await js.stream_info(STREAM_NAME)
    except NotFoundError:
        await js.add_stream(stream_config())
    else:
        await js.update_stream(stream_config())
