"""The network's referral figures for coordinators: every node's network share, added up.

Each node counts a referral once (at its SME's region; its answer at the receiving region),
so the sum over the nodes is the network's figure. A node that does not answer is listed, and
the figures are then partial.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, g, jsonify

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, NETWORK_COORDINATOR
from twoins.gateway.api import authenticate
from twoins.gateway.openapi import NETWORK_KPIS_PATH
from twoins.gateway.operations import API_PREFIX
from twoins.gateway.problems import Problem
from twoins.gateway.services import services
from twoins.v1 import referral_pb2, referral_pb2_grpc

network_kpis = Blueprint("network_kpis", __name__, url_prefix=API_PREFIX)

ROLES = frozenset({NETWORK_COORDINATOR, CLUSTER_MANAGER})


def add_up(shares: dict[str, referral_pb2.GetReferralKpisResponse]) -> dict[str, Any]:
    by_state: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    answered = accepted = hours = overdue = 0
    waited = 0.0
    for share in shares.values():
        for state, count in share.by_state.items():
            by_state[state] = by_state.get(state, 0) + count
        for outcome, count in share.completed_by_outcome.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
        answered += share.answered
        accepted += share.accepted
        hours += share.hours_delivered
        overdue += share.overdue
        waited += share.mean_hours_to_first_answer * share.answered
    return {
        "by_state": by_state,
        "answered": answered,
        "accepted": accepted,
        "acceptance_rate": accepted / answered if answered else 0.0,
        "mean_hours_to_first_answer": waited / answered if answered else 0.0,
        "completed_by_outcome": outcomes,
        "hours_delivered": hours,
        "overdue": overdue,
    }


def network_shares(
    principal: Principal,
) -> tuple[dict[str, referral_pb2.GetReferralKpisResponse], list[str]]:
    """Every node's network share of the referral figures, and the regions whose node did
    not answer."""
    nodes = services().nodes
    shares: dict[str, referral_pb2.GetReferralKpisResponse] = {}
    missing: list[str] = []
    for region in sorted(nodes.addresses):
        try:
            share = nodes.call(
                region,
                referral_pb2_grpc.ReferralServiceStub,
                "GetReferralKpis",
                referral_pb2.GetReferralKpisRequest(network_share=True),
                token=principal.token,
                request_id=g.get("request_id") or uuid.uuid4().hex,
            )
        except Problem:
            missing.append(region)
            continue
        assert isinstance(share, referral_pb2.GetReferralKpisResponse)
        shares[region] = share
    return shares, missing


@network_kpis.get(NETWORK_KPIS_PATH)
def figures() -> Response:
    principal = authenticate()
    if not principal.has_role(*ROLES):
        raise Problem(
            403,
            "the network's figures are for network coordinators and cluster managers",
            reason="ROLE_NOT_ALLOWED",
        )
    shares, missing = network_shares(principal)
    return jsonify({**add_up(shares), "regions": sorted(shares), "missing_regions": missing})
