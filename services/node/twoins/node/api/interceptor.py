"""The server interceptor: request ids, the caller's identity and rights, one structured log
line per call, and error mapping."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import grpc
from grpc_status import rpc_status

from twoins.common.auth import Principal
from twoins.common.logs import request_id_var
from twoins.common.serving_process import serving_process_header
from twoins.node.api.access import AccessPolicy, calling_as
from twoins.node.api.errors import grpc_code, status_for, status_for_unexpected
from twoins.node.domain.errors import NodeError
from twoins.node.metrics import NodeMetrics

REQUEST_ID_HEADER = "x-request-id"

logger = logging.getLogger("twoins.node.rpc")


def _request_id(metadata: Any) -> str:
    for key, value in metadata:
        if key == REQUEST_ID_HEADER and isinstance(value, str) and 0 < len(value) <= 128:
            return value
    return uuid.uuid4().hex


class NodeServerInterceptor(grpc.ServerInterceptor):  # type: ignore[type-arg]
    """Wraps every unary handler of the node's services.

    Servicers report failures by raising NodeError, never by calling `context.abort`.
    """

    def __init__(
        self,
        access: AccessPolicy,
        metrics: NodeMetrics | None = None,
        on_caller: Callable[[Principal], None] | None = None,
        serving_process: tuple[int, int] | None = None,
    ) -> None:
        """`serving_process`: (number, count) of this process among the node's serving
        processes, named in every answer (`twoins.common.serving_process`)."""
        self._access = access
        self._metrics = metrics
        #: Told of every verified caller (the notifier learns the region's people from it).
        self._on_caller = on_caller
        self._wrapped: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}
        self._trailing: tuple[tuple[str, str], ...] = (
            (serving_process_header(*serving_process),) if serving_process is not None else ()
        )

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        method: str = handler_call_details.method
        # gRPC asks on every call; the wrapped handler of a method is made once.
        wrapped = self._wrapped.get(method)
        if wrapped is not None:
            return wrapped
        handler = continuation(handler_call_details)
        # Health and reflection keep their own behaviour.
        if handler is None or not method.startswith("/twoins.") or handler.unary_unary is None:
            return handler
        wrapped = grpc.unary_unary_rpc_method_handler(
            self._wrap(method, handler.unary_unary),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
        self._wrapped[method] = wrapped
        return wrapped

    def _wrap(self, method: str, inner: Callable[[Any, grpc.ServicerContext], Any]) -> Any:
        short = method.rsplit(".", 1)[-1]  # "NeedService/PublishNeed"
        duration_metric = (
            self._metrics.request_duration.labels(method=short) if self._metrics else None
        )

        def wrapped(request: Any, context: grpc.ServicerContext) -> Any:
            metadata = context.invocation_metadata()
            request_id = _request_id(metadata)
            token = request_id_var.set(request_id)
            started = time.perf_counter()
            outcome = "OK"
            caller = ""
            try:
                context.set_trailing_metadata(((REQUEST_ID_HEADER, request_id), *self._trailing))
                principal = self._access.authorise(method, metadata)
                caller = principal.subject if principal is not None else ""
                if principal is not None and self._on_caller is not None:
                    self._on_caller(principal)
                with calling_as(principal):
                    return inner(request, context)
            except NodeError as error:
                status = status_for(error)
                outcome = grpc_code(status).name
                context.abort_with_status(rpc_status.to_status(status))
            except Exception as error:
                status = status_for_unexpected(error)
                outcome = grpc_code(status).name
                if outcome == "UNAVAILABLE":  # the database is down or read-only: no bug
                    # The driver's first line says why (no statement, no parameters).
                    reason = str(error).strip().split("\n", 1)[0]
                    logger.warning(
                        "request refused: %s",
                        status.message,
                        extra={"method": method, "error": reason},
                    )
                else:
                    logger.exception("unexpected error", extra={"method": method})
                context.abort_with_status(rpc_status.to_status(status))
            finally:
                duration = time.perf_counter() - started
                if self._metrics is not None and duration_metric is not None:
                    self._metrics.requests.labels(method=short, outcome=outcome).inc()
                    duration_metric.observe(duration)
                logger.info(
                    "rpc",
                    extra={
                        "method": method,
                        "outcome": outcome,
                        "caller": caller,
                        "duration_ms": round(duration * 1000, 2),
                    },
                )
                request_id_var.reset(token)

        return wrapped
