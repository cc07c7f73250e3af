"""An SME's data rights, for the cluster manager: its data export (JSON or PDF), its erasure
with a reason, and the region's erasures with what is still pending at which peer."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from twoins.common.realm_config import CLUSTER_MANAGER
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import Form, call, organisation_of, posted, submit, user
from twoins.v1 import organisation_pb2, organisation_pb2_grpc

Service = organisation_pb2_grpc.OrganisationServiceStub
FORMATS = {"json": organisation_pb2.EXPORT_FORMAT_JSON, "pdf": organisation_pb2.EXPORT_FORMAT_PDF}


@console.get("/console/smes/<organisation_id>/data-export.<any(json, pdf):kind>")
def sme_data_export(organisation_id: str, kind: str) -> Response:
    principal = user(CLUSTER_MANAGER)
    exported = call(
        principal,
        Service,
        "ExportOrganisationData",
        organisation_pb2.ExportOrganisationDataRequest(id=organisation_id, format=FORMATS[kind]),
        organisation_pb2.ExportOrganisationDataResponse,
    )
    name = re.sub(r"[^A-Za-z0-9._-]", "_", exported.file_name) or f"sme-data.{kind}"
    return Response(
        exported.content,
        mimetype=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _erase_form(
    organisation: organisation_pb2.Organisation, form: Form, status: int
) -> tuple[str, int]:
    return render_template(
        "sme_erase.html", user=user(CLUSTER_MANAGER), organisation=organisation, form=form
    ), status


@console.get("/console/smes/<organisation_id>/erasure")
def sme_erase_form(organisation_id: str) -> tuple[str, int]:
    principal = user(CLUSTER_MANAGER)
    return _erase_form(organisation_of(principal, organisation_id), Form(), 200)


@console.post("/console/smes/<organisation_id>/erasure")
def sme_erase(organisation_id: str) -> BaseResponse | tuple[str, int]:
    principal = posted(CLUSTER_MANAGER)
    organisation = organisation_of(principal, organisation_id)
    form = Form.posted()
    reason = form.text("reason", required=True, max_length=500)
    if form.get("confirm_name") != organisation.legal_name:
        form.errors["confirm_name"] = _("Type the SME's legal name exactly to confirm.")
    if not form.ok:
        return _erase_form(organisation, form, 400)
    erased = submit(
        principal,
        Service,
        "EraseOrganisation",
        organisation_pb2.EraseOrganisationRequest(id=organisation_id, reason=reason),
        organisation_pb2.EraseOrganisationResponse,
        form,
        {"reason": "reason"},
    )
    if erased is None:
        return _erase_form(organisation, form, form.status)
    flash(_("%(name)s is erased in this region.", name=organisation.legal_name))
    return redirect(url_for("console.erasures"))


@console.get("/console/erasures")
def erasures() -> str:
    principal = user(CLUSTER_MANAGER)
    listed = call(
        principal,
        Service,
        "ListErasures",
        organisation_pb2.ListErasuresRequest(page_size=100),
        organisation_pb2.ListErasuresResponse,
    )
    return render_template("erasures.html", user=principal, erasures=listed.erasures)
