"""The node's tables (SQLAlchemy 2 declarative). Alembic migrations create and change them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite keeps no time zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


ID = String(36)


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    region: Mapped[str] = mapped_column(String(40))
    legal_name: Mapped[str] = mapped_column(String(200))
    # Lower-cased legal and trading names, for the list's text query.
    search_names: Mapped[str] = mapped_column(Text)
    trading_names: Mapped[list[Any]]
    vat_id: Mapped[str] = mapped_column(String(20))
    nace_code: Mapped[str] = mapped_column(String(8))
    employees: Mapped[int] = mapped_column(Integer)
    turnover_eur: Mapped[int] = mapped_column(BigInteger)
    year_founded: Mapped[int] = mapped_column(Integer)
    export_status: Mapped[str] = mapped_column(String(20))
    address: Mapped[dict[str, Any]]
    website: Mapped[str] = mapped_column(String(300))
    contacts: Mapped[list[Any]]
    languages: Mapped[list[Any]]
    consents: Mapped[list[Any]]
    create_time: Mapped[datetime]
    update_time: Mapped[datetime]

    __table_args__ = (Index("ix_organisations_create_time", "create_time", "id"),)


class AssessmentRow(Base):
    __tablename__ = "assessments"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organisations.id", ondelete="CASCADE")
    )
    scores: Mapped[list[Any]]
    notes: Mapped[str] = mapped_column(Text)
    create_time: Mapped[datetime]

    __table_args__ = (Index("ix_assessments_organisation", "organisation_id", "create_time"),)


class BusinessPlanRow(Base):
    __tablename__ = "business_plans"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organisations.id", ondelete="CASCADE")
    )
    latest_revision: Mapped[int] = mapped_column(Integer)
    create_time: Mapped[datetime]

    __table_args__ = (Index("ix_business_plans_organisation", "organisation_id", "create_time"),)


class BusinessPlanRevisionRow(Base):
    __tablename__ = "business_plan_revisions"

    plan_id: Mapped[str] = mapped_column(
        ID, ForeignKey("business_plans.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    sections: Mapped[list[Any]]
    financial_years: Mapped[list[Any]]
    create_time: Mapped[datetime]


class NeedRow(Base):
    __tablename__ = "needs"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    region: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organisations.id", ondelete="CASCADE")
    )
    type: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    nace_codes: Mapped[list[Any]]
    target_countries: Mapped[list[Any]]
    languages: Mapped[list[Any]]
    keywords: Mapped[list[Any]]
    expire_time: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(20))
    state_reason: Mapped[str] = mapped_column(Text)
    #: {"code": ..., "params": {...}} of `state_reason` when the node wrote it; {} otherwise.
    state_note: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    create_time: Mapped[datetime]
    update_time: Mapped[datetime]
    publish_time: Mapped[datetime | None]
    held_back: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        Index("ix_needs_create_time", "create_time", "id"),
        Index("ix_needs_organisation", "organisation_id"),
        Index("ix_needs_state_expire", "state", "expire_time"),
    )


class ExpertOfferRow(Base):
    __tablename__ = "expert_offers"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    region: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    expert: Mapped[dict[str, Any]]
    competences: Mapped[list[Any]]
    nace_codes: Mapped[list[Any]]
    countries: Mapped[list[Any]]
    languages: Mapped[list[Any]]
    service_types: Mapped[list[Any]]
    capacity_hours_per_month: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    create_time: Mapped[datetime]
    update_time: Mapped[datetime]
    owner: Mapped[str] = mapped_column(String(64), default="", server_default="")

    __table_args__ = (
        Index("ix_expert_offers_create_time", "create_time", "id"),
        Index("ix_expert_offers_owner", "owner"),
    )


class KnowledgeItemRow(Base):
    """A knowledge item of the region's experts, with its author."""

    __tablename__ = "knowledge_items"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    region: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    languages: Mapped[list[Any]]
    tags: Mapped[list[Any]]
    nace_codes: Mapped[list[Any]]
    state: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(64))
    author: Mapped[dict[str, Any]]
    create_time: Mapped[datetime]
    update_time: Mapped[datetime]
    publish_time: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_knowledge_items_create_time", "create_time", "id"),
        Index("ix_knowledge_items_owner", "owner"),
    )


