import datetime

from google.protobuf import any_pb2 as _any_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from twoins.v1 import common_pb2 as _common_pb2
from twoins.v1 import need_pb2 as _need_pb2
from twoins.v1 import organisation_pb2 as _organisation_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TurnoverBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TURNOVER_BAND_UNSPECIFIED: _ClassVar[TurnoverBand]
    TURNOVER_BAND_UP_TO_2M: _ClassVar[TurnoverBand]
    TURNOVER_BAND_2M_TO_10M: _ClassVar[TurnoverBand]
    TURNOVER_BAND_10M_TO_50M: _ClassVar[TurnoverBand]
    TURNOVER_BAND_OVER_50M: _ClassVar[TurnoverBand]
TURNOVER_BAND_UNSPECIFIED: TurnoverBand
TURNOVER_BAND_UP_TO_2M: TurnoverBand
TURNOVER_BAND_2M_TO_10M: TurnoverBand
TURNOVER_BAND_10M_TO_50M: TurnoverBand
TURNOVER_BAND_OVER_50M: TurnoverBand

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

class AnonymisedNeed(_message.Message):
    __slots__ = ("need_id", "origin_region", "type", "title", "description", "nace_divisions", "target_countries", "languages", "keywords", "size_class", "turnover_band", "founded_range", "location", "export_status", "expire_time", "publish_time")
    NEED_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_REGION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NACE_DIVISIONS_FIELD_NUMBER: _ClassVar[int]
    TARGET_COUNTRIES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    KEYWORDS_FIELD_NUMBER: _ClassVar[int]
    SIZE_CLASS_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_BAND_FIELD_NUMBER: _ClassVar[int]
    FOUNDED_RANGE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    EXPORT_STATUS_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    need_id: str
    origin_region: str
    type: _need_pb2.NeedType
    title: str
    description: str
    nace_divisions: _containers.RepeatedScalarFieldContainer[str]
    target_countries: _containers.RepeatedScalarFieldContainer[str]
    languages: _containers.RepeatedScalarFieldContainer[str]
    keywords: _containers.RepeatedScalarFieldContainer[str]
    size_class: _organisation_pb2.SizeClass
    turnover_band: TurnoverBand
    founded_range: str
    location: str
    export_status: _organisation_pb2.ExportStatus
    expire_time: _timestamp_pb2.Timestamp
    publish_time: _timestamp_pb2.Timestamp
    def __init__(self, need_id: _Optional[str] = ..., origin_region: _Optional[str] = ..., type: _Optional[_Union[_need_pb2.NeedType, str]] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., nace_divisions: _Optional[_Iterable[str]] = ..., target_countries: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., keywords: _Optional[_Iterable[str]] = ..., size_class: _Optional[_Union[_organisation_pb2.SizeClass, str]] = ..., turnover_band: _Optional[_Union[TurnoverBand, str]] = ..., founded_range: _Optional[str] = ..., location: _Optional[str] = ..., export_status: _Optional[_Union[_organisation_pb2.ExportStatus, str]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NeedPublished(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: AnonymisedNeed
    def __init__(self, need: _Optional[_Union[AnonymisedNeed, _Mapping]] = ...) -> None: ...

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

class PublicExpertOffer(_message.Message):
    __slots__ = ("offer_id", "origin_region", "title", "description", "competences", "nace_divisions", "countries", "languages", "service_types", "capacity_hours_per_month")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_REGION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    NACE_DIVISIONS_FIELD_NUMBER: _ClassVar[int]
    COUNTRIES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_HOURS_PER_MONTH_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    origin_region: str
    title: str
    description: str
    competences: _containers.RepeatedScalarFieldContainer[str]
    nace_divisions: _containers.RepeatedScalarFieldContainer[str]
    countries: _containers.RepeatedScalarFieldContainer[str]
    languages: _containers.RepeatedScalarFieldContainer[str]
    service_types: _containers.RepeatedScalarFieldContainer[_common_pb2.ServiceType]
    capacity_hours_per_month: int
    def __init__(self, offer_id: _Optional[str] = ..., origin_region: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., competences: _Optional[_Iterable[str]] = ..., nace_divisions: _Optional[_Iterable[str]] = ..., countries: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., service_types: _Optional[_Iterable[_Union[_common_pb2.ServiceType, str]]] = ..., capacity_hours_per_month: _Optional[int] = ...) -> None: ...

class ExpertOfferPublished(_message.Message):
    __slots__ = ("offer",)
    OFFER_FIELD_NUMBER: _ClassVar[int]
    offer: PublicExpertOffer
    def __init__(self, offer: _Optional[_Union[PublicExpertOffer, _Mapping]] = ...) -> None: ...

class ExpertOfferWithdrawn(_message.Message):
    __slots__ = ("offer_id",)
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    def __init__(self, offer_id: _Optional[str] = ...) -> None: ...

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
