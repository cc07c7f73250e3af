"""Every way in that should fail, against the real Keycloak: each forged, stale or misdirected
token gets 401 with no data at the gateway, and UNAUTHENTICATED at the node itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import grpc
import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.identity import Identity, RunningGateway
from twoins.common.realm_config import API_AUDIENCE, REALM
from twoins.node.server import NodeServer
from twoins.v1 import network_pb2, network_pb2_grpc, organisation_pb2, organisation_pb2_grpc

REGION = "it-basilicata"
KEY_REFRESH_SECONDS = 10
FACILITATOR = f"facilitator.{REGION}"
PROBLEM_KEYS = {"type", "title", "status", "detail", "reason", "instance", "request_id"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    pad = lambda part: part + "=" * (-len(part) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


def _encode(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(payload).encode())


def _admin_client(identity: Identity, client: dict[str, Any]) -> None:
    identity.admin().create_client(client, skip_exists=True)


def _test_client(
    client_id: str, mappers: list[dict[str, Any]], **attributes: str
) -> dict[str, Any]:
    return {
        "clientId": client_id,
        "publicClient": True,
        "standardFlowEnabled": False,
        "directAccessGrantsEnabled": True,
        "attributes": attributes,
        "protocolMappers": mappers,
    }


AUDIENCE_MAPPER = {
    "name": "audience",
    "protocol": "openid-connect",
    "protocolMapper": "oidc-audience-mapper",
    "config": {"included.client.audience": API_AUDIENCE, "access.token.claim": "true"},
}


def _password_token(identity: Identity, client_id: str, realm_url: str | None = None) -> str:
    body = identity.token_response(
        {
            "grant_type": "password",
            "client_id": client_id,
            "username": FACILITATOR,
            "password": "twoins-demo-pass",
        },
        realm_url,
    )
    return str(body["access_token"])


@pytest.fixture(scope="module")
def forged(identity: Identity) -> dict[str, str]:
    """Every bad token of the issue's list, made with the real Keycloak where it can be."""
    real = identity.tokens(FACILITATOR)
    access = str(real["access_token"])
    header, payload, signature = _parts(access)
    tokens: dict[str, str] = {}

    tokens["malformed"] = "not-a-token"
    tokens["three garbage parts"] = "abc.def.ghi"
    tokens["alg none"] = _encode({"alg": "none", "typ": "JWT"}, payload) + "."
    # HS256 with the realm's public key as the HMAC secret: the classic key-confusion attack.
    jwks = requests.get(identity.jwks_url, timeout=10).json()
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    public_pem = jwt.PyJWK(key).key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = _encode({"alg": "HS256", "typ": "JWT", "kid": header["kid"]}, payload)
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    tokens["HS256 signed with the public key"] = signing_input + "." + _b64(mac)
    tampered = dict(payload, region="gr-attica")
    tokens["tampered payload"] = _encode(header, tampered) + "." + signature
    rogue_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tokens["unknown key id"] = jwt.encode(
        payload, rogue_key, algorithm="RS256", headers={"kid": "rogue-key"}
    )
    tokens["ID token"] = str(real["id_token"])
    tokens["refresh token"] = str(real["refresh_token"])

    # Tokens the real Keycloak signs, from clients set up to go wrong in one way each.
    region_mapper = {
        "name": "region",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-usermodel-attribute-mapper",
        "config": {
            "user.attribute": "region",
            "claim.name": "region",
            "jsonType.label": "String",
            "access.token.claim": "true",
        },
    }
    _admin_client(identity, _test_client("test-no-audience", [region_mapper]))
    tokens["wrong audience"] = _password_token(identity, "test-no-audience")
    future_nbf = {
        "name": "nbf in the future",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-hardcoded-claim-mapper",
        "config": {
            "claim.name": "nbf",
            "claim.value": str(int(time.time()) + 3600),
            "jsonType.label": "long",
            "access.token.claim": "true",
        },
    }
    _admin_client(
        identity, _test_client("test-future-nbf", [AUDIENCE_MAPPER, region_mapper, future_nbf])
    )
    tokens["not yet valid"] = _password_token(identity, "test-future-nbf")
    _admin_client(
        identity,
        _test_client(
            "test-short-lived", [AUDIENCE_MAPPER, region_mapper], **{"access.token.lifespan": "1"}
        ),
    )
    tokens["expired"] = _password_token(identity, "test-short-lived")

    # Another realm on the same Keycloak, with the same user and audience.
    other = f"other-{uuid.uuid4().hex[:8]}"
    identity.admin().create_realm(
        {
            "realm": other,
            "enabled": True,
            "clients": [_test_client("cli", [AUDIENCE_MAPPER, region_mapper])],
            "users": [
                {
                    "username": FACILITATOR,
                    "enabled": True,
                    "emailVerified": True,
                    "firstName": "Other",
                    "lastName": "Realm",
                    "email": "other@example.org",
                    "credentials": [{"type": "password", "value": "twoins-demo-pass"}],
                    "realmRoles": ["cluster-manager"],
                }
            ],
            "roles": {"realm": [{"name": "cluster-manager"}]},
        },
    )
    other_realm_url = identity.realm_url.rsplit("/", 1)[0] + f"/{other}"
    tokens["token from another realm"] = _password_token(identity, "cli", other_realm_url)
    # Signed with a key our realm also publishes, but issued by the other realm: only the
    # issuer check stands between it and the API.
    shared_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = shared_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    for realm, priority in ((other, "1000"), (REALM, "1")):
        identity.admin(realm).create_component(
            {
                "name": "shared-test-key",
                "providerId": "rsa",
                "providerType": "org.keycloak.keys.KeyProvider",
                "config": {
                    "priority": [priority],
                    "enabled": ["true"],
                    "active": ["true"],
                    "algorithm": ["RS256"],
                    "privateKey": [pem],
                },
            },
        )
    tokens["wrong issuer, trusted key"] = _password_token(identity, "cli", other_realm_url)
    shared_kid = _parts(tokens["wrong issuer, trusted key"])[0]["kid"]
    published = requests.get(identity.jwks_url, timeout=10).json()["keys"]
    assert shared_kid in {key["kid"] for key in published}
    # Past the one-second token's expiry and leeway, and past the verifiers' key refresh
    # interval, so that they may fetch the realm's keys again and see the shared one.
    time.sleep(KEY_REFRESH_SECONDS + 1)
    return tokens


