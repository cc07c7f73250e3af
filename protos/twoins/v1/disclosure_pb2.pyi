from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import field_info_pb2 as _field_info_pb2
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

class SignedAuditHead(_message.Message):
    __slots__ = ("region", "sequence", "entry_hash", "key_id", "signature")
    REGION_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_HASH_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    region: str
    sequence: int
    entry_hash: str
    key_id: str
    signature: bytes
    def __init__(self, region: _Optional[str] = ..., sequence: _Optional[int] = ..., entry_hash: _Optional[str] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ...) -> None: ...

class AuditHeadCountersignature(_message.Message):
    __slots__ = ("region", "key_id", "signature")
    REGION_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    region: str
    key_id: str
    signature: bytes
    def __init__(self, region: _Optional[str] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ...) -> None: ...

class ExchangeAuditHeadsRequest(_message.Message):
    __slots__ = ("head",)
    HEAD_FIELD_NUMBER: _ClassVar[int]
    head: SignedAuditHead
    def __init__(self, head: _Optional[_Union[SignedAuditHead, _Mapping]] = ...) -> None: ...

class ExchangeAuditHeadsResponse(_message.Message):
    __slots__ = ("countersignature", "head")
    COUNTERSIGNATURE_FIELD_NUMBER: _ClassVar[int]
    HEAD_FIELD_NUMBER: _ClassVar[int]
    countersignature: AuditHeadCountersignature
    head: SignedAuditHead
    def __init__(self, countersignature: _Optional[_Union[AuditHeadCountersignature, _Mapping]] = ..., head: _Optional[_Union[SignedAuditHead, _Mapping]] = ...) -> None: ...
