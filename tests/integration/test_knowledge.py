"""Knowledge items of 2InSNet through the gateway and two real nodes on a real bus: an
expert writes and publishes an item; every region finds it, without its author and with the
author's name, e-mail and phone scrubbed from its text; a withdrawal takes it away everywhere;
another expert cannot see or change it; bad input is refused by field and stores nothing."""

from __future__ import annotations

from typing import Any

import jwt

from tests.support.api import Caller, knowledge_body, wait_until
from tests.support.identity import Identity, RunningGateway

AUTHOR_REGION, READER_REGION = "it-basilicata", "gr-attica"


def _found(reader: Caller, item_id: str, query: str = "") -> dict[str, Any] | None:
    path = "/network/knowledge-items" + (f"?query={query}" if query else "")
    items = reader.ok("GET", path)["items"]
    return next((item for item in items if item["item_id"] == item_id), None)


def test_a_published_item_reaches_every_region_without_its_author(
    identity: Identity, gateway: RunningGateway
) -> None:
    author = Caller(identity, gateway.url, f"expert.{AUTHOR_REGION}")
    reader = Caller(identity, gateway.url, f"facilitator.{READER_REGION}")
    claims = jwt.decode(
        identity.access_token(f"expert.{AUTHOR_REGION}"), options={"verify_signature": False}
    )
    name = str(claims["name"])
    body = knowledge_body() | {
        "title": "Distributor scouting for olive oil",
        "body": f"Written by {name}; questions to scout@experts.example or +39 328 316 2133. "
        "Step one: list the delicatessen chains.",
        "tags": ["olive oil", "distribution"],
    }
    created = author.ok("POST", "/knowledge-items", body)
    assert created["state"] == "KNOWLEDGE_ITEM_STATE_DRAFT"
    assert created["owner"]
    assert _found(reader, created["id"]) is None  # a draft stays home

    author.ok("POST", f"/knowledge-items/{created['id']}/publish", {})
    wait_until(
        lambda: _found(reader, created["id"], "delicatessen") is not None,
        what="the item in the other region's catalogue",
    )
    shared = _found(reader, created["id"])
    assert shared is not None
    assert shared["origin_region"] == AUTHOR_REGION
    assert "owner" not in shared
    text = str(shared)
    for secret in (name, "scout@experts.example", "316 2133", created["owner"]):
        assert secret not in text
    assert _found(reader, created["id"], "no-such-word") is None
    filtered = reader.ok(
        "GET", "/network/knowledge-items?kinds=KNOWLEDGE_KIND_CASE_STUDY&language=en"
    )["items"]
    assert created["id"] not in {item["item_id"] for item in filtered}

    author.ok("POST", f"/knowledge-items/{created['id']}/withdraw", {})
    wait_until(
        lambda: _found(reader, created["id"]) is None,
        what="the withdrawal reaching the other region",
    )


def test_an_expert_sees_only_their_own_items(identity: Identity, gateway: RunningGateway) -> None:
    author = Caller(identity, gateway.url, f"expert.{AUTHOR_REGION}")
    manager = Caller(identity, gateway.url, f"cluster-manager.{AUTHOR_REGION}")
    made_by_manager = manager.knowledge_item()
    assert author.call("GET", f"/knowledge-items/{made_by_manager}").status_code == 404
    assert author.call("POST", f"/knowledge-items/{made_by_manager}/publish", {}).status_code == 404
    own = {item["id"] for item in author.ok("GET", "/knowledge-items")["knowledge_items"]}
    assert made_by_manager not in own


def test_bad_items_are_refused_by_field_and_store_nothing(
    identity: Identity, gateway: RunningGateway
) -> None:
    author = Caller(identity, gateway.url, f"expert.{AUTHOR_REGION}")
    before = len(author.ok("GET", "/knowledge-items?page_size=500")["knowledge_items"])
    response = author.call(
        "POST",
        "/knowledge-items",
        knowledge_body() | {"title": "", "languages": ["xx"], "kind": "KNOWLEDGE_KIND_UNSPECIFIED"},
    )
    # The gateway's schema names what it can see; the node checks the rest.
    assert response.status_code in (400, 422), response.text
    assert response.json()["errors"], response.text
    response = author.call("POST", "/knowledge-items", knowledge_body() | {"languages": ["xx"]})
    assert response.status_code == 400, response.text
    fields = {error["field"] for error in response.json()["errors"]}
    assert any(field.startswith("knowledge_item.languages") for field in fields), fields
    after = len(author.ok("GET", "/knowledge-items?page_size=500")["knowledge_items"])
    assert after == before
