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

class ReferralState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_STATE_UNSPECIFIED: _ClassVar[ReferralState]
    REFERRAL_STATE_PROPOSED: _ClassVar[ReferralState]
    REFERRAL_STATE_ACCEPTED: _ClassVar[ReferralState]
    REFERRAL_STATE_DECLINED: _ClassVar[ReferralState]
    REFERRAL_STATE_CONSENT_GIVEN: _ClassVar[ReferralState]
    REFERRAL_STATE_DISCLOSED: _ClassVar[ReferralState]
    REFERRAL_STATE_ENGAGED: _ClassVar[ReferralState]
    REFERRAL_STATE_COMPLETED: _ClassVar[ReferralState]
    REFERRAL_STATE_WITHDRAWN: _ClassVar[ReferralState]
    REFERRAL_STATE_EXPIRED: _ClassVar[ReferralState]

class ReferralSide(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_SIDE_UNSPECIFIED: _ClassVar[ReferralSide]
    REFERRAL_SIDE_NEED: _ClassVar[ReferralSide]
    REFERRAL_SIDE_OFFER: _ClassVar[ReferralSide]

class ReferralOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_OUTCOME_UNSPECIFIED: _ClassVar[ReferralOutcome]
    REFERRAL_OUTCOME_AGREEMENT_SIGNED: _ClassVar[ReferralOutcome]
    REFERRAL_OUTCOME_PARTNERSHIP_FORMED: _ClassVar[ReferralOutcome]
    REFERRAL_OUTCOME_FUNDING_OBTAINED: _ClassVar[ReferralOutcome]
    REFERRAL_OUTCOME_NO_RESULT: _ClassVar[ReferralOutcome]
REFERRAL_STATE_UNSPECIFIED: ReferralState
REFERRAL_STATE_PROPOSED: ReferralState
REFERRAL_STATE_ACCEPTED: ReferralState
REFERRAL_STATE_DECLINED: ReferralState
REFERRAL_STATE_CONSENT_GIVEN: ReferralState
REFERRAL_STATE_DISCLOSED: ReferralState
REFERRAL_STATE_ENGAGED: ReferralState
REFERRAL_STATE_COMPLETED: ReferralState
REFERRAL_STATE_WITHDRAWN: ReferralState
REFERRAL_STATE_EXPIRED: ReferralState
REFERRAL_SIDE_UNSPECIFIED: ReferralSide
REFERRAL_SIDE_NEED: ReferralSide
REFERRAL_SIDE_OFFER: ReferralSide
REFERRAL_OUTCOME_UNSPECIFIED: ReferralOutcome
REFERRAL_OUTCOME_AGREEMENT_SIGNED: ReferralOutcome
REFERRAL_OUTCOME_PARTNERSHIP_FORMED: ReferralOutcome
REFERRAL_OUTCOME_FUNDING_OBTAINED: ReferralOutcome
REFERRAL_OUTCOME_NO_RESULT: ReferralOutcome

class Referral(_message.Message):
    __slots__ = ("id", "need_id", "offer_id", "need_region", "offer_region", "initiator", "state", "version", "answer_due_time", "overdue", "outcome", "hours_delivered", "first_answer_time", "create_time", "update_time", "own_side", "reminded_time", "escalated_time", "support_delivered", "need_title", "offer_title")
    ID_FIELD_NUMBER: _ClassVar[int]
    NEED_ID_FIELD_NUMBER: _ClassVar[int]
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    NEED_REGION_FIELD_NUMBER: _ClassVar[int]
    OFFER_REGION_FIELD_NUMBER: _ClassVar[int]
    INITIATOR_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ANSWER_DUE_TIME_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    HOURS_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    FIRST_ANSWER_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    OWN_SIDE_FIELD_NUMBER: _ClassVar[int]
    REMINDED_TIME_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_TIME_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    NEED_TITLE_FIELD_NUMBER: _ClassVar[int]
    OFFER_TITLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    need_id: str
    offer_id: str
    need_region: str
    offer_region: str
    initiator: ReferralSide
    state: ReferralState
    version: int
    answer_due_time: _timestamp_pb2.Timestamp
    overdue: bool
    outcome: ReferralOutcome
    hours_delivered: int
    first_answer_time: _timestamp_pb2.Timestamp
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    own_side: ReferralSide
    reminded_time: _timestamp_pb2.Timestamp
    escalated_time: _timestamp_pb2.Timestamp
    support_delivered: _common_pb2.ServiceType
    need_title: str
    offer_title: str
    def __init__(self, id: _Optional[str] = ..., need_id: _Optional[str] = ..., offer_id: _Optional[str] = ..., need_region: _Optional[str] = ..., offer_region: _Optional[str] = ..., initiator: _Optional[_Union[ReferralSide, str]] = ..., state: _Optional[_Union[ReferralState, str]] = ..., version: _Optional[int] = ..., answer_due_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ..., outcome: _Optional[_Union[ReferralOutcome, str]] = ..., hours_delivered: _Optional[int] = ..., first_answer_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., own_side: _Optional[_Union[ReferralSide, str]] = ..., reminded_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., escalated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., support_delivered: _Optional[_Union[_common_pb2.ServiceType, str]] = ..., need_title: _Optional[str] = ..., offer_title: _Optional[str] = ...) -> None: ...

class CreateReferralRequest(_message.Message):
    __slots__ = ("referral", "request_id")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    request_id: str
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class GetReferralRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class ListReferralsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "states", "escalated_only")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_ONLY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    states: _containers.RepeatedScalarFieldContainer[ReferralState]
    escalated_only: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., states: _Optional[_Iterable[_Union[ReferralState, str]]] = ..., escalated_only: _Optional[bool] = ...) -> None: ...

