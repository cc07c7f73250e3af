"""Network: every region's anonymised needs and published expert offers, searched with filters,
and a referral proposed in one click from a result or a match."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR, NETWORK_COORDINATOR
from twoins.gateway.auth import safe_next
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import call, catalogue_reader, posted
from twoins.gateway.console.labels import LABELS, options
from twoins.gateway.console.notes import refusal_text
from twoins.gateway.problems import Problem
from twoins.v1 import (
    expert_offer_pb2,
    expert_offer_pb2_grpc,
    need_pb2,
    need_pb2_grpc,
    network_pb2,
    network_pb2_grpc,
    referral_pb2,
    referral_pb2_grpc,
)

PEOPLE = (FACILITATOR, CLUSTER_MANAGER, EXPERT)
Network = network_pb2_grpc.NetworkServiceStub
KINDS = ("needs", "offers")


def _filters() -> dict[str, str]:
    args = request.args
    kind = args.get("kind", "needs")
    return {
        "kind": kind if kind in KINDS else "needs",
        "q": args.get("q", "").strip()[:200],
        "type": args.get("type", "").strip(),
        "nace": args.get("nace", "").strip()[:10],
        "country": args.get("country", "").strip().upper()[:2],
        "language": args.get("language", "").strip().lower()[:2],
        "region": args.get("region", "").strip()[:64],
    }


def _chosen(value: str, kind: str) -> list[int]:
    return [int(value)] if value.isdigit() and int(value) in LABELS[kind] else []


def own_published_offers(principal: Principal) -> list[expert_offer_pb2.ExpertOffer]:
    """The caller's published offers (an expert's own; all the region's for a manager)."""
    if not principal.has_role(EXPERT, CLUSTER_MANAGER):
        return []
    return list(
        call(
            principal,
            expert_offer_pb2_grpc.ExpertOfferServiceStub,
            "ListExpertOffers",
            expert_offer_pb2.ListExpertOffersRequest(
                page_size=100, states=[expert_offer_pb2.EXPERT_OFFER_STATE_PUBLISHED]
            ),
            expert_offer_pb2.ListExpertOffersResponse,
        ).expert_offers
    )


def own_published_needs(principal: Principal) -> list[need_pb2.Need]:
    if not principal.has_role(FACILITATOR, CLUSTER_MANAGER):
        return []
    return list(
        call(
            principal,
            need_pb2_grpc.NeedServiceStub,
            "ListNeeds",
            need_pb2.ListNeedsRequest(page_size=100, states=[need_pb2.NEED_STATE_PUBLISHED]),
            need_pb2.ListNeedsResponse,
        ).needs
    )


@console.get("/console/network")
def network() -> str:
    # The network coordinator reads the catalogue too; referring is for a region's people.
    principal = catalogue_reader(*PEOPLE, NETWORK_COORDINATOR)
    filters = _filters()
    results: list[object]
    related: list[object]
    # With words to search by, the node also brings what is close to their meaning, in any
    # language (its text embeddings), in a list of its own.
    if filters["kind"] == "needs":
        needs = call(
            principal,
            Network,
            "SearchNeeds",
            network_pb2.SearchNeedsRequest(
                query=filters["q"],
                types=_chosen(filters["type"], "need_type"),  # type: ignore[arg-type]
                nace_division=filters["nace"],
                target_country=filters["country"],
                language=filters["language"],
                origin_region=filters["region"],
                page_size=50,
                include_related=bool(filters["q"]),
            ),
            network_pb2.SearchNeedsResponse,
        )
        results, related = list(needs.needs), list(needs.related)
    else:
        offers = call(
            principal,
            Network,
            "SearchExpertOffers",
            network_pb2.SearchExpertOffersRequest(
                query=filters["q"],
                service_types=_chosen(filters["type"], "service_type"),  # type: ignore[arg-type]
                nace_division=filters["nace"],
                country=filters["country"],
                language=filters["language"],
                origin_region=filters["region"],
                page_size=50,
                include_related=bool(filters["q"]),
            ),
            network_pb2.SearchExpertOffersResponse,
        )
        results, related = list(offers.offers), list(offers.related)
    return render_template(
        "network.html",
        user=principal,
        filters=filters,
        results=results,
        related=related,
        need_types=options("need_type"),
        service_types=options("service_type"),
        # What a result can be referred with: the caller's own published needs or offers.
        own_offers=own_published_offers(principal) if filters["kind"] == "needs" else [],
        own_needs=own_published_needs(principal) if filters["kind"] == "offers" else [],
        nonce=uuid.uuid4().hex,
    )


@console.post("/console/referrals/new")
def refer() -> Response:
    """Proposes a referral between a need and an offer, one of them the caller's region's."""
    principal = posted(*PEOPLE)
    need_id = request.form.get("need_id", "").strip()
    offer_id = request.form.get("offer_id", "").strip()
    back = safe_next(request.form.get("next") or url_for("console.network"))
    if not need_id or not offer_id:
        flash(_("Choose both the need and the offer to refer."), "error")
        return redirect(back)
    try:
        referral = call(
            principal,
            referral_pb2_grpc.ReferralServiceStub,
            "CreateReferral",
            referral_pb2.CreateReferralRequest(
                referral=referral_pb2.Referral(need_id=need_id, offer_id=offer_id),
                request_id=request.form.get("request_id", "").strip()[:128],
            ),
            referral_pb2.CreateReferralResponse,
        ).referral
    except Problem as problem:
        if problem.status >= 500:
            raise
        flash(refusal_text(problem), "error")
        return redirect(back)
    flash(_("Referral proposed; the other region has been told."))
    return redirect(url_for("console.referral", referral_id=referral.id))
