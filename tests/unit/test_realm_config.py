"""The realm files match the network, and production's realm holds no people or password
sign-in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from twoins.common.network import load_network
from twoins.common.realm_config import (
    API_AUDIENCE,
    CONSOLE_CLIENT,
    DEFAULT_REALM_DIR,
    DEV_CLI_CLIENT,
    PEOPLE_ROLES,
    realm_files,
    render_realm,
)


@pytest.fixture(scope="module")
def production() -> dict[str, Any]:
    return render_realm(load_network(), dev=False)


@pytest.fixture(scope="module")
def dev() -> dict[str, Any]:
    return render_realm(load_network(), dev=True)


def test_committed_realm_files_are_current() -> None:
    for relative, text in realm_files(load_network()).items():
        path = DEFAULT_REALM_DIR / relative
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run `python -m twoins.common.realm_config` and commit"
        )


def test_one_group_and_one_node_client_per_region(production: dict[str, Any]) -> None:
    regions = load_network().region_ids
    groups = {group["name"]: group["attributes"]["region"] for group in production["groups"]}
    assert groups == {region: [region] for region in regions}
    clients = {client["clientId"] for client in production["clients"]}
    assert {f"node-{region}" for region in regions} <= clients
    for client in production["clients"]:
        if client["clientId"].startswith("node-"):
            assert client["serviceAccountsEnabled"] is True
            assert client["standardFlowEnabled"] is False
            assert client["secret"].startswith("${TWOINS_NODE_")
            assert ":" not in client["secret"], "production secrets have no default"


def test_production_realm_has_no_people_and_no_password_grant(production: dict[str, Any]) -> None:
    assert all(user.get("serviceAccountClientId") for user in production["users"])
    assert not any(client.get("directAccessGrantsEnabled") for client in production["clients"])
    assert not any(client.get("implicitFlowEnabled") for client in production["clients"])


def test_dev_realm_is_production_plus_demo_users(
    production: dict[str, Any], dev: dict[str, Any]
) -> None:
    people = [user for user in dev["users"] if "serviceAccountClientId" not in user]
    regions = load_network().region_ids
    assert len(people) == 3 * len(regions) + 1
    roles = {role for user in people for role in user["realmRoles"]}
    assert set(PEOPLE_ROLES) <= roles
    extra = {client["clientId"] for client in dev["clients"]} - {
        client["clientId"] for client in production["clients"]
    }
    assert extra == {DEV_CLI_CLIENT}
    assert {key for key in dev if dev[key] != production[key]} == {
        "clients",
        "users",
        "sslRequired",
    }
    # The dev realm's HTTPS rule comes from the environment, the production one's by default.
    assert dev["sslRequired"] == "${TWOINS_KEYCLOAK_SSL_REQUIRED:external}"


def test_security_settings(production: dict[str, Any]) -> None:
    assert production["bruteForceProtected"] is True
    assert production["accessTokenLifespan"] <= 300
    assert production["sslRequired"] == "external"
    console = next(c for c in production["clients"] if c["clientId"] == CONSOLE_CLIENT)
    assert console["publicClient"] is False
    assert console["attributes"]["pkce.code.challenge.method"] == "S256"
    assert console["redirectUris"] == ["${TWOINS_GATEWAY_URL:http://localhost:8000}/auth/callback"]
    audiences = {
        mapper["config"]["included.client.audience"]
        for mapper in console["protocolMappers"]
        if mapper["protocolMapper"] == "oidc-audience-mapper"
    }
    assert audiences == {API_AUDIENCE}
    role_names = {role["name"] for role in production["roles"]["realm"]}
    assert set(PEOPLE_ROLES) <= role_names


def test_files_are_json(tmp_path: Path) -> None:
    for text in realm_files(load_network()).values():
        assert json.loads(text)["realm"] == "twoins"
