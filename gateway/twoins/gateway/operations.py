"""The REST API's operations, each one RPC of the contract, derived from its `google.api.http`
annotation: method, path, and how the HTTP request fills the RPC's request message. Adding an
RPC to REST is adding its annotation; nothing here names an RPC."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from google.api import annotations_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor

from twoins.common.roles import NETWORK_WIDE_SERVICES, allowed_roles
from twoins.v1 import (
    assessment_pb2,
    assessment_pb2_grpc,
    business_plan_pb2,
    business_plan_pb2_grpc,
    expert_offer_pb2,
    expert_offer_pb2_grpc,
    knowledge_pb2,
    knowledge_pb2_grpc,
    need_pb2,
    need_pb2_grpc,
    network_pb2,
    network_pb2_grpc,
    notification_pb2,
    notification_pb2_grpc,
    organisation_pb2,
    organisation_pb2_grpc,
    referral_pb2,
    referral_pb2_grpc,
)

#: Request fields the HTTP layer fills itself.
REQUEST_ID_FIELD = "request_id"
UPDATE_MASK_FIELD = "update_mask"
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    http_method: str
    #: OpenAPI path template under the API's prefix, e.g. "/needs/{id}/publish".
    path: str
    method: MethodDescriptor
    stub: Any
    tag: str
    #: The request field the JSON body fills; "*" for the request's remaining fields.
    body: str | None = None
    #: A partial body: the fields it names become the update mask.
    patch: bool = False
    #: The response field returned; None returns the whole response.
    result: str | None = None
    status: int = 200
    #: Path parameters that fill a nested field, e.g. {"id": "organisation.id"}.
    path_fields: dict[str, str] = field(default_factory=dict)
    #: The response is a file: its `result` bytes sent as `media_type`, named `file_name`.
    file: bool = False

    @property
    def rpc_path(self) -> str:
        return f"/{self.method.containing_service.full_name}/{self.method.name}"

    @property
    def roles(self) -> frozenset[str]:
        return allowed_roles(self.rpc_path)

    @property
    def network_wide(self) -> bool:
        return self.method.containing_service.full_name in NETWORK_WIDE_SERVICES

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    @property
    def flask_rule(self) -> str:
        return re.sub(r"{(\w+)}", r"<\1>", self.path)

    def request_field_of(self, parameter: str) -> str:
        return self.path_fields.get(parameter, parameter)

    def path_field(self, parameter: str) -> FieldDescriptor:
        """The request field a path parameter fills (the leaf of a nested one)."""
        message: Descriptor | None = self.method.input_type
        *parents, leaf = self.request_field_of(parameter).split(".")
        for name in parents:
            assert message is not None
            message = message.fields_by_name[name].message_type
        assert message is not None, f"{parameter} names no field of {self.method.full_name}"
        found: FieldDescriptor = message.fields_by_name[leaf]
        return found

    def query_fields(self) -> list[FieldDescriptor]:
        """Request fields read from the query string: GET operations' non-path scalars."""
        if self.http_method != "GET":
            return []
        taken = {self.request_field_of(name) for name in self.path_parameters}
        return [
            item
            for item in self.method.input_type.fields
            if item.name not in taken and item.type != FieldDescriptor.TYPE_MESSAGE
        ]

    @cached_property
    def query_fields_by_name(self) -> dict[str, FieldDescriptor]:
        """`query_fields()` by name, found once: every request of the operation reads them."""
        return {item.name: item for item in self.query_fields()}

    def body_fields(self) -> list[FieldDescriptor]:
        """For a "*" body: the request fields it may set."""
        taken = {self.request_field_of(name) for name in self.path_parameters}
        return [
            item
            for item in self.method.input_type.fields
            if item.name not in taken and item.name not in (REQUEST_ID_FIELD, UPDATE_MASK_FIELD)
        ]

    @property
    def body_message(self) -> Descriptor | None:
        if self.body in (None, "*"):
            return None
        return self.method.input_type.fields_by_name[self.body].message_type


#: The path every operation's `google.api.http` rule starts with.
API_PREFIX = "/api/v1"

#: The services the REST API offers, and the tag their operations are listed under.
_SERVICES: tuple[tuple[Any, Any, str], ...] = (
    (organisation_pb2, organisation_pb2_grpc, "Organisations"),
    (assessment_pb2, assessment_pb2_grpc, "Assessments"),
    (business_plan_pb2, business_plan_pb2_grpc, "Business plans"),
    (need_pb2, need_pb2_grpc, "Needs"),
    (expert_offer_pb2, expert_offer_pb2_grpc, "Expert offers"),
    (referral_pb2, referral_pb2_grpc, "Referrals"),
    (network_pb2, network_pb2_grpc, "Network"),
    (knowledge_pb2, knowledge_pb2_grpc, "Knowledge"),
    (notification_pb2, notification_pb2_grpc, "Notifications"),
)
_VERBS = ("get", "put", "post", "delete", "patch")
_TEMPLATE_FIELD = re.compile(r"{([\w.]+)}")


def _operation(method: MethodDescriptor, stub: Any, tag: str) -> Operation | None:
    """The REST operation of an RPC, read from its `google.api.http` rule: the method and
    path, the request field the body fills, the response field returned. The AIP's
    conventions give the rest: a create answers 201, a delete 204, a PATCH body is the
    update mask, a `bytes` response body is a file."""
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return None
    rule = options.Extensions[annotations_pb2.http]
    verb = next((name for name in _VERBS if getattr(rule, name)), None)
    if verb is None:
        raise ValueError(f"{method.full_name}: its HTTP rule names no method")
    template: str = getattr(rule, verb)
    if not template.startswith(API_PREFIX + "/"):
        raise ValueError(f"{method.full_name}: its path must start with {API_PREFIX}/")
    # A path variable that fills a nested field ({organisation.id}) is named by its leaf.
    path_fields = {
        dotted.rsplit(".", 1)[-1]: dotted
        for dotted in _TEMPLATE_FIELD.findall(template)
        if "." in dotted
    }
    path = _TEMPLATE_FIELD.sub(lambda found: "{" + found[1].rsplit(".", 1)[-1] + "}", template)
    response_field = (
        method.output_type.fields_by_name[rule.response_body] if rule.response_body else None
    )
    file = response_field is not None and response_field.type == FieldDescriptor.TYPE_BYTES
    status = 201 if method.name.startswith("Create") else 204 if verb == "delete" else 200
    return Operation(
        operation_id=method.name[0].lower() + method.name[1:],
        http_method=verb.upper(),
        path=path.removeprefix(API_PREFIX),
        method=method,
        stub=stub,
        tag=tag,
        body=rule.body or None,
        patch=verb == "patch",
        result=rule.response_body or None,
        status=status,
        path_fields=path_fields,
        file=file,
    )


def _build() -> list[Operation]:
    operations = []
    for module, grpc_module, tag in _SERVICES:
        for service in module.DESCRIPTOR.services_by_name.values():
            stub = getattr(grpc_module, f"{service.name}Stub")
            for method in service.methods:
                operation = _operation(method, stub, tag)
                if operation is not None:
                    operations.append(operation)
    return operations


OPERATIONS: tuple[Operation, ...] = tuple(_build())
