"""Conversion between protobuf messages of twoins.v1 and domain objects, in both directions."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from twoins.node.domain import assessment as assessment_domain
from twoins.node.domain import business_plan as plan_domain
from twoins.node.domain import expert_offer as offer_domain
from twoins.node.domain import knowledge as knowledge_domain
from twoins.node.domain import need as need_domain
from twoins.node.domain import notification as notification_domain
from twoins.node.domain import organisation as organisation_domain
from twoins.node.domain import referral as referral_domain
from twoins.node.domain.anonymiser.generalise import TurnoverBand
from twoins.node.domain.errors import FieldViolation, InvalidArgument
from twoins.node.domain.notes import Note
from twoins.node.domain.support import ServiceType
from twoins.v1 import (
    assessment_pb2,
    business_plan_pb2,
    common_pb2,
    expert_offer_pb2,
    knowledge_pb2,
    need_pb2,
    notification_pb2,
    organisation_pb2,
    referral_pb2,
)

EnumT = TypeVar("EnumT", bound=enum.Enum)

# Each domain enum and the prefix of its protobuf values (AIP-126: NEED_STATE_DRAFT, ...).
_PROTO_ENUMS: dict[type[enum.Enum], tuple[Any, str]] = {
    ServiceType: (common_pb2.ServiceType, "SERVICE_TYPE_"),
    organisation_domain.SizeClass: (organisation_pb2.SizeClass, "SIZE_CLASS_"),
    organisation_domain.ExportStatus: (organisation_pb2.ExportStatus, "EXPORT_STATUS_"),
    organisation_domain.ConsentPurpose: (organisation_pb2.ConsentPurpose, "CONSENT_PURPOSE_"),
    assessment_domain.ReadinessDimension: (
        assessment_pb2.ReadinessDimension,
        "READINESS_DIMENSION_",
    ),
    assessment_domain.ReadinessLevel: (assessment_pb2.ReadinessLevel, "READINESS_LEVEL_"),
    plan_domain.PlanSectionKind: (business_plan_pb2.PlanSectionKind, "PLAN_SECTION_KIND_"),
    need_domain.NeedType: (need_pb2.NeedType, "NEED_TYPE_"),
    need_domain.NeedState: (need_pb2.NeedState, "NEED_STATE_"),
    offer_domain.ExpertOfferState: (expert_offer_pb2.ExpertOfferState, "EXPERT_OFFER_STATE_"),
    referral_domain.ReferralState: (referral_pb2.ReferralState, "REFERRAL_STATE_"),
    referral_domain.Outcome: (referral_pb2.ReferralOutcome, "REFERRAL_OUTCOME_"),
    TurnoverBand: (need_pb2.TurnoverBand, "TURNOVER_BAND_"),
    knowledge_domain.KnowledgeKind: (knowledge_pb2.KnowledgeKind, "KNOWLEDGE_KIND_"),
    knowledge_domain.KnowledgeItemState: (
        knowledge_pb2.KnowledgeItemState,
        "KNOWLEDGE_ITEM_STATE_",
    ),
    notification_domain.NotificationKind: (
        notification_pb2.NotificationKind,
        "NOTIFICATION_KIND_",
    ),
    notification_domain.AlertFrequency: (notification_pb2.AlertFrequency, "ALERT_FREQUENCY_"),
    notification_domain.SearchTarget: (notification_pb2.SavedSearchTarget, "SAVED_SEARCH_TARGET_"),
    notification_domain.MailState: (notification_pb2.MailState, "MAIL_STATE_"),
}


def enum_from_proto(domain_enum: type[EnumT], value: int, field: str) -> EnumT:
    """The domain member for a protobuf enum number; InvalidArgument for a number the contract
    does not define (proto3 enums are open, so any int can arrive)."""
    proto_enum, prefix = _PROTO_ENUMS[domain_enum]
    try:
        name = proto_enum.Name(value)
    except ValueError:
        raise InvalidArgument(
            f"{field} has an unknown value {value}",
            violations=(FieldViolation(field, f"unknown enum value {value}"),),
        ) from None
    return domain_enum[name.removeprefix(prefix)]


def enum_name(domain_enum: type[enum.Enum], value: int, field: str) -> str:
    """The name under which a protobuf enum number is stored: its domain member's."""
    return enum_from_proto(domain_enum, value, field).name


