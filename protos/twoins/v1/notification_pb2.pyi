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

class NotificationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NOTIFICATION_KIND_UNSPECIFIED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_RECEIVED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_REMINDER: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_ESCALATED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_ACCEPTED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_DECLINED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_CONSENT_RECORDED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_CONTACTS_DISCLOSED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_OUTCOME_RECORDED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_NEED_RETURNED: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_SAVED_SEARCH_MATCH: _ClassVar[NotificationKind]
    NOTIFICATION_KIND_REFERRAL_CHANGED: _ClassVar[NotificationKind]

class AlertFrequency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALERT_FREQUENCY_UNSPECIFIED: _ClassVar[AlertFrequency]
    ALERT_FREQUENCY_IMMEDIATE: _ClassVar[AlertFrequency]
    ALERT_FREQUENCY_DAILY: _ClassVar[AlertFrequency]

class MailState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MAIL_STATE_UNSPECIFIED: _ClassVar[MailState]
    MAIL_STATE_QUEUED: _ClassVar[MailState]
    MAIL_STATE_RETRYING: _ClassVar[MailState]
    MAIL_STATE_SENT: _ClassVar[MailState]
    MAIL_STATE_FAILED: _ClassVar[MailState]

class SavedSearchTarget(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SAVED_SEARCH_TARGET_UNSPECIFIED: _ClassVar[SavedSearchTarget]
    SAVED_SEARCH_TARGET_NEEDS: _ClassVar[SavedSearchTarget]
    SAVED_SEARCH_TARGET_EXPERT_OFFERS: _ClassVar[SavedSearchTarget]
NOTIFICATION_KIND_UNSPECIFIED: NotificationKind
NOTIFICATION_KIND_REFERRAL_RECEIVED: NotificationKind
NOTIFICATION_KIND_REFERRAL_REMINDER: NotificationKind
NOTIFICATION_KIND_REFERRAL_ESCALATED: NotificationKind
NOTIFICATION_KIND_REFERRAL_ACCEPTED: NotificationKind
NOTIFICATION_KIND_REFERRAL_DECLINED: NotificationKind
NOTIFICATION_KIND_REFERRAL_CONSENT_RECORDED: NotificationKind
NOTIFICATION_KIND_REFERRAL_CONTACTS_DISCLOSED: NotificationKind
NOTIFICATION_KIND_REFERRAL_OUTCOME_RECORDED: NotificationKind
NOTIFICATION_KIND_NEED_RETURNED: NotificationKind
NOTIFICATION_KIND_SAVED_SEARCH_MATCH: NotificationKind
NOTIFICATION_KIND_REFERRAL_CHANGED: NotificationKind
ALERT_FREQUENCY_UNSPECIFIED: AlertFrequency
ALERT_FREQUENCY_IMMEDIATE: AlertFrequency
ALERT_FREQUENCY_DAILY: AlertFrequency
MAIL_STATE_UNSPECIFIED: MailState
MAIL_STATE_QUEUED: MailState
MAIL_STATE_RETRYING: MailState
MAIL_STATE_SENT: MailState
MAIL_STATE_FAILED: MailState
SAVED_SEARCH_TARGET_UNSPECIFIED: SavedSearchTarget
SAVED_SEARCH_TARGET_NEEDS: SavedSearchTarget
SAVED_SEARCH_TARGET_EXPERT_OFFERS: SavedSearchTarget

class NotificationSettings(_message.Message):
    __slots__ = ("email", "enabled", "muted_kinds", "language", "alert_frequency", "update_time")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    MUTED_KINDS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    ALERT_FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    email: str
    enabled: bool
    muted_kinds: _containers.RepeatedScalarFieldContainer[NotificationKind]
    language: str
    alert_frequency: AlertFrequency
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, email: _Optional[str] = ..., enabled: _Optional[bool] = ..., muted_kinds: _Optional[_Iterable[_Union[NotificationKind, str]]] = ..., language: _Optional[str] = ..., alert_frequency: _Optional[_Union[AlertFrequency, str]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SavedSearch(_message.Message):
    __slots__ = ("id", "target", "query", "nace_division", "country", "language", "frequency", "create_time", "match_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    NACE_DIVISION_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    MATCH_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    target: SavedSearchTarget
    query: str
    nace_division: str
    country: str
    language: str
    frequency: AlertFrequency
    create_time: _timestamp_pb2.Timestamp
    match_count: int
    def __init__(self, id: _Optional[str] = ..., target: _Optional[_Union[SavedSearchTarget, str]] = ..., query: _Optional[str] = ..., nace_division: _Optional[str] = ..., country: _Optional[str] = ..., language: _Optional[str] = ..., frequency: _Optional[_Union[AlertFrequency, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., match_count: _Optional[int] = ...) -> None: ...

class Mail(_message.Message):
    __slots__ = ("id", "kind", "recipient", "language", "subject", "state", "attempts", "last_error", "create_time", "next_attempt_time", "sent_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    SENT_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: NotificationKind
    recipient: str
    language: str
    subject: str
    state: MailState
    attempts: int
    last_error: str
    create_time: _timestamp_pb2.Timestamp
    next_attempt_time: _timestamp_pb2.Timestamp
    sent_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[NotificationKind, str]] = ..., recipient: _Optional[str] = ..., language: _Optional[str] = ..., subject: _Optional[str] = ..., state: _Optional[_Union[MailState, str]] = ..., attempts: _Optional[int] = ..., last_error: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., next_attempt_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sent_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetNotificationSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetNotificationSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: NotificationSettings
    def __init__(self, settings: _Optional[_Union[NotificationSettings, _Mapping]] = ...) -> None: ...

class UpdateNotificationSettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: NotificationSettings
    def __init__(self, settings: _Optional[_Union[NotificationSettings, _Mapping]] = ...) -> None: ...

class UpdateNotificationSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: NotificationSettings
    def __init__(self, settings: _Optional[_Union[NotificationSettings, _Mapping]] = ...) -> None: ...

class CreateSavedSearchRequest(_message.Message):
    __slots__ = ("saved_search",)
    SAVED_SEARCH_FIELD_NUMBER: _ClassVar[int]
    saved_search: SavedSearch
    def __init__(self, saved_search: _Optional[_Union[SavedSearch, _Mapping]] = ...) -> None: ...

class CreateSavedSearchResponse(_message.Message):
    __slots__ = ("saved_search",)
    SAVED_SEARCH_FIELD_NUMBER: _ClassVar[int]
    saved_search: SavedSearch
    def __init__(self, saved_search: _Optional[_Union[SavedSearch, _Mapping]] = ...) -> None: ...

class ListSavedSearchesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSavedSearchesResponse(_message.Message):
    __slots__ = ("saved_searches",)
    SAVED_SEARCHES_FIELD_NUMBER: _ClassVar[int]
    saved_searches: _containers.RepeatedCompositeFieldContainer[SavedSearch]
    def __init__(self, saved_searches: _Optional[_Iterable[_Union[SavedSearch, _Mapping]]] = ...) -> None: ...

class DeleteSavedSearchRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteSavedSearchResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListMailsRequest(_message.Message):
    __slots__ = ("state", "page_size", "page_token")
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    state: MailState
    page_size: int
    page_token: str
    def __init__(self, state: _Optional[_Union[MailState, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMailsResponse(_message.Message):
    __slots__ = ("mails", "next_page_token", "counts")
    class CountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    MAILS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    mails: _containers.RepeatedCompositeFieldContainer[Mail]
    next_page_token: str
    counts: _containers.ScalarMap[str, int]
    def __init__(self, mails: _Optional[_Iterable[_Union[Mail, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., counts: _Optional[_Mapping[str, int]] = ...) -> None: ...

class UnsubscribeRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class UnsubscribeResponse(_message.Message):
    __slots__ = ("turned_off", "email")
    TURNED_OFF_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    turned_off: str
    email: str
    def __init__(self, turned_off: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...
