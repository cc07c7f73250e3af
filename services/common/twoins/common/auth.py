"""Access tokens of the network's Keycloak realm: verified the same way by gateway and nodes.

A token is accepted only when all of these hold: it is a compact JWS of at most
`MAX_TOKEN_BYTES`; its header names an allowed asymmetric algorithm and a key id of the realm's
JWKS (fetched, cached, and fetched again on an unknown key id at most every
`refresh_interval` seconds); the signature checks; `iss` is the realm's public issuer; `aud`
holds the API audience; `exp` is in the future and `nbf`/`iat` not in the future, within a
small leeway; `typ` is `Bearer` (an ID or refresh token is refused).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from pydantic import BaseModel, ConfigDict, Field

from twoins.common.realm_config import (
    API_AUDIENCE,
    NETWORK_COORDINATOR,
    NODE,
    PEOPLE_ROLES,
    REGION_CLAIM,
    node_client_id,
)

logger = logging.getLogger(__name__)

#: Asymmetric algorithms only: a symmetric one would let anyone holding the public key sign.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
MAX_TOKEN_BYTES = 16 * 1024
KNOWN_ROLES = frozenset((*PEOPLE_ROLES, NODE))


class InvalidToken(Exception):
    """The token is missing or not acceptable; `reason` is a stable code, the message says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class AuthSettings(BaseModel):
    """Where tokens come from and whom they must be for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The realm's issuer as people see it, e.g. https://id.example.eu/realms/twoins.
    issuer: str = Field(pattern=r"^https?://\S+$")
    #: Where this service fetches the realm's keys; defaults to the issuer's certs endpoint.
    jwks_url: str = Field(default="", pattern=r"^(https?://\S+)?$")
    audience: str = API_AUDIENCE
    leeway_seconds: float = Field(default=30.0, ge=0, le=300)

    @property
    def keys_url(self) -> str:
        return self.jwks_url or f"{self.issuer}/protocol/openid-connect/certs"


@dataclass(frozen=True)
class Principal:
    """Who is calling, from a verified access token."""

    subject: str
    username: str
    roles: frozenset[str]
    region: str | None
    client_id: str
    name: str = ""
    email: str = ""
    locale: str | None = None
    expires_at: float = 0.0
    token: str = ""

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def node_region(self) -> str | None:
        """The region whose node this is, for a node's service account; None for people."""
        if NODE in self.roles and self.region and self.client_id == node_client_id(self.region):
            return self.region
        return None

    @property
    def is_coordinator(self) -> bool:
        return NETWORK_COORDINATOR in self.roles

    def describe(self) -> str:
        roles = ", ".join(sorted(self.roles)) or "no role"
        return f"{self.username or self.subject} ({roles}; region {self.region or 'none'})"


class KeySet:
    """The realm's signing keys by key id, refreshed on an unknown id at most once per interval."""

    def __init__(self, url: str, refresh_interval: float = 10.0, timeout: float = 5.0) -> None:
        self._url = url
        self._refresh_interval = refresh_interval
        self._client = jwt.PyJWKClient(url, cache_jwk_set=False, timeout=timeout)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def key(self, key_id: str) -> jwt.PyJWK:
        known = self._keys.get(key_id)
        if known is not None:
            return known
        with self._lock:
            if key_id not in self._keys and (
                time.monotonic() - self._fetched_at >= self._refresh_interval
            ):
                self._keys = self._fetch()
                self._fetched_at = time.monotonic()
        try:
            return self._keys[key_id]
        except KeyError:
            raise InvalidToken(
                "UNKNOWN_KEY", "the token is signed with a key the realm does not publish"
            ) from None

    def refresh(self) -> int:
        """Fetches the keys unless fetched within the interval; returns how many there are
        (InvalidToken if unreachable)."""
        with self._lock:
            if self._keys and time.monotonic() - self._fetched_at < self._refresh_interval:
                return len(self._keys)
            self._keys = self._fetch()
            self._fetched_at = time.monotonic()
            return len(self._keys)

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        # PyJWT's client fetches and parses the set (http(s) only: AuthSettings checks the
        # URL); this class keeps the keys and decides when to fetch again.
        try:
            found = self._client.get_signing_keys(refresh=True)
        except jwt.PyJWKClientConnectionError as error:
            logger.warning("cannot fetch the realm's keys", extra={"url": self._url})
            raise InvalidToken(
                "KEYS_UNAVAILABLE",
                f"the identity provider's keys cannot be fetched ({error}); try again shortly",
            ) from None
        except (jwt.PyJWKClientError, jwt.PyJWKError, ValueError):
            return {}  # a set without a usable signing key: every token is refused
        return {
            key.key_id: key
            for key in found
            if key.key_id and key.algorithm_name in ALLOWED_ALGORITHMS
        }


