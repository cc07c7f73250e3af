"""The audit log's evidence between two regions: signed heads handed over and countersigned.

After each disclosure, the two nodes of a referral exchange their logs' newest signed heads
(DisclosureService.ExchangeAuditHeads): each keeps the other's head and a countersignature of
its own head, so that what one region's log says can be checked against what the other holds.
"""

from __future__ import annotations

import logging

from twoins.node.context import NodeContext
from twoins.node.domain.audit import (
    Countersignature,
    SignedHead,
    countersignature_message,
    head_message,
)
from twoins.node.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from twoins.v1 import disclosure_pb2

logger = logging.getLogger(__name__)


def head_to_proto(head: SignedHead) -> disclosure_pb2.SignedAuditHead:
    return disclosure_pb2.SignedAuditHead(
        region=head.region,
        sequence=head.sequence,
        entry_hash=head.entry_hash,
        key_id=head.key_id,
        signature=head.signature,
    )


def head_from_proto(head: disclosure_pb2.SignedAuditHead) -> SignedHead:
    return SignedHead(head.region, head.sequence, head.entry_hash, head.key_id, head.signature)


def _checked_head(node: NodeContext, region: str, head: SignedHead) -> SignedHead:
    if node.signatures is None:
        raise FailedPrecondition(
            "this node has no network key ring: it cannot check an audit head",
            reason="NO_KEYRING",
        )
    if head.region != region or head.sequence < 1 or len(head.entry_hash) != 64:
        raise InvalidArgument(f"the audit head must be {region}'s newest entry, hash and all")
    message = head_message(head.region, head.sequence, head.entry_hash)
    if not node.signatures(region, message, head.key_id, head.signature):
        raise PermissionDenied(
            f"the audit head is not signed by {region}'s key", reason="AUDIT_HEAD_NOT_SIGNED"
        )
    return head


def _countersign(node: NodeContext, head: SignedHead) -> Countersignature:
    assert node.audit_signer is not None
    own = node.region.id
    message = countersignature_message(own, head.region, head.sequence, head.entry_hash)
    kid, signature = node.audit_signer.sign(message)
    return Countersignature(own, head.sequence, head.entry_hash, kid, signature)


def receive_head(
    node: NodeContext, caller: str, request: disclosure_pb2.ExchangeAuditHeadsRequest
) -> disclosure_pb2.ExchangeAuditHeadsResponse:
    """Keeps the caller's signed head (refusing one older than, or forked from, a head kept
    before), countersigns it, and answers with this node's own signed head."""
    if node.audit_signer is None:
        raise FailedPrecondition(
            "this node has no signing key: it cannot countersign", reason="NO_SIGNING_KEY"
        )
    head = _checked_head(node, caller, head_from_proto(request.head))
    signed = _countersign(node, head)
    with node.store.write() as repositories:
        repositories.audit.keep_counterpart_head(caller, head, node.clock())
        own = repositories.audit.sign_head(node.audit_signer)
    response = disclosure_pb2.ExchangeAuditHeadsResponse(
        countersignature=disclosure_pb2.AuditHeadCountersignature(
            region=signed.countersigner, key_id=signed.key_id, signature=signed.signature
        )
    )
    if own is not None:
        response.head.CopyFrom(head_to_proto(own))
    return response


def sync_audit_heads(node: NodeContext) -> int:
    """Hands this node's newest signed head to every counterpart that has not countersigned
    it yet, and keeps what each answers; the number of counterparts brought up to date.
    A counterpart that cannot be reached is tried again at the next round."""
    if node.peers is None or node.audit_signer is None:
        return 0
    with node.store.write() as repositories:
        head = repositories.audit.sign_head(node.audit_signer)
        if head is None:
            return 0
        behind = [
            counterpart
            for counterpart in repositories.audit.counterparts()
            if repositories.audit.countersigned_sequence(counterpart) < head.sequence
        ]
    done = 0
    for counterpart in behind:
        try:
            answer = node.peers.exchange_audit_heads(counterpart, head_to_proto(head))
            _keep_answer(node, counterpart, head, answer)
        except Exception as error:  # unreachable, refused or a bad answer: the next round
            logger.warning(
                "audit heads not exchanged; retrying",
                extra={"counterpart": counterpart, "error": str(error)},
            )
            continue
        done += 1
    return done


def _keep_answer(
    node: NodeContext,
    counterpart: str,
    head: SignedHead,
    answer: disclosure_pb2.ExchangeAuditHeadsResponse,
) -> None:
    signed = Countersignature(
        counterpart,
        head.sequence,
        head.entry_hash,
        answer.countersignature.key_id,
        answer.countersignature.signature,
    )
    message = countersignature_message(counterpart, head.region, head.sequence, head.entry_hash)
    assert node.signatures is not None
    if answer.countersignature.region != counterpart or not node.signatures(
        counterpart, message, signed.key_id, signed.signature
    ):
        raise PermissionDenied(f"{counterpart}'s countersignature does not verify")
    theirs = (
        _checked_head(node, counterpart, head_from_proto(answer.head))
        if answer.HasField("head")
        else None
    )
    with node.store.write() as repositories:
        repositories.audit.keep_countersignature(signed, node.clock())
        if theirs is not None:
            repositories.audit.keep_counterpart_head(counterpart, theirs, node.clock())
