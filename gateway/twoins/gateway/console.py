"""The `console` blueprint: the pages people use, signed in through Keycloak. Each page calls
the node of the user's region with the user's own token."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from twoins.common.realm_config import CLUSTER_MANAGER, FACILITATOR
from twoins.gateway.auth import SignInRequired, signed_in_principal
from twoins.gateway.problems import Problem
from twoins.gateway.services import services
from twoins.v1 import organisation_pb2, organisation_pb2_grpc

console = Blueprint("console", __name__)


@console.get("/")
def home() -> str:
    try:
        principal = signed_in_principal()
    except SignInRequired:
        return render_template("home.html", user=None, signed_out="signed_out" in request.args)
    return render_template("home.html", user=principal)


@console.get("/console/smes")
def smes() -> str:
    principal = signed_in_principal()
    if not principal.has_role(FACILITATOR, CLUSTER_MANAGER) or not principal.region:
        raise Problem(403, "only the region's facilitators and cluster managers see its SMEs")
    query = request.args.get("q", "").strip()[:200]
    response = services().nodes.call(
        principal.region,
        organisation_pb2_grpc.OrganisationServiceStub,
        "ListOrganisations",
        organisation_pb2.ListOrganisationsRequest(page_size=100, query=query),
        token=principal.token,
        request_id=g.request_id,
    )
    assert isinstance(response, organisation_pb2.ListOrganisationsResponse)
    return render_template(
        "smes.html", user=principal, organisations=response.organisations, query=query
    )
