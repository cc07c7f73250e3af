from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVICE_TYPE_UNSPECIFIED: _ClassVar[ServiceType]
    SERVICE_TYPE_CONSULTING: _ClassVar[ServiceType]
    SERVICE_TYPE_CAPACITY_BUILDING: _ClassVar[ServiceType]
    SERVICE_TYPE_MATCHMAKING: _ClassVar[ServiceType]
    SERVICE_TYPE_TECHNOLOGY_TRANSFER: _ClassVar[ServiceType]
    SERVICE_TYPE_MARKET_STUDY: _ClassVar[ServiceType]
    SERVICE_TYPE_FINANCING_ADVICE: _ClassVar[ServiceType]
    SERVICE_TYPE_LEGAL_ADVICE: _ClassVar[ServiceType]
SERVICE_TYPE_UNSPECIFIED: ServiceType
SERVICE_TYPE_CONSULTING: ServiceType
SERVICE_TYPE_CAPACITY_BUILDING: ServiceType
SERVICE_TYPE_MATCHMAKING: ServiceType
SERVICE_TYPE_TECHNOLOGY_TRANSFER: ServiceType
SERVICE_TYPE_MARKET_STUDY: ServiceType
SERVICE_TYPE_FINANCING_ADVICE: ServiceType
SERVICE_TYPE_LEGAL_ADVICE: ServiceType

class Address(_message.Message):
    __slots__ = ("street", "postcode", "locality", "country_code", "nuts2_code")
    STREET_FIELD_NUMBER: _ClassVar[int]
    POSTCODE_FIELD_NUMBER: _ClassVar[int]
    LOCALITY_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    NUTS2_CODE_FIELD_NUMBER: _ClassVar[int]
    street: str
    postcode: str
    locality: str
    country_code: str
    nuts2_code: str
    def __init__(self, street: _Optional[str] = ..., postcode: _Optional[str] = ..., locality: _Optional[str] = ..., country_code: _Optional[str] = ..., nuts2_code: _Optional[str] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ("name", "role", "email", "phone")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    name: str
    role: str
    email: str
    phone: str
    def __init__(self, name: _Optional[str] = ..., role: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class Note(_message.Message):
    __slots__ = ("code", "params")
    class ParamsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CODE_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    code: str
    params: _containers.ScalarMap[str, str]
    def __init__(self, code: _Optional[str] = ..., params: _Optional[_Mapping[str, str]] = ...) -> None: ...
