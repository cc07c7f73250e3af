"""Token verification in isolation: a local key set, every claim checked, keys fetched again
on an unknown key id but not more often than the interval allows."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twoins.common.auth import AuthSettings, InvalidToken, KeySet, TokenVerifier, bearer_token

ISSUER = "https://id.example.eu/realms/twoins"


class Realm:
    """A realm's keys served as JWKS over HTTP, and tokens signed with them."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "key-1"
        self.fetches = 0

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [public | {"kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def token(self, **changes: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": ["twoins-api", "account"],
            "sub": "user-1",
            "typ": "Bearer",
            "iat": now,
            "exp": now + 300,
            "azp": "twoins-console",
            "preferred_username": "facilitator.it-basilicata",
            "region": "it-basilicata",
            "realm_access": {"roles": ["facilitator", "offline_access"]},
        }
        claims.update(changes)
        claims = {key: value for key, value in claims.items() if value is not None}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture
def realm() -> Iterator[Realm]:
    served = Realm()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.fetches += 1
            body = json.dumps(served.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/certs"  # type: ignore[attr-defined]
    yield served
    server.shutdown()


@pytest.fixture
def verifier(realm: Realm) -> TokenVerifier:
    settings = AuthSettings(issuer=ISSUER, jwks_url=realm.url, leeway_seconds=5)  # type: ignore[attr-defined]
    return TokenVerifier(settings, KeySet(settings.keys_url, refresh_interval=60))


def test_a_good_token_gives_the_principal(realm: Realm, verifier: TokenVerifier) -> None:
    principal = verifier.verify(realm.token())
    assert principal.subject == "user-1"
    assert principal.region == "it-basilicata"
    assert principal.roles == frozenset({"facilitator"})  # unknown roles dropped
    assert principal.node_region is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        # Times are offsets from the moment the test runs (collection may be long before).
        ({"exp": -60}, "TOKEN_EXPIRED"),
        ({"nbf": 600}, "TOKEN_NOT_YET_VALID"),
        ({"iss": "https://id.example.eu/realms/other"}, "WRONG_ISSUER"),
        ({"aud": "account"}, "WRONG_AUDIENCE"),
        ({"typ": "ID"}, "NOT_AN_ACCESS_TOKEN"),
        ({"typ": "Refresh"}, "NOT_AN_ACCESS_TOKEN"),
        ({"sub": None}, "TOKEN_MALFORMED"),
        ({"exp": None}, "TOKEN_MALFORMED"),
    ],
)
def test_claims_are_checked(
    realm: Realm, verifier: TokenVerifier, changes: dict[str, Any], reason: str
) -> None:
    now = int(time.time())
    claims = {
        name: now + value if name in ("exp", "nbf") and isinstance(value, int) else value
        for name, value in changes.items()
    }
    with pytest.raises(InvalidToken) as raised:
        verifier.verify(realm.token(**claims))
    assert raised.value.reason == reason


def test_small_clock_skew_is_tolerated(realm: Realm, verifier: TokenVerifier) -> None:
    verifier.verify(realm.token(exp=int(time.time()) - 2))


