"""Experts: their own offers (a cluster manager sees the region's), a new offer, publishing and
withdrawing it, and the network's needs that match a published offer, ranked with reasons."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from google.protobuf.field_mask_pb2 import FieldMask
from werkzeug.wrappers import Response

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import Form, call, posted, step, submit, user
from twoins.gateway.console.labels import LABELS, options
from twoins.gateway.problems import Problem
from twoins.v1 import common_pb2, expert_offer_pb2_grpc, network_pb2, network_pb2_grpc
from twoins.v1 import expert_offer_pb2 as pb

OWNERS = (EXPERT, CLUSTER_MANAGER)
Service = expert_offer_pb2_grpc.ExpertOfferServiceStub
FORM_FIELDS = {
    "expert_offer.title": "title",
    "expert_offer.description": "description",
    "expert_offer.expert.name": "expert_name",
    "expert_offer.expert.email": "expert_email",
    "expert_offer.expert.phone": "expert_phone",
    "expert_offer.competences": "competences",
    "expert_offer.nace_codes": "nace_codes",
    "expert_offer.countries": "countries",
    "expert_offer.languages": "languages",
    "expert_offer.service_types": "service_type",
    "expert_offer.capacity_hours_per_month": "capacity_hours_per_month",
}


@console.get("/console/offers")
def offers() -> str:
    principal = user(*OWNERS)
    found = call(
        principal,
        Service,
        "ListExpertOffers",
        pb.ListExpertOffersRequest(page_size=100),
        pb.ListExpertOffersResponse,
    ).expert_offers
    return render_template("offers.html", user=principal, offers=found)


def _offer_form(
    principal: Principal, form: Form, status: int = 200, offer_id: str = ""
) -> tuple[str, int]:
    return render_template(
        "offer_form.html",
        user=principal,
        form=form,
        offer_id=offer_id,
        service_types=options("service_type"),
    ), status


@console.route("/console/offers/new", methods=["GET", "POST"])
def new_offer() -> Response | tuple[str, int]:
    principal = user(*OWNERS)
    if request.method == "GET":
        values = {
            "request_id": str(uuid.uuid4()),
            "expert_name": principal.name,
            "expert_email": principal.email,
        }
        return _offer_form(principal, Form(values=values))
    posted(*OWNERS)
    form = Form.posted()
    offer = _offer_from(form)
    if not form.ok:
        return _offer_form(principal, form, 400)
    created = submit(
        principal,
        Service,
        "CreateExpertOffer",
        pb.CreateExpertOfferRequest(expert_offer=offer, request_id=form.get("request_id")),
        pb.CreateExpertOfferResponse,
        form,
        FORM_FIELDS,
    )
    if created is None:
        return _offer_form(principal, form, form.status)
    flash(_("Offer saved as a draft; publish it to show it to the network."))
    return redirect(url_for("console.offer", offer_id=created.expert_offer.id))


#: What the editor changes of an offer.
EDITABLE = (
    "title",
    "description",
    "expert",
    "competences",
    "nace_codes",
    "countries",
    "languages",
    "service_types",
    "capacity_hours_per_month",
)


def _values(offer: pb.ExpertOffer) -> dict[str, str]:
    return {
        "title": offer.title,
        "description": offer.description,
        "expert_name": offer.expert.name,
        "expert_email": offer.expert.email,
        "expert_phone": offer.expert.phone,
        "competences": ", ".join(offer.competences),
        "nace_codes": ", ".join(offer.nace_codes),
        "countries": ", ".join(offer.countries),
        "languages": ", ".join(offer.languages),
        "service_type": str(offer.service_types[0]) if offer.service_types else "",
        "capacity_hours_per_month": str(offer.capacity_hours_per_month),
    }


@console.route("/console/offers/<offer_id>/edit", methods=["GET", "POST"])
def edit_offer(offer_id: str) -> Response | tuple[str, int]:
    principal = user(*OWNERS)
    current = call(
        principal,
        Service,
        "GetExpertOffer",
        pb.GetExpertOfferRequest(id=offer_id),
        pb.GetExpertOfferResponse,
    ).expert_offer
    if request.method == "GET":
        return _offer_form(principal, Form(values=_values(current)), offer_id=offer_id)
    posted(*OWNERS)
    form = Form.posted()
    offer = _offer_from(form)
    offer.id = offer_id
    if not form.ok:
        return _offer_form(principal, form, 400, offer_id)
    saved = submit(
        principal,
        Service,
        "UpdateExpertOffer",
        pb.UpdateExpertOfferRequest(expert_offer=offer, update_mask=FieldMask(paths=EDITABLE)),
        pb.UpdateExpertOfferResponse,
        form,
        FORM_FIELDS,
    )
    if saved is None:
        return _offer_form(principal, form, form.status, offer_id)
    flash(_("Offer saved."))
    return redirect(url_for("console.offer", offer_id=offer_id))


def _offer_from(form: Form) -> pb.ExpertOffer:
    return pb.ExpertOffer(
        title=form.text("title", required=True, max_length=200),
        description=form.text("description", required=True, max_length=5000),
        expert=common_pb2.Contact(
            name=form.text("expert_name", required=True, max_length=120),
            email=form.text("expert_email", required=True, max_length=200),
            phone=form.text("expert_phone", max_length=40),
        ),
        competences=form.items("competences", required=True),
        nace_codes=form.items("nace_codes"),
        countries=[item.upper() for item in form.items("countries")],
        languages=[item.lower() for item in form.items("languages", required=True)],
        service_types=[form.choice("service_type", LABELS["service_type"])],  # type: ignore[list-item]
        capacity_hours_per_month=form.integer("capacity_hours_per_month", maximum=744),
    )


@console.get("/console/offers/<offer_id>")
def offer(offer_id: str) -> str:
    principal = user(*OWNERS)
    found = call(
        principal,
        Service,
        "GetExpertOffer",
        pb.GetExpertOfferRequest(id=offer_id),
        pb.GetExpertOfferResponse,
    ).expert_offer
    matches: list[network_pb2.NeedMatch] = []
    pending = False
    if found.state == pb.EXPERT_OFFER_STATE_PUBLISHED:
        try:
            matches = list(
                call(
                    principal,
                    network_pb2_grpc.NetworkServiceStub,
                    "MatchNeeds",
                    network_pb2.MatchNeedsRequest(offer_id=offer_id, max_results=10),
                    network_pb2.MatchNeedsResponse,
                ).matches
            )
        except Problem as problem:
            if problem.status != 404:
                raise
            # Just published: the network catalogue has it once its event comes back.
            pending = True
    return render_template(
        "offer.html",
        user=principal,
        offer=found,
        matches=matches,
        matching_pending=pending,
        nonce=uuid.uuid4().hex,
    )


MOVES = {
    "publish": ("PublishExpertOffer", pb.PublishExpertOfferRequest, pb.PublishExpertOfferResponse),
    "withdraw": (
        "WithdrawExpertOffer",
        pb.WithdrawExpertOfferRequest,
        pb.WithdrawExpertOfferResponse,
    ),
}
DONE = {
    "publish": _l("Published: the offer is now in the network catalogue."),
    "withdraw": _l("Offer withdrawn from the network."),
}


@console.post("/console/offers/<offer_id>/<move>")
def move_offer(offer_id: str, move: str) -> Response:
    if move not in MOVES:
        raise Problem(404, _("There is no such step for an offer."))
    principal = posted(*OWNERS)
    method, request_type, response_type = MOVES[move]
    step(principal, Service, method, request_type(id=offer_id), response_type, DONE[move])
    return redirect(url_for("console.offer", offer_id=offer_id))
