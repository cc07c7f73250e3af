"""What the contract's enum values are called in the console, in the user's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

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

LABELS: dict[str, dict[int, Any]] = {
    "need_type": {
        need_pb2.NEED_TYPE_TECHNOLOGY: _l("Technology"),
        need_pb2.NEED_TYPE_BUSINESS_PARTNER: _l("Business partner"),
        need_pb2.NEED_TYPE_MARKET_ENTRY: _l("Market entry"),
        need_pb2.NEED_TYPE_FINANCING: _l("Financing"),
        need_pb2.NEED_TYPE_RD_PARTNER: _l("R&D partner"),
        need_pb2.NEED_TYPE_TRAINING: _l("Training"),
        need_pb2.NEED_TYPE_EXPERT_ADVICE: _l("Expert advice"),
    },
    "need_state": {
        need_pb2.NEED_STATE_DRAFT: _l("Draft"),
        need_pb2.NEED_STATE_IN_REVIEW: _l("In review"),
        need_pb2.NEED_STATE_PUBLISHED: _l("Published"),
        need_pb2.NEED_STATE_MATCHED: _l("Matched"),
        need_pb2.NEED_STATE_CLOSED: _l("Closed"),
        need_pb2.NEED_STATE_WITHDRAWN: _l("Withdrawn"),
        need_pb2.NEED_STATE_EXPIRED: _l("Expired"),
    },
    "offer_state": {
        expert_offer_pb2.EXPERT_OFFER_STATE_DRAFT: _l("Draft"),
        expert_offer_pb2.EXPERT_OFFER_STATE_PUBLISHED: _l("Published"),
        expert_offer_pb2.EXPERT_OFFER_STATE_WITHDRAWN: _l("Withdrawn"),
    },
    "service_type": {
        common_pb2.SERVICE_TYPE_CONSULTING: _l("Consulting"),
        common_pb2.SERVICE_TYPE_CAPACITY_BUILDING: _l("Capacity building"),
        common_pb2.SERVICE_TYPE_MATCHMAKING: _l("Matchmaking"),
        common_pb2.SERVICE_TYPE_TECHNOLOGY_TRANSFER: _l("Technology transfer"),
        common_pb2.SERVICE_TYPE_MARKET_STUDY: _l("Market study"),
        common_pb2.SERVICE_TYPE_FINANCING_ADVICE: _l("Financing advice"),
        common_pb2.SERVICE_TYPE_LEGAL_ADVICE: _l("Legal advice"),
    },
    "referral_state": {
        referral_pb2.REFERRAL_STATE_PROPOSED: _l("Proposed"),
        referral_pb2.REFERRAL_STATE_ACCEPTED: _l("Accepted"),
        referral_pb2.REFERRAL_STATE_DECLINED: _l("Declined"),
        referral_pb2.REFERRAL_STATE_CONSENT_GIVEN: _l("Consent given"),
        referral_pb2.REFERRAL_STATE_DISCLOSED: _l("Contacts exchanged"),
        referral_pb2.REFERRAL_STATE_ENGAGED: _l("Engaged"),
        referral_pb2.REFERRAL_STATE_COMPLETED: _l("Completed"),
        referral_pb2.REFERRAL_STATE_WITHDRAWN: _l("Withdrawn"),
        referral_pb2.REFERRAL_STATE_EXPIRED: _l("Expired"),
    },
    "outcome": {
        referral_pb2.REFERRAL_OUTCOME_AGREEMENT_SIGNED: _l("Agreement signed"),
        referral_pb2.REFERRAL_OUTCOME_PARTNERSHIP_FORMED: _l("Partnership formed"),
        referral_pb2.REFERRAL_OUTCOME_FUNDING_OBTAINED: _l("Funding obtained"),
        referral_pb2.REFERRAL_OUTCOME_NO_RESULT: _l("No result"),
    },
    "export_status": {
        organisation_pb2.EXPORT_STATUS_NONE: _l("Does not export"),
        organisation_pb2.EXPORT_STATUS_OCCASIONAL: _l("Exports occasionally"),
        organisation_pb2.EXPORT_STATUS_REGULAR: _l("Exports regularly"),
    },
    "size_class": {
        organisation_pb2.SIZE_CLASS_MICRO: _l("Micro"),
        organisation_pb2.SIZE_CLASS_SMALL: _l("Small"),
        organisation_pb2.SIZE_CLASS_MEDIUM: _l("Medium"),
        organisation_pb2.SIZE_CLASS_LARGE: _l("Large"),
    },
    "notification_kind": {
        notification_pb2.NOTIFICATION_KIND_REFERRAL_RECEIVED: _l("A referral for my region"),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_REMINDER: _l("A referral's answer is due soon"),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_ESCALATED: _l(
            "A referral's answer is late (cluster managers)"
        ),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_ACCEPTED: _l("The other region accepted"),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_DECLINED: _l("The other region declined"),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_CONSENT_RECORDED: _l(
            "The SME's consent was recorded"
        ),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_CONTACTS_DISCLOSED: _l(
            "Contacts were disclosed to my region"
        ),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_OUTCOME_RECORDED: _l(
            "The support's outcome was recorded"
        ),
        notification_pb2.NOTIFICATION_KIND_REFERRAL_CHANGED: _l(
            "A referral was withdrawn, expired or engaged"
        ),
        notification_pb2.NOTIFICATION_KIND_NEED_RETURNED: _l("My need was returned from review"),
        notification_pb2.NOTIFICATION_KIND_SAVED_SEARCH_MATCH: _l(
            "New matches of my saved searches"
        ),
    },
    "alert_frequency": {
        notification_pb2.ALERT_FREQUENCY_IMMEDIATE: _l("At once"),
        notification_pb2.ALERT_FREQUENCY_DAILY: _l("Once a day"),
    },
    "mail_state": {
        notification_pb2.MAIL_STATE_QUEUED: _l("Queued"),
        notification_pb2.MAIL_STATE_RETRYING: _l("Retrying"),
        notification_pb2.MAIL_STATE_SENT: _l("Sent"),
        notification_pb2.MAIL_STATE_FAILED: _l("Failed"),
    },
    "saved_search_target": {
        notification_pb2.SAVED_SEARCH_TARGET_NEEDS: _l("Needs"),
        notification_pb2.SAVED_SEARCH_TARGET_EXPERT_OFFERS: _l("Expert offers"),
    },
    "erasure_kind": {
        organisation_pb2.ERASURE_KIND_REQUEST: _l("Erased on request"),
        organisation_pb2.ERASURE_KIND_RETENTION: _l("Retention limit"),
        organisation_pb2.ERASURE_KIND_PEER: _l("Asked by another region"),
    },
    "consent": {
        organisation_pb2.CONSENT_PURPOSE_NETWORK_SHARING: _l(
            "Share the anonymised needs with the network"
        ),
        organisation_pb2.CONSENT_PURPOSE_REFERRAL_DISCLOSURE: _l(
            "Disclose the contact to a referred expert"
        ),
        organisation_pb2.CONSENT_PURPOSE_PROGRAMME_CONTACT: _l("Contact about the programme"),
    },
    "dimension": {
        assessment_pb2.READINESS_DIMENSION_INNOVATION_STRATEGY: _l("Innovation strategy"),
        assessment_pb2.READINESS_DIMENSION_RD_CAPACITY: _l("R&D capacity"),
        assessment_pb2.READINESS_DIMENSION_DIGITAL_MATURITY: _l("Digital maturity"),
        assessment_pb2.READINESS_DIMENSION_INTELLECTUAL_PROPERTY: _l("Intellectual property"),
        assessment_pb2.READINESS_DIMENSION_INTERNATIONAL_EXPERIENCE: _l("International experience"),
        assessment_pb2.READINESS_DIMENSION_MARKET_KNOWLEDGE: _l("Market knowledge"),
        assessment_pb2.READINESS_DIMENSION_PRODUCT_ADAPTABILITY: _l("Product adaptability"),
        assessment_pb2.READINESS_DIMENSION_FINANCIAL_CAPACITY: _l("Financial capacity"),
        assessment_pb2.READINESS_DIMENSION_HUMAN_RESOURCES: _l("Human resources"),
    },
    "level": {
        assessment_pb2.READINESS_LEVEL_BEGINNER: _l("Beginner"),
        assessment_pb2.READINESS_LEVEL_DEVELOPING: _l("Developing"),
        assessment_pb2.READINESS_LEVEL_READY: _l("Ready"),
        assessment_pb2.READINESS_LEVEL_ADVANCED: _l("Advanced"),
    },
    "knowledge_kind": {
        knowledge_pb2.KNOWLEDGE_KIND_METHOD: _l("Method"),
        knowledge_pb2.KNOWLEDGE_KIND_CASE_STUDY: _l("Case study"),
        knowledge_pb2.KNOWLEDGE_KIND_LESSON_LEARNT: _l("Lesson learnt"),
        knowledge_pb2.KNOWLEDGE_KIND_TOOL: _l("Tool"),
    },
    "knowledge_state": {
        knowledge_pb2.KNOWLEDGE_ITEM_STATE_DRAFT: _l("Draft"),
        knowledge_pb2.KNOWLEDGE_ITEM_STATE_PUBLISHED: _l("Published"),
        knowledge_pb2.KNOWLEDGE_ITEM_STATE_WITHDRAWN: _l("Withdrawn"),
    },
    "section": {
        business_plan_pb2.PLAN_SECTION_KIND_SUMMARY: _l("Summary"),
        business_plan_pb2.PLAN_SECTION_KIND_PRODUCT_AND_INNOVATION: _l("Product and innovation"),
        business_plan_pb2.PLAN_SECTION_KIND_TARGET_MARKETS: _l("Target markets"),
        business_plan_pb2.PLAN_SECTION_KIND_COMPETITION: _l("Competition"),
        business_plan_pb2.PLAN_SECTION_KIND_OPERATIONS: _l("Operations"),
        business_plan_pb2.PLAN_SECTION_KIND_TEAM: _l("Team"),
        business_plan_pb2.PLAN_SECTION_KIND_FINANCIAL_PLAN: _l("Financial plan"),
        business_plan_pb2.PLAN_SECTION_KIND_RISKS: _l("Risks"),
    },
}


def label(kind: str, value: int) -> str:
    """The name of one value, e.g. label("need_state", 3) → "Published"."""
    return str(LABELS[kind].get(value, "—"))


#: What an erasure's report counts, by the node's names for them.
ERASED_RECORDS = {
    "organisation": _l("SME record"),
    "contacts": _l("contacts"),
    "consents": _l("consents"),
    "assessments": _l("assessments"),
    "business_plan_revisions": _l("business plan revisions"),
    "needs": _l("needs"),
    "needs_withdrawn_from_the_network": _l("needs withdrawn from the network"),
    "referrals": _l("referrals"),
    "referrals_withdrawn": _l("referrals withdrawn"),
    "disclosed_contacts_received": _l("contacts received"),
    "audit_notes": _l("audit notes"),
    "audit_notes_kept": _l("audit notes kept (written before notes could be erased)"),
}


def erased_label(name: str) -> str:
    return str(ERASED_RECORDS.get(name, name))


def options(kind: str) -> list[tuple[int, str]]:
    """The values of one enum for a select box, in the contract's order."""
    return [(value, str(text)) for value, text in LABELS[kind].items()]
