"""The gateway's REST API as a test drives it: a signed-in caller and valid JSON bodies."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from google.protobuf import json_format
from google.protobuf.message import Message

from tests.support import builders


def as_json(message: Message) -> dict[str, Any]:
    document: dict[str, Any] = json_format.MessageToDict(message, preserving_proto_field_name=True)
    return document


def organisation_body() -> dict[str, Any]:
    return as_json(builders.organisation())


def need_body(organisation_id: str) -> dict[str, Any]:
    return as_json(builders.need(organisation_id))


def offer_body() -> dict[str, Any]:
    return as_json(builders.expert_offer())


def knowledge_body() -> dict[str, Any]:
    return as_json(builders.knowledge_item())


def plan_body(organisation_id: str) -> dict[str, Any]:
    return as_json(builders.business_plan(organisation_id))


def assessment_body(organisation_id: str) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "scores": [as_json(score) for score in builders.all_scores()],
    }


class TokenSource(Protocol):
    """Where a caller's access tokens come from: the session's Keycloak, or another one."""

    def access_token(self, username: str) -> str: ...


@dataclass
class Caller:
    """One signed-in user of the API."""

    identity: TokenSource
    base_url: str
    username: str

    def call(
        self,
        method: str,
        path: str,
        body: object | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        return requests.request(
            method,
            f"{self.base_url}/api/v1{path}",
            json=body,
            headers={
                "Authorization": f"Bearer {self.identity.access_token(self.username)}",
                **(headers or {}),
            },
            timeout=30,
        )

    def ok(self, method: str, path: str, body: object | None = None) -> dict[str, Any]:
        response = self.call(method, path, body)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else {}

    # Records of the caller's region, in the state a test needs.

    def organisation(self) -> str:
        return str(self.ok("POST", "/organisations", organisation_body())["id"])

    def need(self, state: str = "DRAFT", manager: Caller | None = None) -> str:
        need_id = str(self.ok("POST", "/needs", need_body(self.organisation()))["id"])
        steps = (
            {
                "IN_REVIEW": ["submit"],
                "PUBLISHED": ["submit", "publish"],
                "MATCHED": ["submit", "publish", "match"],
            }[state]
            if state != "DRAFT"
            else []
        )
        for step in steps:
            actor = manager if step in ("publish",) and manager is not None else self
            actor.ok("POST", f"/needs/{need_id}/{step}", {})
        return need_id

    def offer(self, published: bool = False) -> str:
        offer_id = str(self.ok("POST", "/expert-offers", offer_body())["id"])
        if published:
            self.ok("POST", f"/expert-offers/{offer_id}/publish", {})
        return offer_id

    def knowledge_item(self, published: bool = False) -> str:
        item_id = str(self.ok("POST", "/knowledge-items", knowledge_body())["id"])
        if published:
            self.ok("POST", f"/knowledge-items/{item_id}/publish", {})
        return item_id

    def saved_search(self) -> str:
        body = {"target": "SAVED_SEARCH_TARGET_NEEDS", "query": "olive oil"}
        return str(self.ok("POST", "/saved-searches", body)["id"])

    def plan(self) -> str:
        return str(self.ok("POST", "/business-plans", plan_body(self.organisation()))["id"])

    def assessment(self) -> str:
        return str(self.ok("POST", "/assessments", assessment_body(self.organisation()))["id"])


def wait_until(check: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
