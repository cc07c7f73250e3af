"""The start page (what waits for the signed-in person, and what they can do), and the
language switch."""

from __future__ import annotations

from flask import redirect, render_template, request, session
from werkzeug.wrappers import Response

from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR
from twoins.gateway.auth import SignInRequired, safe_next, signed_in_principal
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.referrals import region_referrals, time_left
from twoins.gateway.console.suggestions import suggested_matches
from twoins.gateway.console.waiting import waiting_for
from twoins.gateway.i18n import LANGUAGES, SESSION_KEY
from twoins.gateway.security import check_csrf


@console.get("/")
def home() -> str:
    try:
        principal = signed_in_principal()
    except SignInRequired:
        return render_template("home.html", user=None, signed_out="signed_out" in request.args)
    people = principal.region and principal.has_role(FACILITATOR, CLUSTER_MANAGER, EXPERT)
    referrals = region_referrals(principal) if people else []
    return render_template(
        "home.html",
        user=principal,
        waiting=waiting_for(principal, referrals),
        suggestions=suggested_matches(principal, referrals) if people else [],
        time_left=time_left,
    )


@console.post("/console/language")
def language() -> Response:
    """Remembers the language chosen in the page footer for this browser's session."""
    check_csrf()
    chosen = request.form.get("language", "")
    if chosen in LANGUAGES:
        session[SESSION_KEY] = chosen
    return redirect(safe_next(request.form.get("next")))
