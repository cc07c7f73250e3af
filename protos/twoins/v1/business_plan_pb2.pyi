import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import field_info_pb2 as _field_info_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PlanSectionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLAN_SECTION_KIND_UNSPECIFIED: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_SUMMARY: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_PRODUCT_AND_INNOVATION: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_TARGET_MARKETS: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_COMPETITION: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_OPERATIONS: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_TEAM: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_FINANCIAL_PLAN: _ClassVar[PlanSectionKind]
    PLAN_SECTION_KIND_RISKS: _ClassVar[PlanSectionKind]
PLAN_SECTION_KIND_UNSPECIFIED: PlanSectionKind
PLAN_SECTION_KIND_SUMMARY: PlanSectionKind
PLAN_SECTION_KIND_PRODUCT_AND_INNOVATION: PlanSectionKind
PLAN_SECTION_KIND_TARGET_MARKETS: PlanSectionKind
PLAN_SECTION_KIND_COMPETITION: PlanSectionKind
PLAN_SECTION_KIND_OPERATIONS: PlanSectionKind
PLAN_SECTION_KIND_TEAM: PlanSectionKind
PLAN_SECTION_KIND_FINANCIAL_PLAN: PlanSectionKind
PLAN_SECTION_KIND_RISKS: PlanSectionKind

class PlanSection(_message.Message):
    __slots__ = ("kind", "content")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    kind: PlanSectionKind
    content: str
    def __init__(self, kind: _Optional[_Union[PlanSectionKind, str]] = ..., content: _Optional[str] = ...) -> None: ...

class FinancialYear(_message.Message):
    __slots__ = ("year", "revenue_eur", "operating_costs_eur", "investment_eur", "export_share_percent", "operating_result_eur")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    REVENUE_EUR_FIELD_NUMBER: _ClassVar[int]
    OPERATING_COSTS_EUR_FIELD_NUMBER: _ClassVar[int]
    INVESTMENT_EUR_FIELD_NUMBER: _ClassVar[int]
    EXPORT_SHARE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    OPERATING_RESULT_EUR_FIELD_NUMBER: _ClassVar[int]
    year: int
    revenue_eur: int
    operating_costs_eur: int
    investment_eur: int
    export_share_percent: int
    operating_result_eur: int
    def __init__(self, year: _Optional[int] = ..., revenue_eur: _Optional[int] = ..., operating_costs_eur: _Optional[int] = ..., investment_eur: _Optional[int] = ..., export_share_percent: _Optional[int] = ..., operating_result_eur: _Optional[int] = ...) -> None: ...

class BusinessPlan(_message.Message):
    __slots__ = ("id", "organisation_id", "title", "revision", "sections", "financial_years", "completeness_percent", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    FINANCIAL_YEARS_FIELD_NUMBER: _ClassVar[int]
    COMPLETENESS_PERCENT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    organisation_id: str
    title: str
    revision: int
    sections: _containers.RepeatedCompositeFieldContainer[PlanSection]
    financial_years: _containers.RepeatedCompositeFieldContainer[FinancialYear]
    completeness_percent: int
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., title: _Optional[str] = ..., revision: _Optional[int] = ..., sections: _Optional[_Iterable[_Union[PlanSection, _Mapping]]] = ..., financial_years: _Optional[_Iterable[_Union[FinancialYear, _Mapping]]] = ..., completeness_percent: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateBusinessPlanRequest(_message.Message):
    __slots__ = ("business_plan", "request_id")
    BUSINESS_PLAN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    business_plan: BusinessPlan
    request_id: str
    def __init__(self, business_plan: _Optional[_Union[BusinessPlan, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateBusinessPlanResponse(_message.Message):
    __slots__ = ("business_plan",)
    BUSINESS_PLAN_FIELD_NUMBER: _ClassVar[int]
    business_plan: BusinessPlan
    def __init__(self, business_plan: _Optional[_Union[BusinessPlan, _Mapping]] = ...) -> None: ...

class GetBusinessPlanRequest(_message.Message):
    __slots__ = ("id", "revision")
    ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    id: str
    revision: int
    def __init__(self, id: _Optional[str] = ..., revision: _Optional[int] = ...) -> None: ...

class GetBusinessPlanResponse(_message.Message):
    __slots__ = ("business_plan",)
    BUSINESS_PLAN_FIELD_NUMBER: _ClassVar[int]
    business_plan: BusinessPlan
    def __init__(self, business_plan: _Optional[_Union[BusinessPlan, _Mapping]] = ...) -> None: ...

class ListBusinessPlansRequest(_message.Message):
    __slots__ = ("organisation_id", "page_size", "page_token")
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    organisation_id: str
    page_size: int
    page_token: str
    def __init__(self, organisation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBusinessPlansResponse(_message.Message):
    __slots__ = ("business_plans", "next_page_token")
    BUSINESS_PLANS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    business_plans: _containers.RepeatedCompositeFieldContainer[BusinessPlan]
    next_page_token: str
    def __init__(self, business_plans: _Optional[_Iterable[_Union[BusinessPlan, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateBusinessPlanRequest(_message.Message):
    __slots__ = ("business_plan", "base_revision")
    BUSINESS_PLAN_FIELD_NUMBER: _ClassVar[int]
    BASE_REVISION_FIELD_NUMBER: _ClassVar[int]
    business_plan: BusinessPlan
    base_revision: int
    def __init__(self, business_plan: _Optional[_Union[BusinessPlan, _Mapping]] = ..., base_revision: _Optional[int] = ...) -> None: ...

class UpdateBusinessPlanResponse(_message.Message):
    __slots__ = ("business_plan",)
    BUSINESS_PLAN_FIELD_NUMBER: _ClassVar[int]
    business_plan: BusinessPlan
    def __init__(self, business_plan: _Optional[_Union[BusinessPlan, _Mapping]] = ...) -> None: ...

class ListBusinessPlanRevisionsRequest(_message.Message):
    __slots__ = ("id", "page_size", "page_token")
    ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    id: str
    page_size: int
    page_token: str
    def __init__(self, id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBusinessPlanRevisionsResponse(_message.Message):
    __slots__ = ("business_plans", "next_page_token")
    BUSINESS_PLANS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    business_plans: _containers.RepeatedCompositeFieldContainer[BusinessPlan]
    next_page_token: str
    def __init__(self, business_plans: _Optional[_Iterable[_Union[BusinessPlan, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ExportBusinessPlanRequest(_message.Message):
    __slots__ = ("id", "revision")
    ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    id: str
    revision: int
    def __init__(self, id: _Optional[str] = ..., revision: _Optional[int] = ...) -> None: ...

class ExportBusinessPlanResponse(_message.Message):
    __slots__ = ("file_name", "media_type", "content")
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    file_name: str
    media_type: str
    content: bytes
    def __init__(self, file_name: _Optional[str] = ..., media_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...
