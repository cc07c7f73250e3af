"""An SME's rights over its data (GDPR articles 15, 17 and 5(1)(e)): the export of every record
the region holds about it, and its erasure with everything derived from it, here and at every
region that received some of it.

An erasure is one transaction at the SME's node: its needs the network sees are withdrawn
(NeedRemoved: every region drops them from its catalogue and index), its open referrals are
withdrawn (the other region learns it), the contacts received for its referrals are erased,
an erasure at each referral's other region is written down (retried until that region
confirms, by the disclosure job), the notes of its audit entries are erased (the entries and
the chain stay) and the erasure itself is an audit entry; then its record goes with its
contacts, assessments, plans and needs. The report says what was erased where, and what is
still pending.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

from twoins.node.api.disclosure import erase_at_peers
from twoins.node.bus.events import need_events
from twoins.node.context import NodeContext
from twoins.node.domain.audit import NETWORK, digest
from twoins.node.domain.errors import FieldViolation, IllegalTransition, InvalidArgument
from twoins.node.domain.need import NeedState
from twoins.node.domain.referral import (
    TERMINAL_STATES,
    Action,
    Move,
    Referral,
    Side,
    check_move,
)
from twoins.node.messages.convert import (
    assessment_to_proto,
    business_plan_to_proto,
    need_to_proto,
    organisation_to_proto,
    set_timestamp,
)
from twoins.node.messages.referrals import move_event, referral_to_proto
from twoins.node.store.disclosures import PendingErasure
from twoins.node.store.erasures import ErasureRecord
from twoins.node.store.repositories import Repositories
from twoins.v1 import organisation_pb2

MAX_REASON = 500
ENDED_REFERRALS = tuple(sorted(state.name for state in TERMINAL_STATES))


def _json(message: Message) -> dict[str, Any]:
    return json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "name") and hasattr(value, "value"):  # an enum member
        return value.name
    return value


def export_data(node: NodeContext, organisation_id: str) -> dict[str, Any]:
    """Every record the node holds about the SME, as the contract's JSON; nothing of another."""
    now = node.clock()
    region = node.region.id
    with node.store.read() as repositories:
        organisation = repositories.organisations.get(organisation_id)
        needs = repositories.needs.of_organisation(organisation_id)
        referrals = repositories.referrals.of_needs([need.id for need in needs])
        referral_ids = [referral.id for referral in referrals]
        about = [organisation_id, *(need.id for need in needs), *referral_ids]
        received = [
            kept
            for referral_id in referral_ids
            if (kept := repositories.disclosed_contacts.find(referral_id)) is not None
        ]
        entries = repositories.audit.about(about)
        return {
            "export_time": now.isoformat(),
            "region": region,
            "organisation": _json(organisation_to_proto(organisation)),
            "assessments": [
                _json(assessment_to_proto(item))
                for item in repositories.assessments.of_organisation(organisation_id)
            ],
            "business_plan_revisions": [
                _json(business_plan_to_proto(plan))
                for plan in repositories.business_plans.every_revision_of_organisation(
                    organisation_id
                )
            ],
            "needs": [_json(need_to_proto(need)) for need in needs],
            "referrals": [
                {
                    **_json(referral_to_proto(referral, region, now)),
                    "moves": [
                        _plain(asdict(move)) for move in repositories.referrals.moves(referral.id)
                    ],
                }
                for referral in referrals
            ],
            "disclosures_made": [
                _plain(asdict(entry)) for entry in entries if entry.kind == "disclosure.sent"
            ],
            "disclosures_received": [_plain(asdict(kept)) for kept in received],
            "audit_entries": [_plain(asdict(entry)) for entry in entries],
        }


def erasure_to_proto(
    record: ErasureRecord, peers: Iterable[PendingErasure]
) -> organisation_pb2.Erasure:
    """An erasure's report, with the state of its peers' parts."""
    message = organisation_pb2.Erasure(
        id=record.id,
        kind=f"ERASURE_KIND_{record.kind}",
        organisation_id=record.organisation_id,
        reason=record.reason,
        requested_by=record.requested_by,
        erased=record.erased,
        withdrawn_need_ids=record.withdrawn_need_ids,
    )
    message.erase_time.FromDatetime(record.erase_time)
    for peer in peers:
        part = message.peers.add(
            region=peer.region,
            referral_id=peer.referral_id,
            confirmed=peer.confirm_time is not None,
            attempts=peer.attempts,
            last_error="" if peer.confirm_time is not None else peer.last_error,
        )
        set_timestamp(part.confirm_time, peer.confirm_time)
    message.complete = all(part.confirmed for part in message.peers)
    return message


def _withdraw_referral(
    node: NodeContext, repositories: Repositories, referral: Referral, now: datetime
) -> bool:
    """Withdraws an open referral from the SME's side, telling the other region."""
    try:
        check_move(referral, Action.WITHDRAW, Side.NEED)
    except IllegalTransition:
        return False  # ended already, or past the point a withdrawal is allowed
    move = Move(
        str(uuid.uuid4()), referral.id, referral.version + 1, Action.WITHDRAW, Side.NEED, now
    )
    after, _changed = repositories.referrals.record(referral.id, move, now)
    node.emit(repositories, [move_event(after, move)])
    return True


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidArgument(
            "say why the SME is erased (its request, and when)",
            violations=(FieldViolation("reason", "required"),),
        )
    if len(reason) > MAX_REASON:
        raise InvalidArgument(
            f"the reason is too long: at most {MAX_REASON} characters",
            violations=(FieldViolation("reason", "too long"),),
        )
    return reason


