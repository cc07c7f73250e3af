"""A service account's access token (OAuth 2 client credentials), fetched when needed and
reused until shortly before it expires: what a node shows when it calls another node."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

#: Fetch a new token when the current one has less than this left (seconds).
MARGIN_SECONDS = 30


class ServiceTokenError(Exception):
    """No token could be had; the message says why."""


class ServiceTokenSource:
    def __init__(self, token_url: str, client_id: str, client_secret: str) -> None:
        if not token_url.startswith(("http://", "https://")):
            raise ServiceTokenError(f"{token_url!r} is not an http(s) token endpoint")
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._token = ""
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def token(self) -> str:
        with self._lock:
            if self._token and self._expires_at - time.time() > MARGIN_SECONDS:
                return self._token
            data = urllib.parse.urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                }
            ).encode()
            try:
                with urllib.request.urlopen(  # noqa: S310 - http(s) only, checked above
                    self._token_url, data=data, timeout=10
                ) as response:
                    body = json.load(response)
            except urllib.error.HTTPError as error:
                raise ServiceTokenError(
                    f"the identity provider refused client {self._client_id} ({error.code}); "
                    "check its secret"
                ) from None
            except (OSError, ValueError) as error:
                raise ServiceTokenError(f"the identity provider does not answer: {error}") from None
            self._token = str(body["access_token"])
            self._expires_at = time.time() + float(body.get("expires_in", 60))
            return self._token
