"""Consent-gated disclosure between the two regions of a referral, point to point.

Once the SME's region records the SME's consent (CONSENT_GIVEN), the expert's region calls the
SME's region (DisclosureService.ExchangeContacts, with its node's service-account token): it
sends the expert's contact and receives the SME's; the SME's region then marks the referral
DISCLOSED. Every contact sent or received is recorded at both ends in the hash-chained audit
log (a digest of the data, who, when, under which consent). When the SME withdraws its consent
the expert's region is told to erase what it got (EraseDisclosure).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

import grpc
from google.protobuf import json_format

from twoins.node.api.access import current_principal
from twoins.node.api.audit_heads import receive_head
from twoins.node.api.request_checks import require_id
from twoins.node.context import NodeContext
from twoins.node.domain.audit import digest
from twoins.node.domain.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from twoins.node.domain.referral import Action, Move, Referral, ReferralState, Side
from twoins.node.messages.convert import contact_to_proto
from twoins.node.messages.referrals import move_event
from twoins.node.store.audit import HeadSigner
from twoins.node.store.erasures import ErasureRecord
from twoins.node.store.repositories import Repositories
from twoins.v1 import common_pb2, disclosure_pb2, disclosure_pb2_grpc

logger = logging.getLogger(__name__)

#: States in which contacts may have been disclosed (and the exchange may be retried).
DISCLOSABLE = frozenset(
    {ReferralState.CONSENT_GIVEN, ReferralState.DISCLOSED, ReferralState.ENGAGED}
)


def consent_of(repositories: Repositories, referral_id: str) -> str:
    """The consent a disclosure rests on: the id of the referral's consent move."""
    for move in repositories.referrals.moves(referral_id):
        if move.action is Action.GIVE_CONSENT:
            return f"consent-move:{move.move_id}"
    return ""


def contact_bytes(contact: common_pb2.Contact, organisation_name: str = "") -> bytes:
    return json_format.MessageToJson(contact, sort_keys=True).encode() + organisation_name.encode()


def keep_contact(
    repositories: Repositories,
    referral: Referral,
    counterpart: str,
    contact: common_pb2.Contact,
    organisation_name: str,
    now: datetime,
) -> None:
    repositories.disclosed_contacts.keep(
        referral.id,
        counterpart,
        json_format.MessageToDict(contact, preserving_proto_field_name=True),
        organisation_name,
        now,
    )


def audit(
    repositories: Repositories,
    referral: Referral,
    own_region: str,
    kind: str,
    actor: str,
    data: bytes,
    now: datetime,
    sign: HeadSigner | None,
) -> None:
    counterpart = (
        referral.offer_region if referral.need_region == own_region else referral.need_region
    )
    repositories.audit.append(
        time=now,
        kind=kind,
        referral_id=referral.id,
        counterpart=counterpart,
        actor=actor,
        consent=consent_of(repositories, referral.id),
        data_digest=digest(data),
        sign=sign,
    )


def record_exchange(
    repositories: Repositories,
    referral: Referral,
    own_region: str,
    *,
    counterpart: str,
    actor: str,
    sent: bytes,
    received: tuple[common_pb2.Contact, str],
    now: datetime,
    sign: HeadSigner | None,
) -> None:
    """Keeps the contact received (and its organisation's name) and records both halves of
    the exchange in the audit log: a digest of what was sent and of what was received."""
    contact, organisation_name = received
    keep_contact(repositories, referral, counterpart, contact, organisation_name, now)
    for kind, data in (
        ("disclosure.sent", sent),
        ("disclosure.received", contact_bytes(contact, organisation_name)),
    ):
        audit(repositories, referral, own_region, kind, actor, data, now, sign)


