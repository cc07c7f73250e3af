"""What every servicer of a node needs: its region, store, code lists and clock."""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.message import Message
from sqlalchemy.exc import IntegrityError

from twoins.common import taxonomy
from twoins.common.envelope import subject_for, wrap
from twoins.common.network import Region
from twoins.node.domain.anonymiser.localities import Localities
from twoins.node.domain.anonymiser.publication import DEFAULT_K
from twoins.node.domain.audit import SignatureCheck
from twoins.node.domain.errors import Conflict, FieldViolation, InvalidArgument
from twoins.node.domain.text import utc_now
from twoins.node.peers import Peers
from twoins.node.places import partner_localities
from twoins.node.semantic import TextEmbedder
from twoins.node.store.audit import HeadSigner
from twoins.node.store.catalogue_index import CatalogueIndex
from twoins.node.store.node_store import NodeStore
from twoins.node.store.repositories import Repositories

ResultT = TypeVar("ResultT")

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


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
    #: The partner regions' towns, generalised in the text of what leaves the region.
    localities: Localities = field(default_factory=partner_localities)

    def emit(self, repositories: Repositories, payloads: list[Message]) -> None:
        """Writes events to the outbox in the caller's transaction."""
        now = self.clock()
        for payload in payloads:
            envelope = wrap(payload, self.region.id, now)
            repositories.outbox.add(
                envelope.event_id,
                subject_for(self.region.id, payload),
                envelope.SerializeToString(),
                now,
            )
        if payloads:
            self.outbox_written.set()

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
        fingerprint = request_fingerprint(request)
        for _attempt in range(2):
            try:
                with self.store.write() as repositories:
                    first = repositories.idempotency.first_result(request_id, method, fingerprint)
                    if first is not None:
                        return load(repositories, first)
                    new_id = str(uuid.uuid4())
                    result = create(repositories, new_id)
                    repositories.idempotency.remember(
                        request_id, method, fingerprint, new_id, self.clock()
                    )
                    return result
            except IntegrityError:
                # A concurrent request with the same key won the race (PostgreSQL); read its
                # result on the second pass.
                continue
        raise Conflict(
            "another request with this request_id is being handled; retry",
            reason="REQUEST_IN_PROGRESS",
        )


def request_fingerprint(request: Message) -> str:
    """SHA-256 of a create request without its request_id."""
    copy = type(request)()
    copy.CopyFrom(request)
    copy.ClearField("request_id")
    return hashlib.sha256(copy.SerializeToString(deterministic=True)).hexdigest()


def require_id(value: str, field: str = "id") -> str:
    """A resource id from a request: present and a UUID, else InvalidArgument."""
    if not value:
        raise InvalidArgument(
            f"{field} is required", violations=(FieldViolation(field, "required"),)
        )
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidArgument(
            f"{field} is not an id this service issued",
            violations=(FieldViolation(field, "must be a UUID"),),
        ) from None


def mask_paths(mask: FieldMask, resource: str, allowed: frozenset[str]) -> list[str]:
    """The update mask's paths, each one a field that may change; InvalidArgument otherwise."""
    if not mask.paths:
        raise InvalidArgument(
            "update_mask is required: name the fields to change",
            violations=(FieldViolation("update_mask", "required"),),
        )
    paths = []
    for path in mask.paths:
        top = path.split(".", 1)[0]
        if top not in allowed:
            raise InvalidArgument(
                f"{resource}.{path} cannot be updated",
                violations=(
                    FieldViolation(
                        "update_mask", f"{path!r} is not one of {', '.join(sorted(allowed))}"
                    ),
                ),
            )
        if top not in paths:
            paths.append(top)
    return paths