def known_enum_names(domain_enum: type[enum.Enum], values: Iterable[int]) -> list[str]:
    """The names of the numbers the contract defines; a number from a newer release that
    this one does not know is left out (read, not refused)."""
    names = []
    for value in values:
        try:
            names.append(enum_name(domain_enum, value, ""))
        except InvalidArgument:
            continue
    return names


def enum_to_proto(member: enum.Enum) -> Any:
    """The protobuf enum value (typed Any: the generated stubs type each enum separately)."""
    value = _PROTO_VALUES.get(member)
    if value is None:
        proto_enum, prefix = _PROTO_ENUMS[type(member)]
        value = _PROTO_VALUES[member] = proto_enum.Value(prefix + member.name)
    return value


#: Each domain member's protobuf value, found once (every answer converts several).
_PROTO_VALUES: dict[enum.Enum, int] = {}


def enums_from_proto(
    domain_enum: type[EnumT], values: Iterable[int], field: str
) -> tuple[EnumT, ...]:
    return tuple(
        enum_from_proto(domain_enum, value, f"{field}[{index}]")
        for index, value in enumerate(values)
    )


def timestamp_from_proto(message: Message, field: str) -> datetime | None:
    """The field's time, or None when unset."""
    if not message.HasField(field):
        return None
    value: Timestamp = getattr(message, field)
    return value.ToDatetime(tzinfo=UTC)


def set_timestamp(target: Timestamp, value: datetime | None) -> None:
    """`target` set to `value`, an aware datetime (the store's are UTC), exactly to the
    microsecond; what `Timestamp.FromDatetime` does, in integer arithmetic at a third of its
    cost (every answer sets a few). A naive datetime is taken as UTC, as there."""
    if value is not None:
        since = (value if value.tzinfo is not None else value.replace(tzinfo=UTC)) - _EPOCH
        target.seconds = since.days * 86_400 + since.seconds
        target.nanos = since.microseconds * 1_000


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- organisations -----------------------------------------------------------------------------


def contact_from_proto(message: common_pb2.Contact) -> organisation_domain.Contact:
    return organisation_domain.Contact(message.name, message.role, message.email, message.phone)


def contact_to_proto(contact: organisation_domain.Contact) -> common_pb2.Contact:
    return common_pb2.Contact(
        name=contact.name, role=contact.role, email=contact.email, phone=contact.phone
    )


def organisation_from_proto(
    message: organisation_pb2.Organisation, *, id: str, region: str, now: datetime
) -> organisation_domain.Organisation:
    address = message.address
    return organisation_domain.Organisation(
        id=id,
        region=region,
        legal_name=message.legal_name,
        nace_code=message.nace_code,
        address=organisation_domain.Address(
            address.street, address.postcode, address.locality, address.country_code
        ),
        trading_names=tuple(message.trading_names),
        vat_id=message.vat_id,
        employees=message.employees,
        turnover_eur=message.turnover_eur,
        year_founded=message.year_founded,
        export_status=enum_from_proto(
            organisation_domain.ExportStatus, message.export_status, "organisation.export_status"
        ),
        website=message.website,
        contacts=tuple(contact_from_proto(contact) for contact in message.contacts),
        languages=tuple(message.languages),
        consents=tuple(
            organisation_domain.Consent(
                enum_from_proto(
                    organisation_domain.ConsentPurpose,
                    consent.purpose,
                    f"organisation.consents[{index}].purpose",
                ),
                consent.granted,
                now,
            )
            for index, consent in enumerate(message.consents)
        ),
        create_time=now,
        update_time=now,
    )


