"""The `auth` blueprint: console sign-in with Keycloak (authorisation code + PKCE, OpenID
Connect) through Authlib's Flask client, token refresh, and sign-out that also ends the
Keycloak session. On top of Authlib's checks (state, PKCE, the ID token's signature, issuer,
audience, nonce and times) the project's own: the algorithm allow-list and the token type of
the ID token, and every claim check of the access token (region, roles) by the verifier."""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from twoins.common.auth import ALLOWED_ALGORITHMS, InvalidToken, Principal
from twoins.gateway.config import GatewayConfig
from twoins.gateway.security import check_csrf
from twoins.gateway.services import services

logger = logging.getLogger("twoins.gateway.auth")

auth = Blueprint("auth", __name__, url_prefix="/auth")

#: Refresh the access token when it has less than this left (seconds).
REFRESH_MARGIN_SECONDS = 30
BACKCHANNEL_TIMEOUT = 10
#: A sign-in not finished within this is refused (seconds).
SIGN_IN_SECONDS = 600
_OAUTH = "twoins.oauth"


class SignInRequired(Exception):
    """The console needs a signed-in user; the handler sends the browser to sign in."""


def install_sign_in(app: Flask, config: GatewayConfig) -> None:
    """Registers the console's OpenID Connect client: the browser is sent to the issuer's
    public address, the gateway reaches the token and key endpoints on its back channel."""
    oauth = OAuth(app)
    oauth.register(
        "keycloak",
        client_id=config.console_client_id,
        client_secret=config.console_client_secret,
        authorize_url=f"{config.issuer.rstrip('/')}/protocol/openid-connect/auth",
        access_token_url=f"{config.realm_url}/protocol/openid-connect/token",
        jwks_uri=f"{config.realm_url}/protocol/openid-connect/certs",
        issuer=config.issuer,
        id_token_signing_alg_values_supported=list(ALLOWED_ALGORITHMS),
        client_kwargs={
            "scope": "openid",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "default_timeout": BACKCHANNEL_TIMEOUT,
        },
    )
    app.extensions[_OAUTH] = oauth


def _keycloak() -> Any:
    return current_app.extensions[_OAUTH].keycloak


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
    nonce = secrets.token_urlsafe(24)
    session["sign_in"] = {
        "nonce": nonce,
        "next": safe_next(request.args.get("next")),
        "started": time.time(),
    }
    extra = {}
    language = request.args.get("lang")
    if language:
        extra["ui_locales"] = language[:5]
    response: Response = _keycloak().authorize_redirect(_callback_url(), nonce=nonce, **extra)
    return response


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
    if not pending:
        abort(400, "this sign-in link is stale or was not started here; sign in again")
    if time.time() - float(pending.get("started", 0)) > SIGN_IN_SECONDS:
        abort(400, "the sign-in took too long; sign in again")
    if "error" in request.args:
        abort(
            401, f"sign-in failed: {request.args.get('error_description') or request.args['error']}"
        )
    if not request.args.get("code"):
        abort(400, "the identity provider sent no authorisation code; sign in again")
    try:
        # Checks the state, exchanges the code with the PKCE verifier, validates the ID token.
        tokens = _keycloak().authorize_access_token()
        services().verifier.verify_id_token(
            str(tokens.get("id_token", "")), services().config.console_client_id, pending["nonce"]
        )
        principal = _remember(tokens)
    except AuthlibBaseError as error:
        logger.warning("sign-in refused", extra={"error": str(error)})
        if getattr(error, "error", "") == "mismatching_state":
            abort(400, "this sign-in link is stale or was not started here; sign in again")
        abort(401, f"sign-in failed: {error.description or error.error}; sign in again")
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
            refreshed = _keycloak().fetch_access_token(
                grant_type="refresh_token", refresh_token=tokens.get("refresh", "")
            )
            return _remember(refreshed)
        except (AuthlibBaseError, InvalidToken, requests.RequestException, KeyError):
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
