"""Publishing a need: the k-anonymity guard, the preview, consent, and the outbox event."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import field_mask_pb2
from google.protobuf.message import Message
from sqlalchemy import select

from tests.integration.conftest import start_node
from tests.support import builders
from tests.support.grpc_errors import call_error
from twoins.cli.node_client import NodeClient
from twoins.common.envelope import open_envelope
from twoins.node.api import needs as needs_api
from twoins.node.api.needs import ScrubbedAhead
from twoins.node.domain.anonymiser import publication
from twoins.node.domain.audit import AuditEntry
from twoins.node.semantic import TextEmbedder
from twoins.node.server import NodeServer
from twoins.node.store.audit import AuditLog
from twoins.node.store.tables import OutboxRow
from twoins.v1 import events_pb2, expert_offer_pb2, need_pb2, organisation_pb2

K = 3
REASON = "only SME of its kind in the region, and it asked to be found"


@pytest.fixture
def guarded_node(tmp_path: Path) -> Iterator[NodeServer]:
    server = start_node(f"sqlite:///{tmp_path / 'node.db'}", k_anonymity=K)
    yield server
    server.stop(grace=1)


def submitted_need(
    client: NodeClient, description: str = "", **organisation_changes: object
) -> need_pb2.Need:
    organisation = client.organisations.CreateOrganisation(
        organisation_pb2.CreateOrganisationRequest(
            organisation=builders.organisation(**organisation_changes)
        )
    ).organisation
    need = builders.need(organisation.id)
    need.description = description or (
        "Colucci Meccanica cerca un distributore; scrivere a Luca Ferrara, "
        "luca@coluccimeccanica.example, +39 328 316 2133, P.IVA 07134560767."
    )
    created = client.needs.CreateNeed(need_pb2.CreateNeedRequest(need=need)).need
    return client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=created.id)).need


def outbox(server: NodeServer) -> list[tuple[str, bytes]]:
    with server.database.reading() as session:
        return [
            (row.subject, row.envelope)
            for row in session.scalars(select(OutboxRow).order_by(OutboxRow.sequence))
        ]


def test_need_of_a_small_group_is_held_back_then_published_on_override(
    guarded_node: NodeServer,
) -> None:
    with NodeClient(guarded_node.address) as client:
        need = submitted_need(client)
        preview = client.needs.PreviewNeedPublication(
            need_pb2.PreviewNeedPublicationRequest(id=need.id)
        )
        assert (preview.matching_smes, preview.k, preview.would_hold_back) == (1, K, True)
        held = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=need.id)).need
        assert held.state == need_pb2.NEED_STATE_IN_REVIEW
        assert held.held_back
        assert "fewer than k=3" in held.state_reason
        assert held.state_note.code == "HELD_K_ANONYMITY"
        assert dict(held.state_note.params) == {"matching_smes": "1", "k": str(K)}
        assert outbox(guarded_node) == []
        published = client.needs.PublishNeed(
            need_pb2.PublishNeedRequest(
                id=need.id, override_k_anonymity=True, override_reason=REASON
            )
        ).need
        assert published.state == need_pb2.NEED_STATE_PUBLISHED
        assert not published.held_back
        assert "cluster manager's decision" in published.state_reason
        assert REASON in published.state_reason
        assert published.state_note.code == "PUBLISHED_OVERRIDE"
        assert dict(published.state_note.params) == {
            "matching_smes": "1",
            "k": str(K),
            "reason": REASON,
        }
        # The note is kept with the need: a later read says the same.
        again = client.needs.GetNeed(need_pb2.GetNeedRequest(id=need.id)).need
        assert again.state_note == published.state_note
    [(subject, envelope)] = outbox(guarded_node)
    # The decision is in the audit log: who, what the guard said, why, and what left.
    [entry] = audit_entries(guarded_node)
    assert (entry.kind, entry.referral_id, entry.counterpart) == (
        "publication.override",
        need.id,
        "network",
    )
    assert REASON in entry.note
    assert "k=3" in entry.note
    assert entry.data_digest == hashlib.sha256(envelope_payload(envelope)).hexdigest()
    assert subject == "twoins.v1.it-basilicata.need.published"
    _envelope, payload = open_envelope(subject, envelope, frozenset({"it-basilicata"}), verify=None)
    assert isinstance(payload, events_pb2.NeedPublished)
    assert payload.need.need_id == need.id
    # What was previewed is what left the region (but for the publish time).
    assert payload.need.description == preview.anonymised_need.description
    assert payload.need.title == preview.anonymised_need.title
    assert payload.need.HasField("publish_time")
    for secret in (b"Colucci", b"Ferrara", b"luca@", b"316 2133", b"07134560767", b"Lauria"):
        assert secret not in envelope, secret


def audit_entries(server: NodeServer) -> list[AuditEntry]:
    with server.database.reading() as session:
        log = AuditLog(session)
        assert log.verify()[1] is None, "the chain holds"
        return log.entries()


def envelope_payload(envelope: bytes) -> bytes:
    _envelope, payload = open_envelope(
        "twoins.v1.it-basilicata.need.published",
        envelope,
        frozenset({"it-basilicata"}),
        verify=None,
    )
    return payload.SerializeToString()


def test_an_override_without_a_reason_is_refused_and_nothing_leaves(
    guarded_node: NodeServer,
) -> None:
    with NodeClient(guarded_node.address) as client:
        need = submitted_need(client)
        with pytest.raises(grpc.RpcError) as raised:
            client.needs.PublishNeed(
                need_pb2.PublishNeedRequest(id=need.id, override_k_anonymity=True)
            )
        error = call_error(raised.value)
        assert error.reason == "INVALID_ARGUMENT"
        assert list(error.fields) == ["override_reason"]
        read = client.needs.GetNeed(need_pb2.GetNeedRequest(id=need.id)).need
    assert read.state == need_pb2.NEED_STATE_IN_REVIEW
    assert outbox(guarded_node) == []
    assert audit_entries(guarded_node) == []


def test_need_of_a_large_enough_group_is_published_at_once(guarded_node: NodeServer) -> None:
    with NodeClient(guarded_node.address) as client:
        needs = [submitted_need(client) for _ in range(K)]
        published = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=needs[0].id)).need
    assert published.state == need_pb2.NEED_STATE_PUBLISHED


def test_need_of_an_sme_without_sharing_consent_is_refused(guarded_node: NodeServer) -> None:
    with NodeClient(guarded_node.address) as client:
        need = submitted_need(client, consents=[])
        with pytest.raises(grpc.RpcError) as raised:
            client.needs.PublishNeed(
                need_pb2.PublishNeedRequest(
                    id=need.id, override_k_anonymity=True, override_reason=REASON
                )
            )
        assert call_error(raised.value).reason == "CONSENT_REQUIRED"
        read = client.needs.GetNeed(need_pb2.GetNeedRequest(id=need.id)).need
    assert read.state == need_pb2.NEED_STATE_IN_REVIEW


def test_withdrawing_a_published_need_tells_the_network(guarded_node: NodeServer) -> None:
    with NodeClient(guarded_node.address) as client:
        need = submitted_need(client)
        client.needs.PublishNeed(
            need_pb2.PublishNeedRequest(
                id=need.id, override_k_anonymity=True, override_reason=REASON
            )
        )
        client.needs.WithdrawNeed(need_pb2.WithdrawNeedRequest(id=need.id))
    subjects = [subject for subject, _ in outbox(guarded_node)]
    assert subjects == [
        "twoins.v1.it-basilicata.need.published",
        "twoins.v1.it-basilicata.need.removed",
    ]


@pytest.fixture
def open_node(tmp_path: Path) -> Iterator[NodeServer]:
    server = start_node(f"sqlite:///{tmp_path / 'node.db'}", k_anonymity=1)
    yield server
    server.stop(grace=1)


def test_what_the_scrubber_leaves_identifier_shaped_is_withheld_and_held_for_review(
    open_node: NodeServer,
) -> None:
    """Fail closed: a contact's surname in lower case and a long reference number survive
    the scrubber's rules; the last look withholds them, says where, and holds the need back
    (k is met) until the cluster manager decides, and nothing unsure reaches the outbox."""
    with NodeClient(open_node.address) as client:
        need = submitted_need(
            client, "Per i dettagli chiedere a ferrara in ufficio; pratica n° 4471-8823-9012-55."
        )
        preview = client.needs.PreviewNeedPublication(
            need_pb2.PreviewNeedPublicationRequest(id=need.id)
        )
        assert preview.would_hold_back
        assert preview.matching_smes >= preview.k  # not the k-anonymity guard
        description = preview.anonymised_need.description
        assert "ferrara" not in description
        assert "4471" not in description
        kinds = {(residual.field, residual.kind) for residual in preview.residuals}
        assert kinds == {("description", "own name"), ("description", "digits")}
        for residual in preview.residuals:
            assert description[residual.start : residual.end] == "[withheld]"
        held = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=need.id)).need
        assert held.state == need_pb2.NEED_STATE_IN_REVIEW
        assert held.held_back
        assert "identifier" in held.state_reason
        assert held.state_note.code == "HELD_RESIDUALS"
        assert dict(held.state_note.params) == {"count": "2", "kinds": "own name,digits"} or dict(
            held.state_note.params
        ) == {"count": "2", "kinds": "digits,own name"}
        assert outbox(open_node) == []
        published = client.needs.PublishNeed(
            need_pb2.PublishNeedRequest(
                id=need.id, override_k_anonymity=True, override_reason=REASON
            )
        ).need
        assert published.state == need_pb2.NEED_STATE_PUBLISHED
        assert "withheld" in published.state_reason
        assert dict(published.state_note.params) == {"withheld": "2", "reason": REASON}
    events = outbox(open_node)
    assert events
    for _subject, data in events:
        assert b"ferrara" not in data
        assert b"4471" not in data


def test_a_need_the_anonymiser_fails_on_is_held_with_the_reason_and_nothing_leaves(
    open_node: NodeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever breaks inside the anonymiser, the raw text never leaves: the need stays in
    review with a reason the user can act on, even on the cluster manager's override."""

    def broken(*_arguments: object, **_options: object) -> None:
        raise RecursionError("a text the rules could not take")

    with NodeClient(open_node.address) as client:
        need = submitted_need(client)
        monkeypatch.setattr("twoins.node.api.needs.anonymise_need", broken)
        with pytest.raises(grpc.RpcError) as raised:
            client.needs.PreviewNeedPublication(need_pb2.PreviewNeedPublicationRequest(id=need.id))
        assert call_error(raised.value).reason == "ANONYMISER_FAILED"
        for override in (False, True):
            held = client.needs.PublishNeed(
                need_pb2.PublishNeedRequest(
                    id=need.id, override_k_anonymity=override, override_reason=REASON
                )
            ).need
            assert held.state == need_pb2.NEED_STATE_IN_REVIEW
            assert held.held_back
            assert "could not process" in held.state_reason
            assert "edit the text" in held.state_reason
            assert held.state_note.code == "HELD_ANONYMISER_FAILED"
        monkeypatch.undo()
        published = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=need.id)).need
        assert published.state == need_pb2.NEED_STATE_PUBLISHED
    assert len(outbox(open_node)) == 1
    assert audit_entries(open_node) == []