def organisation_to_proto(
    organisation: organisation_domain.Organisation,
) -> organisation_pb2.Organisation:
    address = organisation.address
    message = organisation_pb2.Organisation(
        id=organisation.id,
        region=organisation.region,
        legal_name=organisation.legal_name,
        trading_names=organisation.trading_names,
        vat_id=organisation.vat_id,
        nace_code=organisation.nace_code,
        employees=organisation.employees,
        turnover_eur=organisation.turnover_eur,
        year_founded=organisation.year_founded,
        export_status=enum_to_proto(organisation.export_status),
        address=common_pb2.Address(
            street=address.street,
            postcode=address.postcode,
            locality=address.locality,
            country_code=address.country_code,
            nuts2_code=address.nuts2_code,
        ),
        website=organisation.website,
        contacts=[contact_to_proto(contact) for contact in organisation.contacts],
        languages=organisation.languages,
        size_class=enum_to_proto(organisation.size_class),
    )
    for consent in organisation.consents:
        item = message.consents.add(purpose=enum_to_proto(consent.purpose), granted=consent.granted)
        set_timestamp(item.record_time, consent.record_time)
    set_timestamp(message.create_time, organisation.create_time)
    set_timestamp(message.update_time, organisation.update_time)
    return message


# --- assessments -------------------------------------------------------------------------------


def assessment_from_proto(
    message: assessment_pb2.Assessment, *, id: str, now: datetime
) -> assessment_domain.Assessment:
    scores = tuple(
        assessment_domain.DimensionScore(
            enum_from_proto(
                assessment_domain.ReadinessDimension,
                item.dimension,
                f"assessment.scores[{index}].dimension",
            ),
            item.score,
            item.evidence,
        )
        for index, item in enumerate(message.scores)
    )
    return assessment_domain.Assessment(id, message.organisation_id, scores, message.notes, now)


def assessment_to_proto(assessment: assessment_domain.Assessment) -> assessment_pb2.Assessment:
    message = assessment_pb2.Assessment(
        id=assessment.id,
        organisation_id=assessment.organisation_id,
        scores=[
            assessment_pb2.DimensionScore(
                dimension=enum_to_proto(item.dimension), score=item.score, evidence=item.evidence
            )
            for item in assessment.scores
        ],
        notes=assessment.notes,
        innovation_score=assessment.innovation_score,
        internationalisation_score=assessment.internationalisation_score,
        level=enum_to_proto(assessment.level),
        recommended_services=[
            enum_to_proto(service) for service in assessment.recommended_services
        ],
    )
    set_timestamp(message.create_time, assessment.create_time)
    return message


# --- business plans ----------------------------------------------------------------------------


def business_plan_from_proto(
    message: business_plan_pb2.BusinessPlan, *, id: str, now: datetime
) -> plan_domain.BusinessPlan:
    return plan_domain.BusinessPlan(
        id=id,
        organisation_id=message.organisation_id,
        title=message.title,
        revision=1,
        sections=tuple(
            plan_domain.PlanSection(
                enum_from_proto(
                    plan_domain.PlanSectionKind,
                    section.kind,
                    f"business_plan.sections[{index}].kind",
                ),
                section.content,
            )
            for index, section in enumerate(message.sections)
        ),
        financial_years=tuple(
            plan_domain.FinancialYear(
                year.year,
                year.revenue_eur,
                year.operating_costs_eur,
                year.investment_eur,
                year.export_share_percent,
            )
            for year in message.financial_years
        ),
        create_time=now,
    )


def business_plan_to_proto(plan: plan_domain.BusinessPlan) -> business_plan_pb2.BusinessPlan:
    message = business_plan_pb2.BusinessPlan(
        id=plan.id,
        organisation_id=plan.organisation_id,
        title=plan.title,
        revision=plan.revision,
        sections=[
            business_plan_pb2.PlanSection(kind=enum_to_proto(section.kind), content=section.content)
            for section in plan.sections
        ],
        financial_years=[
            business_plan_pb2.FinancialYear(
                year=year.year,
                revenue_eur=year.revenue_eur,
                operating_costs_eur=year.operating_costs_eur,
                investment_eur=year.investment_eur,
                export_share_percent=year.export_share_percent,
                operating_result_eur=year.operating_result_eur,
            )
            for year in plan.financial_years
        ],
        completeness_percent=plan.completeness_percent,
    )
    set_timestamp(message.create_time, plan.create_time)
    return message


# --- needs -------------------------------------------------------------------------------------


