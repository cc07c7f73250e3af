"""Errors as `application/problem+json` (RFC 9457), the one error shape of the REST API."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request

PROBLEM_MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request body",
    429: "Too many requests",
    500: "Internal error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


class Problem(Exception):
    """An error the API reports; `reason` is a stable code clients branch on."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        reason: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.reason = reason or TITLES.get(status, "error").upper().replace(" ", "_")
        self.errors = errors or []
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"/problems/{self.reason.lower().replace('_', '-')}",
            "title": TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
            "reason": self.reason,
        }
        if request:
            body["instance"] = request.path
        if self.errors:
            body["errors"] = self.errors
        return body

    def response(self, request_id: str = "") -> Response:
        body = self.body()
        if request_id:
            body["request_id"] = request_id
        response = Response(
            json.dumps(body, ensure_ascii=False), status=self.status, mimetype=PROBLEM_MEDIA_TYPE
        )
        for key, value in self.headers.items():
            response.headers[key] = value
        return response


#: The schema of a problem, for the OpenAPI document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error (RFC 9457).",
    "properties": {
        "type": {"type": "string", "description": "URI reference naming the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong and what to do next."},
        "instance": {"type": "string"},
        "reason": {"type": "string", "description": "Stable UPPER_SNAKE_CASE code."},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "The fields at fault.",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "reason": {
                        "type": "string",
                        "description": "The problem as a stable UPPER_SNAKE_CASE code, "
                        "when the node gives one (e.g. REQUIRED, TOO_LONG).",
                    },
                },
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "reason"],
}
