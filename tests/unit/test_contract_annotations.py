"""The contract is the REST API's one description: every operation comes from an RPC's
`google.api.http` rule, field behaviour from `google.api.field_behavior`, and the comments that
document them say the same as the annotations."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from twoins.gateway.contract import description, is_output_only, is_required
from twoins.gateway.operations import API_PREFIX, OPERATIONS, _operation
from twoins.v1 import network_health_pb2

CONTRACT_FILES = (
    "assessment",
    "business_plan",
    "common",
    "disclosure",
    "events",
    "expert_offer",
    "knowledge",
    "need",
    "network_health",
    "network",
    "notification",
    "organisation",
    "referral",
)
MODULES = tuple(importlib.import_module(f"twoins.v1.{name}_pb2") for name in CONTRACT_FILES)


def _messages(message: Descriptor) -> Iterator[Descriptor]:
    yield message
    for nested in message.nested_types:
        yield from _messages(nested)


def contract_fields() -> Iterator[FieldDescriptor]:
    for module in MODULES:
        for message in module.DESCRIPTOR.message_types_by_name.values():
            for each in _messages(message):
                yield from each.fields


def test_comments_and_field_behaviour_annotations_agree() -> None:
    disagreements = []
    for field in contract_fields():
        text = description(field.full_name)
        if text.startswith("Output only.") != is_output_only(field):
            disagreements.append(f"{field.full_name}: 'Output only.' vs OUTPUT_ONLY")
        if text.startswith("Required.") != is_required(field):
            disagreements.append(f"{field.full_name}: 'Required.' vs REQUIRED")
    assert not disagreements, "\n".join(disagreements)


def test_every_rpc_of_a_rest_service_has_its_http_rule() -> None:
    derived = {operation.rpc_path for operation in OPERATIONS}
    services = {operation.method.containing_service for operation in OPERATIONS}
    missing = [
        f"/{service.full_name}/{method.name}"
        for service in services
        for method in service.methods
        if f"/{service.full_name}/{method.name}" not in derived
    ]
    assert not missing
    assert len(OPERATIONS) >= 50
    assert len({(op.http_method, op.path) for op in OPERATIONS}) == len(OPERATIONS)


def test_the_rule_gives_method_path_body_and_result() -> None:
    by_id = {operation.operation_id: operation for operation in OPERATIONS}
    update = by_id["updateOrganisation"]
    assert (update.http_method, update.path, update.body, update.result, update.patch) == (
        "PATCH",
        "/organisations/{id}",
        "organisation",
        "organisation",
        True,
    )
    assert update.request_field_of("id") == "organisation.id"
    assert by_id["createNeed"].status == 201
    assert by_id["deleteOrganisation"].status == 204
    assert by_id["exportBusinessPlan"].file
    assert by_id["publishNeed"].body == "*"
    assert by_id["matchExpertOffers"].path == "/network/needs/{need_id}/matches"
    assert all(operation.path.startswith("/") for operation in OPERATIONS)
    assert API_PREFIX == "/api/v1"


def test_an_rpc_without_a_rule_is_not_on_rest() -> None:
    heartbeat_service = network_health_pb2.DESCRIPTOR.services_by_name["NetworkHealthService"]
    assert all(_operation(method, None, "x") is None for method in heartbeat_service.methods)
