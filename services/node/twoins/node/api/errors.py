"""The one place where domain errors become gRPC status with google.rpc error details."""

from __future__ import annotations

import logging

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from sqlalchemy.exc import DBAPIError, OperationalError

from twoins.node.domain.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NodeError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)

#: ErrorInfo.domain of every error the node reports.
ERROR_DOMAIN = "node.twoins.v1"

logger = logging.getLogger(__name__)

_CODES: list[tuple[type[NodeError], int]] = [
    (InvalidArgument, code_pb2.INVALID_ARGUMENT),
    (NotFound, code_pb2.NOT_FOUND),
    (FailedPrecondition, code_pb2.FAILED_PRECONDITION),
    (Conflict, code_pb2.ABORTED),
    (Unauthenticated, code_pb2.UNAUTHENTICATED),
    (PermissionDenied, code_pb2.PERMISSION_DENIED),
]
#: Reasons reported as UNAVAILABLE: the caller may retry.
_UNAVAILABLE_REASONS = frozenset({"PEER_UNAVAILABLE"})


def _pack(message: object) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)  # type: ignore[arg-type]
    return packed


def status_for(error: NodeError) -> status_pb2.Status:
    """The rich status for a domain error: code, message, ErrorInfo and BadRequest details."""
    code = next((code for kind, code in _CODES if isinstance(error, kind)), code_pb2.INTERNAL)
    if isinstance(error, Conflict) and error.reason == "REQUEST_ID_REUSED":
        code = code_pb2.ALREADY_EXISTS
    if error.reason in _UNAVAILABLE_REASONS:
        code = code_pb2.UNAVAILABLE
    details = [
        _pack(
            error_details_pb2.ErrorInfo(
                reason=error.reason, domain=ERROR_DOMAIN, metadata=error.metadata
            )
        )
    ]
    if error.violations:
        details.append(
            _pack(
                error_details_pb2.BadRequest(
                    field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(
                            field=item.field, description=item.description, reason=item.reason
                        )
                        for item in error.violations
                    ]
                )
            )
        )
    return status_pb2.Status(code=code, message=error.message, details=details)


#: PostgreSQL's "read only SQL transaction": a standby, or a database set read-only.
_READ_ONLY_SQLSTATE = "25006"


def _read_only(error: Exception) -> bool:
    if not isinstance(error, DBAPIError):
        return False
    if getattr(error.orig, "sqlstate", "") == _READ_ONLY_SQLSTATE:
        return True
    return "readonly database" in str(error.orig)  # SQLite's "attempt to write a readonly database"


def status_for_unexpected(error: Exception) -> status_pb2.Status:
    """Status for anything that is not a NodeError; the details stay in the node's log."""
    if _read_only(error):
        reason, code = "DATABASE_READ_ONLY", code_pb2.UNAVAILABLE
        message = (
            "the node's database takes no writes at the moment (it is read-only); reading "
            "works; retry later or ask the cluster manager"
        )
    elif isinstance(error, OperationalError):
        reason, code = "DATABASE_UNAVAILABLE", code_pb2.UNAVAILABLE
        message = "the node's database is unavailable; retry later or ask the cluster manager"
    else:
        reason, code = "INTERNAL", code_pb2.INTERNAL
        message = "the node failed to handle the request; the error is in the node's log"
    info = error_details_pb2.ErrorInfo(reason=reason, domain=ERROR_DOMAIN)
    return status_pb2.Status(code=code, message=message, details=[_pack(info)])


def grpc_code(status: status_pb2.Status) -> grpc.StatusCode:
    return next(code for code in grpc.StatusCode if code.value[0] == status.code)
