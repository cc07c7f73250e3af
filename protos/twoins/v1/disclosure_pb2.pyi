from twoins.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExchangeContactsRequest(_message.Message):
    __slots__ = ("referral_id", "contact")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    contact: _common_pb2.Contact
    def __init__(self, referral_id: _Optional[str] = ..., contact: _Optional[_Union[_common_pb2.Contact, _Mapping]] = ...) -> None: ...

class ExchangeContactsResponse(_message.Message):
    __slots__ = ("contact", "organisation_name")
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_NAME_FIELD_NUMBER: _ClassVar[int]
    contact: _common_pb2.Contact
    organisation_name: str
    def __init__(self, contact: _Optional[_Union[_common_pb2.Contact, _Mapping]] = ..., organisation_name: _Optional[str] = ...) -> None: ...

class EraseDisclosureRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class EraseDisclosureResponse(_message.Message):
    __slots__ = ("erased",)
    ERASED_FIELD_NUMBER: _ClassVar[int]
    erased: bool
    def __init__(self, erased: _Optional[bool] = ...) -> None: ...
