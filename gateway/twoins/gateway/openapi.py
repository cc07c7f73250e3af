"""The OpenAPI 3.1 document of the REST API, generated from the operations and the contract,
and the JSON Schema validators of its request and response bodies."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from jsonschema import Draft202012Validator

from twoins.gateway.contract import SchemaRegistry, description, is_required
from twoins.gateway.operations import (
    API_PREFIX,
    IDEMPOTENCY_HEADER,
    OPERATIONS,
    REQUEST_ID_FIELD,
    Operation,
)
from twoins.gateway.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA

#: The one route that is not a single RPC (gateway/twoins/gateway/network_kpis.py).
NETWORK_KPIS_PATH = "/network/referral-kpis"
NETWORK_KPIS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The network's referral figures, summed over every region's node.",
    "properties": {
        "by_state": {"type": "object", "additionalProperties": {"type": "integer"}},
        "answered": {"type": "integer"},
        "accepted": {"type": "integer"},
        "acceptance_rate": {"type": "number"},
        "mean_hours_to_first_answer": {"type": "number"},
        "completed_by_outcome": {"type": "object", "additionalProperties": {"type": "integer"}},
        "hours_delivered": {"type": "integer"},
        "overdue": {"type": "integer"},
        "regions": {"type": "array", "items": {"type": "string"}},
        "missing_regions": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Regions whose node did not answer: the figures leave them out.",
        },
    },
    "required": ["by_state", "answered", "accepted", "regions", "missing_regions"],
}


API_VERSION = "1.0.0"

_ERRORS = {
    "400": "The request is malformed: the problem names the fields to fix.",
    "401": "No valid access token: sign in and send `Authorization: Bearer <token>`.",
    "403": "The caller's role or region does not allow this.",
    "404": "No such record in the caller's region.",
    "409": "The record's state or a concurrent change does not allow this now.",
    "415": "The body must be application/json.",
    "422": "The body does not match the schema.",
    "503": "The region's node does not answer; retry shortly.",
}


@dataclass
class ApiSchemas:
    document: dict[str, Any]
    #: Validators by operation id: of the request body, and of the response body.
    requests: dict[str, Draft202012Validator]
    responses: dict[str, Draft202012Validator]


def _body_schema(operation: Operation, registry: SchemaRegistry) -> dict[str, Any] | None:
    if operation.body is None:
        return None
    message = operation.body_message
    if message is not None:  # the body is one message field of the request
        return registry.ref(message, "patch" if operation.patch else "create")
    properties: dict[str, Any] = {}
    required = []
    for item in operation.body_fields():
        field_schema = registry.field_schema(item, "create")
        text = description(item.full_name)
        properties[item.name] = (
            {"allOf": [field_schema], "description": text} if text else field_schema
        )
        if is_required(item):
            required.append(item.name)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _response_schema(operation: Operation, registry: SchemaRegistry) -> dict[str, Any] | None:
    if operation.status == 204 or operation.file:
        return None
    output = operation.method.output_type
    if operation.result is not None:
        result = output.fields_by_name[operation.result].message_type
        assert result is not None, f"{operation.result} of {output.name} is not a message"
        return registry.ref(result, "output")
    return registry.ref(output, "output")


def _parameter(item: FieldDescriptor, registry: SchemaRegistry) -> dict[str, Any]:
    schema = registry.field_schema(item, "create")
    parameter: dict[str, Any] = {"name": item.name, "in": "query", "schema": schema}
    if item.is_repeated:
        parameter |= {"style": "form", "explode": True}
    text = description(item.full_name)
    if text:
        parameter["description"] = text
    if is_required(item):
        parameter["required"] = True
    return parameter


def _operation_document(operation: Operation, registry: SchemaRegistry) -> dict[str, Any]:
    roles = ", ".join(sorted(operation.roles))
    summary = description(operation.method.full_name)
    document: dict[str, Any] = {
        "operationId": operation.operation_id,
        "tags": [operation.tag],
        "summary": summary.split(". ")[0][:120] if summary else operation.operation_id,
        "description": (
            f"{summary}\n\nRoles: {roles}. Calls `{operation.rpc_path.strip('/')}` on the "
            + (
                "caller's region node (the network catalogue is the same on every node)."
                if operation.network_wide
                else "node of the caller's region: records of other regions are not found."
            )
        ),
        "x-roles": sorted(operation.roles),
        "security": [{"bearer": []}],
    }
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": registry.field_schema(operation.path_field(name), "create"),
        }
        for name in operation.path_parameters
    ]
    parameters += [_parameter(item, registry) for item in operation.query_fields()]
    if REQUEST_ID_FIELD in operation.method.input_type.fields_by_name:
        parameters.append(
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "description": "Makes the create safe to retry: the same key returns the first "
                "result (8 to 64 letters, digits, '-' or '_').",
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
            }
        )
    if parameters:
        document["parameters"] = parameters
    body = _body_schema(operation, registry)
    if body is not None:
        document["requestBody"] = {
            # A "*" body without required fields may be left out: it is read as {}.
            "required": operation.body != "*" or bool(body.get("required")),
            "content": {"application/json": {"schema": body}},
        }
    response = _response_schema(operation, registry)
    responses: dict[str, Any] = {}
    if operation.status == 204:
        responses["204"] = {"description": "Done; nothing to return."}
    elif operation.file:
        responses["200"] = {
            "description": "The file.",
            "content": {
                media_type: {"schema": {"type": "string"}}
                for media_type in file_media_types(operation)
            },
        }
    else:
        responses[str(operation.status)] = {
            "description": "Success.",
            "content": {"application/json": {"schema": response}},
        }
    for status in _ERRORS:
        if status in ("415", "422") and body is None:
            continue
        responses[status] = {"$ref": f"#/components/responses/Problem{status}"}
    document["responses"] = responses
    return document


_MEDIA_TYPE = re.compile(r'"([a-z]+/[a-z0-9.+-]+)')


def file_media_types(operation: Operation) -> list[str]:
    """The media types a file response may have, as its `media_type` field's comment in the
    contract lists them (in quotes)."""
    field = operation.method.output_type.fields_by_name["media_type"]
    found = _MEDIA_TYPE.findall(description(field.full_name))
    if not found:
        raise ValueError(f"{field.full_name}: its comment names no media type in quotes")
    return list(dict.fromkeys(found))


def _validator(schema: dict[str, Any], components: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": {"schemas": components}})


@cache
def api_schemas() -> ApiSchemas:
    registry = SchemaRegistry()
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(API_PREFIX + operation.path, {})[operation.http_method.lower()] = (
            _operation_document(operation, registry)
        )
    components = dict(sorted(registry.components.items()))
    components["Problem"] = PROBLEM_SCHEMA
    components["NetworkReferralKpis"] = NETWORK_KPIS_SCHEMA
    paths[API_PREFIX + NETWORK_KPIS_PATH] = {
        "get": {
            "operationId": "getNetworkReferralKpis",
            "tags": ["Referrals"],
            "summary": "The network's referral figures, summed over every region's node",
            "description": "Roles: network-coordinator, cluster-manager. Calls "
            "`twoins.v1.ReferralService/GetReferralKpis` with `network_share` on every node.",
            "x-roles": ["cluster-manager", "network-coordinator"],
            "security": [{"bearer": []}],
            "responses": {
                "200": {
                    "description": "Success.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/NetworkReferralKpis"}
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/Problem401"},
                "403": {"$ref": "#/components/responses/Problem403"},
            },
        }
    }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "2InS Clusters network API",
            "version": API_VERSION,
            "description": (
                "The REST API of the 2InS Clusters network's gateway. Each operation calls one "
                "RPC of the gRPC contract `twoins.v1` on the node of the caller's region, with "
                "the caller's access token (from the network's Keycloak realm). JSON is the "
                "contract's canonical JSON with its field names; errors are "
                "`application/problem+json` (RFC 9457)."
            ),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/"}],
        "tags": sorted(
            ({"name": operation.tag} for operation in OPERATIONS),
            key=lambda tag: tag["name"],
        ),
        "paths": paths,
        "components": {
            "schemas": components,
            "responses": {
                f"Problem{status}": {
                    "description": text,
                    "content": {
                        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                }
                for status, text in _ERRORS.items()
            },
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "An access token of the network's Keycloak realm.",
                }
            },
        },
    }
    # De-duplicate tags, keeping order.
    document["tags"] = [dict(t) for t in {tag["name"]: tag for tag in document["tags"]}.values()]
    requests = {}
    responses = {}
    for operation in OPERATIONS:
        body = _body_schema(operation, registry)
        if body is not None:
            requests[operation.operation_id] = _validator(body, components)
        response = _response_schema(operation, registry)
        if response is not None:
            responses[operation.operation_id] = _validator(response, components)
    return ApiSchemas(document, requests, responses)


def document_json() -> str:
    """The document as published in docs/openapi.json (`make openapi` writes it)."""
    return json.dumps(api_schemas().document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document_json())
