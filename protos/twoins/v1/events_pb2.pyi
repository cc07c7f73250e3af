import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import field_info_pb2 as _field_info_pb2
from google.protobuf import any_pb2 as _any_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from twoins.v1 import common_pb2 as _common_pb2
from twoins.v1 import expert_offer_pb2 as _expert_offer_pb2
from twoins.v1 import knowledge_pb2 as _knowledge_pb2
from twoins.v1 import need_pb2 as _need_pb2
from twoins.v1 import referral_pb2 as _referral_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventEnvelope(_message.Message):
    __slots__ = ("event_id", "event_type", "origin_region", "occur_time", "schema_version", "payload")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_REGION_FIELD_NUMBER: _ClassVar[int]
    OCCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_VERSION_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_type: str
    origin_region: str
    occur_time: _timestamp_pb2.Timestamp
    schema_version: int
    payload: _any_pb2.Any
    def __init__(self, event_id: _Optional[str] = ..., event_type: _Optional[str] = ..., origin_region: _Optional[str] = ..., occur_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., schema_version: _Optional[int] = ..., payload: _Optional[_Union[_any_pb2.Any, _Mapping]] = ...) -> None: ...

class NeedPublished(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: _need_pb2.AnonymisedNeed
    def __init__(self, need: _Optional[_Union[_need_pb2.AnonymisedNeed, _Mapping]] = ...) -> None: ...

class NeedMatched(_message.Message):
    __slots__ = ("need_id",)
    NEED_ID_FIELD_NUMBER: _ClassVar[int]
    need_id: str
    def __init__(self, need_id: _Optional[str] = ...) -> None: ...

class NeedRemoved(_message.Message):
    __slots__ = ("need_id", "final_state")
    NEED_ID_FIELD_NUMBER: _ClassVar[int]
    FINAL_STATE_FIELD_NUMBER: _ClassVar[int]
    need_id: str
    final_state: _need_pb2.NeedState
    def __init__(self, need_id: _Optional[str] = ..., final_state: _Optional[_Union[_need_pb2.NeedState, str]] = ...) -> None: ...

class ExpertOfferPublished(_message.Message):
    __slots__ = ("offer",)
    OFFER_FIELD_NUMBER: _ClassVar[int]
    offer: _expert_offer_pb2.PublicExpertOffer
    def __init__(self, offer: _Optional[_Union[_expert_offer_pb2.PublicExpertOffer, _Mapping]] = ...) -> None: ...

class ExpertOfferWithdrawn(_message.Message):
    __slots__ = ("offer_id",)
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    def __init__(self, offer_id: _Optional[str] = ...) -> None: ...

class KnowledgeItemPublished(_message.Message):
    __slots__ = ("item",)
    ITEM_FIELD_NUMBER: _ClassVar[int]
    item: _knowledge_pb2.PublicKnowledgeItem
    def __init__(self, item: _Optional[_Union[_knowledge_pb2.PublicKnowledgeItem, _Mapping]] = ...) -> None: ...

class KnowledgeItemWithdrawn(_message.Message):
    __slots__ = ("item_id",)
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    def __init__(self, item_id: _Optional[str] = ...) -> None: ...

class ReferralMoved(_message.Message):
    __slots__ = ("referral_id", "move_id", "version", "action", "side", "need_id", "offer_id", "need_region", "offer_region", "initiator", "occur_time", "answer_due_time", "outcome", "hours_delivered", "support_delivered")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    MOVE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    NEED_ID_FIELD_NUMBER: _ClassVar[int]
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    NEED_REGION_FIELD_NUMBER: _ClassVar[int]
    OFFER_REGION_FIELD_NUMBER: _ClassVar[int]
    INITIATOR_FIELD_NUMBER: _ClassVar[int]
    OCCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    ANSWER_DUE_TIME_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    HOURS_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    move_id: str
    version: int
    action: str
    side: _referral_pb2.ReferralSide
    need_id: str
    offer_id: str
    need_region: str
    offer_region: str
    initiator: _referral_pb2.ReferralSide
    occur_time: _timestamp_pb2.Timestamp
    answer_due_time: _timestamp_pb2.Timestamp
    outcome: _referral_pb2.ReferralOutcome
    hours_delivered: int
    support_delivered: _common_pb2.ServiceType
    def __init__(self, referral_id: _Optional[str] = ..., move_id: _Optional[str] = ..., version: _Optional[int] = ..., action: _Optional[str] = ..., side: _Optional[_Union[_referral_pb2.ReferralSide, str]] = ..., need_id: _Optional[str] = ..., offer_id: _Optional[str] = ..., need_region: _Optional[str] = ..., offer_region: _Optional[str] = ..., initiator: _Optional[_Union[_referral_pb2.ReferralSide, str]] = ..., occur_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_due_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[_Union[_referral_pb2.ReferralOutcome, str]] = ..., hours_delivered: _Optional[int] = ..., support_delivered: _Optional[_Union[_common_pb2.ServiceType, str]] = ...) -> None: ...

class NodeHeartbeat(_message.Message):
    __slots__ = ("region", "version", "uptime_seconds", "outbox_backlog", "consumer_lag", "last_applied_time", "open_needs", "open_referrals")
    REGION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPTIME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_BACKLOG_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_LAG_FIELD_NUMBER: _ClassVar[int]
    LAST_APPLIED_TIME_FIELD_NUMBER: _ClassVar[int]
    OPEN_NEEDS_FIELD_NUMBER: _ClassVar[int]
    OPEN_REFERRALS_FIELD_NUMBER: _ClassVar[int]
    region: str
    version: str
    uptime_seconds: int
    outbox_backlog: int
    consumer_lag: int
    last_applied_time: _timestamp_pb2.Timestamp
    open_needs: int
    open_referrals: int
    def __init__(self, region: _Optional[str] = ..., version: _Optional[str] = ..., uptime_seconds: _Optional[int] = ..., outbox_backlog: _Optional[int] = ..., consumer_lag: _Optional[int] = ..., last_applied_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., open_needs: _Optional[int] = ..., open_referrals: _Optional[int] = ...) -> None: ...
