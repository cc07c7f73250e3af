"""BusinessPlanService: the 2InS business plans of the region's SMEs, in revisions."""

from __future__ import annotations

import re

import grpc

from twoins.node.api.request_checks import require_id
from twoins.node.context import NodeContext
from twoins.node.domain.business_plan import (
    BusinessPlan,
    export_markdown,
    next_revision,
    validate_business_plan,
)
from twoins.node.domain.errors import FieldViolation, InvalidArgument
from twoins.node.messages.convert import business_plan_from_proto, business_plan_to_proto
from twoins.node.store.pagination import PagePosition, next_page_token, page_request
from twoins.node.store.repositories import Repositories
from twoins.v1 import business_plan_pb2 as pb
from twoins.v1 import business_plan_pb2_grpc


class BusinessPlanServicer(business_plan_pb2_grpc.BusinessPlanServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def CreateBusinessPlan(
        self, request: pb.CreateBusinessPlanRequest, context: grpc.ServicerContext
    ) -> pb.CreateBusinessPlanResponse:
        now = self._node.clock()

        def create(repositories: Repositories, new_id: str) -> BusinessPlan:
            plan = validate_business_plan(
                business_plan_from_proto(request.business_plan, id=new_id, now=now)
            )
            require_id(plan.organisation_id, "business_plan.organisation_id")
            repositories.organisations.get(plan.organisation_id)
            repositories.business_plans.add_revision(plan)
            return plan

        def load(repositories: Repositories, first_id: str) -> BusinessPlan:
            return repositories.business_plans.get(first_id, revision=1)

        plan = self._node.create_once(
            "CreateBusinessPlan", request, request.request_id, create, load
        )
        return pb.CreateBusinessPlanResponse(business_plan=business_plan_to_proto(plan))

    def GetBusinessPlan(
        self, request: pb.GetBusinessPlanRequest, context: grpc.ServicerContext
    ) -> pb.GetBusinessPlanResponse:
        plan_id = require_id(request.id)
        with self._node.store.read() as repositories:
            plan = repositories.business_plans.get(plan_id, request.revision)
        return pb.GetBusinessPlanResponse(business_plan=business_plan_to_proto(plan))

    def ListBusinessPlans(
        self, request: pb.ListBusinessPlansRequest, context: grpc.ServicerContext
    ) -> pb.ListBusinessPlansResponse:
        organisation_id = require_id(request.organisation_id, "organisation_id")
        page = page_request(
            request.page_size, request.page_token, ("business_plans", organisation_id)
        )
        with self._node.store.read() as repositories:
            repositories.organisations.get(organisation_id)
            plans, last, more = repositories.business_plans.page(page, organisation_id)
        return pb.ListBusinessPlansResponse(
            business_plans=[business_plan_to_proto(plan) for plan in plans],
            next_page_token=next_page_token(page, last, more),
        )

    def UpdateBusinessPlan(
        self, request: pb.UpdateBusinessPlanRequest, context: grpc.ServicerContext
    ) -> pb.UpdateBusinessPlanResponse:
        plan_id = require_id(request.business_plan.id, "business_plan.id")
        if request.base_revision < 1:
            raise InvalidArgument(
                "base_revision is required",
                violations=(
                    FieldViolation("base_revision", "give the revision your edit started from"),
                ),
            )
        now = self._node.clock()
        with self._node.store.write() as repositories:
            latest = repositories.business_plans.get(plan_id)
            edited = business_plan_from_proto(request.business_plan, id=plan_id, now=now)
            # organisation_id is immutable: keep the stored one whatever the request says.
            edited = BusinessPlan(
                plan_id,
                latest.organisation_id,
                edited.title,
                edited.revision,
                edited.sections,
                edited.financial_years,
                now,
            )
            plan = next_revision(latest, edited, request.base_revision, now)
            repositories.business_plans.add_revision(plan)
        return pb.UpdateBusinessPlanResponse(business_plan=business_plan_to_proto(plan))

    def ListBusinessPlanRevisions(
        self, request: pb.ListBusinessPlanRevisionsRequest, context: grpc.ServicerContext
    ) -> pb.ListBusinessPlanRevisionsResponse:
        plan_id = require_id(request.id)
        page = page_request(request.page_size, request.page_token, ("revisions", plan_id))
        with self._node.store.read() as repositories:
            plans, last_revision, more = repositories.business_plans.revisions(plan_id, page)
        last = (
            PagePosition(plans[-1].create_time, str(last_revision))
            if plans and last_revision is not None
            else None
        )
        return pb.ListBusinessPlanRevisionsResponse(
            business_plans=[business_plan_to_proto(plan) for plan in plans],
            next_page_token=next_page_token(page, last, more),
        )

    def ExportBusinessPlan(
        self, request: pb.ExportBusinessPlanRequest, context: grpc.ServicerContext
    ) -> pb.ExportBusinessPlanResponse:
        plan_id = require_id(request.id)
        with self._node.store.read() as repositories:
            plan = repositories.business_plans.get(plan_id, request.revision)
            organisation = repositories.organisations.get(plan.organisation_id)
        slug = re.sub(r"[^a-z0-9]+", "-", plan.title.casefold()).strip("-")[:60] or "plan"
        return pb.ExportBusinessPlanResponse(
            file_name=f"{slug}-r{plan.revision}.md",
            media_type="text/markdown; charset=utf-8",
            content=export_markdown(plan, organisation.legal_name).encode("utf-8"),
        )