class DisclosureServicer(disclosure_pb2_grpc.DisclosureServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def _caller_node(self) -> str:
        principal = current_principal()
        region = principal.node_region if principal is not None else None
        if region is None:
            raise PermissionDenied(
                "only another region's node, with its service-account token, may call this",
                reason="NODE_NOT_RECOGNISED",
            )
        return region

    def ExchangeContacts(
        self, request: disclosure_pb2.ExchangeContactsRequest, context: grpc.ServicerContext
    ) -> disclosure_pb2.ExchangeContactsResponse:
        caller = self._caller_node()
        referral_id = require_id(request.referral_id, "referral_id")
        if not (request.contact.email or request.contact.phone):
            raise InvalidArgument("send the expert's contact: an e-mail address or a phone")
        own = self._node.region.id
        now = self._node.clock()
        with self._node.store.write() as repositories:
            referral = repositories.referrals.get(referral_id, for_update=True)
            if referral.need_region != own or referral.offer_region != caller:
                # Another node's valid token is not the referral's other region's.
                raise PermissionDenied(
                    f"the node of {caller} takes no part in referral {referral_id} as the "
                    "expert's region",
                    reason="NOT_THE_COUNTERPART",
                )
            if referral.state not in DISCLOSABLE:
                raise FailedPrecondition(
                    f"referral {referral_id} is {referral.state.name}: without the SME's "
                    "recorded consent nothing is disclosed",
                    reason="NO_CONSENT",
                )
            need = repositories.needs.get(referral.need_id)
            organisation = repositories.organisations.get(need.organisation_id)
            if not organisation.contacts:
                raise FailedPrecondition("the SME has no contact person to introduce")
            sme_contact = contact_to_proto(organisation.contacts[0])
            record_exchange(
                repositories,
                referral,
                own,
                counterpart=caller,
                actor=f"node:{caller}",
                sent=contact_bytes(sme_contact, organisation.legal_name),
                received=(request.contact, ""),
                now=now,
                sign=self._node.audit_signer,
            )
            if referral.state is ReferralState.CONSENT_GIVEN:
                move = Move(
                    str(uuid.uuid4()),
                    referral.id,
                    referral.version + 1,
                    Action.DISCLOSE,
                    Side.NEED,
                    now,
                )
                after, _changed = repositories.referrals.record(referral.id, move, now)
                self._node.emit(repositories, [move_event(after, move)])
        return disclosure_pb2.ExchangeContactsResponse(
            contact=sme_contact, organisation_name=organisation.legal_name
        )

    def EraseDisclosure(
        self, request: disclosure_pb2.EraseDisclosureRequest, context: grpc.ServicerContext
    ) -> disclosure_pb2.EraseDisclosureResponse:
        caller = self._caller_node()
        referral_id = require_id(request.referral_id, "referral_id")
        own = self._node.region.id
        now = self._node.clock()
        with self._node.store.write() as repositories:
            referral = repositories.referrals.get(referral_id, for_update=True)
            if referral.offer_region != own or referral.need_region != caller:
                raise PermissionDenied(
                    f"only the SME's region of referral {referral_id} may have its data erased",
                    reason="NOT_THE_COUNTERPART",
                )
            erased = repositories.disclosed_contacts.erase(referral_id)
            if erased:
                repositories.erasures.add(
                    ErasureRecord(
                        id=str(uuid.uuid4()),
                        kind="PEER",
                        organisation_id="",
                        reason=f"{caller} erased its SME or the SME withdrew its consent",
                        requested_by=f"node:{caller}",
                        erase_time=now,
                        erased={"disclosed_contacts_received": 1},
                        referral_ids=(referral_id,),
                    )
                )
                audit(
                    repositories,
                    referral,
                    own,
                    "disclosure.erased",
                    f"node:{caller}",
                    b"",
                    now,
                    self._node.audit_signer,
                )
        return disclosure_pb2.EraseDisclosureResponse(erased=erased)

    def ExchangeAuditHeads(
        self, request: disclosure_pb2.ExchangeAuditHeadsRequest, context: grpc.ServicerContext
    ) -> disclosure_pb2.ExchangeAuditHeadsResponse:
        return receive_head(self._node, self._caller_node(), request)


def erase_at_peers(node: NodeContext, only: str | None = None) -> int:
    """Asks the expert's region of every withdrawn consent (or of referral `only`) to erase
    the SME's contact, until it confirms; returns how many it confirmed now. A region that
    cannot be reached is asked again at the next round: the withdrawal stands meanwhile."""
    if node.peers is None:
        return 0
    with node.store.read() as repositories:
        pending = [
            erasure
            for erasure in repositories.pending_erasures.unconfirmed()
            if only is None or erasure.referral_id == only
        ]
    confirmed = 0
    for erasure in pending:
        try:
            node.peers.erase(erasure.region, erasure.referral_id)
        except Exception as error:
            logger.warning(
                "the other region has not confirmed the erasure yet; asking again later",
                extra={"referral": erasure.referral_id, "region": erasure.region},
            )
            with node.store.write() as repositories:
                repositories.pending_erasures.failed(erasure.referral_id, str(error))
            continue
        with node.store.write() as repositories:
            repositories.pending_erasures.confirmed(erasure.referral_id, node.clock())
        confirmed += 1
    return confirmed


def disclosed_contact(
    repositories: Repositories, referral_id: str
) -> tuple[common_pb2.Contact, str]:
    kept = repositories.disclosed_contacts.find(referral_id)
    if kept is None:
        raise NotFound(
            f"no contact is disclosed for referral {referral_id}: the SME's consent is not "
            "recorded yet, the exchange is pending, or consent was withdrawn",
            reason="NOT_DISCLOSED",
        )
    contact = common_pb2.Contact()
    json_format.ParseDict(kept.contact, contact)
    return contact, kept.organisation_name
