"""AssessmentService: readiness audits of the region's SMEs."""

from __future__ import annotations

import grpc

from twoins.node.api.request_checks import require_id
from twoins.node.context import NodeContext
from twoins.node.domain.assessment import Assessment, validate_assessment
from twoins.node.messages.convert import assessment_from_proto, assessment_to_proto
from twoins.node.store.pagination import next_page_token, page_request
from twoins.node.store.repositories import Repositories
from twoins.v1 import assessment_pb2 as pb
from twoins.v1 import assessment_pb2_grpc


class AssessmentServicer(assessment_pb2_grpc.AssessmentServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def CreateAssessment(
        self, request: pb.CreateAssessmentRequest, context: grpc.ServicerContext
    ) -> pb.CreateAssessmentResponse:
        now = self._node.clock()

        def create(repositories: Repositories, new_id: str) -> Assessment:
            assessment = validate_assessment(
                assessment_from_proto(request.assessment, id=new_id, now=now)
            )
            require_id(assessment.organisation_id, "assessment.organisation_id")
            repositories.organisations.get(assessment.organisation_id)
            repositories.assessments.add(assessment)
            return assessment

        def load(repositories: Repositories, first_id: str) -> Assessment:
            return repositories.assessments.get(first_id)

        assessment = self._node.create_once(
            "CreateAssessment", request, request.request_id, create, load
        )
        return pb.CreateAssessmentResponse(assessment=assessment_to_proto(assessment))

    def GetAssessment(
        self, request: pb.GetAssessmentRequest, context: grpc.ServicerContext
    ) -> pb.GetAssessmentResponse:
        assessment_id = require_id(request.id)
        with self._node.store.read() as repositories:
            assessment = repositories.assessments.get(assessment_id)
        return pb.GetAssessmentResponse(assessment=assessment_to_proto(assessment))

    def ListAssessments(
        self, request: pb.ListAssessmentsRequest, context: grpc.ServicerContext
    ) -> pb.ListAssessmentsResponse:
        organisation_id = require_id(request.organisation_id, "organisation_id")
        page = page_request(request.page_size, request.page_token, ("assessments", organisation_id))
        with self._node.store.read() as repositories:
            repositories.organisations.get(organisation_id)
            items, last, more = repositories.assessments.page(page, organisation_id)
        return pb.ListAssessmentsResponse(
            assessments=[assessment_to_proto(item) for item in items],
            next_page_token=next_page_token(page, last, more),
        )
