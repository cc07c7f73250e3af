"""Referrals inbox: incoming and outgoing referrals with their answer deadlines (overdue
first), and each referral's page: accept or decline, the SME's consent, the disclosed contact,
engagement and outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import Form, call, posted, step, submit, user, when
from twoins.gateway.console.labels import LABELS, options
from twoins.gateway.problems import Problem
from twoins.v1 import referral_pb2 as pb
from twoins.v1 import referral_pb2_grpc

PEOPLE = (FACILITATOR, CLUSTER_MANAGER, EXPERT)
Service = referral_pb2_grpc.ReferralServiceStub
OPEN = (
    pb.REFERRAL_STATE_PROPOSED,
    pb.REFERRAL_STATE_ACCEPTED,
    pb.REFERRAL_STATE_CONSENT_GIVEN,
    pb.REFERRAL_STATE_DISCLOSED,
    pb.REFERRAL_STATE_ENGAGED,
)
DISCLOSED = (pb.REFERRAL_STATE_DISCLOSED, pb.REFERRAL_STATE_ENGAGED, pb.REFERRAL_STATE_COMPLETED)
#: Open states after the SME's consent: the consent can still be withdrawn.
CONSENTED = (
    pb.REFERRAL_STATE_CONSENT_GIVEN,
    pb.REFERRAL_STATE_DISCLOSED,
    pb.REFERRAL_STATE_ENGAGED,
)


def is_incoming(referral: pb.Referral) -> bool:
    return referral.own_side != referral.initiator


def _urgency(referral: pb.Referral) -> tuple[int, int, float]:
    """Open before ended, overdue first, then the nearest deadline."""
    due = when(referral.answer_due_time)
    waiting = referral.state == pb.REFERRAL_STATE_PROPOSED
    return (
        0 if referral.state in OPEN else 1,
        0 if referral.overdue else 1,
        due.timestamp() if waiting and due else float("inf"),
    )


def countdown_patterns() -> dict[str, str]:
    """The countdown's translated patterns, unformatted, for the page's script."""
    return {
        "left": str(_("%(span)s left")),
        "overdue": str(_("overdue by %(span)s")),
        "days_hours": str(_("%(days)d d %(hours)d h")),
        "hours": str(_("%(hours)d h")),
    }


def time_left(referral: pb.Referral, now: datetime | None = None) -> str:
    """The answer deadline's countdown, e.g. "2 days 4 hours left" or "overdue by 3 hours"."""
    due = when(referral.answer_due_time)
    if referral.state != pb.REFERRAL_STATE_PROPOSED or due is None:
        return ""
    seconds = (due.replace(tzinfo=UTC) - (now or datetime.now(UTC))).total_seconds()
    days, rest = divmod(int(abs(seconds)), 86400)
    hours = rest // 3600
    span = (
        _("%(days)d d %(hours)d h", days=days, hours=hours)
        if days
        else _("%(hours)d h", hours=hours)
    )
    if seconds < 0:
        return str(_("overdue by %(span)s", span=span))
    return str(_("%(span)s left", span=span))


def region_referrals(principal: Principal) -> Sequence[pb.Referral]:
    """The referrals the user's region takes part in (the newest 200)."""
    return call(
        principal,
        Service,
        "ListReferrals",
        pb.ListReferralsRequest(page_size=200),
        pb.ListReferralsResponse,
    ).referrals


@console.get("/console/referrals")
def referrals() -> str:
    principal = user(*PEOPLE)
    ordered = sorted(region_referrals(principal), key=_urgency)
    return render_template(
        "referrals.html",
        user=principal,
        incoming=[referral for referral in ordered if is_incoming(referral)],
        outgoing=[referral for referral in ordered if not is_incoming(referral)],
        time_left=time_left,
    )


def available_actions(referral: pb.Referral, staff: bool) -> list[str]:
    """The steps the referral's page offers: `staff` are the facilitators and cluster
    managers of the SME's region, who record its consent."""
    state, side = referral.state, referral.own_side
    actions = []
    if state == pb.REFERRAL_STATE_PROPOSED and is_incoming(referral):
        actions += ["accept", "decline"]
    if state == pb.REFERRAL_STATE_ACCEPTED and side == pb.REFERRAL_SIDE_NEED and staff:
        actions.append("consent")
    if state == pb.REFERRAL_STATE_DISCLOSED and side == pb.REFERRAL_SIDE_OFFER:
        actions.append("engage")
    if state in OPEN:
        actions.append("withdraw")
    if state in CONSENTED and side == pb.REFERRAL_SIDE_NEED and staff:
        actions.append("withdraw-consent")
    return actions