def need_from_proto(
    message: need_pb2.Need, *, id: str, region: str, now: datetime
) -> need_domain.Need:
    return need_domain.Need(
        id=id,
        region=region,
        organisation_id=message.organisation_id,
        type=enum_from_proto(need_domain.NeedType, message.type, "need.type"),
        title=message.title,
        description=message.description,
        nace_codes=tuple(message.nace_codes),
        target_countries=tuple(message.target_countries),
        languages=tuple(message.languages),
        keywords=tuple(message.keywords),
        expire_time=timestamp_from_proto(message, "expire_time"),
        create_time=now,
        update_time=now,
    )


def need_to_proto(need: need_domain.Need) -> need_pb2.Need:
    message = need_pb2.Need(
        id=need.id,
        region=need.region,
        organisation_id=need.organisation_id,
        type=enum_to_proto(need.type),
        title=need.title,
        description=need.description,
        nace_codes=need.nace_codes,
        target_countries=need.target_countries,
        languages=need.languages,
        keywords=need.keywords,
        state=enum_to_proto(need.state),
        state_reason=need.state_reason,
        state_note=note_to_proto(need.state_note) if need.state_note else None,
        held_back=need.held_back,
    )
    set_timestamp(message.expire_time, need.expire_time)
    set_timestamp(message.create_time, need.create_time)
    set_timestamp(message.update_time, need.update_time)
    set_timestamp(message.publish_time, need.publish_time)
    return message


# --- expert offers -----------------------------------------------------------------------------


def expert_offer_from_proto(
    message: expert_offer_pb2.ExpertOffer, *, id: str, region: str, now: datetime
) -> offer_domain.ExpertOffer:
    return offer_domain.ExpertOffer(
        id=id,
        region=region,
        title=message.title,
        description=message.description,
        expert=contact_from_proto(message.expert),
        competences=tuple(message.competences),
        nace_codes=tuple(message.nace_codes),
        countries=tuple(message.countries),
        languages=tuple(message.languages),
        service_types=enums_from_proto(
            ServiceType, message.service_types, "expert_offer.service_types"
        ),
        capacity_hours_per_month=message.capacity_hours_per_month,
        create_time=now,
        update_time=now,
    )


def expert_offer_to_proto(offer: offer_domain.ExpertOffer) -> expert_offer_pb2.ExpertOffer:
    message = expert_offer_pb2.ExpertOffer(
        id=offer.id,
        region=offer.region,
        title=offer.title,
        description=offer.description,
        expert=contact_to_proto(offer.expert),
        competences=offer.competences,
        nace_codes=offer.nace_codes,
        countries=offer.countries,
        languages=offer.languages,
        service_types=[enum_to_proto(service) for service in offer.service_types],
        capacity_hours_per_month=offer.capacity_hours_per_month,
        state=enum_to_proto(offer.state),
        owner=offer.owner,
    )
    set_timestamp(message.create_time, offer.create_time)
    set_timestamp(message.update_time, offer.update_time)
    return message


def knowledge_item_from_proto(
    message: knowledge_pb2.KnowledgeItem, *, id: str, region: str, now: datetime
) -> knowledge_domain.KnowledgeItem:
    return knowledge_domain.KnowledgeItem(
        id=id,
        region=region,
        kind=enum_from_proto(knowledge_domain.KnowledgeKind, message.kind, "knowledge_item.kind"),
        title=message.title,
        summary=message.summary,
        body=message.body,
        languages=tuple(message.languages),
        tags=tuple(message.tags),
        nace_codes=tuple(message.nace_codes),
        create_time=now,
        update_time=now,
    )


def knowledge_item_to_proto(item: knowledge_domain.KnowledgeItem) -> knowledge_pb2.KnowledgeItem:
    message = knowledge_pb2.KnowledgeItem(
        id=item.id,
        region=item.region,
        kind=enum_to_proto(item.kind),
        title=item.title,
        summary=item.summary,
        body=item.body,
        languages=item.languages,
        tags=item.tags,
        nace_codes=item.nace_codes,
        state=enum_to_proto(item.state),
        owner=item.owner,
    )
    set_timestamp(message.create_time, item.create_time)
    set_timestamp(message.update_time, item.update_time)
    set_timestamp(message.publish_time, item.publish_time)
    return message


def note_to_proto(note: Note) -> common_pb2.Note:
    return common_pb2.Note(code=note.code, params=dict(note.params))