class CatalogueKnowledgeRow(Base):
    """The read model of the network's knowledge items; `create_time` is the publication."""

    __tablename__ = "catalogue_knowledge"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    origin_region: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[Any]]
    search_text: Mapped[str] = mapped_column(Text)
    message: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(20))
    create_time: Mapped[datetime]
    version_time: Mapped[datetime]
    # The catalogue version (`CatalogueVersionRow`) of the transaction that last changed it.
    change_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (
        Index("ix_catalogue_knowledge_create_time", "create_time", "id"),
        Index("ix_catalogue_knowledge_change_version", "change_version"),
    )


class IdempotencyKeyRow(Base):
    """The first result of each create, by the caller's `request_id`."""

    __tablename__ = "idempotency_keys"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    method: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the request without its request_id: a reused key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str] = mapped_column(ID)
    create_time: Mapped[datetime]


class OutboxRow(Base):
    """Events written in the same transaction as the change they report; the relay publishes
    them with `event_id` as Nats-Msg-Id and stamps `publish_time`."""

    __tablename__ = "outbox"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    envelope: Mapped[bytes] = mapped_column(LargeBinary)
    create_time: Mapped[datetime]
    publish_time: Mapped[datetime | None]

    __table_args__ = (Index("ix_outbox_unpublished", "publish_time", "sequence"),)


class InboxRow(Base):
    """Network events already applied here, by event id: a duplicate is applied once."""

    __tablename__ = "inbox"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    apply_time: Mapped[datetime]


class DeadLetterRow(Base):
    """Network events that could not be applied, with the reason; never retried by themselves."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    # At most the first 64 KiB of what arrived, for diagnosis.
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    receive_time: Mapped[datetime]


class CatalogueVersionRow(Base):
    """One row: the catalogue's version, raised by every transaction that changes the
    catalogue, so that the in-memory index can start from its snapshot and read only the
    entries changed since (`change_version`)."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class CatalogueNeedRow(Base):
    """The read model of the network's anonymised needs, every region's, this one's included."""

    __tablename__ = "catalogue_needs"

    need_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    origin_region: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    nace_divisions: Mapped[list[Any]]
    target_countries: Mapped[list[Any]]
    languages: Mapped[list[Any]]
    keywords: Mapped[list[Any]]
    # Lower-cased title, description and keywords, for the text search.
    search_text: Mapped[str] = mapped_column(Text)
    # The serialised AnonymisedNeed, returned as it arrived.
    message: Mapped[bytes] = mapped_column(LargeBinary)
    # Its text as a multilingual embedding (384 float32), for matching; empty if none.
    embedding: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    state: Mapped[str] = mapped_column(String(20))
    publish_time: Mapped[datetime]
    # Occur time of the last event applied: an older event never overwrites a newer one.
    version_time: Mapped[datetime]
    # The catalogue version (`CatalogueVersionRow`) of the transaction that last changed it.
    change_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (
        Index("ix_catalogue_needs_publish", "publish_time", "need_id"),
        Index("ix_catalogue_needs_change_version", "change_version"),
    )


class CatalogueOfferRow(Base):
    """The read model of the network's expert offers, without the experts' contacts."""

    __tablename__ = "catalogue_offers"

    offer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    origin_region: Mapped[str] = mapped_column(String(40))
    nace_divisions: Mapped[list[Any]]
    countries: Mapped[list[Any]]
    languages: Mapped[list[Any]]
    service_types: Mapped[list[Any]]
    search_text: Mapped[str] = mapped_column(Text)
    message: Mapped[bytes] = mapped_column(LargeBinary)
    embedding: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    state: Mapped[str] = mapped_column(String(20))
    publish_time: Mapped[datetime]
    version_time: Mapped[datetime]
    # The catalogue version (`CatalogueVersionRow`) of the transaction that last changed it.
    change_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (
        Index("ix_catalogue_offers_publish", "publish_time", "offer_id"),
        Index("ix_catalogue_offers_change_version", "change_version"),
    )