@pytest.fixture
def plain_node(tmp_path: Path) -> Iterator[NodeServer]:
    server = start_node(f"sqlite:///{tmp_path / 'node.db'}")
    yield server
    server.stop(grace=1)


class WritersHeld:
    """At each call of the functions it watches, how many of the node's writers were held."""

    def __init__(self, node: NodeServer, monkeypatch: pytest.MonkeyPatch) -> None:
        self._node = node
        self._monkeypatch = monkeypatch
        self.calls: dict[str, list[int]] = {}

    def watch(self, work: str, owner: object, name: str, original: Callable[..., Any]) -> None:
        def run(*args: Any, **kwargs: Any) -> Any:
            pool = self._node.database.engine.pool
            self.calls.setdefault(work, []).append(pool.checkedout())  # type: ignore[attr-defined]
            return original(*args, **kwargs)

        self._monkeypatch.setattr(owner, name, run)


def only_event(node: NodeServer) -> Message:
    """The one event in the node's outbox, opened."""
    [(subject, envelope)] = outbox(node)
    _envelope, payload = open_envelope(subject, envelope, frozenset({"it-basilicata"}), verify=None)
    return payload


def published_embedding(node: NodeServer, published: type[Message]) -> bytes:
    """The text embedding of the need or offer that the one event in the outbox, of type
    `published`, publishes."""
    payload = only_event(node)
    assert isinstance(payload, published)
    if isinstance(payload, events_pb2.NeedPublished):
        return payload.need.text_embedding
    assert isinstance(payload, events_pb2.ExpertOfferPublished)
    return payload.offer.text_embedding


