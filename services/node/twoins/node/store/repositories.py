"""Reads and writes the node's aggregates; rows never leave this module, only domain objects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from functools import cached_property
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from twoins.node.domain.assessment import Assessment, DimensionScore, ReadinessDimension
from twoins.node.domain.business_plan import (
    BusinessPlan,
    FinancialYear,
    PlanSection,
    PlanSectionKind,
)
from twoins.node.domain.errors import Conflict, NotFound
from twoins.node.domain.expert_offer import ExpertOffer, ExpertOfferState
from twoins.node.domain.need import Need, NeedState, NeedType
from twoins.node.domain.notes import Note
from twoins.node.domain.organisation import (
    Address,
    Consent,
    ConsentPurpose,
    Contact,
    ExportStatus,
    Organisation,
)
from twoins.node.domain.support import ServiceType
from twoins.node.store.audit import AuditLog
from twoins.node.store.catalogue import CatalogueRepository
from twoins.node.store.database import ReadTransaction
from twoins.node.store.disclosures import DisclosedContactRepository, PendingErasureRepository
from twoins.node.store.erasures import ErasureRepository
from twoins.node.store.knowledge import KnowledgeItemRepository
from twoins.node.store.notifications import (
    MailRepository,
    PeopleRepository,
    SavedSearchRepository,
)
from twoins.node.store.pagination import PagePosition, PageRequest, fetch_page
from twoins.node.store.profile_counts import ProfileCounts
from twoins.node.store.referrals import ReferralRepository
from twoins.node.store.statements import execute_rows, insert_into, read_row_by, select_by
from twoins.node.store.tables import (
    AssessmentRow,
    BusinessPlanRevisionRow,
    BusinessPlanRow,
    DeadLetterRow,
    ExpertOfferRow,
    IdempotencyKeyRow,
    InboxRow,
    NeedRow,
    OrganisationRow,
    OutboxRow,
)

EntityT = TypeVar("EntityT")


def _names(values: Sequence[Any]) -> list[str]:
    return [value.name for value in values]


# --- organisations -----------------------------------------------------------------------------


def _organisation_row_values(organisation: Organisation) -> dict[str, Any]:
    names = [organisation.legal_name, *organisation.trading_names]
    return {
        "id": organisation.id,
        "region": organisation.region,
        "legal_name": organisation.legal_name,
        "search_names": "\n".join(name.casefold() for name in names),
        "trading_names": list(organisation.trading_names),
        "vat_id": organisation.vat_id,
        "nace_code": organisation.nace_code,
        "employees": organisation.employees,
        "turnover_eur": organisation.turnover_eur,
        "year_founded": organisation.year_founded,
        "export_status": organisation.export_status.name,
        "address": asdict(organisation.address),
        "website": organisation.website,
        "contacts": [asdict(contact) for contact in organisation.contacts],
        "languages": list(organisation.languages),
        "consents": [
            {
                "purpose": consent.purpose.name,
                "granted": consent.granted,
                "record_time": consent.record_time.isoformat() if consent.record_time else None,
            }
            for consent in organisation.consents
        ],
        "create_time": organisation.create_time,
        "update_time": organisation.update_time,
    }


def _organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        id=row.id,
        region=row.region,
        legal_name=row.legal_name,
        nace_code=row.nace_code,
        address=Address(**row.address),
        trading_names=tuple(row.trading_names),
        vat_id=row.vat_id,
        employees=row.employees,
        turnover_eur=row.turnover_eur,
        year_founded=row.year_founded,
        export_status=ExportStatus[row.export_status],
        website=row.website,
        contacts=tuple(Contact(**contact) for contact in row.contacts),
        languages=tuple(row.languages),
        consents=tuple(
            Consent(
                ConsentPurpose[item["purpose"]],
                item["granted"],
                datetime.fromisoformat(item["record_time"]) if item["record_time"] else None,
            )
            for item in row.consents
        ),
        create_time=row.create_time,
        update_time=row.update_time,
    )


def _session_of(transaction: Session | ReadTransaction) -> Session:
    return transaction.session if isinstance(transaction, ReadTransaction) else transaction


def _insert_row(session: Session, row_type: type[Any], values: dict[str, Any]) -> None:
    """`INSERT INTO <table>` of one row, sent at once. A new row needs none of the ORM's unit
    of work (a pending object, its state, the flush that sorts it): a Core insert costs a
    fraction, and the statement is built once per table. A later read in the transaction
    sees the row as it would after a flush."""
    execute_rows(session, insert_into(row_type.__table__), [values])


class _EntityRepository(Generic[EntityT]):
    """Add, get and save of one aggregate stored in one row; subclasses name the row type,
    the two conversions and how a missing record is described."""

    row_type: type[Any]
    resource: str
    label: str

    def __init__(self, transaction: Session | ReadTransaction) -> None:
        self._transaction = transaction

    @property
    def _session(self) -> Session:
        return _session_of(self._transaction)

    def _values(self, entity: EntityT) -> dict[str, Any]:
        raise NotImplementedError

    def _entity(self, row: Any) -> EntityT:
        raise NotImplementedError

    def add(self, entity: EntityT) -> None:
        _insert_row(self._session, self.row_type, self._values(entity))

    def find(self, entity_id: str) -> EntityT | None:
        """The entity, or None when this region has no such record."""
        try:
            return self.get(entity_id)
        except NotFound:
            return None

    def get(self, entity_id: str, *, for_update: bool = False) -> EntityT:
        if for_update:
            row = self._session.get(self.row_type, entity_id, with_for_update=True)
        elif isinstance(self._transaction, ReadTransaction):
            # Nothing of its own to flush first: straight to the driver, without a session.
            row = read_row_by(
                self._transaction.connection, self.row_type.__table__, "id", entity_id
            )
        else:
            # A plain read needs no ORM object (identity map, change tracking): a Core row
            # has the same attributes and costs a fraction; the statement is built once.
            row = self._session.execute(
                select_by(self.row_type.__table__, "id"), {"id": entity_id}
            ).first()
        if row is None:
            raise NotFound(
                f"{self.label} {entity_id} does not exist in this region",
                metadata={"resource": self.resource, "id": entity_id},
            )
        return self._entity(row)

    def save(self, entity: EntityT) -> None:
        values = self._values(entity)
        row = self._session.get(self.row_type, values["id"])
        assert row is not None, "save() is for records read in the same transaction"
        for key, value in values.items():
            setattr(row, key, value)


class OrganisationRepository(_EntityRepository[Organisation]):
    row_type = OrganisationRow
    resource = "organisation"
    label = "organisation"

    def _values(self, entity: Organisation) -> dict[str, Any]:
        return _organisation_row_values(entity)

    def _entity(self, row: Any) -> Organisation:
        return _organisation(row)

    @cached_property
    def profiles(self) -> ProfileCounts:
        return ProfileCounts(self._session)

    def add(self, entity: Organisation) -> None:
        super().add(entity)
        self.profiles.change(None, entity)

    def save(self, entity: Organisation) -> None:
        row = self._session.get(OrganisationRow, entity.id)
        before = _organisation(row) if row is not None else None
        super().save(entity)
        self.profiles.change(before, entity)

    def delete(self, organisation_id: str) -> None:
        before = self.find(organisation_id)
        self._session.execute(delete(OrganisationRow).where(OrganisationRow.id == organisation_id))
        if before is not None:
            self.profiles.change(before, None)

    def all(self) -> list[Organisation]:
        """Every SME of the region (for the k-anonymity guard: at most a few thousand)."""
        return [_organisation(row) for row in self._session.scalars(select(OrganisationRow))]

    def page(
        self, page: PageRequest, query: str
    ) -> tuple[list[Organisation], PagePosition | None, bool]:
        conditions = []
        if query:
            pattern = (
                "%"
                + query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            conditions.append(OrganisationRow.search_names.like(pattern, escape="\\"))
        rows, last, more = fetch_page(self._session, OrganisationRow, page, conditions)
        return [_organisation(row) for row in rows], last, more


# --- assessments -------------------------------------------------------------------------------


def _assessment(row: AssessmentRow) -> Assessment:
    scores = tuple(
        DimensionScore(ReadinessDimension[item["dimension"]], item["score"], item["evidence"])
        for item in row.scores
    )
    return Assessment(row.id, row.organisation_id, scores, row.notes, row.create_time)


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, assessment: Assessment) -> None:
        self._session.add(
            AssessmentRow(
                id=assessment.id,
                organisation_id=assessment.organisation_id,
                scores=[
                    {
                        "dimension": item.dimension.name,
                        "score": item.score,
                        "evidence": item.evidence,
                    }
                    for item in assessment.scores
                ],
                notes=assessment.notes,
                create_time=assessment.create_time,
            )
        )

    def get(self, assessment_id: str) -> Assessment:
        row = self._session.get(AssessmentRow, assessment_id)
        if row is None:
            raise NotFound(
                f"assessment {assessment_id} does not exist in this region",
                metadata={"resource": "assessment", "id": assessment_id},
            )
        return _assessment(row)

    def page(
        self, page: PageRequest, organisation_id: str
    ) -> tuple[list[Assessment], PagePosition | None, bool]:
        rows, last, more = fetch_page(
            self._session, AssessmentRow, page, [AssessmentRow.organisation_id == organisation_id]
        )
        return [_assessment(row) for row in rows], last, more

    def of_organisation(self, organisation_id: str) -> list[Assessment]:
        rows = self._session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.organisation_id == organisation_id)
            .order_by(AssessmentRow.create_time)
        )
        return [_assessment(row) for row in rows]


# --- business plans ----------------------------------------------------------------------------


def _business_plan(plan: BusinessPlanRow, revision: BusinessPlanRevisionRow) -> BusinessPlan:
    return BusinessPlan(
        id=plan.id,
        organisation_id=plan.organisation_id,
        title=revision.title,
        revision=revision.revision,
        sections=tuple(
            PlanSection(PlanSectionKind[item["kind"]], item["content"])
            for item in revision.sections
        ),
        financial_years=tuple(FinancialYear(**item) for item in revision.financial_years),
        create_time=revision.create_time,
    )


class BusinessPlanRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _plan_row(self, plan_id: str) -> BusinessPlanRow:
        row = self._session.get(BusinessPlanRow, plan_id)
        if row is None:
            raise NotFound(
                f"business plan {plan_id} does not exist in this region",
                metadata={"resource": "business_plan", "id": plan_id},
            )
        return row

    def add_revision(self, plan: BusinessPlan) -> None:
        """Stores `plan` as its revision; revision 1 also creates the plan."""
        if plan.revision == 1:
            self._session.add(
                BusinessPlanRow(
                    id=plan.id,
                    organisation_id=plan.organisation_id,
                    latest_revision=1,
                    create_time=plan.create_time,
                )
            )
            self._session.flush()
        else:
            row = self._plan_row(plan.id)
            if row.latest_revision != plan.revision - 1:
                raise Conflict(
                    f"business plan {plan.id} changed meanwhile; reload it", reason="STALE_REVISION"
                )
            row.latest_revision = plan.revision
        self._session.add(
            BusinessPlanRevisionRow(
                plan_id=plan.id,
                revision=plan.revision,
                title=plan.title,
                sections=[
                    {"kind": section.kind.name, "content": section.content}
                    for section in plan.sections
                ],
                financial_years=[asdict(year) for year in plan.financial_years],
                create_time=plan.create_time,
            )
        )

    def get(self, plan_id: str, revision: int = 0) -> BusinessPlan:
        plan = self._plan_row(plan_id)
        wanted = revision or plan.latest_revision
        row = self._session.get(BusinessPlanRevisionRow, (plan_id, wanted))
        if row is None:
            raise NotFound(
                f"business plan {plan_id} has no revision {wanted}; the latest is "
                f"{plan.latest_revision}",
                metadata={"resource": "business_plan", "id": plan_id},
            )
        return _business_plan(plan, row)

    def page(
        self, page: PageRequest, organisation_id: str
    ) -> tuple[list[BusinessPlan], PagePosition | None, bool]:
        rows, last, more = fetch_page(
            self._session,
            BusinessPlanRow,
            page,
            [BusinessPlanRow.organisation_id == organisation_id],
        )
        return [self.get(row.id) for row in rows], last, more

    def every_revision_of_organisation(self, organisation_id: str) -> list[BusinessPlan]:
        """Every revision of every plan of the SME, oldest first."""
        query = (
            select(BusinessPlanRow, BusinessPlanRevisionRow)
            .join(BusinessPlanRevisionRow, BusinessPlanRevisionRow.plan_id == BusinessPlanRow.id)
            .where(BusinessPlanRow.organisation_id == organisation_id)
            .order_by(BusinessPlanRow.id, BusinessPlanRevisionRow.revision)
        )
        return [_business_plan(plan, revision) for plan, revision in self._session.execute(query)]

    def revisions(
        self, plan_id: str, page: PageRequest
    ) -> tuple[list[BusinessPlan], int | None, bool]:
        """Revisions newest first; the position is the last revision number returned."""
        plan = self._plan_row(plan_id)
        below = plan.latest_revision + 1 if page.after is None else int(page.after.id)
        query = (
            select(BusinessPlanRevisionRow)
            .where(
                BusinessPlanRevisionRow.plan_id == plan_id, BusinessPlanRevisionRow.revision < below
            )
            .order_by(BusinessPlanRevisionRow.revision.desc())
            .limit(page.size + 1)
        )
        rows = list(self._session.scalars(query))
        more = len(rows) > page.size
        rows = rows[: page.size]
        return (
            [_business_plan(plan, row) for row in rows],
            rows[-1].revision if rows else None,
            more,
        )


# --- needs -------------------------------------------------------------------------------------


def _need_row_values(need: Need) -> dict[str, Any]:
    return {
        "id": need.id,
        "region": need.region,
        "organisation_id": need.organisation_id,
        "type": need.type.name,
        "title": need.title,
        "description": need.description,
        "nace_codes": list(need.nace_codes),
        "target_countries": list(need.target_countries),
        "languages": list(need.languages),
        "keywords": list(need.keywords),
        "expire_time": need.expire_time,
        "state": need.state.name,
        "state_reason": need.state_reason,
        "state_note": need.state_note.as_json() if need.state_note else {},
        "create_time": need.create_time,
        "update_time": need.update_time,
        "publish_time": need.publish_time,
        "held_back": need.held_back,
    }


def _need(row: NeedRow) -> Need:
    return Need(
        id=row.id,
        region=row.region,
        organisation_id=row.organisation_id,
        type=NeedType[row.type],
        title=row.title,
        description=row.description,
        nace_codes=tuple(row.nace_codes),
        target_countries=tuple(row.target_countries),
        languages=tuple(row.languages),
        keywords=tuple(row.keywords),
        expire_time=row.expire_time,
        state=NeedState[row.state],
        state_reason=row.state_reason,
        state_note=Note.from_json(row.state_note),
        create_time=row.create_time,
        update_time=row.update_time,
        publish_time=row.publish_time,
        held_back=row.held_back,
    )


class NeedRepository(_EntityRepository[Need]):
    row_type = NeedRow
    resource = "need"
    label = "need"

    def _values(self, entity: Need) -> dict[str, Any]:
        return _need_row_values(entity)

    def _entity(self, row: Any) -> Need:
        return _need(row)

    def page(
        self, page: PageRequest, organisation_id: str, states: Sequence[NeedState]
    ) -> tuple[list[Need], PagePosition | None, bool]:
        conditions = []
        if organisation_id:
            conditions.append(NeedRow.organisation_id == organisation_id)
        if states:
            conditions.append(NeedRow.state.in_(_names(states)))
        rows, last, more = fetch_page(self._session, NeedRow, page, conditions)
        return [_need(row) for row in rows], last, more

    def of_organisation(self, organisation_id: str) -> list[Need]:
        rows = self._session.scalars(
            select(NeedRow)
            .where(NeedRow.organisation_id == organisation_id)
            .order_by(NeedRow.create_time)
        )
        return [_need(row) for row in rows]

    def ended_before(self, before: datetime) -> list[Need]:
        """Needs that ended (closed, withdrawn, expired) before `before`."""
        states = _names([NeedState.CLOSED, NeedState.WITHDRAWN, NeedState.EXPIRED])
        rows = self._session.scalars(
            select(NeedRow).where(NeedRow.state.in_(states), NeedRow.update_time < before)
        )
        return [_need(row) for row in rows]

    def erase(self, need_ids: Sequence[str]) -> None:
        if need_ids:
            self._session.execute(delete(NeedRow).where(NeedRow.id.in_(list(need_ids))))

    def count_open_published_by(self, organisation_id: str) -> int:
        states = _names([NeedState.PUBLISHED, NeedState.MATCHED])
        return (
            self._session.scalar(
                select(func.count())
                .select_from(NeedRow)
                .where(NeedRow.organisation_id == organisation_id, NeedRow.state.in_(states))
            )
            or 0
        )

    def expired_ids(self, now: datetime, limit: int) -> list[str]:
        states = _names(
            [NeedState.DRAFT, NeedState.IN_REVIEW, NeedState.PUBLISHED, NeedState.MATCHED]
        )
        query = (
            select(NeedRow.id)
            .where(NeedRow.state.in_(states), NeedRow.expire_time <= now)
            .order_by(NeedRow.expire_time)
            .limit(limit)
        )
        return list(self._session.scalars(query))


# --- expert offers -----------------------------------------------------------------------------


def _offer_row_values(offer: ExpertOffer) -> dict[str, Any]:
    return {
        "id": offer.id,
        "region": offer.region,
        "title": offer.title,
        "description": offer.description,
        "expert": asdict(offer.expert),
        "competences": list(offer.competences),
        "nace_codes": list(offer.nace_codes),
        "countries": list(offer.countries),
        "languages": list(offer.languages),
        "service_types": _names(offer.service_types),
        "capacity_hours_per_month": offer.capacity_hours_per_month,
        "state": offer.state.name,
        "create_time": offer.create_time,
        "update_time": offer.update_time,
        "owner": offer.owner,
    }


def _offer(row: ExpertOfferRow) -> ExpertOffer:
    return ExpertOffer(
        id=row.id,
        region=row.region,
        title=row.title,
        description=row.description,
        expert=Contact(**row.expert),
        competences=tuple(row.competences),
        nace_codes=tuple(row.nace_codes),
        countries=tuple(row.countries),
        languages=tuple(row.languages),
        service_types=tuple(ServiceType[name] for name in row.service_types),
        capacity_hours_per_month=row.capacity_hours_per_month,
        state=ExpertOfferState[row.state],
        create_time=row.create_time,
        update_time=row.update_time,
        owner=row.owner,
    )


class ExpertOfferRepository(_EntityRepository[ExpertOffer]):
    row_type = ExpertOfferRow
    resource = "expert_offer"
    label = "expert offer"

    def _values(self, entity: ExpertOffer) -> dict[str, Any]:
        return _offer_row_values(entity)

    def _entity(self, row: Any) -> ExpertOffer:
        return _offer(row)

    def ids_owned_by(self, owner: str) -> list[str]:
        return list(
            self._session.scalars(select(ExpertOfferRow.id).where(ExpertOfferRow.owner == owner))
        )

    def page(
        self, page: PageRequest, states: Sequence[ExpertOfferState], owner: str | None = None
    ) -> tuple[list[ExpertOffer], PagePosition | None, bool]:
        """A page of the region's offers, or only `owner`'s when given."""
        conditions: list[ColumnElement[bool]] = (
            [ExpertOfferRow.state.in_(_names(states))] if states else []
        )
        if owner is not None:
            conditions.append(ExpertOfferRow.owner == owner)
        rows, last, more = fetch_page(self._session, ExpertOfferRow, page, conditions)
        return [_offer(row) for row in rows], last, more


# --- idempotency -------------------------------------------------------------------------------


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def first_result(self, request_id: str, method: str, fingerprint: str) -> str | None:
        """The id the first request with this key created, or None for a new key."""
        row = self._session.get(IdempotencyKeyRow, request_id)
        if row is None:
            return None
        if row.method != method or row.fingerprint != fingerprint:
            raise Conflict(
                f"request_id {request_id} was already used for a different request; "
                "use a new request_id for a new request",
                reason="REQUEST_ID_REUSED",
                metadata={"request_id": request_id},
            )
        return row.resource_id

    def remember(
        self, request_id: str, method: str, fingerprint: str, resource_id: str, now: datetime
    ) -> None:
        _insert_row(
            self._session,
            IdempotencyKeyRow,
            {
                "request_id": request_id,
                "method": method,
                "fingerprint": fingerprint,
                "resource_id": resource_id,
                "create_time": now,
            },
        )


# --- bus: outbox, inbox, dead letters --------------------------------------------------------


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, event_id: str, subject: str, envelope: bytes, now: datetime) -> None:
        _insert_row(
            self._session,
            OutboxRow,
            {
                "event_id": event_id,
                "subject": subject,
                "envelope": envelope,
                "create_time": now,
                "publish_time": None,
            },
        )

    def pending(self, limit: int) -> list[tuple[str, str, bytes]]:
        """The oldest unpublished events: (event id, subject, envelope), in write order."""
        rows = self._session.scalars(
            select(OutboxRow)
            .where(OutboxRow.publish_time.is_(None))
            .order_by(OutboxRow.sequence)
            .limit(limit)
        )
        return [(row.event_id, row.subject, row.envelope) for row in rows]

    def mark_published(self, event_ids: Sequence[str], now: datetime) -> None:
        if event_ids:
            self._session.execute(
                update(OutboxRow).where(OutboxRow.event_id.in_(event_ids)).values(publish_time=now)
            )


class InboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def seen(self, event_id: str) -> bool:
        return self._session.get(InboxRow, event_id) is not None

    def seen_among(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these event ids were applied already."""
        if not event_ids:
            return set()
        inbox = InboxRow.__table__
        # A Core select: the ORM's handling of an entity query costs more than the lookup.
        return set(
            self._session.scalars(select(inbox.c.event_id).where(inbox.c.event_id.in_(event_ids)))
        )

    def record(self, event_id: str, subject: str, now: datetime) -> None:
        _insert_row(
            self._session, InboxRow, {"event_id": event_id, "subject": subject, "apply_time": now}
        )

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(InboxRow)) or 0


