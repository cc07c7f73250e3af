"""Mail: each person's notification settings and saved searches, the region's mails for its
cluster manager, and the unsubscribe page a mail links to (no sign-in: the link's signed
token is the credential, checked by the node that made it)."""

from __future__ import annotations

import re

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from twoins.common.languages import READING_LANGUAGES
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import Form, call, posted, submit, user
from twoins.gateway.console.labels import LABELS
from twoins.gateway.console.notes import refusal_text
from twoins.gateway.problems import Problem
from twoins.gateway.services import services
from twoins.v1 import notification_pb2, notification_pb2_grpc

PEOPLE = (FACILITATOR, CLUSTER_MANAGER, EXPERT)
Service = notification_pb2_grpc.NotificationServiceStub
LANGUAGES = ("", *READING_LANGUAGES)
_TOKEN = re.compile(r"^[a-z]{2}-[a-z0-9-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
TARGETS = {
    "needs": notification_pb2.SAVED_SEARCH_TARGET_NEEDS,
    "offers": notification_pb2.SAVED_SEARCH_TARGET_EXPERT_OFFERS,
}


def _page(form: Form | None = None, status: int = 200) -> tuple[str, int]:
    principal = user(*PEOPLE)
    settings = call(
        principal,
        Service,
        "GetNotificationSettings",
        notification_pb2.GetNotificationSettingsRequest(),
        notification_pb2.GetNotificationSettingsResponse,
    ).settings
    searches = call(
        principal,
        Service,
        "ListSavedSearches",
        notification_pb2.ListSavedSearchesRequest(),
        notification_pb2.ListSavedSearchesResponse,
    ).saved_searches
    return render_template(
        "notifications.html",
        user=principal,
        settings=settings,
        searches=searches,
        kinds=LABELS["notification_kind"],
        languages=LANGUAGES,
        form=form or Form(),
    ), status


@console.get("/console/notifications")
def notifications() -> tuple[str, int]:
    return _page()


@console.post("/console/notifications")
def save_notifications() -> Response | tuple[str, int]:
    principal = posted(*PEOPLE)
    form = Form.posted()
    language = form.get("language")
    if language not in LANGUAGES:
        form.errors["language"] = _("Choose one of the options.")
    frequency = form.choice("alert_frequency", LABELS["alert_frequency"])
    muted = [kind for kind in LABELS["notification_kind"] if not form.checked(f"kind-{kind}")]
    if not form.ok:
        return _page(form, 400)
    saved = submit(
        principal,
        Service,
        "UpdateNotificationSettings",
        notification_pb2.UpdateNotificationSettingsRequest(
            settings=notification_pb2.NotificationSettings(
                enabled=form.checked("enabled"),
                muted_kinds=muted,  # type: ignore[arg-type]
                language=language,
                alert_frequency=frequency,  # type: ignore[arg-type]
            )
        ),
        notification_pb2.UpdateNotificationSettingsResponse,
        form,
        {"settings.language": "language"},
    )
    if saved is None:
        return _page(form, form.status)
    flash(_("Your mail settings are saved."))
    return redirect(url_for("console.notifications"))


@console.post("/console/saved-searches")
def save_search() -> Response:
    """Saves the network page's current search (its filters come as the form's fields)."""
    principal = posted(*PEOPLE)
    form = Form.posted()
    kind = form.get("kind", "needs")
    frequency = form.choice("frequency", LABELS["alert_frequency"], required=False)
    try:
        call(
            principal,
            Service,
            "CreateSavedSearch",
            notification_pb2.CreateSavedSearchRequest(
                saved_search=notification_pb2.SavedSearch(
                    target=TARGETS.get(kind, notification_pb2.SAVED_SEARCH_TARGET_NEEDS),
                    query=form.text("q", max_length=200),
                    nace_division=form.get("nace")[:2],
                    country=form.get("country"),
                    language=form.get("language"),
                    frequency=frequency,  # type: ignore[arg-type]
                )
            ),
            notification_pb2.CreateSavedSearchResponse,
        )
    except Problem as problem:
        if problem.status >= 500:
            raise
        flash(refusal_text(problem), "error")
        wanted = {key: request.form.get(key, "") for key in ("kind", "q", "nace", "country")}
        return redirect(url_for("console.network", **wanted))  # type: ignore[arg-type]
    flash(_("The search is saved: new matches come to you by mail."))
    return redirect(url_for("console.notifications"))


@console.post("/console/saved-searches/<search_id>/delete")
def delete_search(search_id: str) -> Response:
    principal = posted(*PEOPLE)
    call(
        principal,
        Service,
        "DeleteSavedSearch",
        notification_pb2.DeleteSavedSearchRequest(id=search_id),
        notification_pb2.DeleteSavedSearchResponse,
    )
    flash(_("The saved search is deleted."))
    return redirect(url_for("console.notifications"))


@console.get("/console/mails")
def mails() -> str:
    principal = user(CLUSTER_MANAGER)
    state = request.args.get("state", "")
    states = {label_state: value for value, label_state in _STATE_NAMES.items()}
    listed = call(
        principal,
        Service,
        "ListMails",
        notification_pb2.ListMailsRequest(
            page_size=100,
            state=states.get(state, 0),  # type: ignore[arg-type]
        ),
        notification_pb2.ListMailsResponse,
    )
    return render_template(
        "mails.html", user=principal, mails=listed.mails, counts=listed.counts, state=state
    )


_STATE_NAMES = {
    value: notification_pb2.MailState.Name(value).removeprefix("MAIL_STATE_")
    for value in LABELS["mail_state"]
}


def _unsubscribe_region(token: str) -> str:
    if not _TOKEN.match(token) or len(token) > 1000:
        raise Problem(404, _("This unsubscribe link is not complete: open it from the mail."))
    return token.partition(".")[0]


@console.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    """Asks before acting: mail readers open links by themselves, people press the button."""
    _unsubscribe_region(token)
    return render_template("unsubscribe.html", user=None, token=token, done=None)


@console.post("/unsubscribe/<token>")
def unsubscribe(token: str) -> str:
    region = _unsubscribe_region(token)
    answer = services().nodes.call(
        region,
        Service,
        "Unsubscribe",
        notification_pb2.UnsubscribeRequest(token=token),
        token="",
        request_id=g.request_id,
    )
    assert isinstance(answer, notification_pb2.UnsubscribeResponse)
    return render_template("unsubscribe.html", user=None, token=token, done=answer)