def test_a_need_is_scrubbed_and_embedded_outside_the_write_transaction(
    plain_node: NodeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scrubbing costs milliseconds of CPU and embedding tens: done while the region's one
    writer is held, they would hold the relay, the bus consumer and every other change as
    long."""
    held = WritersHeld(plain_node, monkeypatch)
    held.watch("scrub", needs_api, "scrub_need_texts", publication.scrub_need_texts)
    held.watch("scrub", publication, "scrub_need_texts", publication.scrub_need_texts)
    held.watch("embed", TextEmbedder, "embed", TextEmbedder.embed)
    with NodeClient(plain_node.address) as client:
        need = submitted_need(client)
        published = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=need.id)).need
    assert published.state == need_pb2.NEED_STATE_PUBLISHED
    assert held.calls == {"scrub": [0], "embed": [0]}, "each done once, with no writer held"
    assert len(published_embedding(plain_node, events_pb2.NeedPublished)) == 384 * 4, (
        "the event carries the embedding"
    )


def test_an_offer_is_embedded_outside_the_write_transaction(
    plain_node: NodeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = WritersHeld(plain_node, monkeypatch)
    held.watch("embed", TextEmbedder, "embed", TextEmbedder.embed)
    with NodeClient(plain_node.address) as client:
        created = client.expert_offers.CreateExpertOffer(
            expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
        ).expert_offer
        published = client.expert_offers.PublishExpertOffer(
            expert_offer_pb2.PublishExpertOfferRequest(id=created.id)
        ).expert_offer
    assert published.state == expert_offer_pb2.EXPERT_OFFER_STATE_PUBLISHED
    assert held.calls == {"embed": [0]}, "embedded once, with no writer held"
    assert len(published_embedding(plain_node, events_pb2.ExpertOfferPublished)) == 384 * 4, (
        "the event carries the embedding"
    )


def test_an_sme_record_changed_after_the_early_scrub_is_scrubbed_again(
    plain_node: NodeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The texts scrubbed before the transaction are used only if the SME's record still
    reads the same there: a name added meanwhile is scrubbed from what leaves."""
    description = "Our product line Brunetti Torniti needs a distributor in Germany."
    scrub_ahead = needs_api.NeedServicer._scrub_ahead
    early: list[ScrubbedAhead | None] = []

    def record_changed_meanwhile(self: needs_api.NeedServicer, need_id: str, override: bool) -> Any:
        ahead = scrub_ahead(self, need_id, override)
        early.append(ahead)
        with NodeClient(plain_node.address) as client:
            organisation = client.organisations.GetOrganisation(
                organisation_pb2.GetOrganisationRequest(id=organisation_id)
            ).organisation
            organisation.trading_names.append("Brunetti Torniti")
            client.organisations.UpdateOrganisation(
                organisation_pb2.UpdateOrganisationRequest(
                    organisation=organisation,
                    update_mask=field_mask_pb2.FieldMask(paths=["trading_names"]),
                )
            )
        return ahead

    with NodeClient(plain_node.address) as client:
        need = submitted_need(client, description)
        organisation_id = need.organisation_id
        monkeypatch.setattr(needs_api.NeedServicer, "_scrub_ahead", record_changed_meanwhile)
        published = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=need.id)).need
    assert published.state == need_pb2.NEED_STATE_PUBLISHED
    [ahead] = early
    assert ahead is not None
    assert "Brunetti" in ahead.texts.description, "the early scrub saw the record before"
    payload = only_event(plain_node)
    assert isinstance(payload, events_pb2.NeedPublished)
    assert "Brunetti" not in payload.need.description
    assert "[organisation]" in payload.need.description
