"""Schemathesis against the gateway's own OpenAPI document, with a real token from the real
Keycloak, in front of two real nodes: generated requests to every operation (valid and
invalid) pass every check schemathesis has: no 5xx, status codes, content types and bodies as
documented, schema-invalid requests refused, schema-valid ones not refused for their shape.

A schema-valid request may still break a rule no JSON Schema states (a NACE code that is not
in the code list, an expiry in the past, a page token this node did not issue): the node
refuses it with a documented 400 naming the field, so 400 is an expected answer to valid data.
Everything the schema can state, it does (UUID ids, ranges, required fields)."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from tests.support.identity import Identity, RunningGateway

CALLER = "cluster-manager.it-basilicata"
#: Schemathesis' own list, with 400: a domain rule the schema cannot state.
VALID_DATA_ANSWERS = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


#: Examples per operation; TWOINS_FUZZ_EXAMPLES=200 for a thorough run outside `make test`.
EXAMPLES = int(os.environ.get("TWOINS_FUZZ_EXAMPLES", "8"))


def test_every_operation_answers_within_its_contract(
    gateway: RunningGateway, identity: Identity
) -> None:
    config = SchemathesisConfig.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": VALID_DATA_ANSWERS}}}
    )
    api = schemathesis.openapi.from_url(f"{gateway.url}/openapi.json", config=config)
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
            case.validate_response(response)  # every check

        try:
            check()
        except (Exception, FailureGroup) as error:
            failures[operation.label] = str(error)[:1500]
    assert operations >= 50
    # Every operation was called, with valid and invalid requests alike.
    assert len(calls) >= 2 * operations
    assert any(status < 300 for status in calls)
    assert any(400 <= status < 500 for status in calls)
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
