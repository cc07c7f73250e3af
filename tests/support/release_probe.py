"""Run by a release's own code (its protos, common and node packages first on the path):
`produce` prints the network events that release sends, one JSON line each; `consume FILE DB`
applies the events of FILE with that release's applier to a fresh database DB and prints each
outcome and what its catalogue then shows.

Only what every release has is used here: the contract's event messages, `wrap`,
`subject_for`, `EventApplier`, `Database` and `NodeStore`."""

from __future__ import annotations

import base64
import json
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from sqlalchemy import text

from twoins.common.envelope import subject_for, wrap
from twoins.node.bus.apply import EventApplier
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import common_pb2, events_pb2, expert_offer_pb2, knowledge_pb2, need_pb2

REGION = "it-basilicata"
REGIONS = frozenset({"it-basilicata", "gr-attica", "mt-isla"})
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def events() -> list[Any]:
    """One of each catalogue event, as a facilitator's day would send them."""
    need_id, offer_id, item_id, gone_id = (str(uuid.uuid4()) for _ in range(4))
    need = need_pb2.AnonymisedNeed(
        need_id=need_id,
        origin_region=REGION,
        type=need_pb2.NEED_TYPE_MARKET_ENTRY,
        title="Distributors for organic olive oil in Germany",
        description="An olive oil producer looks for distributors.",
        nace_divisions=["10"],
        target_countries=["DE"],
        languages=["en", "it"],
        keywords=["olive oil", "distribution"],
    )
    offer = expert_offer_pb2.PublicExpertOffer(
        offer_id=offer_id,
        origin_region=REGION,
        title="Export coaching for food producers",
        description="Market entry plans for the DACH region.",
        competences=["export"],
        nace_divisions=["10"],
        countries=["DE"],
        languages=["en"],
        service_types=[common_pb2.SERVICE_TYPE_CONSULTING],
        capacity_hours_per_month=20,
    )
    item = knowledge_pb2.PublicKnowledgeItem(
        item_id=item_id,
        origin_region=REGION,
        kind=knowledge_pb2.KNOWLEDGE_KIND_METHOD,
        title="Scouting distributors abroad",
        summary="Five steps.",
        body="List the chains, call the buyers.",
        languages=["en"],
    )
    return [
        events_pb2.NeedPublished(need=need),
        events_pb2.ExpertOfferPublished(offer=offer),
        events_pb2.KnowledgeItemPublished(item=item),
        events_pb2.NeedPublished(
            need=need_pb2.AnonymisedNeed(
                need_id=gone_id,
                origin_region=REGION,
                type=need_pb2.NEED_TYPE_FINANCING,
                title="Withdrawn soon",
            )
        ),
        events_pb2.NeedRemoved(need_id=gone_id, final_state=need_pb2.NEED_STATE_WITHDRAWN),
    ]


def fill_every_field(message: Message) -> None:
    """Sets every scalar field the release's contract has and the event left empty, so that
    a reader of another release meets every field this one can send."""
    for field in message.DESCRIPTOR.fields:
        if field.message_type is not None:
            if not field.is_repeated and field.message_type.fields and message.HasField(field.name):
                fill_every_field(getattr(message, field.name))
            continue
        if field.is_repeated:
            if not getattr(message, field.name):
                value = _sample(field)
                if value is not None:
                    getattr(message, field.name).append(value)
        elif not getattr(message, field.name):
            value = _sample(field)
            if value is not None:
                setattr(message, field.name, value)


def _sample(field: Any) -> Any:
    if field.enum_type is not None:
        return field.enum_type.values[-1].number
    if field.type == FieldDescriptor.TYPE_STRING:
        return "sample"
    if field.type == FieldDescriptor.TYPE_BOOL:
        return True
    if field.type == FieldDescriptor.TYPE_BYTES:
        return b"\x00"
    if field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return 1.0
    return 1


def produce() -> None:
    for index, payload in enumerate(events()):
        fill_every_field(payload)
        envelope = wrap(payload, REGION, T0 + timedelta(seconds=index))
        line = {
            "subject": subject_for(REGION, payload),
            "envelope": base64.b64encode(envelope.SerializeToString()).decode(),
        }
        sys.stdout.write(json.dumps(line) + "\n")


def consume(events_file: str, database_file: str) -> None:
    database = Database(f"sqlite:///{database_file}")
    database.upgrade()
    store = NodeStore(database)
    applier = EventApplier(store, REGIONS, verify=None)
    outcomes = []
    with open(events_file, encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            outcome, _reason = applier.apply(event["subject"], base64.b64decode(event["envelope"]))
            outcomes.append(outcome)
    with store.read() as repositories:
        session = repositories.session
        tables = {
            "needs": "SELECT title FROM catalogue_needs WHERE state = 'PUBLISHED'",
            "offers": "SELECT message FROM catalogue_offers WHERE state = 'PUBLISHED'",
            "knowledge": "SELECT message FROM catalogue_knowledge WHERE state = 'PUBLISHED'",
        }
        counts = {name: len(session.execute(text(query)).all()) for name, query in tables.items()}
    sys.stdout.write(json.dumps({"outcomes": outcomes, "visible": counts}) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["produce"]:
        produce()
    elif sys.argv[1:2] == ["consume"] and len(sys.argv) == 4:
        consume(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit("usage: release_probe.py produce | consume EVENTS_FILE DATABASE_FILE")
