"""Calls to other regions' nodes, with this node's service-account token: the only way
personal data leaves a node, and only after consent."""

from __future__ import annotations

import threading
from typing import Any

import grpc
from google.protobuf.message import Message

from twoins.common.service_token import ServiceTokenError, ServiceTokenSource
from twoins.node.domain.errors import NodeError
from twoins.v1 import common_pb2, disclosure_pb2, disclosure_pb2_grpc


class PeerUnavailable(NodeError):
    """Another region's node could not be reached or refused; nothing was changed."""

    reason = "PEER_UNAVAILABLE"


class Peers:
    def __init__(self, addresses: dict[str, str], tokens: ServiceTokenSource | None) -> None:
        self._addresses = addresses
        self._tokens = tokens
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.Lock()

    def _stub(self, region: str) -> disclosure_pb2_grpc.DisclosureServiceStub:
        if region not in self._addresses:
            raise PeerUnavailable(f"no address for the node of {region}")
        with self._lock:
            channel = self._channels.get(region)
            if channel is None:
                channel = self._channels[region] = grpc.insecure_channel(self._addresses[region])
        return disclosure_pb2_grpc.DisclosureServiceStub(channel)

    def _metadata(self) -> tuple[tuple[str, str], ...]:
        if self._tokens is None:
            raise PeerUnavailable(
                "this node has no service-account secret (auth_client_secret): it cannot "
                "call other regions' nodes"
            )
        try:
            return (("authorization", f"Bearer {self._tokens.token()}"),)
        except ServiceTokenError as error:
            raise PeerUnavailable(str(error)) from None

    def _call(self, region: str, method: str, request: Message, refused: str) -> Any:
        """`method` of DisclosureService at `region`'s node; PeerUnavailable saying `refused`
        and the peer's answer when the call does not go through."""
        try:
            return getattr(self._stub(region), method)(
                request, metadata=self._metadata(), timeout=10
            )
        except grpc.RpcError as error:
            raise PeerUnavailable(f"the node of {region} {refused}: {error.details()}") from None

    def exchange(
        self, region: str, referral_id: str, contact: common_pb2.Contact
    ) -> disclosure_pb2.ExchangeContactsResponse:
        response: disclosure_pb2.ExchangeContactsResponse = self._call(
            region,
            "ExchangeContacts",
            disclosure_pb2.ExchangeContactsRequest(referral_id=referral_id, contact=contact),
            "did not exchange contacts",
        )
        return response

    def erase(self, region: str, referral_id: str) -> bool:
        response: disclosure_pb2.EraseDisclosureResponse = self._call(
            region,
            "EraseDisclosure",
            disclosure_pb2.EraseDisclosureRequest(referral_id=referral_id),
            "did not confirm the erasure (nothing was changed: retry)",
        )
        return bool(response.erased)

    def exchange_audit_heads(
        self, region: str, head: disclosure_pb2.SignedAuditHead
    ) -> disclosure_pb2.ExchangeAuditHeadsResponse:
        response: disclosure_pb2.ExchangeAuditHeadsResponse = self._call(
            region,
            "ExchangeAuditHeads",
            disclosure_pb2.ExchangeAuditHeadsRequest(head=head),
            "did not exchange audit heads",
        )
        return response

    def close(self) -> None:
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()
