"""The `api` blueprint: the REST API. Every operation checks the bearer token, the caller's
role, validates the request against the OpenAPI document, calls the node of the caller's region
with the caller's token, and validates the response before sending it."""

from __future__ import annotations

import json
import logging
import re
import uuid
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

from twoins.common.auth import InvalidToken, Principal, bearer_token
from twoins.common.realm_config import NODE
from twoins.gateway.openapi import api_schemas
from twoins.gateway.operations import (
    API_PREFIX,
    IDEMPOTENCY_HEADER,
    OPERATIONS,
    REQUEST_ID_FIELD,
    UPDATE_MASK_FIELD,
    Operation,
)
from twoins.gateway.problems import Problem
from twoins.gateway.services import services

logger = logging.getLogger("twoins.gateway.api")

api = Blueprint("api", __name__, url_prefix=API_PREFIX)

JSON_MEDIA_TYPE = "application/json"


def authenticate() -> Principal:
    """The caller of an API request, from its bearer token; a 401 problem otherwise."""
    try:
        token = bearer_token(request.headers.get("Authorization"))
        principal = services().verifier.verify(token)
    except InvalidToken as error:
        challenge = f'Bearer realm="twoins", error="invalid_token", error_description="{error}"'
        if error.reason == "TOKEN_MISSING":
            challenge = 'Bearer realm="twoins"'
        raise Problem(
            401, str(error), reason=error.reason, headers={"WWW-Authenticate": challenge}
        ) from None
    g.principal = principal
    return principal


def region_for(principal: Principal, operation: Operation) -> str:
    """The region whose node serves the caller: their own; the lead region's for a network
    coordinator reading the network catalogue."""
    if NODE in principal.roles:
        raise Problem(
            403, "service accounts call nodes directly, not the gateway", reason="NOT_A_PERSON"
        )
    if not principal.has_role(*operation.roles):
        raise Problem(
            403,
            f"{principal.describe()} may not {operation.operation_id}; it needs one of: "
            + ", ".join(sorted(operation.roles)),
            reason="ROLE_NOT_ALLOWED",
        )
    if principal.region:
        return principal.region
    if operation.network_wide:
        return str(current_app.config["TWOINS_LEAD_REGION"])
    raise Problem(
        403,
        "your account belongs to no region; ask your cluster manager to add you to one",
        reason="NO_REGION",
    )


def _query_value(item: FieldDescriptor, raw: str) -> Any:
    if item.enum_type is not None:
        if item.enum_type.values_by_name.get(raw) is None or raw.endswith("_UNSPECIFIED"):
            allowed = ", ".join(value.name for value in item.enum_type.values if value.number != 0)
            raise Problem(
                400,
                f"{item.name}={raw!r} is not one of {allowed}",
                reason="INVALID_QUERY",
                errors=[{"field": item.name, "message": f"one of {allowed}"}],
            )
        return raw
    if item.type in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_UINT32):
        try:
            value = int(raw)
        except ValueError:
            raise Problem(
                400,
                f"{item.name} must be a whole number",
                reason="INVALID_QUERY",
                errors=[{"field": item.name, "message": "a whole number"}],
            ) from None
        if not -(2**31) <= value < 2**31:
            raise Problem(400, f"{item.name} is out of range", reason="INVALID_QUERY")
        return value
    if item.type == FieldDescriptor.TYPE_BOOL:
        if raw not in ("true", "false"):
            raise Problem(400, f"{item.name} must be true or false", reason="INVALID_QUERY")
        return raw == "true"
    return raw


def _query(operation: Operation) -> dict[str, Any]:
    if not request.args:
        return {}
    fields = operation.query_fields_by_name
    unknown = sorted(set(request.args) - set(fields))
    if unknown:
        raise Problem(
            400,
            f"unknown query parameter(s): {', '.join(unknown)}; known: "
            + (", ".join(fields) or "none"),
            reason="UNKNOWN_QUERY_PARAMETER",
        )
    values: dict[str, Any] = {}
    for name, item in fields.items():
        raw_values = request.args.getlist(name)
        if not raw_values:
            continue
        if item.is_repeated:
            values[name] = [_query_value(item, raw) for raw in raw_values]
        elif len(raw_values) > 1:
            raise Problem(400, f"{name} may be given once", reason="INVALID_QUERY")
        else:
            values[name] = _query_value(item, raw_values[0])
    return values


