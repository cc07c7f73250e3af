"""What every part of a running node shares: its region, store, code lists, clock, the
catalogue in memory, its peers and keys. The API's servicers and the bus's worker take it; it
sits above both, so neither imports the other for it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from google.protobuf.message import Message

from twoins.common import taxonomy
from twoins.common.auth import Principal
from twoins.common.envelope import subject_for, wrap
from twoins.common.network import Region
from twoins.node.domain.anonymiser.localities import Localities
from twoins.node.domain.anonymiser.publication import DEFAULT_K
from twoins.node.domain.audit import SignatureCheck
from twoins.node.domain.errors import FieldViolation, InvalidArgument
from twoins.node.domain.text import utc_now
from twoins.node.messages.embedding import attach_embedding
from twoins.node.notify.notifier import Caller, Notifier
from twoins.node.peers import Peers
from twoins.node.places import partner_localities
from twoins.node.request_ids import REQUEST_ID_PATTERN, request_fingerprint
from twoins.node.semantic import MODEL_NAME, TextEmbedder
from twoins.node.store.audit import HeadSigner
from twoins.node.store.catalogue_index import CatalogueIndex
from twoins.node.store.node_store import NodeStore
from twoins.node.store.repositories import Repositories

ResultT = TypeVar("ResultT")


class TaxonomyCodeLists:
    """The domain's CodeLists, backed by the network's shared taxonomy."""

    def nace(self, code: str) -> str:
        return taxonomy.nace_activity(code).code

    def nace_division(self, code: str) -> str:
        activity = taxonomy.nace_activity(code)
        if not activity.division:
            raise taxonomy.UnknownCode(f"{code!r} is a NACE section, not a division or finer")
        return activity.division

    def country(self, code: str) -> str:
        return taxonomy.normalise_country(code)

    def language(self, code: str) -> str:
        return taxonomy.normalise_language(code)


@dataclass(frozen=True)
class NodeContext:
    region: Region
    store: NodeStore
    codes: TaxonomyCodeLists
    clock: Callable[[], datetime] = utc_now
    k_anonymity: int = DEFAULT_K
    #: Embeds catalogue texts for matching; None matches on the structured criteria alone.
    embedder: TextEmbedder | None = None
    #: The network catalogue in memory, for search and matching.
    catalogue: CatalogueIndex = field(default_factory=CatalogueIndex)
    #: Set after a transaction wrote to the outbox, so the relay publishes without waiting.
    outbox_written: threading.Event = field(default_factory=threading.Event)
    #: Other regions' nodes, for consent-gated disclosure; None when the node has no peers.
    peers: Peers | None = None
    #: Working days the receiving region has to answer a referral.
    referral_answer_days: int = 5
    #: Signs the audit log's head with the node's key; None for a node without one.
    audit_signer: HeadSigner | None = None
    #: Checks another region's signature against the network key ring; None without one.
    signatures: SignatureCheck | None = None
    #: The partner regions' towns, generalised in the text of what leaves the region: read at
    #: the first publication (about 16 MB a node holds only once it publishes).
    places: Callable[[], Localities] = partner_localities
    #: Writes the mails each change tells of; None when the node sends no mail.
    notifier: Notifier | None = None

    @property
    def localities(self) -> Localities:
        return self.places()

    def note_caller(self, principal: Principal) -> None:
        """Keeps who a verified token names, for mail to them: written only when new or
        changed, so a call costs a dictionary lookup."""
        if self.notifier is None or principal.node_region is not None:
            return
        caller = Caller(
            principal.subject,
            principal.email,
            principal.name,
            principal.roles,
            principal.locale or "",
        )
        if self.notifier.needs_recording(caller):
            with self.store.write() as repositories:
                self.notifier.record_caller(repositories, caller)

    def follow(self, repositories: Repositories, record: str, subject: str | None) -> None:
        """The person is told of the record's changes (a need they wrote, a referral they made
        or answered)."""
        if self.notifier is not None and subject:
            repositories.people.follow(record, subject)

    def embed_ahead(self, payloads: list[Message]) -> None:
        """Embeds the texts of the needs or offers these events will publish, before the
        write transaction that emits them: `emit` then finds each vector among the
        embedder's recent ones (same text, same vector) instead of embedding, tens of
        milliseconds of CPU, while the transaction holds the region's one writer."""
        if self.embedder is None:
            return
        for payload in payloads:
            attach_embedding(payload, self.embedder.embed_bytes, MODEL_NAME)

    def emit(self, repositories: Repositories, payloads: list[Message]) -> None:
        """Writes events to the outbox in the caller's transaction, complete: a published
        need or offer carries its text embedding, so the relay forwards the bytes as written
        and the signature covers what was committed."""
        now = self.clock()
        for payload in payloads:
            if self.embedder is not None:
                attach_embedding(payload, self.embedder.embed_bytes, MODEL_NAME)
            envelope = wrap(payload, self.region.id, now)
            repositories.outbox.add(
                envelope.event_id,
                subject_for(self.region.id, payload),
                envelope.SerializeToString(),
                now,
            )
        if payloads:
            # After the commit: a relay woken before it would find nothing to publish yet
            # and sleep until its next look.
            repositories.after_commit(self.outbox_written.set)

    def create_once(
        self,
        method: str,
        request: Message,
        request_id: str,
        create: Callable[[Repositories, str], ResultT],
        load: Callable[[Repositories, str], ResultT],
    ) -> ResultT:
        """Runs `create(repositories, new_id)` once per `request_id`: a retry with the same key
        returns `load(repositories, first_id)` and creates nothing."""
        if not request_id:
            with self.store.write() as repositories:
                return create(repositories, str(uuid.uuid4()))
        if not REQUEST_ID_PATTERN.match(request_id):
            raise InvalidArgument(
                "request_id is malformed",
                violations=(
                    FieldViolation(
                        "request_id", "use a UUID or 8 to 64 letters, digits, '-' or '_'"
                    ),
                ),
            )
        return self.store.create_once(
            request_id,
            method,
            request_fingerprint(request),
            create,
            load,
            self.clock,
        )