class ListReferralsResponse(_message.Message):
    __slots__ = ("referrals", "next_page_token")
    REFERRALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    referrals: _containers.RepeatedCompositeFieldContainer[Referral]
    next_page_token: str
    def __init__(self, referrals: _Optional[_Iterable[_Union[Referral, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AcceptReferralRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class AcceptReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class DeclineReferralRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeclineReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class RecordReferralConsentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RecordReferralConsentResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class EngageReferralRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class EngageReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class CompleteReferralRequest(_message.Message):
    __slots__ = ("id", "outcome", "hours_delivered", "support_delivered")
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    HOURS_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    id: str
    outcome: ReferralOutcome
    hours_delivered: int
    support_delivered: _common_pb2.ServiceType
    def __init__(self, id: _Optional[str] = ..., outcome: _Optional[_Union[ReferralOutcome, str]] = ..., hours_delivered: _Optional[int] = ..., support_delivered: _Optional[_Union[_common_pb2.ServiceType, str]] = ...) -> None: ...

class CompleteReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class WithdrawReferralRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class WithdrawReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class GetDisclosedContactRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetDisclosedContactResponse(_message.Message):
    __slots__ = ("contact", "organisation_name")
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_NAME_FIELD_NUMBER: _ClassVar[int]
    contact: _common_pb2.Contact
    organisation_name: str
    def __init__(self, contact: _Optional[_Union[_common_pb2.Contact, _Mapping]] = ..., organisation_name: _Optional[str] = ...) -> None: ...

class WithdrawReferralConsentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class WithdrawReferralConsentResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class GetReferralKpisRequest(_message.Message):
    __slots__ = ("network_share",)
    NETWORK_SHARE_FIELD_NUMBER: _ClassVar[int]
    network_share: bool
    def __init__(self, network_share: _Optional[bool] = ...) -> None: ...

class GetReferralKpisResponse(_message.Message):
    __slots__ = ("by_state", "answered", "accepted", "acceptance_rate", "mean_hours_to_first_answer", "completed_by_outcome", "hours_delivered", "overdue")
    class ByStateEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class CompletedByOutcomeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    BY_STATE_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_RATE_FIELD_NUMBER: _ClassVar[int]
    MEAN_HOURS_TO_FIRST_ANSWER_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_BY_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    HOURS_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    by_state: _containers.ScalarMap[str, int]
    answered: int
    accepted: int
    acceptance_rate: float
    mean_hours_to_first_answer: float
    completed_by_outcome: _containers.ScalarMap[str, int]
    hours_delivered: int
    overdue: int
    def __init__(self, by_state: _Optional[_Mapping[str, int]] = ..., answered: _Optional[int] = ..., accepted: _Optional[int] = ..., acceptance_rate: _Optional[float] = ..., mean_hours_to_first_answer: _Optional[float] = ..., completed_by_outcome: _Optional[_Mapping[str, int]] = ..., hours_delivered: _Optional[int] = ..., overdue: _Optional[int] = ...) -> None: ...