class DeadLetterRepository:
    MAX_PAYLOAD = 64 * 1024

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, subject: str, reason: str, detail: str, payload: bytes, now: datetime) -> None:
        self._session.add(
            DeadLetterRow(
                subject=subject[:200],
                reason=reason,
                detail=detail[:2000],
                payload=payload[: self.MAX_PAYLOAD],
                receive_time=now,
            )
        )

    def counts(self) -> dict[str, int]:
        rows = self._session.execute(
            select(DeadLetterRow.reason, func.count()).group_by(DeadLetterRow.reason)
        )
        return {reason: int(count) for reason, count in rows}


class Repositories:
    """Every repository, bound to one transaction's session; each is made when first used (a
    read touches one or two of them)."""

    def __init__(self, transaction: Session | ReadTransaction) -> None:
        """`transaction`: a write transaction's session, or a read transaction, whose session
        is made only if a repository needs one."""
        self._transaction = transaction

    @cached_property
    def session(self) -> Session:
        return _session_of(self._transaction)

    @cached_property
    def organisations(self) -> OrganisationRepository:
        return OrganisationRepository(self._transaction)

    @cached_property
    def assessments(self) -> AssessmentRepository:
        return AssessmentRepository(self.session)

    @cached_property
    def business_plans(self) -> BusinessPlanRepository:
        return BusinessPlanRepository(self.session)

    @cached_property
    def needs(self) -> NeedRepository:
        return NeedRepository(self._transaction)

    @cached_property
    def expert_offers(self) -> ExpertOfferRepository:
        return ExpertOfferRepository(self._transaction)

    @cached_property
    def idempotency(self) -> IdempotencyRepository:
        return IdempotencyRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session)

    @cached_property
    def inbox(self) -> InboxRepository:
        return InboxRepository(self.session)

    @cached_property
    def dead_letters(self) -> DeadLetterRepository:
        return DeadLetterRepository(self.session)

    @cached_property
    def catalogue(self) -> CatalogueRepository:
        return CatalogueRepository(self.session)

    @cached_property
    def referrals(self) -> ReferralRepository:
        return ReferralRepository(self.session)

    @cached_property
    def knowledge_items(self) -> KnowledgeItemRepository:
        return KnowledgeItemRepository(self.session)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.session)

    @cached_property
    def disclosed_contacts(self) -> DisclosedContactRepository:
        return DisclosedContactRepository(self.session)

    @cached_property
    def pending_erasures(self) -> PendingErasureRepository:
        return PendingErasureRepository(self.session)

    @cached_property
    def erasures(self) -> ErasureRepository:
        return ErasureRepository(self.session)

    @cached_property
    def people(self) -> PeopleRepository:
        return PeopleRepository(self.session)

    @cached_property
    def saved_searches(self) -> SavedSearchRepository:
        return SavedSearchRepository(self.session)

    @cached_property
    def mails(self) -> MailRepository:
        return MailRepository(self.session)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Calls `callback` once this transaction committed (never if it rolls back). For
        write transactions: a read transaction commits nothing."""
        if isinstance(self._transaction, ReadTransaction):
            raise TypeError("after_commit is for write transactions; this one only reads")
        event.listen(self.session, "after_commit", lambda _session: callback(), once=True)