EXPECTED_REASONS = {
    "malformed": {"TOKEN_MALFORMED"},
    "three garbage parts": {"TOKEN_MALFORMED"},
    "alg none": {"ALGORITHM_NOT_ALLOWED"},
    "HS256 signed with the public key": {"ALGORITHM_NOT_ALLOWED"},
    "tampered payload": {"BAD_SIGNATURE"},
    "unknown key id": {"UNKNOWN_KEY"},
    "ID token": {"WRONG_AUDIENCE", "NOT_AN_ACCESS_TOKEN"},
    "refresh token": {"ALGORITHM_NOT_ALLOWED"},
    "wrong audience": {"WRONG_AUDIENCE"},
    "not yet valid": {"TOKEN_NOT_YET_VALID"},
    "expired": {"TOKEN_EXPIRED"},
    "token from another realm": {"UNKNOWN_KEY", "WRONG_ISSUER"},
    "wrong issuer, trusted key": {"WRONG_ISSUER"},
}


def test_a_real_token_works_at_gateway_and_node(
    identity: Identity, gateway: RunningGateway
) -> None:
    response = requests.get(
        f"{gateway.url}/api/v1/organisations",
        headers={"Authorization": f"Bearer {identity.access_token(FACILITATOR)}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert "organisations" in response.json()


def test_no_token_is_refused_with_a_challenge(gateway: RunningGateway) -> None:
    response = requests.get(f"{gateway.url}/api/v1/organisations", timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["Content-Type"] == "application/problem+json"
    assert set(response.json()) <= PROBLEM_KEYS


@pytest.mark.parametrize("case", sorted(EXPECTED_REASONS))
def test_bad_token_gets_401_and_no_data_at_the_gateway(
    case: str, forged: dict[str, str], gateway: RunningGateway
) -> None:
    for path in ("/api/v1/organisations", "/api/v1/network/needs", "/api/v1/expert-offers"):
        response = requests.get(
            f"{gateway.url}{path}",
            headers={"Authorization": f"Bearer {forged[case]}"},
            timeout=10,
        )
        assert response.status_code == 401, (case, path, response.text)
        body = response.json()
        assert set(body) <= PROBLEM_KEYS, body
        assert body["reason"] in EXPECTED_REASONS[case], (case, body)
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("case", sorted(EXPECTED_REASONS))
def test_bad_token_is_unauthenticated_at_the_node_itself(
    case: str, forged: dict[str, str], secured_nodes: dict[str, NodeServer]
) -> None:
    with grpc.insecure_channel(secured_nodes[REGION].address) as channel:
        stub = organisation_pb2_grpc.OrganisationServiceStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            stub.ListOrganisations(
                organisation_pb2.ListOrganisationsRequest(),
                metadata=(("authorization", f"Bearer {forged[case]}"),),
                timeout=10,
            )
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED, case


def test_node_refuses_calls_without_token(secured_nodes: dict[str, NodeServer]) -> None:
    with grpc.insecure_channel(secured_nodes[REGION].address) as channel:
        stub = organisation_pb2_grpc.OrganisationServiceStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            stub.ListOrganisations(organisation_pb2.ListOrganisationsRequest(), timeout=10)
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_issuer_is_the_public_one_whatever_address_services_use(identity: Identity) -> None:
    """Services fetch tokens at 127.0.0.1; people at localhost: both carry one issuer."""
    internal = _parts(identity.access_token(FACILITATOR))[1]
    public = _parts(
        _password_token_via(identity, identity.issuer)  # the address people use
    )[1]
    assert internal["iss"] == public["iss"] == identity.issuer
    assert identity.issuer.startswith("http://localhost:")
    assert API_AUDIENCE in internal["aud"]
    assert internal["region"] == REGION


def _password_token_via(identity: Identity, realm_url: str) -> str:
    return str(
        identity.token_response(
            {
                "grant_type": "password",
                "client_id": "twoins-dev-cli",
                "username": FACILITATOR,
                "password": "twoins-demo-pass",
            },
            realm_url,
        )["access_token"]
    )


def test_node_recognises_which_node_calls(
    identity: Identity, secured_nodes: dict[str, NodeServer]
) -> None:
    """A node's service-account token reaches a peer's network catalogue, and is known as that
    node; it reaches none of the peer's regional records."""
    token = identity.node_token("gr-attica")
    claims = _parts(token)[1]
    assert claims["azp"] == "node-gr-attica"
    assert claims["region"] == "gr-attica"
    with grpc.insecure_channel(secured_nodes[REGION].address) as channel:
        metadata = (("authorization", f"Bearer {token}"),)
        network_pb2_grpc.NetworkServiceStub(channel).SearchNeeds(
            network_pb2.SearchNeedsRequest(), metadata=metadata, timeout=10
        )
        with pytest.raises(grpc.RpcError) as raised:
            organisation_pb2_grpc.OrganisationServiceStub(channel).ListOrganisations(
                organisation_pb2.ListOrganisationsRequest(), metadata=metadata, timeout=10
            )
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_wrong_node_secret_gets_no_token(identity: Identity) -> None:
    with pytest.raises(Exception, match="401"):
        identity.node_token("gr-attica", secret="not-the-secret")


def test_brute_force_protection_locks_a_guessed_account(identity: Identity) -> None:
    """Five wrong passwords lock the account for a while, even against the right one."""
    username = "expert.mt-isla"
    for _ in range(6):
        with pytest.raises(Exception, match=r"400|401"):
            identity.token_response(
                {
                    "grant_type": "password",
                    "client_id": "twoins-dev-cli",
                    "username": username,
                    "password": "wrong-password",
                }
            )
    with pytest.raises(Exception, match=r"401|400"):
        identity.token_response(
            {
                "grant_type": "password",
                "client_id": "twoins-dev-cli",
                "username": username,
                "password": "twoins-demo-pass",
            }
        )
    admin = identity.admin()
    user_id = admin.get_user_id(username)
    assert user_id is not None
    assert admin.get_bruteforce_detection_status(user_id)["disabled"] is True
    admin.clear_bruteforce_attempts_for_user(user_id)
