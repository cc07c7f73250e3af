"""Cluster manager: the review queue (needs waiting for publication, and those the k-anonymity
guard held back) and the region's figures with charts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from flask import render_template

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, FACILITATOR
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.charts import bars
from twoins.gateway.console.context import call, user
from twoins.gateway.console.labels import LABELS, label
from twoins.v1 import need_pb2, need_pb2_grpc, referral_pb2, referral_pb2_grpc


def region_needs(principal: Principal, state: need_pb2.NeedState) -> Sequence[need_pb2.Need]:
    """The user's region's needs in one state (the newest 200)."""
    return call(
        principal,
        need_pb2_grpc.NeedServiceStub,
        "ListNeeds",
        need_pb2.ListNeedsRequest(page_size=200, states=[state]),
        need_pb2.ListNeedsResponse,
    ).needs


@console.get("/console/review")
def review() -> str:
    principal = user(CLUSTER_MANAGER)
    waiting = region_needs(principal, need_pb2.NEED_STATE_IN_REVIEW)
    return render_template(
        "review.html",
        user=principal,
        held_back=[need for need in waiting if need.held_back],
        waiting=[need for need in waiting if not need.held_back],
    )


@console.get("/console/kpis")
def kpis() -> str:
    principal = user(CLUSTER_MANAGER, FACILITATOR)
    figures = call(
        principal,
        referral_pb2_grpc.ReferralServiceStub,
        "GetReferralKpis",
        referral_pb2.GetReferralKpisRequest(),
        referral_pb2.GetReferralKpisResponse,
    )
    needs = call(
        principal,
        need_pb2_grpc.NeedServiceStub,
        "ListNeeds",
        need_pb2.ListNeedsRequest(page_size=1000),
        need_pb2.ListNeedsResponse,
    ).needs
    by_need_state = Counter(need.state for need in needs)
    referral_states = {
        referral_pb2.ReferralState.Name(value).removeprefix("REFERRAL_STATE_"): value
        for value in LABELS["referral_state"]
    }
    outcomes = {
        referral_pb2.ReferralOutcome.Name(value).removeprefix("REFERRAL_OUTCOME_"): value
        for value in LABELS["outcome"]
    }
    return render_template(
        "kpis.html",
        user=principal,
        figures=figures,
        needs_chart=bars(
            [
                (label("need_state", state), by_need_state.get(state, 0))  # type: ignore[call-overload]
                for state in LABELS["need_state"]
            ]
        ),
        referrals_chart=bars(
            [
                (label("referral_state", value), figures.by_state.get(name, 0))
                for name, value in referral_states.items()
            ]
        ),
        outcomes_chart=bars(
            [
                (label("outcome", value), figures.completed_by_outcome.get(name, 0))
                for name, value in outcomes.items()
            ]
        ),
    )
