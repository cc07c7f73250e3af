"""OrganisationService: the region's SMEs."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import grpc

from twoins.node.api.access import current_principal
from twoins.node.api.request_checks import mask_paths, require_id
from twoins.node.api.sme_rights import erase_organisation, erasure_to_proto, export_data
from twoins.node.context import NodeContext
from twoins.node.domain.errors import FailedPrecondition
from twoins.node.domain.organisation import (
    UPDATABLE_FIELDS,
    Organisation,
    merge_consents,
    validate_organisation,
)
from twoins.node.messages.convert import organisation_from_proto, organisation_to_proto
from twoins.node.store.pagination import next_page_token, page_request
from twoins.node.store.repositories import Repositories
from twoins.v1 import organisation_pb2 as pb
from twoins.v1 import organisation_pb2_grpc


class OrganisationServicer(organisation_pb2_grpc.OrganisationServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def _validate(self, organisation: Organisation) -> Organisation:
        return validate_organisation(
            organisation,
            self._node.codes,
            region_nuts2=self._node.region.nuts2,
            region_country=self._node.region.country,
            this_year=self._node.clock().year,
        )

    def CreateOrganisation(
        self, request: pb.CreateOrganisationRequest, context: grpc.ServicerContext
    ) -> pb.CreateOrganisationResponse:
        now = self._node.clock()

        def create(repositories: Repositories, new_id: str) -> Organisation:
            draft = organisation_from_proto(
                request.organisation, id=new_id, region=self._node.region.id, now=now
            )
            organisation = self._validate(draft)
            repositories.organisations.add(organisation)
            return organisation

        def load(repositories: Repositories, first_id: str) -> Organisation:
            return repositories.organisations.get(first_id)

        organisation = self._node.create_once(
            "CreateOrganisation", request, request.request_id, create, load
        )
        return pb.CreateOrganisationResponse(organisation=organisation_to_proto(organisation))

    def GetOrganisation(
        self, request: pb.GetOrganisationRequest, context: grpc.ServicerContext
    ) -> pb.GetOrganisationResponse:
        organisation_id = require_id(request.id)
        with self._node.store.read() as repositories:
            organisation = repositories.organisations.get(organisation_id)
        return pb.GetOrganisationResponse(organisation=organisation_to_proto(organisation))

    def ListOrganisations(
        self, request: pb.ListOrganisationsRequest, context: grpc.ServicerContext
    ) -> pb.ListOrganisationsResponse:
        query = request.query.strip()
        page = page_request(request.page_size, request.page_token, ("organisations", query))
        with self._node.store.read() as repositories:
            items, last, more = repositories.organisations.page(page, query)
        return pb.ListOrganisationsResponse(
            organisations=[organisation_to_proto(item) for item in items],
            next_page_token=next_page_token(page, last, more),
        )

    def UpdateOrganisation(
        self, request: pb.UpdateOrganisationRequest, context: grpc.ServicerContext
    ) -> pb.UpdateOrganisationResponse:
        organisation_id = require_id(request.organisation.id, "organisation.id")
        paths = mask_paths(request.update_mask, "organisation", UPDATABLE_FIELDS)
        now = self._node.clock()
        with self._node.store.write() as repositories:
            current = repositories.organisations.get(organisation_id)
            given = organisation_from_proto(
                request.organisation, id=current.id, region=current.region, now=now
            )
            changed = replace(
                current, **{path: getattr(given, path) for path in paths}, update_time=now
            )
            changed = replace(
                changed, consents=merge_consents(current.consents, changed.consents, now)
            )
            organisation = self._validate(changed)
            repositories.organisations.save(organisation)
        return pb.UpdateOrganisationResponse(organisation=organisation_to_proto(organisation))

    def DeleteOrganisation(
        self, request: pb.DeleteOrganisationRequest, context: grpc.ServicerContext
    ) -> pb.DeleteOrganisationResponse:
        organisation_id = require_id(request.id)
        with self._node.store.write() as repositories:
            repositories.organisations.get(organisation_id)
            if repositories.needs.count_open_published_by(organisation_id):
                raise FailedPrecondition(
                    "the SME has needs published to the network; withdraw or close them first",
                    reason="HAS_PUBLISHED_NEEDS",
                    metadata={"id": organisation_id},
                )
            repositories.organisations.delete(organisation_id)
        return pb.DeleteOrganisationResponse()

    def ExportOrganisationData(
        self, request: pb.ExportOrganisationDataRequest, context: grpc.ServicerContext
    ) -> pb.ExportOrganisationDataResponse:
        organisation_id = require_id(request.id)
        document = export_data(self._node, organisation_id)
        if request.format == pb.EXPORT_FORMAT_PDF:
            languages = document["organisation"].get("languages") or ["en"]
            return pb.ExportOrganisationDataResponse(
                file_name=f"sme-data-{organisation_id}.pdf",
                media_type="application/pdf",
                content=_pdf(document, str(languages[0])),
            )
        return pb.ExportOrganisationDataResponse(
            file_name=f"sme-data-{organisation_id}.json",
            media_type="application/json",
            content=json.dumps(document, ensure_ascii=False, indent=2).encode(),
        )

    def EraseOrganisation(
        self, request: pb.EraseOrganisationRequest, context: grpc.ServicerContext
    ) -> pb.EraseOrganisationResponse:
        organisation_id = require_id(request.id)
        principal = current_principal()
        actor = principal.subject if principal is not None else f"node:{self._node.region.id}"
        record = erase_organisation(self._node, organisation_id, request.reason, actor)
        with self._node.store.read() as repositories:
            peers = repositories.pending_erasures.of_referrals(list(record.referral_ids))
        return pb.EraseOrganisationResponse(erasure=erasure_to_proto(record, peers))

    def ListErasures(
        self, request: pb.ListErasuresRequest, context: grpc.ServicerContext
    ) -> pb.ListErasuresResponse:
        page = page_request(request.page_size, request.page_token, ("erasures",))
        with self._node.store.read() as repositories:
            records, last, more = repositories.erasures.page(page)
            reports = [
                erasure_to_proto(
                    record,
                    repositories.pending_erasures.of_referrals(list(record.referral_ids))
                    if record.kind != "PEER"
                    else (),  # a peer's erasure: done here, nothing pending elsewhere
                )
                for record in records
            ]
        return pb.ListErasuresResponse(
            erasures=reports, next_page_token=next_page_token(page, last, more)
        )


def _pdf(document: dict[str, Any], language: str) -> bytes:
    """The export as PDF; the PDF library (with its fonts and images, tens of MB) is loaded
    at the first export, not by every node at start."""
    from twoins.node.api.data_export_pdf import export_pdf

    return export_pdf(document, language)
