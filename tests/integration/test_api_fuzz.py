"""Schemathesis against the gateway's own OpenAPI document, with a real token from the real
Keycloak, in front of two real nodes: generated requests to every operation (valid and
invalid) never get a 5xx, and every response conforms to the document (status codes, content
types, bodies)."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.identity import Identity, RunningGateway

CALLER = "cluster-manager.it-basilicata"
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


EXAMPLES = 8


def test_every_operation_answers_within_its_contract(
    gateway: RunningGateway, identity: Identity
) -> None:
    api = schemathesis.openapi.from_url(f"{gateway.url}/openapi.json")
    failures: dict[str, str] = {}
    operations = 0
    calls: list[int] = []
    for result in api.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            token = identity.access_token(CALLER)
            response = case.call(headers={"Authorization": f"Bearer {token}"}, timeout=30)
            calls.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as error:
            failures[operation.label] = str(error)[:1500]
    assert operations >= 50
    # Every operation was called, with valid and invalid requests alike.
    assert len(calls) >= 2 * operations
    assert any(status < 300 for status in calls)
    assert any(400 <= status < 500 for status in calls)
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