class TokenVerifier:
    """Verifies access tokens of one realm for one audience; thread-safe.

    A token that passed every check is remembered (at most `cache_size`, until it expires), so
    a client sending the same token again is not verified twice; expiry is checked each time.
    """

    def __init__(
        self, settings: AuthSettings, keys: KeySet | None = None, cache_size: int = 4096
    ) -> None:
        self.settings = settings
        self._keys = keys or KeySet(settings.keys_url)
        self._verified: OrderedDict[str, Principal] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    def check_keys(self) -> None:
        """Raises InvalidToken when the realm's keys cannot be fetched or there are none."""
        if self._keys.refresh() == 0:
            raise InvalidToken("KEYS_UNAVAILABLE", "the realm publishes no usable signing key")

    def verify(self, token: str) -> Principal:
        with self._cache_lock:
            known = self._verified.get(token)
            if known is not None:
                if known.expires_at + self.settings.leeway_seconds > time.time():
                    self._verified.move_to_end(token)
                    return known
                del self._verified[token]
        principal = self._verify(token)
        with self._cache_lock:
            self._verified[token] = principal
            while len(self._verified) > self._cache_size:
                self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> Principal:
        if not token:
            raise InvalidToken("TOKEN_MISSING", "no access token: send Authorization: Bearer …")
        if len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
            raise InvalidToken("TOKEN_MALFORMED", "the access token is not a signed JWT")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("TOKEN_MALFORMED", "the access token is not a signed JWT") from None
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise InvalidToken(
                "ALGORITHM_NOT_ALLOWED", f"tokens signed with {algorithm!r} are not accepted"
            )
        key_id = header.get("kid")
        if not isinstance(key_id, str) or not key_id:
            raise InvalidToken("UNKNOWN_KEY", "the token names no signing key")
        key = self._keys.key(key_id)
        if key.algorithm_name != algorithm:
            raise InvalidToken(
                "ALGORITHM_NOT_ALLOWED", "the token's algorithm does not match its key"
            )
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "typ"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken(
                "TOKEN_EXPIRED", "the access token has expired; sign in again"
            ) from None
        except jwt.ImmatureSignatureError:
            raise InvalidToken("TOKEN_NOT_YET_VALID", "the access token is not valid yet") from None
        except jwt.InvalidAudienceError:
            raise InvalidToken(
                "WRONG_AUDIENCE", f"the access token is not meant for {self.settings.audience}"
            ) from None
        except jwt.InvalidIssuerError:
            raise InvalidToken(
                "WRONG_ISSUER", "the access token comes from another identity provider or realm"
            ) from None
        except jwt.MissingRequiredClaimError as error:
            raise InvalidToken("TOKEN_MALFORMED", f"the access token lacks {error.claim}") from None
        except jwt.PyJWTError:
            raise InvalidToken(
                "BAD_SIGNATURE", "the access token's signature does not check"
            ) from None
        if claims.get("typ") != "Bearer":
            raise InvalidToken(
                "NOT_AN_ACCESS_TOKEN", "this is not an access token (an ID or refresh token?)"
            )
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise InvalidToken("TOKEN_MALFORMED", "the access token names no subject")
        return principal_from_claims(claims, token)

    def verify_id_token(self, token: str, client_id: str, nonce: str) -> dict[str, Any]:
        """The claims of an ID token issued to `client_id` for the sign-in started with
        `nonce` (OpenID Connect Core 3.1.3.7)."""
        try:
            header = jwt.get_unverified_header(token)
            algorithm = header.get("alg")
            if algorithm not in ALLOWED_ALGORITHMS:
                raise InvalidToken("ALGORITHM_NOT_ALLOWED", "the ID token's algorithm is refused")
            key = self._keys.key(str(header.get("kid", "")))
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=client_id,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken("BAD_ID_TOKEN", f"the ID token is not acceptable: {error}") from None
        if claims.get("typ") != "ID" or claims.get("nonce") != nonce:
            raise InvalidToken("BAD_ID_TOKEN", "the ID token is not the answer to this sign-in")
        return claims


def principal_from_claims(claims: Mapping[str, Any], token: str = "") -> Principal:
    realm_access = claims.get("realm_access")
    raw_roles = realm_access.get("roles", []) if isinstance(realm_access, Mapping) else []
    roles = frozenset(role for role in raw_roles if role in KNOWN_ROLES)
    region = claims.get(REGION_CLAIM)
    return Principal(
        subject=str(claims["sub"]),
        username=str(claims.get("preferred_username", "")),
        roles=roles,
        region=region if isinstance(region, str) and region else None,
        client_id=str(claims.get("azp", "")),
        name=str(claims.get("name", "")),
        email=str(claims.get("email", "")),
        locale=claims.get("locale") if isinstance(claims.get("locale"), str) else None,
        expires_at=float(claims.get("exp", 0)),
        token=token,
    )


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header value; '' when absent."""
    if not authorization:
        return ""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise InvalidToken(
            "TOKEN_MALFORMED", "send the token as 'Authorization: Bearer <access token>'"
        )
    return value.strip()
