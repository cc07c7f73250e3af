import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import field_info_pb2 as _field_info_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from twoins.v1 import common_pb2 as _common_pb2
from twoins.v1 import organisation_pb2 as _organisation_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NeedType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NEED_TYPE_UNSPECIFIED: _ClassVar[NeedType]
    NEED_TYPE_TECHNOLOGY: _ClassVar[NeedType]
    NEED_TYPE_BUSINESS_PARTNER: _ClassVar[NeedType]
    NEED_TYPE_MARKET_ENTRY: _ClassVar[NeedType]
    NEED_TYPE_FINANCING: _ClassVar[NeedType]
    NEED_TYPE_RD_PARTNER: _ClassVar[NeedType]
    NEED_TYPE_TRAINING: _ClassVar[NeedType]
    NEED_TYPE_EXPERT_ADVICE: _ClassVar[NeedType]

class NeedState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NEED_STATE_UNSPECIFIED: _ClassVar[NeedState]
    NEED_STATE_DRAFT: _ClassVar[NeedState]
    NEED_STATE_IN_REVIEW: _ClassVar[NeedState]
    NEED_STATE_PUBLISHED: _ClassVar[NeedState]
    NEED_STATE_MATCHED: _ClassVar[NeedState]
    NEED_STATE_CLOSED: _ClassVar[NeedState]
    NEED_STATE_WITHDRAWN: _ClassVar[NeedState]
    NEED_STATE_EXPIRED: _ClassVar[NeedState]

class TurnoverBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TURNOVER_BAND_UNSPECIFIED: _ClassVar[TurnoverBand]
    TURNOVER_BAND_UP_TO_2M: _ClassVar[TurnoverBand]
    TURNOVER_BAND_FROM_2M_TO_10M: _ClassVar[TurnoverBand]
    TURNOVER_BAND_FROM_10M_TO_50M: _ClassVar[TurnoverBand]
    TURNOVER_BAND_OVER_50M: _ClassVar[TurnoverBand]
NEED_TYPE_UNSPECIFIED: NeedType
NEED_TYPE_TECHNOLOGY: NeedType
NEED_TYPE_BUSINESS_PARTNER: NeedType
NEED_TYPE_MARKET_ENTRY: NeedType
NEED_TYPE_FINANCING: NeedType
NEED_TYPE_RD_PARTNER: NeedType
NEED_TYPE_TRAINING: NeedType
NEED_TYPE_EXPERT_ADVICE: NeedType
NEED_STATE_UNSPECIFIED: NeedState
NEED_STATE_DRAFT: NeedState
NEED_STATE_IN_REVIEW: NeedState
NEED_STATE_PUBLISHED: NeedState
NEED_STATE_MATCHED: NeedState
NEED_STATE_CLOSED: NeedState
NEED_STATE_WITHDRAWN: NeedState
NEED_STATE_EXPIRED: NeedState
TURNOVER_BAND_UNSPECIFIED: TurnoverBand
TURNOVER_BAND_UP_TO_2M: TurnoverBand
TURNOVER_BAND_FROM_2M_TO_10M: TurnoverBand
TURNOVER_BAND_FROM_10M_TO_50M: TurnoverBand
TURNOVER_BAND_OVER_50M: TurnoverBand

class Need(_message.Message):
    __slots__ = ("id", "region", "organisation_id", "type", "title", "description", "nace_codes", "target_countries", "languages", "keywords", "expire_time", "state", "state_reason", "create_time", "update_time", "publish_time", "held_back", "state_note")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NACE_CODES_FIELD_NUMBER: _ClassVar[int]
    TARGET_COUNTRIES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    KEYWORDS_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATE_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    HELD_BACK_FIELD_NUMBER: _ClassVar[int]
    STATE_NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    region: str
    organisation_id: str
    type: NeedType
    title: str
    description: str
    nace_codes: _containers.RepeatedScalarFieldContainer[str]
    target_countries: _containers.RepeatedScalarFieldContainer[str]
    languages: _containers.RepeatedScalarFieldContainer[str]
    keywords: _containers.RepeatedScalarFieldContainer[str]
    expire_time: _timestamp_pb2.Timestamp
    state: NeedState
    state_reason: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    publish_time: _timestamp_pb2.Timestamp
    held_back: bool
    state_note: _common_pb2.Note
    def __init__(self, id: _Optional[str] = ..., region: _Optional[str] = ..., organisation_id: _Optional[str] = ..., type: _Optional[_Union[NeedType, str]] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., nace_codes: _Optional[_Iterable[str]] = ..., target_countries: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., keywords: _Optional[_Iterable[str]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[NeedState, str]] = ..., state_reason: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., held_back: _Optional[bool] = ..., state_note: _Optional[_Union[_common_pb2.Note, _Mapping]] = ...) -> None: ...

