"""The REST API's operations, each one RPC of the contract: method, path, and how the HTTP
request fills the RPC's request message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
    #: The response is a file: `content` sent as `media_type`, named `file_name`.
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


def _method(module: Any, service: str, name: str) -> MethodDescriptor:
    found: MethodDescriptor = module.DESCRIPTOR.services_by_name[service].methods_by_name[name]
    return found


def _resource_operations(
    module: Any,
    stub: Any,
    service: str,
    tag: str,
    collection: str,
    singular: str,
    resource_field: str,
    *,
    delete: bool = False,
    update: bool = True,
) -> list[Operation]:
    plural = f"List{singular}s"
    operations = [
        Operation(
            f"list{singular}s",
            "GET",
            f"/{collection}",
            _method(module, service, plural),
            stub,
            tag,
        ),
        Operation(
            f"create{singular}",
            "POST",
            f"/{collection}",
            _method(module, service, f"Create{singular}"),
            stub,
            tag,
            body=resource_field,
            result=resource_field,
            status=201,
        ),
        Operation(
            f"get{singular}",
            "GET",
            f"/{collection}/{{id}}",
            _method(module, service, f"Get{singular}"),
            stub,
            tag,
            result=resource_field,
        ),
    ]
    if update:
        operations.append(
            Operation(
                f"update{singular}",
                "PATCH",
                f"/{collection}/{{id}}",
                _method(module, service, f"Update{singular}"),
                stub,
                tag,
                body=resource_field,
                patch=True,
                result=resource_field,
                path_fields={"id": f"{resource_field}.id"},
            )
        )
    if delete:
        operations.append(
            Operation(
                f"delete{singular}",
                "DELETE",
                f"/{collection}/{{id}}",
                _method(module, service, f"Delete{singular}"),
                stub,
                tag,
                status=204,
            )
        )
    return operations


def _action(
    module: Any, stub: Any, service: str, tag: str, path: str, rpc: str, result: str | None
) -> Operation:
    operation_id = rpc[0].lower() + rpc[1:]
    method = _method(module, service, rpc)
    return Operation(operation_id, "POST", path, method, stub, tag, body="*", result=result)


def _build() -> list[Operation]:
    org, ass, plan, need, offer, net = (
        organisation_pb2,
        assessment_pb2,
        business_plan_pb2,
        need_pb2,
        expert_offer_pb2,
        network_pb2,
    )
    org_stub = organisation_pb2_grpc.OrganisationServiceStub
    ass_stub = assessment_pb2_grpc.AssessmentServiceStub
    plan_stub = business_plan_pb2_grpc.BusinessPlanServiceStub
    need_stub = need_pb2_grpc.NeedServiceStub
    offer_stub = expert_offer_pb2_grpc.ExpertOfferServiceStub
    net_stub = network_pb2_grpc.NetworkServiceStub
    referral = referral_pb2
    referral_stub = referral_pb2_grpc.ReferralServiceStub
    knowledge_stub = knowledge_pb2_grpc.KnowledgeServiceStub
    return [
        *_resource_operations(
            org,
            org_stub,
            "OrganisationService",
            "Organisations",
            "organisations",
            "Organisation",
            "organisation",
            delete=True,
        ),
        *_resource_operations(
            ass,
            ass_stub,
            "AssessmentService",
            "Assessments",
            "assessments",
            "Assessment",
            "assessment",
            update=False,
        ),
        *_resource_operations(
            plan,
            plan_stub,
            "BusinessPlanService",
            "Business plans",
            "business-plans",
            "BusinessPlan",
            "business_plan",
            update=False,
        ),
        Operation(
            "updateBusinessPlan",
            "PUT",
            "/business-plans/{id}",
            _method(plan, "BusinessPlanService", "UpdateBusinessPlan"),
            plan_stub,
            "Business plans",
            body="*",
            result="business_plan",
            path_fields={"id": "business_plan.id"},
        ),
        Operation(
            "listBusinessPlanRevisions",
            "GET",
            "/business-plans/{id}/revisions",
            _method(plan, "BusinessPlanService", "ListBusinessPlanRevisions"),
            plan_stub,
            "Business plans",
        ),
        Operation(
            "exportBusinessPlan",
            "GET",
            "/business-plans/{id}/export",
            _method(plan, "BusinessPlanService", "ExportBusinessPlan"),
            plan_stub,
            "Business plans",
            file=True,
        ),
        *_resource_operations(need, need_stub, "NeedService", "Needs", "needs", "Need", "need"),
        *(
            _action(need, need_stub, "NeedService", "Needs", f"/needs/{{id}}/{verb}", rpc, "need")
            for verb, rpc in (
                ("submit", "SubmitNeed"),
                ("return", "ReturnNeed"),
                ("publish", "PublishNeed"),
                ("match", "MatchNeed"),
                ("close", "CloseNeed"),
                ("withdraw", "WithdrawNeed"),
            )
        ),
        _action(
            need,
            need_stub,
            "NeedService",
            "Needs",
            "/needs/{id}/publication-preview",
            "PreviewNeedPublication",
            None,
        ),
        *_resource_operations(
            offer,
            offer_stub,
            "ExpertOfferService",
            "Expert offers",
            "expert-offers",
            "ExpertOffer",
            "expert_offer",
        ),
        *(
            _action(
                offer,
                offer_stub,
                "ExpertOfferService",
                "Expert offers",
                f"/expert-offers/{{id}}/{verb}",
                rpc,
                "expert_offer",
            )
            for verb, rpc in (
                ("publish", "PublishExpertOffer"),
                ("withdraw", "WithdrawExpertOffer"),
            )
        ),
        *_resource_operations(
            referral,
            referral_stub,
            "ReferralService",
            "Referrals",
            "referrals",
            "Referral",
            "referral",
            update=False,
        ),
        *(
            _action(
                referral,
                referral_stub,
                "ReferralService",
                "Referrals",
                f"/referrals/{{id}}/{verb}",
                rpc,
                "referral",
            )
            for verb, rpc in (
                ("accept", "AcceptReferral"),
                ("decline", "DeclineReferral"),
                ("consent", "RecordReferralConsent"),
                ("engage", "EngageReferral"),
                ("complete", "CompleteReferral"),
                ("withdraw", "WithdrawReferral"),
                ("consent-withdrawal", "WithdrawReferralConsent"),
            )
        ),
        Operation(
            "getReferralKpis",
            "GET",
            "/referral-kpis",
            _method(referral, "ReferralService", "GetReferralKpis"),
            referral_stub,
            "Referrals",
        ),
        Operation(
            "getDisclosedContact",
            "GET",
            "/referrals/{id}/contact",
            _method(referral, "ReferralService", "GetDisclosedContact"),
            referral_stub,
            "Referrals",
        ),
        Operation(
            "searchNeeds",
            "GET",
            "/network/needs",
            _method(net, "NetworkService", "SearchNeeds"),
            net_stub,
            "Network",
        ),
        Operation(
            "searchExpertOffers",
            "GET",
            "/network/expert-offers",
            _method(net, "NetworkService", "SearchExpertOffers"),
            net_stub,
            "Network",
        ),
        Operation(
            "matchExpertOffers",
            "GET",
            "/network/needs/{need_id}/matches",
            _method(net, "NetworkService", "MatchExpertOffers"),
            net_stub,
            "Network",
        ),
        Operation(
            "matchNeeds",
            "GET",
            "/network/expert-offers/{offer_id}/matches",
            _method(net, "NetworkService", "MatchNeeds"),
            net_stub,
            "Network",
        ),
        *_resource_operations(
            knowledge_pb2,
            knowledge_stub,
            "KnowledgeService",
            "Knowledge",
            "knowledge-items",
            "KnowledgeItem",
            "knowledge_item",
            update=False,
        ),
        *(
            _action(
                knowledge_pb2,
                knowledge_stub,
                "KnowledgeService",
                "Knowledge",
                f"/knowledge-items/{{id}}/{verb}",
                rpc,
                "knowledge_item",
            )
            for verb, rpc in (
                ("publish", "PublishKnowledgeItem"),
                ("withdraw", "WithdrawKnowledgeItem"),
            )
        ),
        Operation(
            "searchKnowledgeItems",
            "GET",
            "/network/knowledge-items",
            _method(net, "NetworkService", "SearchKnowledgeItems"),
            net_stub,
            "Network",
        ),
    ]


OPERATIONS: tuple[Operation, ...] = tuple(_build())
