"""ReferralService: this region's side of referrals with other regions.

Each move is checked against the lifecycle and against who may make it, kept with the
referral's other moves, folded, and sent to the other region as a ReferralMoved event.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

import grpc

from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT
from twoins.common.roles import REGIONAL_STAFF
from twoins.node.api.access import check_offer_owner, current_principal
from twoins.node.api.disclosure import DISCLOSABLE, audit, disclosed_contact, erase_at_peers
from twoins.node.api.request_checks import require_id
from twoins.node.context import NodeContext
from twoins.node.domain.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from twoins.node.domain.expert_offer import ExpertOfferState
from twoins.node.domain.need import NeedState
from twoins.node.domain.referral import (
    Action,
    Move,
    Outcome,
    Referral,
    ReferralState,
    Side,
    add_working_days,
    check_move,
    follow_up,
    kpis,
)
from twoins.node.domain.support import ServiceType
from twoins.node.messages.convert import enum_from_proto, enums_from_proto
from twoins.node.messages.referrals import catalogue_title, move_event, referral_to_proto
from twoins.node.notify.notifier import referral_record
from twoins.node.store.catalogue import NEEDS, OFFERS
from twoins.node.store.pagination import next_page_token, page_request
from twoins.node.store.repositories import Repositories
from twoins.v1 import referral_pb2 as pb
from twoins.v1 import referral_pb2_grpc

logger = logging.getLogger(__name__)

#: Calendar days of grace after the answer deadline (the node's `referral_answer_days`).
GRACE_DAYS = 2
MAX_HOURS = 10_000


class ReferralServicer(referral_pb2_grpc.ReferralServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    @property
    def _region(self) -> str:
        return self._node.region.id

    def _expert_scope(self, repositories: Repositories) -> list[str] | None:
        """For an expert (not a manager or facilitator): the ids of their own offers, whose
        referrals alone they see; None for everyone else."""
        principal = current_principal()
        if principal is None or principal.has_role(*REGIONAL_STAFF):
            return None
        return repositories.expert_offers.ids_owned_by(principal.subject)

    def _visible(self, repositories: Repositories, referral: Referral) -> Referral:
        owned = self._expert_scope(repositories)
        if owned is not None and referral.offer_id not in owned:
            # The same answer as for a referral that does not exist.
            raise NotFound(
                f"referral {referral.id} does not exist in this region",
                metadata={"resource": "referral", "id": referral.id},
            )
        return referral

    def _check_actor(self, repositories: Repositories, referral: Referral, side: Side) -> None:
        """The need side acts through its facilitators and managers; the offer side through
        the offer's own expert or a cluster manager."""
        principal = current_principal()
        if principal is None:
            return
        if side is Side.NEED and not principal.has_role(*REGIONAL_STAFF):
            raise PermissionDenied(
                "the SME's region acts through its facilitators and cluster managers",
                reason="ROLE_NOT_ALLOWED",
            )
        if side is Side.OFFER:
            if not principal.has_role(EXPERT, CLUSTER_MANAGER):
                raise PermissionDenied(
                    "the expert's region acts through the expert or a cluster manager",
                    reason="ROLE_NOT_ALLOWED",
                )
            offer = repositories.expert_offers.get(referral.offer_id)
            check_offer_owner(offer.owner, offer.id)

    def CreateReferral(
        self, request: pb.CreateReferralRequest, context: grpc.ServicerContext
    ) -> pb.CreateReferralResponse:
        need_id = require_id(request.referral.need_id, "referral.need_id")
        offer_id = require_id(request.referral.offer_id, "referral.offer_id")
        now = self._node.clock()

        def create(repositories: Repositories, new_id: str) -> Referral:
            referral = self._proposal(repositories, new_id, need_id, offer_id, now)
            self._check_actor(repositories, referral, referral.initiator)
            proposal = Move(str(uuid.uuid4()), new_id, 1, Action.PROPOSE, referral.initiator, now)
            repositories.referrals.create(referral, proposal, now)
            self._node.emit(repositories, [move_event(referral, proposal)])
            self._follow(repositories, new_id)
            return referral

        def load(repositories: Repositories, first_id: str) -> Referral:
            return repositories.referrals.get(first_id)

        referral = self._node.create_once(
            "CreateReferral", request, request.request_id, create, load
        )
        return pb.CreateReferralResponse(referral=self._shown(referral, self._node.clock()))

    def _shown(self, referral: Referral, now: datetime) -> pb.Referral:
        """The referral as this region's API shows it, with the titles it knows."""
        with self._node.store.read() as repositories:
            titles = referral_titles(repositories, referral, self._region)
        return referral_to_proto(referral, self._region, now, titles)

    def _proposal(
        self, repositories: Repositories, new_id: str, need_id: str, offer_id: str, now: datetime
    ) -> Referral:
        """The new referral: one of need and offer is this region's, the other in the network
        catalogue from another region."""
        catalogue = self._node.catalogue
        local_need = repositories.needs.find(need_id)
        if local_need is not None:
            if local_need.state not in (NeedState.PUBLISHED, NeedState.MATCHED):
                raise InvalidArgument(
                    f"need {need_id} is {local_need.state.name}: only a published need can be "
                    "referred",
                    violations=(FieldViolation("referral.need_id", "must be published"),),
                )
            entry = catalogue.offer(offer_id)
            if entry is None:
                raise NotFound(
                    f"expert offer {offer_id} is not in the network catalogue",
                    metadata={"resource": "expert_offer", "id": offer_id},
                )
            initiator, need_region, offer_region = Side.NEED, self._region, entry.origin_region
        else:
            local_offer = repositories.expert_offers.find(offer_id)
            if local_offer is None:
                raise NotFound(
                    "neither the need nor the offer is this region's: a referral starts at the "
                    "region of one of them",
                    metadata={"resource": "referral"},
                )
            if local_offer.state is not ExpertOfferState.PUBLISHED:
                raise InvalidArgument(
                    f"expert offer {offer_id} is {local_offer.state.name}: publish it first",
                    violations=(FieldViolation("referral.offer_id", "must be published"),),
                )
            entry = catalogue.need(need_id)
            if entry is None:
                raise NotFound(
                    f"need {need_id} is not in the network catalogue",
                    metadata={"resource": "need", "id": need_id},
                )
            initiator, need_region, offer_region = Side.OFFER, entry.origin_region, self._region
        if need_region == offer_region:
            raise InvalidArgument(
                "a referral joins two regions; need and offer are both of "
                f"{need_region}: work the case within the region",
                violations=(FieldViolation("referral", "need and offer of one region"),),
            )
        return Referral(
            id=new_id,
            need_id=need_id,
            offer_id=offer_id,
            need_region=need_region,
            offer_region=offer_region,
            initiator=initiator,
            state=ReferralState.PROPOSED,
            version=1,
            create_time=now,
            update_time=now,
            answer_due=add_working_days(now, self._node.referral_answer_days),
        )

    def GetReferral(
        self, request: pb.GetReferralRequest, context: grpc.ServicerContext
    ) -> pb.GetReferralResponse:
        referral_id = require_id(request.id)
        with self._node.store.read() as repositories:
            referral = self._visible(repositories, repositories.referrals.get(referral_id))
            titles = referral_titles(repositories, referral, self._region)
        return pb.GetReferralResponse(
            referral=referral_to_proto(referral, self._region, self._node.clock(), titles)
        )

    def ListReferrals(
        self, request: pb.ListReferralsRequest, context: grpc.ServicerContext
    ) -> pb.ListReferralsResponse:
        states = enums_from_proto(ReferralState, request.states, "states")
        with self._node.store.read() as repositories:
            owned = self._expert_scope(repositories)
            page = page_request(
                request.page_size,
                request.page_token,
                (
                    "referrals",
                    sorted(state.name for state in states),
                    owned,
                    request.escalated_only,
                ),
            )
            referrals, last, more = repositories.referrals.page(
                page, states, owned, request.escalated_only
            )
            titles = [referral_titles(repositories, item, self._region) for item in referrals]
        now = self._node.clock()
        return pb.ListReferralsResponse(
            referrals=[
                referral_to_proto(item, self._region, now, item_titles)
                for item, item_titles in zip(referrals, titles, strict=True)
            ],
            next_page_token=next_page_token(page, last, more),
        )

    def _move(
        self,
        referral_id: str,
        action: Action,
        outcome: Outcome = Outcome.UNSPECIFIED,
        hours: int = 0,
        support: ServiceType | None = None,
    ) -> pb.Referral:
        checked_id = require_id(referral_id)
        now = self._node.clock()
        with self._node.store.write() as repositories:
            after = self._record_move(
                repositories, checked_id, action, now, outcome, hours, support
            )
        return self._shown(after, now)

    def _record_move(
        self,
        repositories: Repositories,
        referral_id: str,
        action: Action,
        now: datetime,
        outcome: Outcome = Outcome.UNSPECIFIED,
        hours: int = 0,
        support: ServiceType | None = None,
    ) -> Referral:
        """This region's move, checked, recorded and sent, in the caller's transaction."""
        before = self._visible(
            repositories, repositories.referrals.get(referral_id, for_update=True)
        )
        side = before.side_of(self._region)
        self._check_actor(repositories, before, side)
        check_move(before, action, side)
        move = Move(
            str(uuid.uuid4()),
            referral_id,
            before.version + 1,
            action,
            side,
            now,
            outcome=outcome,
            hours=hours,
            support=support,
        )
        after, _changed = repositories.referrals.record(referral_id, move, now)
        self._node.emit(repositories, [move_event(after, move)])
        self._follow(repositories, referral_id)
        return after

    def _follow(self, repositories: Repositories, referral_id: str) -> None:
        """Whoever makes or answers a referral hears of the other side's next moves."""
        principal = current_principal()
        self._node.follow(
            repositories, referral_record(referral_id), principal.subject if principal else None
        )

    def AcceptReferral(
        self, request: pb.AcceptReferralRequest, context: grpc.ServicerContext
    ) -> pb.AcceptReferralResponse:
        return pb.AcceptReferralResponse(referral=self._move(request.id, Action.ACCEPT))

    def DeclineReferral(
        self, request: pb.DeclineReferralRequest, context: grpc.ServicerContext
    ) -> pb.DeclineReferralResponse:
        return pb.DeclineReferralResponse(referral=self._move(request.id, Action.DECLINE))

    def RecordReferralConsent(
        self, request: pb.RecordReferralConsentRequest, context: grpc.ServicerContext
    ) -> pb.RecordReferralConsentResponse:
        return pb.RecordReferralConsentResponse(
            referral=self._move(request.id, Action.GIVE_CONSENT)
        )

    def EngageReferral(
        self, request: pb.EngageReferralRequest, context: grpc.ServicerContext
    ) -> pb.EngageReferralResponse:
        return pb.EngageReferralResponse(referral=self._move(request.id, Action.ENGAGE))

    def CompleteReferral(
        self, request: pb.CompleteReferralRequest, context: grpc.ServicerContext
    ) -> pb.CompleteReferralResponse:
        violations = []
        if request.outcome not in (value.value for value in Outcome) or not request.outcome:
            violations.append(FieldViolation("outcome", "name what the engagement achieved"))
        if not 1 <= request.hours_delivered <= MAX_HOURS:
            violations.append(FieldViolation("hours_delivered", f"1 to {MAX_HOURS:,} hours"))
        if not request.support_delivered:
            violations.append(FieldViolation("support_delivered", "name the kind of support"))
        if violations:
            raise InvalidArgument("the completion is incomplete", violations=tuple(violations))
        return pb.CompleteReferralResponse(
            referral=self._move(
                request.id,
                Action.COMPLETE,
                Outcome(request.outcome),
                request.hours_delivered,
                enum_from_proto(ServiceType, request.support_delivered, "support_delivered"),
            )
        )

    def WithdrawReferral(
        self, request: pb.WithdrawReferralRequest, context: grpc.ServicerContext
    ) -> pb.WithdrawReferralResponse:
        return pb.WithdrawReferralResponse(referral=self._move(request.id, Action.WITHDRAW))

    def GetReferralKpis(
        self, request: pb.GetReferralKpisRequest, context: grpc.ServicerContext
    ) -> pb.GetReferralKpisResponse:
        principal = current_principal()
        elsewhere = principal is not None and principal.region != self._region
        if elsewhere and not request.network_share:
            raise PermissionDenied(
                "a region's own figures are its staff's; ask for the network share instead",
                reason="WRONG_REGION",
            )
        now = self._node.clock()
        with self._node.store.read() as repositories:
            figures = kpis(repositories.referrals.all(), self._region, now, request.network_share)
        return pb.GetReferralKpisResponse(
            by_state=figures.by_state,
            answered=figures.answered,
            accepted=figures.accepted,
            acceptance_rate=figures.acceptance_rate,
            mean_hours_to_first_answer=figures.mean_hours_to_first_answer,
            completed_by_outcome=figures.completed_by_outcome,
            hours_delivered=figures.hours_delivered,
            overdue=figures.overdue,
        )

    def GetDisclosedContact(
        self, request: pb.GetDisclosedContactRequest, context: grpc.ServicerContext
    ) -> pb.GetDisclosedContactResponse:
        referral_id = require_id(request.id)
        with self._node.store.read() as repositories:
            self._visible(repositories, repositories.referrals.get(referral_id))
            contact, organisation_name = disclosed_contact(repositories, referral_id)
        return pb.GetDisclosedContactResponse(contact=contact, organisation_name=organisation_name)

    def WithdrawReferralConsent(
        self, request: pb.WithdrawReferralConsentRequest, context: grpc.ServicerContext
    ) -> pb.WithdrawReferralConsentResponse:
        """The SME withdrew its consent. In one transaction: this region erases the expert's
        contact, records the withdrawal and the erasure the expert's region owes, and
        withdraws the referral; then the expert's region is asked to erase the SME's contact,
        at once and, until it confirms, again by the contact exchange job. Every erasure is in
        the audit logs."""
        referral_id = require_id(request.id)
        with self._node.store.read() as repositories:
            referral = self._visible(repositories, repositories.referrals.get(referral_id))
        if referral.side_of(self._region) is not Side.NEED:
            raise PermissionDenied(
                "the SME's consent is withdrawn at the SME's region", reason="NOT_YOUR_MOVE"
            )
        if referral.state not in DISCLOSABLE:
            raise FailedPrecondition(
                f"referral {referral_id} is {referral.state.name}: no consent is recorded",
                reason="NO_CONSENT",
            )
        now = self._node.clock()
        principal = current_principal()
        actor = principal.subject if principal is not None else f"node:{self._region}"
        with self._node.store.write() as repositories:
            current = repositories.referrals.get(referral_id, for_update=True)
            sign = self._node.audit_signer
            if repositories.disclosed_contacts.erase(referral_id):
                audit(
                    repositories, current, self._region, "disclosure.erased", actor, b"", now, sign
                )
            audit(repositories, current, self._region, "consent.withdrawn", actor, b"", now, sign)
            repositories.pending_erasures.add(referral_id, current.offer_region, now)
            after = self._record_move(repositories, referral_id, Action.WITHDRAW, now)
        erase_at_peers(self._node, only=referral_id)
        return pb.WithdrawReferralConsentResponse(referral=self._shown(after, now))