def _body(operation: Operation) -> dict[str, Any] | None:
    if operation.body is None:
        return None
    raw = request.get_data(cache=False)
    if not raw and operation.body == "*":
        body: Any = {}
    else:
        if request.mimetype != JSON_MEDIA_TYPE:
            raise Problem(
                415,
                f"send the body as {JSON_MEDIA_TYPE} (got {request.mimetype or 'no type'})",
                reason="UNSUPPORTED_MEDIA_TYPE",
            )
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise Problem(
                400, f"the body is not valid JSON: {error}", reason="INVALID_JSON"
            ) from None
    if not isinstance(body, dict):
        raise Problem(422, "the body must be a JSON object", reason="INVALID_BODY")
    validator = api_schemas().requests[operation.operation_id]
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    if errors:
        listed = [
            {
                "field": ".".join(str(part) for part in error.absolute_path) or "(body)",
                "message": error.message,
            }
            for error in errors[:20]
        ]
        raise Problem(
            422,
            "the body does not match the schema: "
            + "; ".join(f"{item['field']}: {item['message']}" for item in listed[:3]),
            reason="INVALID_BODY",
            errors=listed,
        )
    return body


def _set_path(message: Message, dotted: str, value: str) -> None:
    *parents, leaf = dotted.split(".")
    target = message
    for name in parents:
        target = getattr(target, name)
    setattr(target, leaf, value)


def build_request(operation: Operation, path_values: dict[str, str]) -> Message:
    """The RPC's request message from the HTTP request's path, query, headers and body."""
    request_type = GetMessageClass(operation.method.input_type)
    values: dict[str, Any] = _query(operation)
    body = _body(operation)
    if body is not None:
        if operation.body == "*":
            values.update(body)
        else:
            values[str(operation.body)] = body
    message = request_type()
    try:
        json_format.ParseDict(values, message, ignore_unknown_fields=False)
    except json_format.ParseError as error:
        raise Problem(422, f"the request cannot be read: {error}", reason="INVALID_BODY") from None
    for name, value in path_values.items():
        _set_path(message, operation.request_field_of(name), value)
    if operation.patch and body is not None:
        mask = FieldMask(paths=sorted(body))
        getattr(message, UPDATE_MASK_FIELD).CopyFrom(mask)
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key and REQUEST_ID_FIELD in operation.method.input_type.fields_by_name:
        setattr(message, REQUEST_ID_FIELD, key)
    return message


def _json_response(operation: Operation, response: Message) -> Response:
    document = json_format.MessageToDict(
        response, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    result = document.get(operation.result, {}) if operation.result else document
    if services().config.check_responses:
        _check_response(operation, result)
    return Response(
        json.dumps(result, ensure_ascii=False), status=operation.status, mimetype=JSON_MEDIA_TYPE
    )


def _check_response(operation: Operation, result: Any) -> None:
    validator = api_schemas().responses[operation.operation_id]
    problems = list(validator.iter_errors(result))
    if problems:
        logger.error(
            "response does not match its schema",
            extra={"operation": operation.operation_id, "error": problems[0].message},
        )
        raise Problem(
            500, "the gateway produced an invalid response; it is logged", reason="INVALID_RESPONSE"
        )


def _handler(operation: Operation) -> Any:
    def handle(**path_values: str) -> Response:
        principal = authenticate()
        region = region_for(principal, operation)
        message = build_request(operation, path_values)
        response = services().nodes.call(
            region,
            operation.stub,
            operation.method.name,
            message,
            token=principal.token,
            request_id=g.get("request_id") or uuid.uuid4().hex,
        )
        if operation.status == 204:
            return Response(status=204)
        if operation.file:
            # A file: the rule's bytes field, sent with the response's media type and name.
            file_name = str(getattr(response, "file_name", ""))
            safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", file_name) or "export"
            return Response(
                getattr(response, str(operation.result)),
                mimetype=getattr(response, "media_type", "") or "application/octet-stream",
                headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
            )
        reply = _json_response(operation, response)
        if operation.status == 201 and operation.result:
            created_id = getattr(getattr(response, operation.result), "id", "")
            if created_id:
                reply.headers["Location"] = f"{request.base_url.rstrip('/')}/{created_id}"
        return reply

    handle.__name__ = operation.operation_id
    return handle


for _operation in OPERATIONS:
    api.add_url_rule(
        _operation.flask_rule, view_func=_handler(_operation), methods=[_operation.http_method]
    )
