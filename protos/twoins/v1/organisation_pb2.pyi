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

class SizeClass(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SIZE_CLASS_UNSPECIFIED: _ClassVar[SizeClass]
    SIZE_CLASS_MICRO: _ClassVar[SizeClass]
    SIZE_CLASS_SMALL: _ClassVar[SizeClass]
    SIZE_CLASS_MEDIUM: _ClassVar[SizeClass]
    SIZE_CLASS_LARGE: _ClassVar[SizeClass]

class ExportStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPORT_STATUS_UNSPECIFIED: _ClassVar[ExportStatus]
    EXPORT_STATUS_NONE: _ClassVar[ExportStatus]
    EXPORT_STATUS_OCCASIONAL: _ClassVar[ExportStatus]
    EXPORT_STATUS_REGULAR: _ClassVar[ExportStatus]

class ConsentPurpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_PURPOSE_UNSPECIFIED: _ClassVar[ConsentPurpose]
    CONSENT_PURPOSE_NETWORK_SHARING: _ClassVar[ConsentPurpose]
    CONSENT_PURPOSE_REFERRAL_DISCLOSURE: _ClassVar[ConsentPurpose]
    CONSENT_PURPOSE_PROGRAMME_CONTACT: _ClassVar[ConsentPurpose]

class ExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPORT_FORMAT_UNSPECIFIED: _ClassVar[ExportFormat]
    EXPORT_FORMAT_JSON: _ClassVar[ExportFormat]
    EXPORT_FORMAT_PDF: _ClassVar[ExportFormat]

class ErasureKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ERASURE_KIND_UNSPECIFIED: _ClassVar[ErasureKind]
    ERASURE_KIND_REQUEST: _ClassVar[ErasureKind]
    ERASURE_KIND_RETENTION: _ClassVar[ErasureKind]
    ERASURE_KIND_PEER: _ClassVar[ErasureKind]
SIZE_CLASS_UNSPECIFIED: SizeClass
SIZE_CLASS_MICRO: SizeClass
SIZE_CLASS_SMALL: SizeClass
SIZE_CLASS_MEDIUM: SizeClass
SIZE_CLASS_LARGE: SizeClass
EXPORT_STATUS_UNSPECIFIED: ExportStatus
EXPORT_STATUS_NONE: ExportStatus
EXPORT_STATUS_OCCASIONAL: ExportStatus
EXPORT_STATUS_REGULAR: ExportStatus
CONSENT_PURPOSE_UNSPECIFIED: ConsentPurpose
CONSENT_PURPOSE_NETWORK_SHARING: ConsentPurpose
CONSENT_PURPOSE_REFERRAL_DISCLOSURE: ConsentPurpose
CONSENT_PURPOSE_PROGRAMME_CONTACT: ConsentPurpose
EXPORT_FORMAT_UNSPECIFIED: ExportFormat
EXPORT_FORMAT_JSON: ExportFormat
EXPORT_FORMAT_PDF: ExportFormat
ERASURE_KIND_UNSPECIFIED: ErasureKind
ERASURE_KIND_REQUEST: ErasureKind
ERASURE_KIND_RETENTION: ErasureKind
ERASURE_KIND_PEER: ErasureKind

class Consent(_message.Message):
    __slots__ = ("purpose", "granted", "record_time")
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    RECORD_TIME_FIELD_NUMBER: _ClassVar[int]
    purpose: ConsentPurpose
    granted: bool
    record_time: _timestamp_pb2.Timestamp
    def __init__(self, purpose: _Optional[_Union[ConsentPurpose, str]] = ..., granted: _Optional[bool] = ..., record_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Organisation(_message.Message):
    __slots__ = ("id", "region", "legal_name", "trading_names", "vat_id", "nace_code", "employees", "turnover_eur", "year_founded", "export_status", "address", "website", "contacts", "languages", "consents", "size_class", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_NAME_FIELD_NUMBER: _ClassVar[int]
    TRADING_NAMES_FIELD_NUMBER: _ClassVar[int]
    VAT_ID_FIELD_NUMBER: _ClassVar[int]
    NACE_CODE_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEES_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_EUR_FIELD_NUMBER: _ClassVar[int]
    YEAR_FOUNDED_FIELD_NUMBER: _ClassVar[int]
    EXPORT_STATUS_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WEBSITE_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    SIZE_CLASS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    region: str
    legal_name: str
    trading_names: _containers.RepeatedScalarFieldContainer[str]
    vat_id: str
    nace_code: str
    employees: int
    turnover_eur: int
    year_founded: int
    export_status: ExportStatus
    address: _common_pb2.Address
    website: str
    contacts: _containers.RepeatedCompositeFieldContainer[_common_pb2.Contact]
    languages: _containers.RepeatedScalarFieldContainer[str]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    size_class: SizeClass
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., region: _Optional[str] = ..., legal_name: _Optional[str] = ..., trading_names: _Optional[_Iterable[str]] = ..., vat_id: _Optional[str] = ..., nace_code: _Optional[str] = ..., employees: _Optional[int] = ..., turnover_eur: _Optional[int] = ..., year_founded: _Optional[int] = ..., export_status: _Optional[_Union[ExportStatus, str]] = ..., address: _Optional[_Union[_common_pb2.Address, _Mapping]] = ..., website: _Optional[str] = ..., contacts: _Optional[_Iterable[_Union[_common_pb2.Contact, _Mapping]]] = ..., languages: _Optional[_Iterable[str]] = ..., consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ..., size_class: _Optional[_Union[SizeClass, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateOrganisationRequest(_message.Message):
    __slots__ = ("organisation", "request_id")
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    organisation: Organisation
    request_id: str
    def __init__(self, organisation: _Optional[_Union[Organisation, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateOrganisationResponse(_message.Message):
    __slots__ = ("organisation",)
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    organisation: Organisation
    def __init__(self, organisation: _Optional[_Union[Organisation, _Mapping]] = ...) -> None: ...

class GetOrganisationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetOrganisationResponse(_message.Message):
    __slots__ = ("organisation",)
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    organisation: Organisation
    def __init__(self, organisation: _Optional[_Union[Organisation, _Mapping]] = ...) -> None: ...

class ListOrganisationsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "query")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    query: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., query: _Optional[str] = ...) -> None: ...

class ListOrganisationsResponse(_message.Message):
    __slots__ = ("organisations", "next_page_token")
    ORGANISATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    organisations: _containers.RepeatedCompositeFieldContainer[Organisation]
    next_page_token: str
    def __init__(self, organisations: _Optional[_Iterable[_Union[Organisation, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateOrganisationRequest(_message.Message):
    __slots__ = ("organisation", "update_mask")
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    organisation: Organisation
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, organisation: _Optional[_Union[Organisation, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateOrganisationResponse(_message.Message):
    __slots__ = ("organisation",)
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    organisation: Organisation
    def __init__(self, organisation: _Optional[_Union[Organisation, _Mapping]] = ...) -> None: ...

class DeleteOrganisationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteOrganisationResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExportOrganisationDataRequest(_message.Message):
    __slots__ = ("id", "format")
    ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    id: str
    format: ExportFormat
    def __init__(self, id: _Optional[str] = ..., format: _Optional[_Union[ExportFormat, str]] = ...) -> None: ...

class ExportOrganisationDataResponse(_message.Message):
    __slots__ = ("file_name", "media_type", "content")
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    file_name: str
    media_type: str
    content: bytes
    def __init__(self, file_name: _Optional[str] = ..., media_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class EraseOrganisationRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class EraseOrganisationResponse(_message.Message):
    __slots__ = ("erasure",)
    ERASURE_FIELD_NUMBER: _ClassVar[int]
    erasure: Erasure
    def __init__(self, erasure: _Optional[_Union[Erasure, _Mapping]] = ...) -> None: ...

class Erasure(_message.Message):
    __slots__ = ("id", "kind", "organisation_id", "reason", "requested_by", "erase_time", "erased", "withdrawn_need_ids", "peers", "complete")
    class ErasedEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    ERASE_TIME_FIELD_NUMBER: _ClassVar[int]
    ERASED_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_NEED_IDS_FIELD_NUMBER: _ClassVar[int]
    PEERS_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: ErasureKind
    organisation_id: str
    reason: str
    requested_by: str
    erase_time: _timestamp_pb2.Timestamp
    erased: _containers.ScalarMap[str, int]
    withdrawn_need_ids: _containers.RepeatedScalarFieldContainer[str]
    peers: _containers.RepeatedCompositeFieldContainer[PeerErasure]
    complete: bool
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[ErasureKind, str]] = ..., organisation_id: _Optional[str] = ..., reason: _Optional[str] = ..., requested_by: _Optional[str] = ..., erase_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., erased: _Optional[_Mapping[str, int]] = ..., withdrawn_need_ids: _Optional[_Iterable[str]] = ..., peers: _Optional[_Iterable[_Union[PeerErasure, _Mapping]]] = ..., complete: _Optional[bool] = ...) -> None: ...

class PeerErasure(_message.Message):
    __slots__ = ("region", "referral_id", "confirmed", "confirm_time", "attempts", "last_error")
    REGION_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_TIME_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    region: str
    referral_id: str
    confirmed: bool
    confirm_time: _timestamp_pb2.Timestamp
    attempts: int
    last_error: str
    def __init__(self, region: _Optional[str] = ..., referral_id: _Optional[str] = ..., confirmed: _Optional[bool] = ..., confirm_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attempts: _Optional[int] = ..., last_error: _Optional[str] = ...) -> None: ...

class ListErasuresRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListErasuresResponse(_message.Message):
    __slots__ = ("erasures", "next_page_token")
    ERASURES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    erasures: _containers.RepeatedCompositeFieldContainer[Erasure]
    next_page_token: str
    def __init__(self, erasures: _Optional[_Iterable[_Union[Erasure, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