def follow_up_referrals(node: NodeContext, now: datetime) -> tuple[int, int]:
    """Reminds this region of proposals it must answer soon, and escalates the late ones to
    its cluster manager (listed with `escalated_only`); returns (reminded, escalated)."""
    reminded = escalated = 0
    own = node.region.id
    with node.store.write() as repositories:
        for referral in repositories.referrals.awaiting_answer():
            after = follow_up(referral, referral.side_of(own), now)
            if after == referral:
                continue
            repositories.referrals.save_follow_up(after)
            if node.notifier is not None:
                node.notifier.referral_followed_up(repositories, referral, after)
            if after.reminded_time != referral.reminded_time:
                reminded += 1
                logger.info("referral answer due soon", extra={"referral": referral.id})
            if after.escalated_time != referral.escalated_time:
                escalated += 1
                logger.warning(
                    "referral answer late: escalated to the cluster manager",
                    extra={"referral": referral.id},
                )
    return reminded, escalated


def expire_overdue_referrals(node: NodeContext, now: datetime) -> int:
    """Expires the proposals nobody answered by their deadline and the grace after it."""
    expired = 0
    with node.store.write() as repositories:
        for referral in repositories.referrals.due_for_expiry(now - timedelta(days=GRACE_DAYS)):
            move = Move(
                str(uuid.uuid4()),
                referral.id,
                referral.version + 1,
                Action.EXPIRE,
                referral.side_of(node.region.id),
                now,
            )
            after, changed = repositories.referrals.record(referral.id, move, now)
            if changed:
                node.emit(repositories, [move_event(after, move)])
                expired += 1
    return expired


def referral_titles(
    repositories: Repositories, referral: Referral, own_region: str
) -> tuple[str, str]:
    """The need's and the offer's titles as this region knows them: its own entry's title
    on its own side, the network catalogue's on the other; empty when neither has it."""
    own_need = referral.need_region == own_region
    own_offer = referral.offer_region == own_region
    need = repositories.needs.find(referral.need_id) if own_need else None
    offer = repositories.expert_offers.find(referral.offer_id) if own_offer else None
    need_title = (
        need.title
        if need is not None
        else catalogue_title("need", repositories.catalogue.message_of(NEEDS, referral.need_id))
    )
    offer_title = (
        offer.title
        if offer is not None
        else catalogue_title("offer", repositories.catalogue.message_of(OFFERS, referral.offer_id))
    )
    return need_title, offer_title
