"""My SMEs: the region's SMEs, a new SME, an SME's profile with its contacts, consents,
assessments, business plans and needs."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from google.protobuf.field_mask_pb2 import FieldMask
from werkzeug.wrappers import Response

from twoins.common.realm_config import CLUSTER_MANAGER, FACILITATOR
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import Form, call, posted, submit, user
from twoins.gateway.console.labels import LABELS, options
from twoins.v1 import (
    assessment_pb2,
    assessment_pb2_grpc,
    business_plan_pb2,
    business_plan_pb2_grpc,
    common_pb2,
    need_pb2,
    need_pb2_grpc,
    organisation_pb2,
    organisation_pb2_grpc,
)

STAFF = (FACILITATOR, CLUSTER_MANAGER)
Service = organisation_pb2_grpc.OrganisationServiceStub

#: Where the node's field errors go on the form.
FORM_FIELDS = {
    "organisation.legal_name": "legal_name",
    "organisation.vat_id": "vat_id",
    "organisation.nace_code": "nace_code",
    "organisation.employees": "employees",
    "organisation.turnover_eur": "turnover_eur",
    "organisation.year_founded": "year_founded",
    "organisation.export_status": "export_status",
    "organisation.address.street": "street",
    "organisation.address.postcode": "postcode",
    "organisation.address.locality": "locality",
    "organisation.address.country_code": "country_code",
    "organisation.website": "website",
    "organisation.contacts[0].name": "contact_name",
    "organisation.contacts[0].role": "contact_role",
    "organisation.contacts[0].email": "contact_email",
    "organisation.contacts[0].phone": "contact_phone",
    "organisation.contacts": "contact_name",
    "organisation.languages": "languages",
}


@console.get("/console/smes")
def smes() -> str:
    principal = user(*STAFF)
    query = request.args.get("q", "").strip()[:200]
    response = call(
        principal,
        Service,
        "ListOrganisations",
        organisation_pb2.ListOrganisationsRequest(page_size=100, query=query),
        organisation_pb2.ListOrganisationsResponse,
    )
    return render_template(
        "smes.html", user=principal, organisations=response.organisations, query=query
    )


def _organisation_from(form: Form) -> organisation_pb2.Organisation:
    organisation = organisation_pb2.Organisation(
        legal_name=form.text("legal_name", required=True, max_length=200),
        vat_id=form.text("vat_id", max_length=20),
        nace_code=form.text("nace_code", required=True, max_length=10),
        employees=form.integer("employees", maximum=1_000_000),
        turnover_eur=form.integer("turnover_eur", maximum=10**12),
        year_founded=form.integer("year_founded", minimum=0, maximum=2100),
        export_status=form.choice("export_status", LABELS["export_status"]),  # type: ignore[arg-type]
        address=common_pb2.Address(
            street=form.text("street", max_length=200),
            postcode=form.text("postcode", max_length=12),
            locality=form.text("locality", required=True, max_length=100),
            country_code=form.text("country_code", required=True, max_length=2).upper(),
        ),
        website=form.text("website", max_length=200),
        languages=[item.lower() for item in form.items("languages")],
    )
    contact = common_pb2.Contact(
        name=form.text("contact_name", required=True, max_length=120),
        role=form.text("contact_role", max_length=120),
        email=form.text("contact_email", max_length=200),
        phone=form.text("contact_phone", max_length=40),
    )
    organisation.contacts.append(contact)
    for purpose in LABELS["consent"]:
        organisation.consents.append(
            organisation_pb2.Consent(
                purpose=purpose,  # type: ignore[arg-type]
                granted=form.checked(f"consent_{purpose}"),
            )
        )
    return organisation


def _sme_form(form: Form, status: int = 200) -> tuple[str, int]:
    return render_template(
        "sme_form.html",
        user=user(*STAFF),
        form=form,
        export_statuses=options("export_status"),
        consents=options("consent"),
    ), status


@console.route("/console/smes/new", methods=["GET", "POST"])
def new_sme() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _sme_form(Form(values={"request_id": str(uuid.uuid4())}))
    principal = posted(*STAFF)
    form = Form.posted()
    organisation = _organisation_from(form)
    if not form.ok:
        return _sme_form(form, 400)
    created = submit(
        principal,
        Service,
        "CreateOrganisation",
        organisation_pb2.CreateOrganisationRequest(
            organisation=organisation, request_id=form.get("request_id")
        ),
        organisation_pb2.CreateOrganisationResponse,
        form,
        FORM_FIELDS,
    )
    if created is None:
        return _sme_form(form, form.status)
    flash(_("SME %(name)s added.", name=created.organisation.legal_name))
    return redirect(url_for("console.sme", organisation_id=created.organisation.id))


@console.get("/console/smes/<organisation_id>")
def sme(organisation_id: str) -> str:
    principal = user(*STAFF)
    organisation = call(
        principal,
        Service,
        "GetOrganisation",
        organisation_pb2.GetOrganisationRequest(id=organisation_id),
        organisation_pb2.GetOrganisationResponse,
    ).organisation
    assessments = call(
        principal,
        assessment_pb2_grpc.AssessmentServiceStub,
        "ListAssessments",
        assessment_pb2.ListAssessmentsRequest(organisation_id=organisation_id, page_size=50),
        assessment_pb2.ListAssessmentsResponse,
    ).assessments
    plans = call(
        principal,
        business_plan_pb2_grpc.BusinessPlanServiceStub,
        "ListBusinessPlans",
        business_plan_pb2.ListBusinessPlansRequest(organisation_id=organisation_id, page_size=50),
        business_plan_pb2.ListBusinessPlansResponse,
    ).business_plans
    needs = call(
        principal,
        need_pb2_grpc.NeedServiceStub,
        "ListNeeds",
        need_pb2.ListNeedsRequest(organisation_id=organisation_id, page_size=100),
        need_pb2.ListNeedsResponse,
    ).needs
    granted = {consent.purpose for consent in organisation.consents if consent.granted}
    return render_template(
        "sme.html",
        user=principal,
        organisation=organisation,
        assessments=assessments,
        plans=plans,
        needs=needs,
        granted=granted,
        consents=options("consent"),
    )


@console.post("/console/smes/<organisation_id>/consents")
def sme_consents(organisation_id: str) -> Response:
    principal = posted(*STAFF)
    form = Form.posted()
    organisation = organisation_pb2.Organisation(id=organisation_id)
    for purpose in LABELS["consent"]:
        organisation.consents.append(
            organisation_pb2.Consent(
                purpose=purpose,  # type: ignore[arg-type]
                granted=form.checked(f"consent_{purpose}"),
            )
        )
    call(
        principal,
        Service,
        "UpdateOrganisation",
        organisation_pb2.UpdateOrganisationRequest(
            organisation=organisation, update_mask=FieldMask(paths=["consents"])
        ),
        organisation_pb2.UpdateOrganisationResponse,
    )
    flash(_("Consents saved."))
    return redirect(url_for("console.sme", organisation_id=organisation_id))
