from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import field_info_pb2 as _field_info_pb2
from twoins.v1 import common_pb2 as _common_pb2
from twoins.v1 import expert_offer_pb2 as _expert_offer_pb2
from twoins.v1 import knowledge_pb2 as _knowledge_pb2
from twoins.v1 import need_pb2 as _need_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MatchCriterion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MATCH_CRITERION_UNSPECIFIED: _ClassVar[MatchCriterion]
    MATCH_CRITERION_SECTOR: _ClassVar[MatchCriterion]
    MATCH_CRITERION_COUNTRY: _ClassVar[MatchCriterion]
    MATCH_CRITERION_LANGUAGE: _ClassVar[MatchCriterion]
    MATCH_CRITERION_SERVICE_TYPE: _ClassVar[MatchCriterion]
    MATCH_CRITERION_CONTENT: _ClassVar[MatchCriterion]
MATCH_CRITERION_UNSPECIFIED: MatchCriterion
MATCH_CRITERION_SECTOR: MatchCriterion
MATCH_CRITERION_COUNTRY: MatchCriterion
MATCH_CRITERION_LANGUAGE: MatchCriterion
MATCH_CRITERION_SERVICE_TYPE: MatchCriterion
MATCH_CRITERION_CONTENT: MatchCriterion

class SearchNeedsRequest(_message.Message):
    __slots__ = ("query", "types", "nace_division", "target_country", "language", "origin_region", "page_size", "page_token", "include_related")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    NACE_DIVISION_FIELD_NUMBER: _ClassVar[int]
    TARGET_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_REGION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RELATED_FIELD_NUMBER: _ClassVar[int]
    query: str
    types: _containers.RepeatedScalarFieldContainer[_need_pb2.NeedType]
    nace_division: str
    target_country: str
    language: str
    origin_region: str
    page_size: int
    page_token: str
    include_related: bool
    def __init__(self, query: _Optional[str] = ..., types: _Optional[_Iterable[_Union[_need_pb2.NeedType, str]]] = ..., nace_division: _Optional[str] = ..., target_country: _Optional[str] = ..., language: _Optional[str] = ..., origin_region: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_related: _Optional[bool] = ...) -> None: ...

