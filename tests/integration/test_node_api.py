"""The node's gRPC API end to end, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from tests.support import builders
from tests.support.grpc_errors import call_error
from twoins.cli.node_client import NodeClient
from twoins.v1 import (
    assessment_pb2,
    business_plan_pb2,
    expert_offer_pb2,
    need_pb2,
    organisation_pb2,
)


def create_organisation(client: NodeClient, **changes: object) -> organisation_pb2.Organisation:
    request = organisation_pb2.CreateOrganisationRequest(
        organisation=builders.organisation(**changes)
    )
    return client.organisations.CreateOrganisation(request).organisation


def create_need(client: NodeClient, organisation_id: str, **changes: object) -> need_pb2.Need:
    request = need_pb2.CreateNeedRequest(need=builders.need(organisation_id, **changes))
    return client.needs.CreateNeed(request).need


def test_created_organisation_is_read_back_in_canonical_form(client: NodeClient) -> None:
    created = create_organisation(
        client, vat_id="it 07134560767", nace_code="2562", languages=["IT", "en"]
    )
    read = client.organisations.GetOrganisation(
        organisation_pb2.GetOrganisationRequest(id=created.id)
    ).organisation
    assert read == created
    assert read.region == "it-basilicata"
    assert read.vat_id == "IT07134560767"
    assert read.nace_code == "25.62"
    assert list(read.languages) == ["it", "en"]
    assert read.address.nuts2_code == "ITF5"
    assert read.size_class == organisation_pb2.SIZE_CLASS_SMALL
    assert read.consents[0].HasField("record_time")


def test_invalid_organisation_names_every_bad_field_and_stores_nothing(client: NodeClient) -> None:
    before = client.organisations.ListOrganisations(
        organisation_pb2.ListOrganisationsRequest(query="Bad Input Srl")
    ).organisations
    bad = builders.organisation(
        legal_name="Bad Input Srl", vat_id="IT12345678901", nace_code="99.99", year_founded=3000
    )
    bad.contacts[0].email = "not-an-email"
    bad.address.country_code = "XX"
    with pytest.raises(grpc.RpcError) as raised:
        client.organisations.CreateOrganisation(
            organisation_pb2.CreateOrganisationRequest(organisation=bad)
        )
    error = call_error(raised.value)
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "INVALID_ARGUMENT"
    assert error.domain == "node.twoins.v1"
    assert set(error.fields) == {
        "organisation.vat_id",
        "organisation.nace_code",
        "organisation.year_founded",
        "organisation.contacts[0].email",
        "organisation.address.country_code",
    }
    # What a client can say in its reader's language carries a code.
    assert error.field_reasons["organisation.contacts[0].email"] == "NOT_AN_EMAIL"
    after = client.organisations.ListOrganisations(
        organisation_pb2.ListOrganisationsRequest(query="Bad Input Srl")
    ).organisations
    assert len(after) == len(before) == 0


def test_unknown_enum_value_is_invalid_argument(client: NodeClient) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        client.organisations.CreateOrganisation(
            organisation_pb2.CreateOrganisationRequest(
                organisation=builders.organisation(export_status=42)
            )
        )
    error = call_error(raised.value)
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "organisation.export_status" in error.fields


def test_repeated_create_with_same_request_id_returns_first_result(client: NodeClient) -> None:
    request_id = builders.new_request_id()
    request = organisation_pb2.CreateOrganisationRequest(
        organisation=builders.organisation(legal_name="Idempotent Olive Oil Srl"),
        request_id=request_id,
    )
    first = client.organisations.CreateOrganisation(request).organisation
    second = client.organisations.CreateOrganisation(request).organisation
    assert first == second
    listed = client.organisations.ListOrganisations(
        organisation_pb2.ListOrganisationsRequest(query="idempotent olive")
    ).organisations
    assert [item.id for item in listed] == [first.id]


def test_request_id_reused_for_another_request_is_refused(client: NodeClient) -> None:
    request_id = builders.new_request_id()
    client.organisations.CreateOrganisation(
        organisation_pb2.CreateOrganisationRequest(
            organisation=builders.organisation(legal_name="First Firm Srl"), request_id=request_id
        )
    )
    with pytest.raises(grpc.RpcError) as raised:
        client.organisations.CreateOrganisation(
            organisation_pb2.CreateOrganisationRequest(
                organisation=builders.organisation(legal_name="Second Firm Srl"),
                request_id=request_id,
            )
        )
    error = call_error(raised.value)
    assert error.code == grpc.StatusCode.ALREADY_EXISTS
    assert error.reason == "REQUEST_ID_REUSED"


def test_malformed_ids_and_unknown_records(client: NodeClient) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        client.organisations.GetOrganisation(organisation_pb2.GetOrganisationRequest(id="42"))
    assert call_error(raised.value).fields == {"id": "must be a UUID"}
    with pytest.raises(grpc.RpcError) as raised:
        client.needs.GetNeed(need_pb2.GetNeedRequest(id=builders.new_request_id()))
    error = call_error(raised.value)
    assert error.code == grpc.StatusCode.NOT_FOUND
    assert error.metadata["resource"] == "need"


def test_list_pages_through_every_record_once(client: NodeClient) -> None:
    marker = f"Paged Firm {builders.new_request_id()[:8]}"
    created = {
        create_organisation(client, legal_name=f"{marker} {index} Srl").id for index in range(7)
    }
    seen: list[str] = []
    token = ""
    while True:
        page = client.organisations.ListOrganisations(
            organisation_pb2.ListOrganisationsRequest(query=marker, page_size=3, page_token=token)
        )
        assert len(page.organisations) <= 3
        seen += [item.id for item in page.organisations]
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(created)
    with pytest.raises(grpc.RpcError) as raised:
        client.organisations.ListOrganisations(
            organisation_pb2.ListOrganisationsRequest(
                query="another filter", page_token=page.next_page_token or "garbage"
            )
        )
    assert call_error(raised.value).fields.keys() == {"page_token"}


def test_update_changes_only_masked_fields(client: NodeClient) -> None:
    created = create_organisation(client)
    change = organisation_pb2.Organisation(id=created.id, employees=120, legal_name="ignored")
    updated = client.organisations.UpdateOrganisation(
        organisation_pb2.UpdateOrganisationRequest(
            organisation=change, update_mask=FieldMask(paths=["employees"])
        )
    ).organisation
    assert updated.employees == 120
    assert updated.size_class == organisation_pb2.SIZE_CLASS_MEDIUM
    assert updated.legal_name == created.legal_name
    with pytest.raises(grpc.RpcError) as raised:
        client.organisations.UpdateOrganisation(
            organisation_pb2.UpdateOrganisationRequest(
                organisation=change, update_mask=FieldMask(paths=["region"])
            )
        )
    assert call_error(raised.value).code == grpc.StatusCode.INVALID_ARGUMENT


def test_need_lifecycle_over_grpc(client: NodeClient) -> None:
    organisation = create_organisation(client)
    need = create_need(client, organisation.id)
    assert need.state == need_pb2.NEED_STATE_DRAFT
    need = client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=need.id)).need
    assert need.state == need_pb2.NEED_STATE_IN_REVIEW
    need = client.needs.ReturnNeed(
        need_pb2.ReturnNeedRequest(id=need.id, reason="name the machinery makers' segment")
    ).need
    assert (need.state, need.state_reason) == (
        need_pb2.NEED_STATE_DRAFT,
        "name the machinery makers' segment",
    )
    client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=need.id))
    need = client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=need.id)).need
    assert need.state == need_pb2.NEED_STATE_PUBLISHED
    assert need.HasField("publish_time")
    need = client.needs.MatchNeed(need_pb2.MatchNeedRequest(id=need.id)).need
    need = client.needs.CloseNeed(need_pb2.CloseNeedRequest(id=need.id, reason="done")).need
    assert need.state == need_pb2.NEED_STATE_CLOSED
    with pytest.raises(grpc.RpcError) as raised:
        client.needs.WithdrawNeed(need_pb2.WithdrawNeedRequest(id=need.id))
    error = call_error(raised.value)
    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "ILLEGAL_TRANSITION"
    assert error.metadata == {"state": "CLOSED", "action": "withdraw"}
    read = client.needs.GetNeed(need_pb2.GetNeedRequest(id=need.id)).need
    assert read.state == need_pb2.NEED_STATE_CLOSED


def test_incomplete_need_cannot_be_submitted_and_stays_draft(client: NodeClient) -> None:
    organisation = create_organisation(client)
    need = create_need(client, organisation.id, target_countries=[], description="short")
    with pytest.raises(grpc.RpcError) as raised:
        client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=need.id))
    error = call_error(raised.value)
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert set(error.fields) == {"need.description", "need.target_countries"}
    assert (
        client.needs.GetNeed(need_pb2.GetNeedRequest(id=need.id)).need.state
        == need_pb2.NEED_STATE_DRAFT
    )


def test_need_with_unknown_codes_is_refused(client: NodeClient) -> None:
    organisation = create_organisation(client)
    with pytest.raises(grpc.RpcError) as raised:
        create_need(
            client,
            organisation.id,
            nace_codes=["25.62", "00.00"],
            target_countries=["DE", "ZZ"],
            languages=["xx"],
        )
    assert set(call_error(raised.value).fields) == {
        "need.nace_codes[1]",
        "need.target_countries[1]",
        "need.languages[0]",
    }


def test_only_draft_need_can_be_edited(client: NodeClient) -> None:
    organisation = create_organisation(client)
    need = create_need(client, organisation.id)
    edited = client.needs.UpdateNeed(
        need_pb2.UpdateNeedRequest(
            need=need_pb2.Need(id=need.id, target_countries=["EL", "CY"]),
            update_mask=FieldMask(paths=["target_countries"]),
        )
    ).need
    assert list(edited.target_countries) == ["GR", "CY"]
    client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=need.id))
    with pytest.raises(grpc.RpcError) as raised:
        client.needs.UpdateNeed(
            need_pb2.UpdateNeedRequest(
                need=need_pb2.Need(id=need.id, title="A different title"),
                update_mask=FieldMask(paths=["title"]),
            )
        )
    assert call_error(raised.value).code == grpc.StatusCode.FAILED_PRECONDITION


def test_need_for_unknown_organisation_is_not_found(client: NodeClient) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        create_need(client, builders.new_request_id())
    assert call_error(raised.value).code == grpc.StatusCode.NOT_FOUND


def test_needs_are_filtered_by_state(client: NodeClient) -> None:
    organisation = create_organisation(client)
    draft = create_need(client, organisation.id)
    withdrawn = create_need(client, organisation.id)
    client.needs.WithdrawNeed(need_pb2.WithdrawNeedRequest(id=withdrawn.id, reason="no budget"))
    listed = client.needs.ListNeeds(
        need_pb2.ListNeedsRequest(
            organisation_id=organisation.id, states=[need_pb2.NEED_STATE_WITHDRAWN]
        )
    ).needs
    assert [item.id for item in listed] == [withdrawn.id]
    everything = client.needs.ListNeeds(
        need_pb2.ListNeedsRequest(organisation_id=organisation.id)
    ).needs
    assert {item.id for item in everything} == {draft.id, withdrawn.id}


def test_assessment_is_scored(client: NodeClient) -> None:
    organisation = create_organisation(client)
    scores = builders.all_scores(4)
    scores[7].score = 1  # financial capacity
    assessment = client.assessments.CreateAssessment(
        assessment_pb2.CreateAssessmentRequest(
            assessment=assessment_pb2.Assessment(organisation_id=organisation.id, scores=scores)
        )
    ).assessment
    assert assessment.innovation_score == 4.0
    assert assessment.level == assessment_pb2.READINESS_LEVEL_ADVANCED  # mean 33/9 = 3.67
    assert list(assessment.recommended_services) == [6]  # financing advice
    listed = client.assessments.ListAssessments(
        assessment_pb2.ListAssessmentsRequest(organisation_id=organisation.id)
    ).assessments
    assert [item.id for item in listed] == [assessment.id]


def test_assessment_missing_a_dimension_is_refused(client: NodeClient) -> None:
    organisation = create_organisation(client)
    with pytest.raises(grpc.RpcError) as raised:
        client.assessments.CreateAssessment(
            assessment_pb2.CreateAssessmentRequest(
                assessment=assessment_pb2.Assessment(
                    organisation_id=organisation.id, scores=builders.all_scores()[:8]
                )
            )
        )
    assert "HUMAN_RESOURCES" in call_error(raised.value).fields["assessment.scores"]


def test_business_plan_revisions_and_stale_edits(client: NodeClient) -> None:
    organisation = create_organisation(client)
    plan = client.business_plans.CreateBusinessPlan(
        business_plan_pb2.CreateBusinessPlanRequest(
            business_plan=builders.business_plan(organisation.id)
        )
    ).business_plan
    assert plan.revision == 1
    edit = business_plan_pb2.BusinessPlan()
    edit.CopyFrom(plan)
    edit.title = "Growth in the DACH and Nordic markets"
    second = client.business_plans.UpdateBusinessPlan(
        business_plan_pb2.UpdateBusinessPlanRequest(business_plan=edit, base_revision=1)
    ).business_plan
    assert second.revision == 2
    with pytest.raises(grpc.RpcError) as raised:
        client.business_plans.UpdateBusinessPlan(
            business_plan_pb2.UpdateBusinessPlanRequest(business_plan=edit, base_revision=1)
        )
    error = call_error(raised.value)
    assert (error.code, error.reason) == (grpc.StatusCode.ABORTED, "STALE_REVISION")
    first = client.business_plans.GetBusinessPlan(
        business_plan_pb2.GetBusinessPlanRequest(id=plan.id, revision=1)
    ).business_plan
    assert first.title == "Growth in the DACH market"
    revisions = client.business_plans.ListBusinessPlanRevisions(
        business_plan_pb2.ListBusinessPlanRevisionsRequest(id=plan.id, page_size=1)
    )
    assert [item.revision for item in revisions.business_plans] == [2]
    older = client.business_plans.ListBusinessPlanRevisions(
        business_plan_pb2.ListBusinessPlanRevisionsRequest(
            id=plan.id, page_size=1, page_token=revisions.next_page_token
        )
    )
    assert [item.revision for item in older.business_plans] == [1]
    assert older.next_page_token == ""
    export = client.business_plans.ExportBusinessPlan(
        business_plan_pb2.ExportBusinessPlanRequest(id=plan.id)
    )
    text = export.content.decode()
    assert export.file_name == "growth-in-the-dach-and-nordic-markets-r2.md"
    assert "# Growth in the DACH and Nordic markets" in text
    assert "| 1 | €1\u202f000\u202f000 |" in text


def test_expert_offer_lifecycle(client: NodeClient) -> None:
    offer = client.expert_offers.CreateExpertOffer(
        expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
    ).expert_offer
    assert list(offer.countries) == ["FR", "GR"]
    offer = client.expert_offers.PublishExpertOffer(
        expert_offer_pb2.PublishExpertOfferRequest(id=offer.id)
    ).expert_offer
    assert offer.state == expert_offer_pb2.EXPERT_OFFER_STATE_PUBLISHED
    offer = client.expert_offers.WithdrawExpertOffer(
        expert_offer_pb2.WithdrawExpertOfferRequest(id=offer.id)
    ).expert_offer
    with pytest.raises(grpc.RpcError) as raised:
        client.expert_offers.UpdateExpertOffer(
            expert_offer_pb2.UpdateExpertOfferRequest(
                expert_offer=expert_offer_pb2.ExpertOffer(id=offer.id, title="New title here"),
                update_mask=FieldMask(paths=["title"]),
            )
        )
    assert call_error(raised.value).code == grpc.StatusCode.FAILED_PRECONDITION


def test_organisation_with_published_need_cannot_be_erased(client: NodeClient) -> None:
    organisation = create_organisation(client)
    need = create_need(client, organisation.id)
    client.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=need.id))
    client.needs.PublishNeed(need_pb2.PublishNeedRequest(id=need.id))
    with pytest.raises(grpc.RpcError) as raised:
        client.organisations.DeleteOrganisation(
            organisation_pb2.DeleteOrganisationRequest(id=organisation.id)
        )
    assert call_error(raised.value).reason == "HAS_PUBLISHED_NEEDS"
    client.needs.WithdrawNeed(need_pb2.WithdrawNeedRequest(id=need.id))
    client.organisations.DeleteOrganisation(
        organisation_pb2.DeleteOrganisationRequest(id=organisation.id)
    )
    with pytest.raises(grpc.RpcError) as raised:
        client.needs.GetNeed(need_pb2.GetNeedRequest(id=need.id))
    assert call_error(raised.value).code == grpc.StatusCode.NOT_FOUND


def test_request_id_is_echoed_in_trailers(client: NodeClient) -> None:
    _response, call = client.organisations.ListOrganisations.with_call(
        organisation_pb2.ListOrganisationsRequest(page_size=1),
        metadata=(("x-request-id", "trace-abc-123"),),
    )
    assert ("x-request-id", "trace-abc-123") in call.trailing_metadata()


def test_expired_needs_are_moved_to_expired(client: NodeClient, node: object) -> None:
    from twoins.node.api.needs import expire_due_needs
    from twoins.node.server import NodeServer

    assert isinstance(node, NodeServer)
    organisation = create_organisation(client)
    need = create_need(client, organisation.id)
    later = datetime.now(UTC) + timedelta(days=91)
    assert expire_due_needs(node.context, later) >= 1
    read = client.needs.GetNeed(need_pb2.GetNeedRequest(id=need.id)).need
    assert read.state == need_pb2.NEED_STATE_EXPIRED
    assert read.state_note.code == "EXPIRED"