def test_forgeries_are_refused(realm: Realm, verifier: TokenVerifier) -> None:
    good = realm.token()
    header, payload, signature = good.split(".")
    public_pem = realm.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # Key confusion: HMAC keyed with the public key, which everybody can fetch.
    confused_header = base64.urlsafe_b64encode(
        json.dumps({"alg": "HS256", "kid": realm.kid}).encode()
    ).rstrip(b"=")
    signing_input = confused_header + b"." + payload.encode()
    mac = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    hs256 = (signing_input + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()
    cases = {
        "alg none": jwt.encode({"sub": "x"}, None, algorithm="none"),  # type: ignore[arg-type]
        "HS256": hs256,
        "tampered": f"{header}.{payload[:-4]}AAAA.{signature}",
        "foreign key": jwt.encode(
            {"sub": "x"},
            rsa.generate_private_key(public_exponent=65537, key_size=2048),
            algorithm="RS256",
            headers={"kid": realm.kid},
        ),
        "empty": "",
        "garbage": "x.y.z",
        "oversized": "a" * 20000,
    }
    accepted = []
    for name, token in cases.items():
        try:
            verifier.verify(token)
        except InvalidToken:
            continue
        accepted.append(name)
    assert not accepted


def test_unknown_key_ids_refetch_at_most_once_per_interval(
    realm: Realm, verifier: TokenVerifier
) -> None:
    verifier.verify(realm.token())
    assert realm.fetches == 1
    rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for index in range(20):
        token = jwt.encode({"sub": "x"}, rogue, algorithm="RS256", headers={"kid": f"k{index}"})
        with pytest.raises(InvalidToken, match="key the realm does not publish"):
            verifier.verify(token)
    assert realm.fetches == 1, "random key ids must not make the verifier hammer the realm"


def test_a_rotated_key_is_picked_up(realm: Realm) -> None:
    settings = AuthSettings(issuer=ISSUER, jwks_url=realm.url)  # type: ignore[attr-defined]
    verifier = TokenVerifier(settings, KeySet(settings.keys_url, refresh_interval=0))
    verifier.verify(realm.token())
    realm.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    realm.kid = "key-2"
    verifier.verify(realm.token())
    assert realm.fetches == 2


def test_unreachable_keys_are_a_clear_error() -> None:
    settings = AuthSettings(issuer=ISSUER, jwks_url="http://127.0.0.1:9/certs")
    verifier = TokenVerifier(settings)
    with pytest.raises(InvalidToken) as raised:
        verifier.verify(Realm().token())
    assert raised.value.reason == "KEYS_UNAVAILABLE"


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, ""), ("Bearer abc", "abc"), ("bearer  abc ", "abc")],
)
def test_bearer_header(header: str | None, expected: str) -> None:
    assert bearer_token(header) == expected


@pytest.mark.parametrize("header", ["Basic dXNlcg==", "Bearer", "Token abc"])
def test_other_schemes_are_refused(header: str) -> None:
    with pytest.raises(InvalidToken):
        bearer_token(header)


def test_a_remembered_token_still_expires(realm: Realm) -> None:
    settings = AuthSettings(issuer=ISSUER, jwks_url=realm.url, leeway_seconds=0)  # type: ignore[attr-defined]
    verifier = TokenVerifier(settings, KeySet(settings.keys_url))
    token = realm.token(exp=int(time.time()) + 1)
    assert verifier.verify(token).subject == "user-1"
    assert verifier.verify(token).subject == "user-1"  # from the cache
    time.sleep(2.1)
    with pytest.raises(InvalidToken) as raised:
        verifier.verify(token)
    assert raised.value.reason == "TOKEN_EXPIRED"


def test_the_cache_is_bounded(realm: Realm) -> None:
    settings = AuthSettings(issuer=ISSUER, jwks_url=realm.url)  # type: ignore[attr-defined]
    verifier = TokenVerifier(settings, KeySet(settings.keys_url), cache_size=3)
    for index in range(10):
        verifier.verify(realm.token(sub=f"user-{index}"))
    assert len(verifier._verified) == 3


# --- fuzzing: whatever arrives as a token, the verifier answers with a principal or
# InvalidToken, never with another exception (which the node would turn into INTERNAL).

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
_CLAIMS = ("iss", "aud", "sub", "typ", "iat", "exp", "nbf", "azp", "region", "realm_access")


def _segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    token=st.one_of(
        st.text(max_size=300),
        st.builds(
            lambda header, payload, signature: ".".join(
                map(_segment, (header, payload, signature))
            ),
            st.binary(max_size=120),
            st.binary(max_size=200),
            st.binary(max_size=60),
        ),
        st.builds(
            lambda header: _segment(json.dumps(header).encode()) + ".e30.c2ln",
            st.dictionaries(
                st.sampled_from(["alg", "kid", "typ", "crit", "jku"]), _JSON, max_size=4
            ),
        ),
    )
)
def test_fuzzed_tokens_are_refused_cleanly(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(InvalidToken):
        verifier.verify(token)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.dictionaries(st.sampled_from(_CLAIMS), _JSON, min_size=1, max_size=4))
def test_fuzzed_claims_in_a_signed_token_give_a_principal_or_a_refusal(
    realm: Realm, verifier: TokenVerifier, changes: dict[str, Any]
) -> None:
    try:
        token = realm.token(**changes)
    except (TypeError, ValueError):
        return  # PyJWT itself refuses to sign such claims
    try:
        principal = verifier.verify(token)
    except InvalidToken:
        return
    assert principal.subject