class SearchNeedsResponse(_message.Message):
    __slots__ = ("needs", "next_page_token", "related")
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RELATED_FIELD_NUMBER: _ClassVar[int]
    needs: _containers.RepeatedCompositeFieldContainer[_need_pb2.AnonymisedNeed]
    next_page_token: str
    related: _containers.RepeatedCompositeFieldContainer[_need_pb2.AnonymisedNeed]
    def __init__(self, needs: _Optional[_Iterable[_Union[_need_pb2.AnonymisedNeed, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., related: _Optional[_Iterable[_Union[_need_pb2.AnonymisedNeed, _Mapping]]] = ...) -> None: ...

class SearchExpertOffersRequest(_message.Message):
    __slots__ = ("query", "service_types", "nace_division", "country", "language", "origin_region", "page_size", "page_token", "include_related")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPES_FIELD_NUMBER: _ClassVar[int]
    NACE_DIVISION_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_REGION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RELATED_FIELD_NUMBER: _ClassVar[int]
    query: str
    service_types: _containers.RepeatedScalarFieldContainer[_common_pb2.ServiceType]
    nace_division: str
    country: str
    language: str
    origin_region: str
    page_size: int
    page_token: str
    include_related: bool
    def __init__(self, query: _Optional[str] = ..., service_types: _Optional[_Iterable[_Union[_common_pb2.ServiceType, str]]] = ..., nace_division: _Optional[str] = ..., country: _Optional[str] = ..., language: _Optional[str] = ..., origin_region: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_related: _Optional[bool] = ...) -> None: ...

class SearchExpertOffersResponse(_message.Message):
    __slots__ = ("offers", "next_page_token", "related")
    OFFERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RELATED_FIELD_NUMBER: _ClassVar[int]
    offers: _containers.RepeatedCompositeFieldContainer[_expert_offer_pb2.PublicExpertOffer]
    next_page_token: str
    related: _containers.RepeatedCompositeFieldContainer[_expert_offer_pb2.PublicExpertOffer]
    def __init__(self, offers: _Optional[_Iterable[_Union[_expert_offer_pb2.PublicExpertOffer, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., related: _Optional[_Iterable[_Union[_expert_offer_pb2.PublicExpertOffer, _Mapping]]] = ...) -> None: ...

class MatchReason(_message.Message):
    __slots__ = ("criterion", "contribution", "detail", "codes", "service_types", "similarity", "weight")
    CRITERION_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    CODES_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPES_FIELD_NUMBER: _ClassVar[int]
    SIMILARITY_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    criterion: MatchCriterion
    contribution: float
    detail: str
    codes: _containers.RepeatedScalarFieldContainer[str]
    service_types: _containers.RepeatedScalarFieldContainer[_common_pb2.ServiceType]
    similarity: float
    weight: float
    def __init__(self, criterion: _Optional[_Union[MatchCriterion, str]] = ..., contribution: _Optional[float] = ..., detail: _Optional[str] = ..., codes: _Optional[_Iterable[str]] = ..., service_types: _Optional[_Iterable[_Union[_common_pb2.ServiceType, str]]] = ..., similarity: _Optional[float] = ..., weight: _Optional[float] = ...) -> None: ...

class MatchExpertOffersRequest(_message.Message):
    __slots__ = ("need_id", "max_results")
    NEED_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    need_id: str
    max_results: int
    def __init__(self, need_id: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class ExpertOfferMatch(_message.Message):
    __slots__ = ("offer", "score", "reasons")
    OFFER_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    offer: _expert_offer_pb2.PublicExpertOffer
    score: float
    reasons: _containers.RepeatedCompositeFieldContainer[MatchReason]
    def __init__(self, offer: _Optional[_Union[_expert_offer_pb2.PublicExpertOffer, _Mapping]] = ..., score: _Optional[float] = ..., reasons: _Optional[_Iterable[_Union[MatchReason, _Mapping]]] = ...) -> None: ...

class MatchExpertOffersResponse(_message.Message):
    __slots__ = ("matches",)
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    matches: _containers.RepeatedCompositeFieldContainer[ExpertOfferMatch]
    def __init__(self, matches: _Optional[_Iterable[_Union[ExpertOfferMatch, _Mapping]]] = ...) -> None: ...

class MatchNeedsRequest(_message.Message):
    __slots__ = ("offer_id", "max_results")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    max_results: int
    def __init__(self, offer_id: _Optional[str] = ..., max_results: _Optional[int] = ...) -> None: ...

class NeedMatch(_message.Message):
    __slots__ = ("need", "score", "reasons")
    NEED_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    need: _need_pb2.AnonymisedNeed
    score: float
    reasons: _containers.RepeatedCompositeFieldContainer[MatchReason]
    def __init__(self, need: _Optional[_Union[_need_pb2.AnonymisedNeed, _Mapping]] = ..., score: _Optional[float] = ..., reasons: _Optional[_Iterable[_Union[MatchReason, _Mapping]]] = ...) -> None: ...

class MatchNeedsResponse(_message.Message):
    __slots__ = ("matches",)
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    matches: _containers.RepeatedCompositeFieldContainer[NeedMatch]
    def __init__(self, matches: _Optional[_Iterable[_Union[NeedMatch, _Mapping]]] = ...) -> None: ...

class SearchKnowledgeItemsRequest(_message.Message):
    __slots__ = ("query", "kinds", "language", "origin_region", "page_size", "page_token")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_REGION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    query: str
    kinds: _containers.RepeatedScalarFieldContainer[_knowledge_pb2.KnowledgeKind]
    language: str
    origin_region: str
    page_size: int
    page_token: str
    def __init__(self, query: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[_knowledge_pb2.KnowledgeKind, str]]] = ..., language: _Optional[str] = ..., origin_region: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class SearchKnowledgeItemsResponse(_message.Message):
    __slots__ = ("items", "next_page_token")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[_knowledge_pb2.PublicKnowledgeItem]
    next_page_token: str
    def __init__(self, items: _Optional[_Iterable[_Union[_knowledge_pb2.PublicKnowledgeItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
