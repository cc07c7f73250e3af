"""Applies network events to the node's catalogue: once each, newest wins, bad ones set aside."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from google.protobuf.message import Message

from twoins.common.envelope import EnvelopeError, EventVerifier, open_envelope
from twoins.node.domain.knowledge import KnowledgeKind
from twoins.node.domain.matching import EMBEDDING_DIMENSIONS as DIMENSIONS
from twoins.node.domain.need import NeedState, NeedType
from twoins.node.domain.referral import Action, Move, Referral, ReferralState, Side
from twoins.node.domain.referral import Outcome as ReferralOutcome
from twoins.node.domain.support import ServiceType
from twoins.node.messages.convert import enum_name, known_enum_names
from twoins.node.messages.embedding import need_text, offer_text
from twoins.node.messages.referrals import side_from_proto
from twoins.node.notify.notifier import Notifier
from twoins.node.semantic import MODEL_NAME
from twoins.node.store.catalogue import KNOWLEDGE, NEEDS, OFFERS
from twoins.node.store.catalogue_index import CatalogueChange
from twoins.node.store.node_store import NodeStore
from twoins.node.store.repositories import Repositories
from twoins.v1 import events_pb2, expert_offer_pb2, knowledge_pb2, need_pb2

logger = logging.getLogger(__name__)

Outcome = Literal["applied", "duplicate", "stale", "dead_lettered", "deferred"]
#: An event as it came off the bus: subject, envelope bytes and message headers.
ReceivedEvent = tuple[str, bytes, Mapping[str, str]]
#: Refusals that a newer key ring may lift: a key made since this node last read the ring,
#: or no ring at hand. Such an event is deferred (asked for again) rather than set aside,
#: as long as the caller allows it.
WAIT_FOR_KEYRING = frozenset({"UNKNOWN_KEY", "NO_KEYRING"})


def _check_id(value: str, what: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        raise EnvelopeError("INVALID", f"{what} {value!r} is not a UUID") from None


_ACTIONS = {action.value: action for action in Action}
_OUTCOMES = {outcome.value for outcome in ReferralOutcome}
_SUPPORT = {kind.value for kind in ServiceType if kind is not ServiceType.UNSPECIFIED}


def _validate_referral(origin: str, moved: events_pb2.ReferralMoved) -> None:
    for value, what in (
        (moved.referral_id, "referral_id"),
        (moved.move_id, "move_id"),
        (moved.need_id, "need_id"),
        (moved.offer_id, "offer_id"),
    ):
        _check_id(value, what)
    side = side_from_proto(moved.side)
    if side is None or side_from_proto(moved.initiator) is None:
        raise EnvelopeError("INVALID", "the move names no side")
    if moved.action not in _ACTIONS or moved.version < 1:
        raise EnvelopeError("INVALID", f"unknown move {moved.action!r} or version")
    if moved.need_region == moved.offer_region:
        raise EnvelopeError("INVALID", "a referral joins two regions")
    # A region speaks only for its own side: the subject proves the origin.
    acting_region = moved.need_region if side is Side.NEED else moved.offer_region
    if acting_region != origin:
        raise EnvelopeError("WRONG_ORIGIN", "a region moved the other side of a referral")
    if not moved.HasField("occur_time"):
        raise EnvelopeError("INVALID", "the move has no time")


def _validate(origin: str, payload: Message) -> None:
    """Every check of a payload, before anything is written: ids, origin and enum values."""
    if isinstance(payload, events_pb2.ReferralMoved):
        _validate_referral(origin, payload)
    elif isinstance(payload, events_pb2.NeedPublished):
        _check_id(payload.need.need_id, "need_id")
        if payload.need.origin_region != origin:
            raise EnvelopeError("WRONG_ORIGIN", "the need names another origin region")
        if payload.need.type not in need_pb2.NeedType.values() or not payload.need.type:
            raise EnvelopeError("INVALID", f"unknown need type {payload.need.type}")
    elif isinstance(payload, events_pb2.NeedMatched):
        _check_id(payload.need_id, "need_id")
    elif isinstance(payload, events_pb2.NeedRemoved):
        _check_id(payload.need_id, "need_id")
        if payload.final_state not in (
            need_pb2.NEED_STATE_CLOSED,
            need_pb2.NEED_STATE_WITHDRAWN,
            need_pb2.NEED_STATE_EXPIRED,
        ):
            raise EnvelopeError("INVALID", f"{payload.final_state} is not a final state")
    elif isinstance(payload, events_pb2.ExpertOfferPublished):
        _check_id(payload.offer.offer_id, "offer_id")
        if payload.offer.origin_region != origin:
            raise EnvelopeError("WRONG_ORIGIN", "the offer names another origin region")
    elif isinstance(payload, events_pb2.ExpertOfferWithdrawn):
        _check_id(payload.offer_id, "offer_id")
    elif isinstance(payload, events_pb2.KnowledgeItemPublished):
        _check_id(payload.item.item_id, "item_id")
        if payload.item.origin_region != origin:
            raise EnvelopeError("WRONG_ORIGIN", "the knowledge item names another origin region")
        if payload.item.kind not in knowledge_pb2.KnowledgeKind.values() or not payload.item.kind:
            raise EnvelopeError("INVALID", f"unknown knowledge kind {payload.item.kind}")
    elif isinstance(payload, events_pb2.KnowledgeItemWithdrawn):
        _check_id(payload.item_id, "item_id")


def _search_text(*parts: str) -> str:
    return " ".join(part.casefold() for part in parts)


class EventApplier:
    """Applies one event in one transaction, recording its id so a duplicate changes nothing."""

    def __init__(
        self,
        store: NodeStore,
        known_regions: frozenset[str],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        embed: Callable[[str], bytes] | None = None,
        on_change: Callable[[list[CatalogueChange]], None] | None = None,
        own_region: str = "",
        *,
        verify: EventVerifier | None,
        notifier: Notifier | None = None,
    ) -> None:
        self._store = store
        # Writes the mails the other regions' moves and new catalogue entries tell of.
        self._notifier = notifier
        # Proves each event's origin (its signature); None only where a test applies events
        # it made itself.
        self._verify = verify
        # Referrals are kept by the two regions that take part in them.
        self._own_region = own_region
        self._known_regions = known_regions
        self._clock = clock
        # Embeds a catalogue entry's text for matching; computed once, when the event arrives.
        self._embed = embed
        # Told the catalogue entries a batch changed, after its commit.
        self._on_change = on_change

    def apply(
        self, subject: str, data: bytes, headers: Mapping[str, str] | None = None
    ) -> tuple[Outcome, str]:
        """What happened to the event, and the dead-letter reason when it was set aside."""
        return self.apply_batch([(subject, data, headers or {})])[0]

    def apply_batch(
        self, events: Sequence[ReceivedEvent], may_defer: Sequence[bool] | None = None
    ) -> list[tuple[Outcome, str]]:
        """Applies events in one transaction (one disk sync for the batch): the caller
        acknowledges them only after this returns. Every check runs before anything is
        written, so one bad event is dead-lettered without undoing the others.

        An event whose `may_defer` entry is true and whose signing key this node cannot
        check yet (WAIT_FOR_KEYRING) comes back "deferred", with nothing written: the caller
        asks for it again once the key ring can have been read anew."""
        results: list[tuple[Outcome, str]] = []
        opened: list[
            tuple[str, bytes, tuple[events_pb2.EventEnvelope, Message] | EnvelopeError]
        ] = []
        deferrable = list(may_defer) if may_defer is not None else [False] * len(events)
        if len(deferrable) != len(events):
            raise ValueError("may_defer must have one entry per event")
        for subject, data, headers in events:
            try:
                envelope, payload = open_envelope(
                    subject, data, self._known_regions, verify=self._verify, headers=headers
                )
                _validate(envelope.origin_region, payload)
                opened.append((subject, data, (envelope, payload)))
            except EnvelopeError as error:
                opened.append((subject, data, error))
        with self._store.write() as repositories:
            already = repositories.inbox.seen_among(
                [item[2][0].event_id for item in opened if isinstance(item[2], tuple)]
            )
            for (subject, data, outcome), defer in zip(opened, deferrable, strict=True):
                if isinstance(outcome, EnvelopeError):
                    if defer and outcome.reason in WAIT_FOR_KEYRING:
                        results.append(("deferred", outcome.reason))
                        continue
                    results.append(self._dead_letter(repositories, subject, data, outcome))
                    continue
                envelope, payload = outcome
                if envelope.event_id in already:
                    results.append(("duplicate", ""))
                    continue
                already.add(envelope.event_id)
                try:
                    changed = self._dispatch(
                        repositories,
                        envelope.origin_region,
                        envelope.occur_time.ToDatetime(tzinfo=UTC),
                        payload,
                    )
                except EnvelopeError as error:
                    # A check that needs the database; it fails before anything is written.
                    results.append(self._dead_letter(repositories, subject, data, error))
                    continue
                repositories.inbox.record(envelope.event_id, subject, self._clock())
                results.append(("applied" if changed else "stale", ""))
            changes = repositories.catalogue.changes
            if self._notifier is not None and changes:
                self._notifier.catalogue_changed(repositories, changes)
        if self._on_change is not None and changes:
            self._on_change(changes)
        return results

    def _dead_letter(
        self, repositories: Repositories, subject: str, data: bytes, error: EnvelopeError
    ) -> tuple[Outcome, str]:
        repositories.dead_letters.add(subject, error.reason, str(error), data, self._clock())
        logger.warning(
            "event dead-lettered", extra={"subject": subject[:200], "reason": error.reason}
        )
        return "dead_lettered", error.reason

    def _dispatch(
        self, repositories: Repositories, origin: str, occur_time: datetime, payload: Message
    ) -> bool:
        catalogue = repositories.catalogue
        if isinstance(payload, events_pb2.ReferralMoved):
            return self._referral_moved(repositories, payload)
        if isinstance(payload, events_pb2.NeedPublished):
            need = payload.need
            values = {
                "type": enum_name(NeedType, need.type, "need.type"),
                "title": need.title,
                "description": need.description,
                "nace_divisions": list(need.nace_divisions),
                "target_countries": list(need.target_countries),
                "languages": list(need.languages),
                "keywords": list(need.keywords),
                "search_text": _search_text(need.title, need.description, *need.keywords),
                "embedding": self._embedding(
                    need.text_embedding, need.text_embedding_model, need_text(need)
                ),
                "publish_time": (
                    need.publish_time.ToDatetime(tzinfo=UTC)
                    if need.HasField("publish_time")
                    else occur_time
                ),
            }
            return catalogue.publish(
                NEEDS, need.need_id, origin, values, _stored(need, values), occur_time
            )
        if isinstance(payload, events_pb2.NeedMatched):
            return catalogue.set_state(NEEDS, payload.need_id, origin, "MATCHED", occur_time)
        if isinstance(payload, events_pb2.NeedRemoved):
            final = enum_name(NeedState, payload.final_state, "final_state")
            return catalogue.set_state(NEEDS, payload.need_id, origin, final, occur_time)
        if isinstance(payload, events_pb2.ExpertOfferPublished):
            offer = payload.offer
            values = {
                "nace_divisions": list(offer.nace_divisions),
                "countries": list(offer.countries),
                "languages": list(offer.languages),
                "service_types": known_enum_names(ServiceType, offer.service_types),
                "search_text": _search_text(offer.title, offer.description, *offer.competences),
                "embedding": self._embedding(
                    offer.text_embedding, offer.text_embedding_model, offer_text(offer)
                ),
                "publish_time": occur_time,
            }
            return catalogue.publish(
                OFFERS, offer.offer_id, origin, values, _stored(offer, values), occur_time
            )
        if isinstance(payload, events_pb2.ExpertOfferWithdrawn):
            return catalogue.set_state(OFFERS, payload.offer_id, origin, "WITHDRAWN", occur_time)
        if isinstance(payload, events_pb2.KnowledgeItemPublished):
            item = payload.item
            values = {
                "kind": enum_name(KnowledgeKind, item.kind, "item.kind"),
                "languages": list(item.languages),
                "search_text": _search_text(item.title, item.summary, item.body, *item.tags),
                "create_time": (
                    item.publish_time.ToDatetime(tzinfo=UTC)
                    if item.HasField("publish_time")
                    else occur_time
                ),
            }
            return catalogue.publish(
                KNOWLEDGE, item.item_id, origin, values, item.SerializeToString(), occur_time
            )
        if isinstance(payload, events_pb2.KnowledgeItemWithdrawn):
            return catalogue.set_state(KNOWLEDGE, payload.item_id, origin, "WITHDRAWN", occur_time)
        return False  # heartbeats are the monitor's

    def _referral_moved(self, repositories: Repositories, moved: events_pb2.ReferralMoved) -> bool:
        """Keeps a move of a referral this region takes part in and refolds it."""
        if self._own_region not in (moved.need_region, moved.offer_region):
            return False
        side = side_from_proto(moved.side)
        assert side is not None  # validated
        now = self._clock()
        move = Move(
            move_id=moved.move_id,
            referral_id=moved.referral_id,
            version=moved.version,
            action=_ACTIONS[moved.action],
            side=side,
            occur_time=moved.occur_time.ToDatetime(tzinfo=UTC),
            outcome=(
                ReferralOutcome(moved.outcome)
                if moved.outcome in _OUTCOMES
                else ReferralOutcome.UNSPECIFIED
            ),
            hours=moved.hours_delivered,
            support=(
                ServiceType(moved.support_delivered)
                if moved.support_delivered in _SUPPORT
                else None
            ),
        )
        referrals = repositories.referrals
        existing = referrals.find(moved.referral_id)
        if existing is None and repositories.erasures.erased_referral(moved.referral_id):
            return False  # erased here with its SME: nothing of it is kept again
        if existing is None:
            if move.action is not Action.PROPOSE:
                raise EnvelopeError(
                    "UNKNOWN_REFERRAL", f"a move of referral {moved.referral_id} before it"
                )
            # A proposal names one of this region's records: it must be one indeed.
            local = (
                repositories.needs.find(moved.need_id)
                if moved.need_region == self._own_region
                else repositories.expert_offers.find(moved.offer_id)
            )
            if local is None:
                raise EnvelopeError(
                    "UNKNOWN_RECORD",
                    f"referral {moved.referral_id} names a record this region does not hold",
                )
            initiator = side_from_proto(moved.initiator)
            assert initiator is not None  # validated
            referrals.create(
                Referral(
                    id=moved.referral_id,
                    need_id=moved.need_id,
                    offer_id=moved.offer_id,
                    need_region=moved.need_region,
                    offer_region=moved.offer_region,
                    initiator=initiator,
                    state=ReferralState.PROPOSED,
                    version=1,
                    create_time=move.occur_time,
                    update_time=move.occur_time,
                    answer_due=(
                        moved.answer_due_time.ToDatetime(tzinfo=UTC)
                        if moved.HasField("answer_due_time")
                        else None
                    ),
                ),
                move,
                now,
            )
            if self._notifier is not None:
                self._notifier.referral_moved(repositories, referrals.get(moved.referral_id), move)
            return True
        if move.action is Action.PROPOSE:
            return False
        after, changed = referrals.record(moved.referral_id, move, now)
        if changed and self._notifier is not None:
            self._notifier.referral_moved(repositories, after, move)
        return changed

    def _embedding(self, shipped: bytes, model: str, text: str) -> bytes:
        """The origin's vector when it comes from our model; else our own, if we embed."""
        if model == MODEL_NAME and len(shipped) == DIMENSIONS * 4:
            return shipped
        if self._embed is None:
            return b""
        return self._embed(text)


def _stored(
    entry: need_pb2.AnonymisedNeed | expert_offer_pb2.PublicExpertOffer, values: dict[str, Any]
) -> bytes:
    """The catalogue's copy of a published need or offer: without the origin's text embedding
    when the catalogue keeps that same vector in its own column (and its index in its matching
    matrix), so that a vector is held once; the API puts it back in what it returns."""
    if not entry.text_embedding or entry.text_embedding != values["embedding"]:
        return entry.SerializeToString()
    copy = type(entry).FromString(entry.SerializeToString())
    copy.ClearField("text_embedding")
    return copy.SerializeToString()
