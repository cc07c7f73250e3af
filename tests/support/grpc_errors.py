"""Reading the rich error details (ErrorInfo, BadRequest) of a failed gRPC call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status


@dataclass
class CallError:
    code: grpc.StatusCode
    message: str
    reason: str
    domain: str
    metadata: dict[str, str]
    fields: dict[str, str]
    #: Each field's violation code (BadRequest's `reason`), where the node gives one.
    field_reasons: dict[str, str]


def call_error(error: grpc.RpcError) -> CallError:
    call = cast(grpc.Call, error)  # a failed blocking call's RpcError is also its Call
    status = rpc_status.from_call(call)
    assert status is not None, f"no rich status in {error!r}"
    info = error_details_pb2.ErrorInfo()
    bad_request = error_details_pb2.BadRequest()
    for detail in status.details:
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(bad_request.DESCRIPTOR):
            detail.Unpack(bad_request)
    return CallError(
        code=call.code(),
        message=status.message,
        reason=info.reason,
        domain=info.domain,
        metadata=dict(info.metadata),
        fields={
            violation.field: violation.description for violation in bad_request.field_violations
        },
        field_reasons={
            violation.field: violation.reason
            for violation in bad_request.field_violations
            if violation.reason
        },
    )
