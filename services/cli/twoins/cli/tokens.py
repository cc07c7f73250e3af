"""Access tokens for the command line's own calls to nodes: demo users of the dev realm."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections import namedtuple
from collections.abc import Callable
from typing import Any

import grpc

from twoins.common.realm_config import DEMO_PASSWORD, DEV_CLI_CLIENT


class TokenError(Exception):
    """No token could be had; the message says why."""


def demo_user_token(realm_url: str, username: str, password: str = DEMO_PASSWORD) -> str:
    """A demo user's access token, by password (the dev realm's command-line client)."""
    if not realm_url.startswith(("http://", "https://")):
        raise TokenError(f"{realm_url!r} is not an http(s) URL of a realm")
    data = urllib.parse.urlencode(
        {
            "grant_type": "password",
            "client_id": DEV_CLI_CLIENT,
            "username": username,
            "password": password,
        }
    ).encode()
    try:
        with urllib.request.urlopen(  # noqa: S310 - http(s) only, checked above
            f"{realm_url}/protocol/openid-connect/token", data=data, timeout=20
        ) as response:
            body: dict[str, Any] = json.load(response)
    except urllib.error.HTTPError as error:
        raise TokenError(
            f"Keycloak refused {username}'s sign-in ({error.code}); is the dev realm imported?"
        ) from None
    except OSError as error:
        raise TokenError(f"Keycloak at {realm_url} does not answer: {error}") from None
    return str(body["access_token"])


class _CallDetails(
    namedtuple(  # grpc's own pattern for changing a call's details
        "_CallDetails",
        ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
    ),
    grpc.ClientCallDetails,
):
    pass


class BearerInterceptor(grpc.UnaryUnaryClientInterceptor):  # type: ignore[type-arg]
    """Adds `authorization: Bearer <token>` to every call."""

    def __init__(self, token: Callable[[], str]) -> None:
        self._token = token

    def intercept_unary_unary(
        self, continuation: Callable[..., Any], details: grpc.ClientCallDetails, request: Any
    ) -> Any:
        metadata = [*(details.metadata or ()), ("authorization", f"Bearer {self._token()}")]
        changed = _CallDetails(
            details.method,
            details.timeout,
            metadata,
            details.credentials,
            getattr(details, "wait_for_ready", None),
            getattr(details, "compression", None),
        )
        return continuation(changed, request)
