import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from twoins.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NodeState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NODE_STATE_UNSPECIFIED: _ClassVar[NodeState]
    NODE_STATE_UP: _ClassVar[NodeState]
    NODE_STATE_DEGRADED: _ClassVar[NodeState]
    NODE_STATE_DOWN: _ClassVar[NodeState]
NODE_STATE_UNSPECIFIED: NodeState
NODE_STATE_UP: NodeState
NODE_STATE_DEGRADED: NodeState
NODE_STATE_DOWN: NodeState

class NodeHealth(_message.Message):
    __slots__ = ("region", "state", "reasons", "state_since", "last_heartbeat_time", "version", "uptime_seconds", "outbox_backlog", "consumer_lag", "last_applied_time", "open_needs", "open_referrals", "events_seen", "reason_notes")
    REGION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    STATE_SINCE_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_TIME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPTIME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_BACKLOG_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_LAG_FIELD_NUMBER: _ClassVar[int]
    LAST_APPLIED_TIME_FIELD_NUMBER: _ClassVar[int]
    OPEN_NEEDS_FIELD_NUMBER: _ClassVar[int]
    OPEN_REFERRALS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_SEEN_FIELD_NUMBER: _ClassVar[int]
    REASON_NOTES_FIELD_NUMBER: _ClassVar[int]
    region: str
    state: NodeState
    reasons: _containers.RepeatedScalarFieldContainer[str]
    state_since: _timestamp_pb2.Timestamp
    last_heartbeat_time: _timestamp_pb2.Timestamp
    version: str
    uptime_seconds: int
    outbox_backlog: int
    consumer_lag: int
    last_applied_time: _timestamp_pb2.Timestamp
    open_needs: int
    open_referrals: int
    events_seen: int
    reason_notes: _containers.RepeatedCompositeFieldContainer[_common_pb2.Note]
    def __init__(self, region: _Optional[str] = ..., state: _Optional[_Union[NodeState, str]] = ..., reasons: _Optional[_Iterable[str]] = ..., state_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_heartbeat_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[str] = ..., uptime_seconds: _Optional[int] = ..., outbox_backlog: _Optional[int] = ..., consumer_lag: _Optional[int] = ..., last_applied_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., open_needs: _Optional[int] = ..., open_referrals: _Optional[int] = ..., events_seen: _Optional[int] = ..., reason_notes: _Optional[_Iterable[_Union[_common_pb2.Note, _Mapping]]] = ...) -> None: ...

class GetNetworkHealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetNetworkHealthResponse(_message.Message):
    __slots__ = ("nodes", "heartbeats_ignored")
    NODES_FIELD_NUMBER: _ClassVar[int]
    HEARTBEATS_IGNORED_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[NodeHealth]
    heartbeats_ignored: int
    def __init__(self, nodes: _Optional[_Iterable[_Union[NodeHealth, _Mapping]]] = ..., heartbeats_ignored: _Optional[int] = ...) -> None: ...

class GetNodeHealthRequest(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: str
    def __init__(self, region: _Optional[str] = ...) -> None: ...

class GetNodeHealthResponse(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: NodeHealth
    def __init__(self, node: _Optional[_Union[NodeHealth, _Mapping]] = ...) -> None: ...