class ReferralRow(Base):
    """A referral this region takes part in: the fold of its moves, kept for queries."""

    __tablename__ = "referrals"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    need_id: Mapped[str] = mapped_column(ID)
    offer_id: Mapped[str] = mapped_column(ID)
    need_region: Mapped[str] = mapped_column(String(40))
    offer_region: Mapped[str] = mapped_column(String(40))
    initiator: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    answer_due: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(30))
    hours: Mapped[int] = mapped_column(Integer)
    first_answer_time: Mapped[datetime | None]
    create_time: Mapped[datetime]
    update_time: Mapped[datetime]
    reminded_time: Mapped[datetime | None]
    escalated_time: Mapped[datetime | None]
    support: Mapped[str] = mapped_column(String(30), default="", server_default="")

    __table_args__ = (
        Index("ix_referrals_create_time", "create_time", "id"),
        Index("ix_referrals_state_due", "state", "answer_due"),
    )


class ReferralMoveRow(Base):
    """Every move of a referral this node made or received, applied or not."""

    __tablename__ = "referral_moves"

    move_id: Mapped[str] = mapped_column(ID, primary_key=True)
    referral_id: Mapped[str] = mapped_column(ID)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    side: Mapped[str] = mapped_column(String(10))
    occur_time: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(30))
    hours: Mapped[int] = mapped_column(Integer)
    #: For a proposal: when the receiving side must answer.
    answer_due: Mapped[datetime | None]
    #: For a completion: the kind of support delivered (ServiceType name), else "".
    support: Mapped[str] = mapped_column(String(30), default="", server_default="")
    receive_time: Mapped[datetime]

    __table_args__ = (Index("ix_referral_moves_referral", "referral_id", "version"),)


class AuditEntryRow(Base):
    """The disclosure audit log: append-only, each entry hash-chained to the one before."""

    __tablename__ = "audit_log"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    time: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    referral_id: Mapped[str] = mapped_column(ID)
    counterpart: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(80))
    consent: Mapped[str] = mapped_column(String(80))
    data_digest: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: SHA-256 of the note, which the hash covers instead of the note: an erased note leaves
    #: the chain valid. Empty for entries written before (their hash covers the note itself).
    note_digest: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AuditHeadRow(Base):
    """The log's last entry, written with it and signed by the node's key (which is not in
    the database): a removed last entry no longer matches it, a rewritten one its signature."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sequence: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(80), default="")
    signature: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class AuditCounterpartHeadRow(Base):
    """The newest signed head of a counterpart's audit log that it handed this node."""

    __tablename__ = "audit_counterpart_heads"

    counterpart: Mapped[str] = mapped_column(String(40), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(80))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    receive_time: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditCountersignatureRow(Base):
    """A counterpart's countersignature of this node's audit head at one sequence."""

    __tablename__ = "audit_countersignatures"

    counterpart: Mapped[str] = mapped_column(String(40), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(80))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    receive_time: Mapped[datetime] = mapped_column(UtcDateTime)


class DisclosedContactRow(Base):
    """The other side's contact of a referral, received after the SME's consent."""

    __tablename__ = "disclosed_contacts"

    referral_id: Mapped[str] = mapped_column(ID, primary_key=True)
    counterpart: Mapped[str] = mapped_column(String(40))
    contact: Mapped[dict[str, Any]]
    organisation_name: Mapped[str] = mapped_column(String(200))
    receive_time: Mapped[datetime]


