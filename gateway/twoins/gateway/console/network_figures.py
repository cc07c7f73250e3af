"""The network's referral and engagement figures, for network coordinators and cluster
managers: every node's network share added up (as the REST API's /network/kpis), with charts,
each region's part, and the regions whose node did not answer."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from twoins.common.realm_config import CLUSTER_MANAGER, NETWORK_COORDINATOR
from twoins.gateway.auth import signed_in_principal
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.charts import bars
from twoins.gateway.console.labels import LABELS, label
from twoins.gateway.network_kpis import add_up, network_shares
from twoins.gateway.problems import Problem
from twoins.v1 import referral_pb2


def _state_name(value: int) -> str:
    return referral_pb2.ReferralState.Name(value).removeprefix("REFERRAL_STATE_")


def _outcome_name(value: int) -> str:
    return referral_pb2.ReferralOutcome.Name(value).removeprefix("REFERRAL_OUTCOME_")


def region_name(region_id: str) -> str:
    return str(current_app.jinja_env.filters["region_name"](region_id))


@console.get("/console/network-figures")
def network_figures() -> str:
    principal = signed_in_principal()
    if not principal.has_role(NETWORK_COORDINATOR, CLUSTER_MANAGER):
        raise Problem(403, _("Your role does not give access to this page."))
    shares, missing = network_shares(principal)
    total = add_up(shares)
    regions: list[dict[str, Any]] = [
        {
            "region": region,
            "referrals": sum(share.by_state.values()),
            "answered": share.answered,
            "accepted": share.accepted,
            "hours": share.hours_delivered,
            "overdue": share.overdue,
        }
        for region, share in shares.items()
    ]
    return render_template(
        "network_figures.html",
        user=principal,
        summary={
            "referrals": sum(total["by_state"].values()),
            "acceptance_rate": format_percent(total["acceptance_rate"]),
            "mean_hours": format_decimal(total["mean_hours_to_first_answer"], format="0.0"),
            "hours": format_decimal(total["hours_delivered"]),
            "overdue": format_decimal(total["overdue"]),
        },
        regions=regions,
        missing=missing,
        states_chart=bars(
            [
                (label("referral_state", value), total["by_state"].get(_state_name(value), 0))
                for value in LABELS["referral_state"]
            ]
        ),
        outcomes_chart=bars(
            [
                (
                    label("outcome", value),
                    total["completed_by_outcome"].get(_outcome_name(value), 0),
                )
                for value in LABELS["outcome"]
            ]
        ),
        regions_chart=bars([(region_name(row["region"]), row["referrals"]) for row in regions]),
    )