class AnonymisedNeed(_message.Message):
    __slots__ = ("need_id", "origin_region", "type", "title", "description", "nace_divisions", "target_countries", "languages", "keywords", "size_class", "turnover_band", "founded_range", "location", "export_status", "expire_time", "publish_time", "text_embedding", "text_embedding_model")
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
    TEXT_EMBEDDING_FIELD_NUMBER: _ClassVar[int]
    TEXT_EMBEDDING_MODEL_FIELD_NUMBER: _ClassVar[int]
    need_id: str
    origin_region: str
    type: NeedType
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
    text_embedding: bytes
    text_embedding_model: str
    def __init__(self, need_id: _Optional[str] = ..., origin_region: _Optional[str] = ..., type: _Optional[_Union[NeedType, str]] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., nace_divisions: _Optional[_Iterable[str]] = ..., target_countries: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., keywords: _Optional[_Iterable[str]] = ..., size_class: _Optional[_Union[_organisation_pb2.SizeClass, str]] = ..., turnover_band: _Optional[_Union[TurnoverBand, str]] = ..., founded_range: _Optional[str] = ..., location: _Optional[str] = ..., export_status: _Optional[_Union[_organisation_pb2.ExportStatus, str]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text_embedding: _Optional[bytes] = ..., text_embedding_model: _Optional[str] = ...) -> None: ...

class CreateNeedRequest(_message.Message):
    __slots__ = ("need", "request_id")
    NEED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    need: Need
    request_id: str
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class GetNeedRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class ListNeedsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "organisation_id", "states")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    organisation_id: str
    states: _containers.RepeatedScalarFieldContainer[NeedState]
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., organisation_id: _Optional[str] = ..., states: _Optional[_Iterable[_Union[NeedState, str]]] = ...) -> None: ...

class ListNeedsResponse(_message.Message):
    __slots__ = ("needs", "next_page_token")
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    needs: _containers.RepeatedCompositeFieldContainer[Need]
    next_page_token: str
    def __init__(self, needs: _Optional[_Iterable[_Union[Need, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateNeedRequest(_message.Message):
    __slots__ = ("need", "update_mask")
    NEED_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    need: Need
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class SubmitNeedRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class SubmitNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class ReturnNeedRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReturnNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class PublishNeedRequest(_message.Message):
    __slots__ = ("id", "override_k_anonymity", "override_reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_K_ANONYMITY_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    override_k_anonymity: bool
    override_reason: str
    def __init__(self, id: _Optional[str] = ..., override_k_anonymity: _Optional[bool] = ..., override_reason: _Optional[str] = ...) -> None: ...

class PublishNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class PreviewNeedPublicationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class PreviewNeedPublicationResponse(_message.Message):
    __slots__ = ("anonymised_need", "matching_smes", "k", "would_hold_back", "residuals")
    ANONYMISED_NEED_FIELD_NUMBER: _ClassVar[int]
    MATCHING_SMES_FIELD_NUMBER: _ClassVar[int]
    K_FIELD_NUMBER: _ClassVar[int]
    WOULD_HOLD_BACK_FIELD_NUMBER: _ClassVar[int]
    RESIDUALS_FIELD_NUMBER: _ClassVar[int]
    anonymised_need: AnonymisedNeed
    matching_smes: int
    k: int
    would_hold_back: bool
    residuals: _containers.RepeatedCompositeFieldContainer[PublicationResidual]
    def __init__(self, anonymised_need: _Optional[_Union[AnonymisedNeed, _Mapping]] = ..., matching_smes: _Optional[int] = ..., k: _Optional[int] = ..., would_hold_back: _Optional[bool] = ..., residuals: _Optional[_Iterable[_Union[PublicationResidual, _Mapping]]] = ...) -> None: ...

class PublicationResidual(_message.Message):
    __slots__ = ("field", "start", "end", "kind")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    field: str
    start: int
    end: int
    kind: str
    def __init__(self, field: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., kind: _Optional[str] = ...) -> None: ...

class MatchNeedRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MatchNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class CloseNeedRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CloseNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...

class WithdrawNeedRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class WithdrawNeedResponse(_message.Message):
    __slots__ = ("need",)
    NEED_FIELD_NUMBER: _ClassVar[int]
    need: Need
    def __init__(self, need: _Optional[_Union[Need, _Mapping]] = ...) -> None: ...