class PendingErasureRow(Base):
    """A withdrawn consent's erasure at the expert's region, until that region confirms it."""

    __tablename__ = "pending_erasures"

    referral_id: Mapped[str] = mapped_column(ID, primary_key=True)
    region: Mapped[str] = mapped_column(String(40))
    create_time: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    confirm_time: Mapped[datetime | None]


class ErasureRow(Base):
    """An erasure's report: what was erased here, and the referrals whose copies at peers
    must be erased (their state is in `pending_erasures`)."""

    __tablename__ = "erasures"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[str] = mapped_column(ID)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(80))
    #: When the erasure was done here.
    create_time: Mapped[datetime]
    erased: Mapped[dict[str, Any]]
    withdrawn_need_ids: Mapped[list[Any]]
    referral_ids: Mapped[list[Any]]

    __table_args__ = (Index("ix_erasures_create_time", "create_time", "id"),)


class ErasedReferralRow(Base):
    """A referral this region erased with its SME: a move of it that still arrives is stale."""

    __tablename__ = "erased_referrals"

    referral_id: Mapped[str] = mapped_column(ID, primary_key=True)
    erasure_id: Mapped[str] = mapped_column(ID)


class PersonRow(Base):
    """A person of the region as their last access token named them, with their notification
    settings: the node mails only people it has seen."""

    __tablename__ = "people"

    subject: Mapped[str] = mapped_column(String(80), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    #: The person's roles in the region, space-separated.
    roles: Mapped[str] = mapped_column(String(200))
    #: The locale of their account, if it names one.
    account_language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    seen_time: Mapped[datetime]
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    muted_kinds: Mapped[list[Any]]
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    alert_frequency: Mapped[str] = mapped_column(String(20))
    settings_time: Mapped[datetime | None]


class FollowRow(Base):
    """A person told of a record's changes: the facilitator of a need, whoever made or
    answered a referral."""

    __tablename__ = "follows"

    record: Mapped[str] = mapped_column(String(80), primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), primary_key=True)


class SavedSearchRow(Base):
    """A person's saved search of the network catalogue."""

    __tablename__ = "saved_searches"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), index=True)
    target: Mapped[str] = mapped_column(String(20))
    query: Mapped[str] = mapped_column(String(200))
    nace_division: Mapped[str] = mapped_column(String(2))
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(3))
    frequency: Mapped[str] = mapped_column(String(20))
    create_time: Mapped[datetime]
    match_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SavedSearchHitRow(Base):
    """A catalogue entry that matched a saved search: each entry is mailed once per search,
    at once or in the next daily digest (`mail_id` set once it was)."""

    __tablename__ = "saved_search_hits"

    saved_search_id: Mapped[str] = mapped_column(ID, primary_key=True)
    entry_id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    origin_region: Mapped[str] = mapped_column(String(40))
    hit_time: Mapped[datetime]
    mail_id: Mapped[str | None] = mapped_column(ID)

    __table_args__ = (Index("ix_saved_search_hits_undigested", "mail_id", "hit_time"),)


class MailRow(Base):
    """A mail written in the same transaction as the change it tells of; the delivery job
    sends it with `id` as its Message-ID, retries it with backoff and records the outcome."""

    __tablename__ = "mails"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    #: What caused it, e.g. "REFERRAL_RECEIVED:<move id>:<subject>": the same cause never
    #: writes two mails.
    cause: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    #: The recipient's link that turns this kind of mail off (its List-Unsubscribe header).
    unsubscribe_url: Mapped[str] = mapped_column(Text, default="", server_default="")
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    create_time: Mapped[datetime]
    next_attempt_time: Mapped[datetime | None]
    sent_time: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_mails_due", "state", "next_attempt_time"),
        Index("ix_mails_create_time", "create_time", "id"),
    )


class ProfileCountRow(Base):
    """How many of the region's SMEs have a generalised profile, at each level of widening:
    kept as SMEs are added, changed and erased, so the k-anonymity guard reads a few counts
    instead of every SME."""

    __tablename__ = "profile_counts"

    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
