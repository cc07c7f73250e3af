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

class KnowledgeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KNOWLEDGE_KIND_UNSPECIFIED: _ClassVar[KnowledgeKind]
    KNOWLEDGE_KIND_METHOD: _ClassVar[KnowledgeKind]
    KNOWLEDGE_KIND_CASE_STUDY: _ClassVar[KnowledgeKind]
    KNOWLEDGE_KIND_LESSON_LEARNT: _ClassVar[KnowledgeKind]
    KNOWLEDGE_KIND_TOOL: _ClassVar[KnowledgeKind]

class KnowledgeItemState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KNOWLEDGE_ITEM_STATE_UNSPECIFIED: _ClassVar[KnowledgeItemState]
    KNOWLEDGE_ITEM_STATE_DRAFT: _ClassVar[KnowledgeItemState]
    KNOWLEDGE_ITEM_STATE_PUBLISHED: _ClassVar[KnowledgeItemState]
    KNOWLEDGE_ITEM_STATE_WITHDRAWN: _ClassVar[KnowledgeItemState]
KNOWLEDGE_KIND_UNSPECIFIED: KnowledgeKind
KNOWLEDGE_KIND_METHOD: KnowledgeKind
KNOWLEDGE_KIND_CASE_STUDY: KnowledgeKind
KNOWLEDGE_KIND_LESSON_LEARNT: KnowledgeKind
KNOWLEDGE_KIND_TOOL: KnowledgeKind
KNOWLEDGE_ITEM_STATE_UNSPECIFIED: KnowledgeItemState
KNOWLEDGE_ITEM_STATE_DRAFT: KnowledgeItemState
KNOWLEDGE_ITEM_STATE_PUBLISHED: KnowledgeItemState
KNOWLEDGE_ITEM_STATE_WITHDRAWN: KnowledgeItemState

class KnowledgeItem(_message.Message):
    __slots__ = ("id", "region", "kind", "title", "summary", "body", "languages", "tags", "nace_codes", "state", "owner", "create_time", "update_time", "publish_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    NACE_CODES_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    region: str
    kind: KnowledgeKind
    title: str
    summary: str
    body: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    tags: _containers.RepeatedScalarFieldContainer[str]
    nace_codes: _containers.RepeatedScalarFieldContainer[str]
    state: KnowledgeItemState
    owner: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    publish_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., region: _Optional[str] = ..., kind: _Optional[_Union[KnowledgeKind, str]] = ..., title: _Optional[str] = ..., summary: _Optional[str] = ..., body: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., tags: _Optional[_Iterable[str]] = ..., nace_codes: _Optional[_Iterable[str]] = ..., state: _Optional[_Union[KnowledgeItemState, str]] = ..., owner: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PublicKnowledgeItem(_message.Message):
    __slots__ = ("item_id", "origin_region", "kind", "title", "summary", "body", "languages", "tags", "nace_divisions", "publish_time")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_REGION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    NACE_DIVISIONS_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    origin_region: str
    kind: KnowledgeKind
    title: str
    summary: str
    body: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    tags: _containers.RepeatedScalarFieldContainer[str]
    nace_divisions: _containers.RepeatedScalarFieldContainer[str]
    publish_time: _timestamp_pb2.Timestamp
    def __init__(self, item_id: _Optional[str] = ..., origin_region: _Optional[str] = ..., kind: _Optional[_Union[KnowledgeKind, str]] = ..., title: _Optional[str] = ..., summary: _Optional[str] = ..., body: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., tags: _Optional[_Iterable[str]] = ..., nace_divisions: _Optional[_Iterable[str]] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateKnowledgeItemRequest(_message.Message):
    __slots__ = ("knowledge_item", "request_id")
    KNOWLEDGE_ITEM_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    knowledge_item: KnowledgeItem
    request_id: str
    def __init__(self, knowledge_item: _Optional[_Union[KnowledgeItem, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateKnowledgeItemResponse(_message.Message):
    __slots__ = ("knowledge_item",)
    KNOWLEDGE_ITEM_FIELD_NUMBER: _ClassVar[int]
    knowledge_item: KnowledgeItem
    def __init__(self, knowledge_item: _Optional[_Union[KnowledgeItem, _Mapping]] = ...) -> None: ...

class GetKnowledgeItemRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetKnowledgeItemResponse(_message.Message):
    __slots__ = ("knowledge_item",)
    KNOWLEDGE_ITEM_FIELD_NUMBER: _ClassVar[int]
    knowledge_item: KnowledgeItem
    def __init__(self, knowledge_item: _Optional[_Union[KnowledgeItem, _Mapping]] = ...) -> None: ...

class ListKnowledgeItemsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "states")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    states: _containers.RepeatedScalarFieldContainer[KnowledgeItemState]
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., states: _Optional[_Iterable[_Union[KnowledgeItemState, str]]] = ...) -> None: ...

class ListKnowledgeItemsResponse(_message.Message):
    __slots__ = ("knowledge_items", "next_page_token")
    KNOWLEDGE_ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    knowledge_items: _containers.RepeatedCompositeFieldContainer[KnowledgeItem]
    next_page_token: str
    def __init__(self, knowledge_items: _Optional[_Iterable[_Union[KnowledgeItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PublishKnowledgeItemRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class PublishKnowledgeItemResponse(_message.Message):
    __slots__ = ("knowledge_item",)
    KNOWLEDGE_ITEM_FIELD_NUMBER: _ClassVar[int]
    knowledge_item: KnowledgeItem
    def __init__(self, knowledge_item: _Optional[_Union[KnowledgeItem, _Mapping]] = ...) -> None: ...

class WithdrawKnowledgeItemRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class WithdrawKnowledgeItemResponse(_message.Message):
    __slots__ = ("knowledge_item",)
    KNOWLEDGE_ITEM_FIELD_NUMBER: _ClassVar[int]
    knowledge_item: KnowledgeItem
    def __init__(self, knowledge_item: _Optional[_Union[KnowledgeItem, _Mapping]] = ...) -> None: ...