def erase_organisation(
    node: NodeContext, organisation_id: str, reason: str, actor: str
) -> ErasureRecord:
    """Erases the SME and everything derived from it (see the module's docstring)."""
    reason = check_reason(reason)
    now = node.clock()
    with node.store.write() as repositories:
        organisation = repositories.organisations.get(organisation_id, for_update=True)
        needs = repositories.needs.of_organisation(organisation_id)
        withdrawn: list[str] = []
        for need in needs:
            if need.state.is_visible_to_network:
                after = replace(need, state=NeedState.WITHDRAWN, update_time=now)
                node.emit(repositories, need_events(need, after, None))
                withdrawn.append(need.id)
        referrals = repositories.referrals.of_needs([need.id for need in needs])
        referral_ids = [referral.id for referral in referrals]
        withdrawn_referrals = sum(
            _withdraw_referral(node, repositories, referral, now) for referral in referrals
        )
        received = sum(repositories.disclosed_contacts.erase(rid) for rid in referral_ids)
        for referral in referrals:
            repositories.pending_erasures.add(referral.id, referral.offer_region, now)
        notes_erased, notes_kept = repositories.audit.erase_notes(
            [organisation_id, *(need.id for need in needs), *referral_ids]
        )
        counts = {
            "organisation": 1,
            "contacts": len(organisation.contacts),
            "consents": len(organisation.consents),
            "assessments": len(repositories.assessments.of_organisation(organisation_id)),
            "business_plan_revisions": len(
                repositories.business_plans.every_revision_of_organisation(organisation_id)
            ),
            "needs": len(needs),
            "needs_withdrawn_from_the_network": len(withdrawn),
            "referrals": len(referral_ids),
            "referrals_withdrawn": withdrawn_referrals,
            "disclosed_contacts_received": received,
            "audit_notes": notes_erased,
            "audit_notes_kept": notes_kept,
        }
        record = ErasureRecord(
            id=str(uuid.uuid4()),
            kind="REQUEST",
            organisation_id=organisation_id,
            reason=reason,
            requested_by=actor,
            erase_time=now,
            erased=counts,
            withdrawn_need_ids=tuple(withdrawn),
            referral_ids=tuple(referral_ids),
        )
        repositories.erasures.add(record)
        repositories.referrals.erase(referral_ids)
        # Moves of these referrals that still come (the other region's) change nothing.
        repositories.erasures.forget_referrals(referral_ids, record.id)
        repositories.organisations.delete(organisation_id)  # contacts, assessments, plans, needs
        repositories.audit.append(
            time=now,
            kind="organisation.erased",
            referral_id=organisation_id,
            counterpart=NETWORK,
            actor=actor,
            consent="the SME's right to erasure",
            data_digest=digest(json.dumps(_plain(asdict(record)), sort_keys=True).encode()),
            sign=node.audit_signer,
            note=reason,
        )
    if referral_ids:
        erase_at_peers(node)  # at once where the peers answer; the job retries the others
    return record


def erase_past_retention(node: NodeContext, now: datetime, days: int) -> ErasureRecord | None:
    """Erases what ended more than `days` ago: needs closed, withdrawn or expired (with their
    referrals, once these ended too) and ended referrals with the contacts disclosed for them,
    here and, for this region's SMEs' contacts, at the other region. None when nothing was
    due (or no limit is set)."""
    if days <= 0:
        return None
    before = now - timedelta(days=days)
    own = node.region.id
    with node.store.write() as repositories:
        needs = repositories.needs.ended_before(before)
        of_needs = repositories.referrals.of_needs([need.id for need in needs])
        open_needs = {referral.need_id for referral in of_needs if not referral.state.is_terminal}
        needs = [need for need in needs if need.id not in open_needs]
        referrals = {
            referral.id: referral
            for referral in repositories.referrals.ended_before(before, ENDED_REFERRALS)
        }
        if not needs and not referrals:
            return None
        referral_ids = sorted(referrals)
        received = sum(repositories.disclosed_contacts.erase(rid) for rid in referral_ids)
        # This region's SMEs' contacts, held by the expert's region: erased there too.
        asked = [rid for rid in referral_ids if referrals[rid].need_region == own]
        for referral_id in asked:
            repositories.pending_erasures.add(referral_id, referrals[referral_id].offer_region, now)
        notes_erased, notes_kept = repositories.audit.erase_notes(
            [*(need.id for need in needs), *referral_ids]
        )
        record = ErasureRecord(
            id=str(uuid.uuid4()),
            kind="RETENTION",
            organisation_id="",
            reason=f"ended more than {days} days ago (the region's retention limit)",
            requested_by=f"node:{own}",
            erase_time=now,
            erased={
                "needs": len(needs),
                "referrals": len(referral_ids),
                "disclosed_contacts_received": received,
                "audit_notes": notes_erased,
                "audit_notes_kept": notes_kept,
            },
            referral_ids=tuple(asked),
        )
        repositories.erasures.add(record)
        repositories.referrals.erase(referral_ids)
        repositories.erasures.forget_referrals(referral_ids, record.id)
        repositories.needs.erase([need.id for need in needs])
    if asked:
        erase_at_peers(node)
    return record
