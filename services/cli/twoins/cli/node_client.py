"""A small gRPC client of one node, for the command line's own use (health, seeding)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from twoins.cli.tokens import BearerInterceptor
from twoins.v1 import (
    assessment_pb2_grpc,
    business_plan_pb2_grpc,
    expert_offer_pb2_grpc,
    knowledge_pb2_grpc,
    need_pb2_grpc,
    network_pb2_grpc,
    notification_pb2_grpc,
    organisation_pb2_grpc,
    referral_pb2_grpc,
)


class NodeClient:
    """Stubs of every service of one node; calls carry `token()` when given."""

    def __init__(
        self,
        address: str,
        token: Callable[[], str] | None = None,
        *,
        own_connection: bool = False,
    ) -> None:
        """`own_connection`: a connection of its own rather than one shared by the process's
        channels to the same address (a node serving from several processes gets each new
        connection in one of them)."""
        self.address = address
        options = [("grpc.use_local_subchannel_pool", 1)] if own_connection else []
        self._raw_channel = grpc.insecure_channel(address, options=options)
        self.channel = (
            grpc.intercept_channel(self._raw_channel, BearerInterceptor(token))
            if token is not None
            else self._raw_channel
        )
        self.health = health_pb2_grpc.HealthStub(self.channel)
        self.organisations = organisation_pb2_grpc.OrganisationServiceStub(self.channel)
        self.assessments = assessment_pb2_grpc.AssessmentServiceStub(self.channel)
        self.business_plans = business_plan_pb2_grpc.BusinessPlanServiceStub(self.channel)
        self.needs = need_pb2_grpc.NeedServiceStub(self.channel)
        self.expert_offers = expert_offer_pb2_grpc.ExpertOfferServiceStub(self.channel)
        self.network = network_pb2_grpc.NetworkServiceStub(self.channel)
        self.referrals = referral_pb2_grpc.ReferralServiceStub(self.channel)
        self.knowledge = knowledge_pb2_grpc.KnowledgeServiceStub(self.channel)
        self.notifications = notification_pb2_grpc.NotificationServiceStub(self.channel)

    def is_serving(self, timeout: float = 1.0) -> bool:
        try:
            response = self.health.Check(health_pb2.HealthCheckRequest(), timeout=timeout)
        except grpc.RpcError:
            return False
        return bool(response.status == health_pb2.HealthCheckResponse.SERVING)

    def close(self) -> None:
        self._raw_channel.close()

    def __enter__(self) -> NodeClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
