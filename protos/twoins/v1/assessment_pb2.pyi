import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import field_info_pb2 as _field_info_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from twoins.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReadinessDimension(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    READINESS_DIMENSION_UNSPECIFIED: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_INNOVATION_STRATEGY: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_RD_CAPACITY: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_DIGITAL_MATURITY: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_INTELLECTUAL_PROPERTY: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_INTERNATIONAL_EXPERIENCE: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_MARKET_KNOWLEDGE: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_PRODUCT_ADAPTABILITY: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_FINANCIAL_CAPACITY: _ClassVar[ReadinessDimension]
    READINESS_DIMENSION_HUMAN_RESOURCES: _ClassVar[ReadinessDimension]

class ReadinessLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    READINESS_LEVEL_UNSPECIFIED: _ClassVar[ReadinessLevel]
    READINESS_LEVEL_BEGINNER: _ClassVar[ReadinessLevel]
    READINESS_LEVEL_DEVELOPING: _ClassVar[ReadinessLevel]
    READINESS_LEVEL_READY: _ClassVar[ReadinessLevel]
    READINESS_LEVEL_ADVANCED: _ClassVar[ReadinessLevel]
READINESS_DIMENSION_UNSPECIFIED: ReadinessDimension
READINESS_DIMENSION_INNOVATION_STRATEGY: ReadinessDimension
READINESS_DIMENSION_RD_CAPACITY: ReadinessDimension
READINESS_DIMENSION_DIGITAL_MATURITY: ReadinessDimension
READINESS_DIMENSION_INTELLECTUAL_PROPERTY: ReadinessDimension
READINESS_DIMENSION_INTERNATIONAL_EXPERIENCE: ReadinessDimension
READINESS_DIMENSION_MARKET_KNOWLEDGE: ReadinessDimension
READINESS_DIMENSION_PRODUCT_ADAPTABILITY: ReadinessDimension
READINESS_DIMENSION_FINANCIAL_CAPACITY: ReadinessDimension
READINESS_DIMENSION_HUMAN_RESOURCES: ReadinessDimension
READINESS_LEVEL_UNSPECIFIED: ReadinessLevel
READINESS_LEVEL_BEGINNER: ReadinessLevel
READINESS_LEVEL_DEVELOPING: ReadinessLevel
READINESS_LEVEL_READY: ReadinessLevel
READINESS_LEVEL_ADVANCED: ReadinessLevel

class DimensionScore(_message.Message):
    __slots__ = ("dimension", "score", "evidence")
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    dimension: ReadinessDimension
    score: int
    evidence: str
    def __init__(self, dimension: _Optional[_Union[ReadinessDimension, str]] = ..., score: _Optional[int] = ..., evidence: _Optional[str] = ...) -> None: ...

class Assessment(_message.Message):
    __slots__ = ("id", "organisation_id", "scores", "notes", "innovation_score", "internationalisation_score", "level", "recommended_services", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    INNOVATION_SCORE_FIELD_NUMBER: _ClassVar[int]
    INTERNATIONALISATION_SCORE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDED_SERVICES_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    organisation_id: str
    scores: _containers.RepeatedCompositeFieldContainer[DimensionScore]
    notes: str
    innovation_score: float
    internationalisation_score: float
    level: ReadinessLevel
    recommended_services: _containers.RepeatedScalarFieldContainer[_common_pb2.ServiceType]
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., scores: _Optional[_Iterable[_Union[DimensionScore, _Mapping]]] = ..., notes: _Optional[str] = ..., innovation_score: _Optional[float] = ..., internationalisation_score: _Optional[float] = ..., level: _Optional[_Union[ReadinessLevel, str]] = ..., recommended_services: _Optional[_Iterable[_Union[_common_pb2.ServiceType, str]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateAssessmentRequest(_message.Message):
    __slots__ = ("assessment", "request_id")
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    assessment: Assessment
    request_id: str
    def __init__(self, assessment: _Optional[_Union[Assessment, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateAssessmentResponse(_message.Message):
    __slots__ = ("assessment",)
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    assessment: Assessment
    def __init__(self, assessment: _Optional[_Union[Assessment, _Mapping]] = ...) -> None: ...

class GetAssessmentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetAssessmentResponse(_message.Message):
    __slots__ = ("assessment",)
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    assessment: Assessment
    def __init__(self, assessment: _Optional[_Union[Assessment, _Mapping]] = ...) -> None: ...

class ListAssessmentsRequest(_message.Message):
    __slots__ = ("organisation_id", "page_size", "page_token")
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    organisation_id: str
    page_size: int
    page_token: str
    def __init__(self, organisation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAssessmentsResponse(_message.Message):
    __slots__ = ("assessments", "next_page_token")
    ASSESSMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    assessments: _containers.RepeatedCompositeFieldContainer[Assessment]
    next_page_token: str
    def __init__(self, assessments: _Optional[_Iterable[_Union[Assessment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