def _referral_page(
    referral_id: str, form: Form | None = None, status: int = 200
) -> tuple[str, int]:
    principal = user(*PEOPLE)
    referral = call(
        principal,
        Service,
        "GetReferral",
        pb.GetReferralRequest(id=referral_id),
        pb.GetReferralResponse,
    ).referral
    contact = None
    if referral.state in DISCLOSED:
        try:
            contact = call(
                principal,
                Service,
                "GetDisclosedContact",
                pb.GetDisclosedContactRequest(id=referral_id),
                pb.GetDisclosedContactResponse,
            )
        except Problem as problem:
            if problem.status >= 500:
                raise
    can_complete = (
        referral.own_side == pb.REFERRAL_SIDE_OFFER and referral.state == pb.REFERRAL_STATE_ENGAGED
    )
    return render_template(
        "referral.html",
        user=principal,
        referral=referral,
        incoming=is_incoming(referral),
        contact=contact,
        actions=available_actions(referral, principal.has_role(FACILITATOR, CLUSTER_MANAGER)),
        can_complete=can_complete,
        form=form or Form(),
        outcomes=options("outcome"),
        service_types=options("service_type"),
        time_left=time_left(referral),
    ), status


@console.get("/console/referrals/<referral_id>")
def referral(referral_id: str) -> tuple[str, int]:
    return _referral_page(referral_id)


MOVES = {
    "accept": ("AcceptReferral", pb.AcceptReferralRequest, pb.AcceptReferralResponse),
    "decline": ("DeclineReferral", pb.DeclineReferralRequest, pb.DeclineReferralResponse),
    "consent": (
        "RecordReferralConsent",
        pb.RecordReferralConsentRequest,
        pb.RecordReferralConsentResponse,
    ),
    "engage": ("EngageReferral", pb.EngageReferralRequest, pb.EngageReferralResponse),
    "withdraw": ("WithdrawReferral", pb.WithdrawReferralRequest, pb.WithdrawReferralResponse),
    "withdraw-consent": (
        "WithdrawReferralConsent",
        pb.WithdrawReferralConsentRequest,
        pb.WithdrawReferralConsentResponse,
    ),
}
DONE = {
    "accept": _l("Referral accepted. The SME's region now asks for its consent."),
    "decline": _l("Referral declined."),
    "consent": _l("Consent recorded: the contacts are being exchanged."),
    "engage": _l("Engagement recorded."),
    "withdraw": _l("Referral withdrawn."),
    "withdraw-consent": _l("Consent withdrawn: the disclosed contacts are erased."),
}


@console.post("/console/referrals/<referral_id>/complete")
def complete_referral(referral_id: str) -> Response | tuple[str, int]:
    principal = posted(*PEOPLE)
    form = Form.posted()
    message = pb.CompleteReferralRequest(
        id=referral_id,
        outcome=form.choice("outcome", LABELS["outcome"]),  # type: ignore[arg-type]
        hours_delivered=form.integer("hours_delivered", maximum=10_000, required=True),
        support_delivered=form.choice("support_delivered", LABELS["service_type"]),  # type: ignore[arg-type]
    )
    if form.ok:
        submit(
            principal,
            Service,
            "CompleteReferral",
            message,
            pb.CompleteReferralResponse,
            form,
            {"outcome": "outcome", "hours_delivered": "hours_delivered"},
        )
    if not form.ok:
        return _referral_page(referral_id, form, form.status)
    flash(_("Referral completed with its outcome. Thank you!"))
    return redirect(url_for("console.referral", referral_id=referral_id))


@console.post("/console/referrals/<referral_id>/<move>")
def move_referral(referral_id: str, move: str) -> Response:
    if move not in MOVES:
        raise Problem(404, _("There is no such step for a referral."))
    principal = posted(*PEOPLE)
    method, request_type, response_type = MOVES[move]
    step(principal, Service, method, request_type(id=referral_id), response_type, DONE[move])
    return redirect(url_for("console.referral", referral_id=referral_id))
