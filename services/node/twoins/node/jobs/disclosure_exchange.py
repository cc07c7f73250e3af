"""Between the two regions of a referral, retried until they succeed: on the expert's side the
contact exchange once the SME's consent is recorded; on the SME's side the erasure at the
expert's region after a withdrawn consent; on both the exchange of audit heads."""

from __future__ import annotations

import logging
import threading

from twoins.node.api.audit_heads import sync_audit_heads
from twoins.node.api.disclosure import (
    DISCLOSABLE,
    contact_bytes,
    erase_at_peers,
    record_exchange,
)
from twoins.node.context import NodeContext
from twoins.node.domain.referral import Referral, Side
from twoins.v1 import common_pb2

logger = logging.getLogger(__name__)


class DisclosureWorker:
    """Every `interval` seconds: on the expert's side, exchanges contacts for every referral
    whose consent is recorded and whose SME contact this node has not received yet; on the
    SME's side, asks again for the erasures not yet confirmed; and exchanges audit heads."""

    def __init__(self, node: NodeContext, interval: float = 1.0) -> None:
        self._node = node
        self._interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, daemon=True, name=f"disclosure-{self._node.region.id}"
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self.exchange_pending()
            except Exception:
                logger.exception("contact exchange failed; retrying at the next interval")
            try:
                erase_at_peers(self._node)
            except Exception:
                logger.exception(
                    "erasure at the other region failed; retrying at the next interval"
                )
            try:
                sync_audit_heads(self._node)
            except Exception:
                logger.exception("audit head exchange failed; retrying at the next interval")

    def pending(self) -> list[Referral]:
        own = self._node.region.id
        with self._node.store.read() as repositories:
            received = repositories.disclosed_contacts.referral_ids()
            return [
                referral
                for referral in repositories.referrals.open_of_side(own, Side.OFFER)
                if referral.state in DISCLOSABLE and referral.id not in received
            ]

    def exchange_pending(self) -> int:
        peers = self._node.peers
        if peers is None:
            return 0
        done = 0
        for referral in self.pending():
            with self._node.store.read() as repositories:
                offer = repositories.expert_offers.get(referral.offer_id)
            expert = common_pb2.Contact(
                name=offer.expert.name,
                role=offer.expert.role,
                email=offer.expert.email,
                phone=offer.expert.phone,
            )
            answer = peers.exchange(referral.need_region, referral.id, expert)
            now = self._node.clock()
            own = self._node.region.id
            with self._node.store.write() as repositories:
                record_exchange(
                    repositories,
                    referral,
                    own,
                    counterpart=referral.need_region,
                    actor=f"node:{own}",
                    sent=contact_bytes(expert),
                    received=(answer.contact, answer.organisation_name),
                    now=now,
                    sign=self._node.audit_signer,
                )
            done += 1
        return done
