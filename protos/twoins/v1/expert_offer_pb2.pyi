import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import field_info_pb2 as _field_info_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from twoins.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExpertOfferState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPERT_OFFER_STATE_UNSPECIFIED: _ClassVar[ExpertOfferState]
    EXPERT_OFFER_STATE_DRAFT: _ClassVar[ExpertOfferState]
    EXPERT_OFFER_STATE_PUBLISHED: _ClassVar[ExpertOfferState]
    EXPERT_OFFER_STATE_WITHDRAWN: _ClassVar[ExpertOfferState]
EXPERT_OFFER_STATE_UNSPECIFIED: ExpertOfferState
EXPERT_OFFER_STATE_DRAFT: ExpertOfferState
EXPERT_OFFER_STATE_PUBLISHED: ExpertOfferState
EXPERT_OFFER_STATE_WITHDRAWN: ExpertOfferState

class ExpertOffer(_message.Message):
    __slots__ = ("id", "region", "title", "description", "expert", "competences", "nace_codes", "countries", "languages", "service_types", "capacity_hours_per_month", "state", "create_time", "update_time", "owner")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPERT_FIELD_NUMBER: _ClassVar[int]
    COMPETENCES_FIELD_NUMBER: _ClassVar[int]
    NACE_CODES_FIELD_NUMBER: _ClassVar[int]
    COUNTRIES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_HOURS_PER_MONTH_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    id: str
    region: str
    title: str
    description: str
    expert: _common_pb2.Contact
    competences: _containers.RepeatedScalarFieldContainer[str]
    nace_codes: _containers.RepeatedScalarFieldContainer[str]
    countries: _containers.RepeatedScalarFieldContainer[str]
    languages: _containers.RepeatedScalarFieldContainer[str]
    service_types: _containers.RepeatedScalarFieldContainer[_common_pb2.ServiceType]
    capacity_hours_per_month: int
    state: ExpertOfferState
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    owner: str
    def __init__(self, id: _Optional[str] = ..., region: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., expert: _Optional[_Union[_common_pb2.Contact, _Mapping]] = ..., competences: _Optional[_Iterable[str]] = ..., nace_codes: _Optional[_Iterable[str]] = ..., countries: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., service_types: _Optional[_Iterable[_Union[_common_pb2.ServiceType, str]]] = ..., capacity_hours_per_month: _Optional[int] = ..., state: _Optional[_Union[ExpertOfferState, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., owner: _Optional[str] = ...) -> None: ...

class CreateExpertOfferRequest(_message.Message):
    __slots__ = ("expert_offer", "request_id")
    EXPERT_OFFER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    expert_offer: ExpertOffer
    request_id: str
    def __init__(self, expert_offer: _Optional[_Union[ExpertOffer, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateExpertOfferResponse(_message.Message):
    __slots__ = ("expert_offer",)
    EXPERT_OFFER_FIELD_NUMBER: _ClassVar[int]
    expert_offer: ExpertOffer
    def __init__(self, expert_offer: _Optional[_Union[ExpertOffer, _Mapping]] = ...) -> None: ...

class GetExpertOfferRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetExpertOfferResponse(_message.Message):
    __slots__ = ("expert_offer",)
    EXPERT_OFFER_FIELD_NUMBER: _ClassVar[int]
    expert_offer: ExpertOffer
    def __init__(self, expert_offer: _Optional[_Union[ExpertOffer, _Mapping]] = ...) -> None: ...

class ListExpertOffersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "states")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    states: _containers.RepeatedScalarFieldContainer[ExpertOfferState]
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., states: _Optional[_Iterable[_Union[ExpertOfferState, str]]] = ...) -> None: ...

class ListExpertOffersResponse(_message.Message):
    __slots__ = ("expert_offers", "next_page_token")
    EXPERT_OFFERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    expert_offers: _containers.RepeatedCompositeFieldContainer[ExpertOffer]
    next_page_token: str
    def __init__(self, expert_offers: _Optional[_Iterable[_Union[ExpertOffer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateExpertOfferRequest(_message.Message):
    __slots__ = ("expert_offer", "update_mask")
    EXPERT_OFFER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    expert_offer: ExpertOffer
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, expert_offer: _Optional[_Union[ExpertOffer, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateExpertOfferResponse(_message.Message):
    __slots__ = ("expert_offer",)
    EXPERT_OFFER_FIELD_NUMBER: _ClassVar[int]
    expert_offer: ExpertOffer
    def __init__(self, expert_offer: _Optional[_Union[ExpertOffer, _Mapping]] = ...) -> None: ...

class PublishExpertOfferRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class PublishExpertOfferResponse(_message.Message):
    __slots__ = ("expert_offer",)
    EXPERT_OFFER_FIELD_NUMBER: _ClassVar[int]
    expert_offer: ExpertOffer
    def __init__(self, expert_offer: _Optional[_Union[ExpertOffer, _Mapping]] = ...) -> None: ...

class WithdrawExpertOfferRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class WithdrawExpertOfferResponse(_message.Message):
    __slots__ = ("expert_offer",)
    EXPERT_OFFER_FIELD_NUMBER: _ClassVar[int]
    expert_offer: ExpertOffer
    def __init__(self, expert_offer: _Optional[_Union[ExpertOffer, _Mapping]] = ...) -> None: ...

class PublicExpertOffer(_message.Message):
    __slots__ = ("offer_id", "origin_region", "title", "description", "competences", "nace_divisions", "countries", "languages", "service_types", "capacity_hours_per_month", "text_embedding", "text_embedding_model")
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
    TEXT_EMBEDDING_FIELD_NUMBER: _ClassVar[int]
    TEXT_EMBEDDING_MODEL_FIELD_NUMBER: _ClassVar[int]
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
    text_embedding: bytes
    text_embedding_model: str
    def __init__(self, offer_id: _Optional[str] = ..., origin_region: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., competences: _Optional[_Iterable[str]] = ..., nace_divisions: _Optional[_Iterable[str]] = ..., countries: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., service_types: _Optional[_Iterable[_Union[_common_pb2.ServiceType, str]]] = ..., capacity_hours_per_month: _Optional[int] = ..., text_embedding: _Optional[bytes] = ..., text_embedding_model: _Optional[str] = ...) -> None: ...
