"""Needs: the region's needs, a new need for an SME, editing a draft, submitting it for review,
the exact anonymised version that would leave the region, publishing, withdrawing, and the
network's experts that match a published need."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.timestamp_pb2 import Timestamp
from werkzeug.wrappers import Response

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, FACILITATOR
from twoins.gateway.auth import safe_next
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import (
    Form,
    call,
    organisation_of,
    posted,
    step,
    submit,
    user,
    when,
)
from twoins.gateway.console.labels import LABELS, options
from twoins.gateway.console.notes import refusal_text, state_reason
from twoins.gateway.problems import Problem
from twoins.v1 import (
    need_pb2,
    need_pb2_grpc,
    network_pb2,
    network_pb2_grpc,
    organisation_pb2,
)

STAFF = (FACILITATOR, CLUSTER_MANAGER)
Service = need_pb2_grpc.NeedServiceStub
EDITABLE = (
    "type",
    "title",
    "description",
    "nace_codes",
    "target_countries",
    "languages",
    "keywords",
    "expire_time",
)
FORM_FIELDS = {f"need.{name}": name for name in EDITABLE}
#: How long a new need stays in the catalogue unless the facilitator says otherwise.
DEFAULT_DAYS = 90


def _get(principal: Principal, need_id: str) -> need_pb2.Need:
    return call(
        principal, Service, "GetNeed", need_pb2.GetNeedRequest(id=need_id), need_pb2.GetNeedResponse
    ).need


@console.get("/console/needs")
def needs() -> str:
    principal = user(*STAFF)
    state = request.args.get("state", "")
    states = [int(state)] if state.isdigit() and int(state) in LABELS["need_state"] else []
    found = call(
        principal,
        Service,
        "ListNeeds",
        need_pb2.ListNeedsRequest(page_size=100, states=states),  # type: ignore[arg-type]
        need_pb2.ListNeedsResponse,
    ).needs
    return render_template(
        "needs.html",
        user=principal,
        needs=found,
        state=states[0] if states else 0,
        states=options("need_state"),
    )


def _need_from(form: Form) -> need_pb2.Need:
    need = need_pb2.Need(
        type=form.choice("type", LABELS["need_type"]),  # type: ignore[arg-type]
        title=form.text("title", required=True, max_length=200),
        description=form.text("description", required=True, max_length=5000),
        nace_codes=form.items("nace_codes", required=True),
        target_countries=[item.upper() for item in form.items("target_countries")],
        languages=[item.lower() for item in form.items("languages")],
        keywords=form.items("keywords"),
    )
    expires = form.get("expire_time")
    try:
        day = date.fromisoformat(expires) if expires else date.today() + timedelta(DEFAULT_DAYS)
    except ValueError:
        form.errors["expire_time"] = _("Enter a date.")
        return need
    if day <= date.today():
        form.errors["expire_time"] = _("Choose a date after today.")
        return need
    stamp = Timestamp()
    stamp.FromDatetime(datetime.combine(day, time(23, 59), tzinfo=UTC))
    need.expire_time.CopyFrom(stamp)
    return need


def _form_values(need: need_pb2.Need) -> dict[str, str]:
    expires = when(need.expire_time)
    return {
        "type": str(need.type),
        "title": need.title,
        "description": need.description,
        "nace_codes": ", ".join(need.nace_codes),
        "target_countries": ", ".join(need.target_countries),
        "languages": ", ".join(need.languages),
        "keywords": ", ".join(need.keywords),
        "expire_time": expires.date().isoformat() if expires else "",
    }


def _need_form(
    principal: Principal,
    form: Form,
    organisation: organisation_pb2.Organisation,
    need_id: str = "",
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "need_form.html",
        user=principal,
        form=form,
        organisation=organisation,
        need_id=need_id,
        types=options("need_type"),
    ), status


@console.route("/console/smes/<organisation_id>/needs/new", methods=["GET", "POST"])
def new_need(organisation_id: str) -> Response | tuple[str, int]:
    principal = user(*STAFF)
    organisation = organisation_of(principal, organisation_id)
    if request.method == "GET":
        expires = (date.today() + timedelta(DEFAULT_DAYS)).isoformat()
        values = {"request_id": str(uuid.uuid4()), "expire_time": expires}
        values["languages"] = ", ".join(organisation.languages)
        values["nace_codes"] = organisation.nace_code
        return _need_form(principal, Form(values=values), organisation)
    posted(*STAFF)
    form = Form.posted()
    need = _need_from(form)
    need.organisation_id = organisation_id
    if not form.ok:
        return _need_form(principal, form, organisation, status=400)
    created = submit(
        principal,
        Service,
        "CreateNeed",
        need_pb2.CreateNeedRequest(need=need, request_id=form.get("request_id")),
        need_pb2.CreateNeedResponse,
        form,
        FORM_FIELDS,
    )
    if created is None:
        return _need_form(principal, form, organisation, status=form.status)
    flash(_("Need saved as a draft. Check its anonymised version, then submit it for review."))
    return redirect(url_for("console.need", need_id=created.need.id))


@console.route("/console/needs/<need_id>/edit", methods=["GET", "POST"])
def edit_need(need_id: str) -> Response | tuple[str, int]:
    principal = user(*STAFF)
    current = _get(principal, need_id)
    organisation = organisation_of(principal, current.organisation_id)
    if request.method == "GET":
        return _need_form(principal, Form(values=_form_values(current)), organisation, need_id)
    posted(*STAFF)
    form = Form.posted()
    need = _need_from(form)
    need.id = need_id
    if not form.ok:
        return _need_form(principal, form, organisation, need_id, 400)
    saved = submit(
        principal,
        Service,
        "UpdateNeed",
        need_pb2.UpdateNeedRequest(need=need, update_mask=FieldMask(paths=list(EDITABLE))),
        need_pb2.UpdateNeedResponse,
        form,
        FORM_FIELDS,
    )
    if saved is None:
        return _need_form(principal, form, organisation, need_id, form.status)
    flash(_("Need saved."))
    return redirect(url_for("console.need", need_id=need_id))


@console.get("/console/needs/<need_id>")
def need(need_id: str) -> str:
    principal = user(*STAFF)
    found = _get(principal, need_id)
    organisation = organisation_of(principal, found.organisation_id)
    preview = None
    preview_problem = ""
    if found.state in (need_pb2.NEED_STATE_DRAFT, need_pb2.NEED_STATE_IN_REVIEW):
        try:
            preview = call(
                principal,
                Service,
                "PreviewNeedPublication",
                need_pb2.PreviewNeedPublicationRequest(id=need_id),
                need_pb2.PreviewNeedPublicationResponse,
            )
        except Problem as problem:
            if problem.reason != "ANONYMISER_FAILED":
                raise
            preview_problem = refusal_text(problem)  # the page still shows the need, and why
    matches: list[network_pb2.ExpertOfferMatch] = []
    pending = False
    if found.state in (need_pb2.NEED_STATE_PUBLISHED, need_pb2.NEED_STATE_MATCHED):
        try:
            matches = list(
                call(
                    principal,
                    network_pb2_grpc.NetworkServiceStub,
                    "MatchExpertOffers",
                    network_pb2.MatchExpertOffersRequest(need_id=need_id, max_results=10),
                    network_pb2.MatchExpertOffersResponse,
                ).matches
            )
        except Problem as problem:
            if problem.status != 404:
                raise
            # Just published: the network catalogue has it once its event comes back.
            pending = True
    return render_template(
        "need.html",
        user=principal,
        need=found,
        organisation=organisation,
        preview=preview,
        preview_problem=preview_problem,
        withheld=withheld_parts(preview) if preview is not None else {},
        matches=matches,
        is_manager=principal.has_role(CLUSTER_MANAGER),
        matching_pending=pending,
        nonce=uuid.uuid4().hex,
    )


def withheld_parts(
    preview: need_pb2.PreviewNeedPublicationResponse,
) -> dict[str, list[tuple[str, bool]]]:
    """The previewed title and description cut where the residual check withheld something,
    each part marked withheld or not, for the page to highlight."""
    texts = {
        "title": preview.anonymised_need.title,
        "description": preview.anonymised_need.description,
    }
    parts: dict[str, list[tuple[str, bool]]] = {}
    for field, text in texts.items():
        cut: list[tuple[str, bool]] = []
        position = 0
        places = sorted((r.start, r.end) for r in preview.residuals if r.field == field)
        for start, end in places:
            if start < position or end > len(text):
                continue
            if start > position:
                cut.append((text[position:start], False))
            cut.append((text[start:end], True))
            position = end
        if position < len(text):
            cut.append((text[position:], False))
        parts[field] = cut
    return parts


#: The need's moves from its page: RPC, request type, response type, whether a reason is asked.
MOVES = {
    "submit": ("SubmitNeed", need_pb2.SubmitNeedRequest, need_pb2.SubmitNeedResponse),
    "publish": ("PublishNeed", need_pb2.PublishNeedRequest, need_pb2.PublishNeedResponse),
    "return": ("ReturnNeed", need_pb2.ReturnNeedRequest, need_pb2.ReturnNeedResponse),
    "withdraw": ("WithdrawNeed", need_pb2.WithdrawNeedRequest, need_pb2.WithdrawNeedResponse),
    "close": ("CloseNeed", need_pb2.CloseNeedRequest, need_pb2.CloseNeedResponse),
}
DONE = {
    "submit": _l("Submitted for review by the cluster manager."),
    "publish": _l("Published: the anonymised need is now in the network catalogue."),
    "return": _l("Returned to the facilitator."),
    "withdraw": _l("Withdrawn from the network."),
    "close": _l("Closed."),
}


@console.post("/console/needs/<need_id>/<move>")
def move_need(need_id: str, move: str) -> Response:
    if move not in MOVES:
        raise Problem(404, _("There is no such step for a need."))
    principal = posted(*STAFF)
    back = safe_next(request.form.get("next") or url_for("console.need", need_id=need_id))
    if move == "publish":
        _publish(principal, need_id)
        return redirect(back)
    method, request_type, response_type = MOVES[move]
    message = request_type(id=need_id)
    reason = request.form.get("reason", "").strip()[:500]
    if reason and hasattr(message, "reason"):
        message.reason = reason
    step(principal, Service, method, message, response_type, DONE[move])
    return redirect(back)


def _publish(principal: Principal, need_id: str) -> None:
    """Publishes the need, or says plainly that it is held for review and why; with the
    cluster manager's override, the reason they give goes with it into the audit log."""
    message = need_pb2.PublishNeedRequest(id=need_id)
    if request.form.get("override") or request.form.get("override_k_anonymity"):
        reason = request.form.get("override_reason", "").strip()
        if not reason:
            flash(
                _("Say why you publish this held need: the reason goes into the audit log."),
                "error",
            )
            return
        message.override_k_anonymity = True
        message.override_reason = reason[:500]
    try:
        answer = call(principal, Service, "PublishNeed", message, need_pb2.PublishNeedResponse)
    except Problem as problem:
        if problem.status >= 500:
            raise
        flash(refusal_text(problem), "error")
        return
    if answer.need.state == need_pb2.NEED_STATE_IN_REVIEW:
        flash(
            _(
                "Not published: the need is held for review. %(reason)s",
                reason=state_reason(answer.need),
            ),
            "error",
        )
    elif message.override_k_anonymity and answer.need.state_reason:
        flash(_("Published by your decision, recorded in the audit log."))
    else:
        flash(str(DONE["publish"]))
