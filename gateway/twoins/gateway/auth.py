"""The `auth` blueprint: console sign-in with Keycloak (authorisation code + PKCE, OpenID
Connect), token refresh, and sign-out that also ends the Keycloak session."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from flask import Blueprint, abort, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from twoins.common.auth import InvalidToken, Principal
from twoins.gateway.security import check_csrf
from twoins.gateway.services import services

logger = logging.getLogger("twoins.gateway.auth")

auth = Blueprint("auth", __name__, url_prefix="/auth")

#: Refresh the access token when it has less than this left (seconds).
REFRESH_MARGIN_SECONDS = 30
BACKCHANNEL_TIMEOUT = 10


class SignInRequired(Exception):
    """The console needs a signed-in user; the handler sends the browser to sign in."""


def _callback_url() -> str:
    return f"{services().config.public_url}{url_for('auth.callback')}"


def safe_next(target: str | None) -> str:
    """Only paths of this site: an open redirect would hand users to anyone."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("console.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("console.home")
    return target


@auth.get("/login")
def login() -> Response:
    config = services().config
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    state = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    session["sign_in"] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": safe_next(request.args.get("next")),
        "started": time.time(),
    }
    query = {
        "response_type": "code",
        "client_id": config.console_client_id,
        "redirect_uri": _callback_url(),
        "scope": "openid",
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge.decode(),
        "code_challenge_method": "S256",
    }
    language = request.args.get("lang")
    if language:
        query["ui_locales"] = language[:5]
    return redirect(f"{config.issuer}/protocol/openid-connect/auth?{urlencode(query)}")


def _token_endpoint(data: dict[str, str]) -> dict[str, Any]:
    config = services().config
    response = requests.post(
        f"{config.realm_url}/protocol/openid-connect/token",
        data=data,
        auth=(config.console_client_id, config.console_client_secret),
        timeout=BACKCHANNEL_TIMEOUT,
    )
    if response.status_code != 200:
        raise InvalidToken(
            "TOKEN_REQUEST_REFUSED",
            f"the identity provider refused the request ({response.status_code})",
        )
    body: dict[str, Any] = response.json()
    return body


def _remember(tokens: dict[str, Any]) -> Principal:
    principal = services().verifier.verify(str(tokens.get("access_token", "")))
    session["tokens"] = {
        "access": tokens["access_token"],
        "refresh": tokens.get("refresh_token", ""),
        "expires_at": principal.expires_at,
    }
    return principal


@auth.get("/callback")
def callback() -> Response:
    pending = session.pop("sign_in", None)
    if not pending or request.args.get("state") != pending.get("state"):
        abort(400, "this sign-in link is stale or was not started here; sign in again")
    if time.time() - float(pending.get("started", 0)) > 600:
        abort(400, "the sign-in took too long; sign in again")
    if "error" in request.args:
        abort(
            401, f"sign-in failed: {request.args.get('error_description') or request.args['error']}"
        )
    code = request.args.get("code", "")
    if not code:
        abort(400, "the identity provider sent no authorisation code; sign in again")
    try:
        tokens = _token_endpoint(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": _callback_url(),
                "code_verifier": pending["verifier"],
            }
        )
        services().verifier.verify_id_token(
            str(tokens.get("id_token", "")), services().config.console_client_id, pending["nonce"]
        )
        principal = _remember(tokens)
    except (InvalidToken, requests.RequestException) as error:
        logger.warning("sign-in failed", extra={"error": str(error)})
        abort(401, f"sign-in failed: {error}")
    logger.info("signed in", extra={"subject": principal.subject})
    return redirect(pending["next"])


def signed_in_principal() -> Principal:
    """The console's user with a fresh access token; SignInRequired when there is none."""
    principal = _fresh_principal()
    g.principal = principal
    return principal


def _fresh_principal() -> Principal:
    tokens = session.get("tokens")
    if not tokens:
        raise SignInRequired
    if float(tokens.get("expires_at", 0)) - time.time() < REFRESH_MARGIN_SECONDS:
        try:
            refreshed = _token_endpoint(
                {"grant_type": "refresh_token", "refresh_token": tokens.get("refresh", "")}
            )
            return _remember(refreshed)
        except (InvalidToken, requests.RequestException, KeyError):
            session.clear()
            raise SignInRequired from None
    try:
        return services().verifier.verify(tokens["access"])
    except InvalidToken:
        session.clear()
        raise SignInRequired from None


@auth.post("/logout")
def logout() -> Response:
    check_csrf()
    tokens = session.get("tokens") or {}
    config = services().config
    if tokens.get("refresh"):
        # Ends the Keycloak session itself, so the next visit must sign in again.
        try:
            requests.post(
                f"{config.realm_url}/protocol/openid-connect/logout",
                data={"refresh_token": tokens["refresh"]},
                auth=(config.console_client_id, config.console_client_secret),
                timeout=BACKCHANNEL_TIMEOUT,
            )
        except requests.RequestException:
            logger.warning("could not end the Keycloak session; the local one is ended")
    session.clear()
    return redirect(url_for("console.home", signed_out=1))
