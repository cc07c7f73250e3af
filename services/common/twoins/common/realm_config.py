"""The network's Keycloak realm, generated from the network's regions.

`deploy/keycloak/realm/twoins-realm.json` is what production imports: roles, one group per
region, the console, API and node clients, no people. `deploy/keycloak/dev/twoins-realm.json`
is the same realm plus demo users for every region and role and a command-line client that may
sign in with a password; only local runs and tests import it.

    python -m twoins.common.realm_config          # rewrites both files
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from twoins.common.languages import READING_LANGUAGES
from twoins.common.network import DEFAULT_NETWORK_FILE, Network, Region, load_network

REALM = "twoins"
API_AUDIENCE = "twoins-api"
CONSOLE_CLIENT = "twoins-console"
DEV_CLI_CLIENT = "twoins-dev-cli"
REGION_CLAIM = "region"

FACILITATOR = "facilitator"
EXPERT = "expert"
CLUSTER_MANAGER = "cluster-manager"
NETWORK_COORDINATOR = "network-coordinator"
NODE = "node"

#: The people's roles; a node's service account has the role `node`.
PEOPLE_ROLES = (FACILITATOR, EXPERT, CLUSTER_MANAGER, NETWORK_COORDINATOR)

ROLE_DESCRIPTIONS = {
    FACILITATOR: "Mentors SMEs: manages the region's SMEs, assessments, plans and needs.",
    EXPERT: "Offers expertise: manages their own expert offers.",
    CLUSTER_MANAGER: "Runs a regional cluster: everything a facilitator does, and approves "
    "what leaves the region.",
    NETWORK_COORDINATOR: "Coordinates the network: reads network-level, anonymised figures.",
    NODE: "A regional node's service account, for node-to-node calls.",
}

#: Access tokens live five minutes; the console refreshes them with its session.
ACCESS_TOKEN_SECONDS = 300
DEFAULT_GATEWAY_URL = "http://localhost:8000"
DEMO_PASSWORD = "twoins-demo-pass"  # noqa: S105 - dev realm demo users only
#: Dev secrets, used when the environment gives none; production realms have no defaults.
DEV_CONSOLE_SECRET = "dev-console-secret"  # noqa: S105 - dev realm only

DEFAULT_REALM_DIR = DEFAULT_NETWORK_FILE.parent / "keycloak"
SUPPORTED_LOCALES = tuple(READING_LANGUAGES)


def node_client_id(region_id: str) -> str:
    """The client a region's node signs in with (client credentials)."""
    return f"node-{region_id}"


def node_secret_variable(region_id: str) -> str:
    """The environment variable holding a node client's secret, at import and at the node."""
    return "TWOINS_NODE_" + region_id.upper().replace("-", "_") + "_CLIENT_SECRET"


CONSOLE_SECRET_VARIABLE = "TWOINS_CONSOLE_CLIENT_SECRET"  # noqa: S105 - a name
GATEWAY_URL_VARIABLE = "TWOINS_GATEWAY_URL"
SSL_REQUIRED_VARIABLE = "TWOINS_KEYCLOAK_SSL_REQUIRED"


def dev_node_secret(region_id: str) -> str:
    return f"dev-{node_client_id(region_id)}-secret"


def _placeholder(variable: str, default: str | None) -> str:
    return f"${{{variable}:{default}}}" if default is not None else f"${{{variable}}}"


def _audience_mapper() -> dict[str, Any]:
    return {
        "name": "audience: twoins-api",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-audience-mapper",
        "config": {
            "included.client.audience": API_AUDIENCE,
            "access.token.claim": "true",
            "id.token.claim": "false",
            "introspection.token.claim": "true",
        },
    }


def _region_from_groups_mapper() -> dict[str, Any]:
    return {
        "name": "region from the region group",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-usermodel-attribute-mapper",
        "config": {
            "user.attribute": REGION_CLAIM,
            "claim.name": REGION_CLAIM,
            "jsonType.label": "String",
            "access.token.claim": "true",
            "id.token.claim": "true",
            "userinfo.token.claim": "true",
            "introspection.token.claim": "true",
            "multivalued": "false",
            "aggregate.attrs": "false",
        },
    }


def _fixed_region_mapper(region_id: str) -> dict[str, Any]:
    return {
        "name": "region of the node",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-hardcoded-claim-mapper",
        "config": {
            "claim.name": REGION_CLAIM,
            "claim.value": region_id,
            "jsonType.label": "String",
            "access.token.claim": "true",
            "id.token.claim": "false",
            "introspection.token.claim": "true",
        },
    }


def _people_mappers() -> list[dict[str, Any]]:
    return [_audience_mapper(), _region_from_groups_mapper()]


def _console_client(secret: str, gateway_url: str) -> dict[str, Any]:
    return {
        "clientId": CONSOLE_CLIENT,
        "name": "2InS web console",
        "description": "The gateway's console: authorisation code with PKCE.",
        "enabled": True,
        "publicClient": False,
        "clientAuthenticatorType": "client-secret",
        "secret": secret,
        "standardFlowEnabled": True,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": False,
        "frontchannelLogout": True,
        "redirectUris": [f"{gateway_url}/auth/callback"],
        "webOrigins": ["+"],
        "attributes": {
            "pkce.code.challenge.method": "S256",
            "post.logout.redirect.uris": f"{gateway_url}/*",
            "use.refresh.tokens": "true",
        },
        "protocolMappers": _people_mappers(),
    }


def _api_client() -> dict[str, Any]:
    return {
        "clientId": API_AUDIENCE,
        "name": "2InS REST API",
        "description": "The audience of API tokens; nobody signs in with it.",
        "enabled": True,
        "publicClient": False,
        "bearerOnly": True,
        "standardFlowEnabled": False,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": False,
    }


def _node_client(region: Region, secret: str) -> dict[str, Any]:
    return {
        "clientId": node_client_id(region.id),
        "name": f"Node of {region.name}",
        "description": "Node-to-node calls of this region's node (client credentials).",
        "enabled": True,
        "publicClient": False,
        "clientAuthenticatorType": "client-secret",
        "secret": secret,
        "standardFlowEnabled": False,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": True,
        "protocolMappers": [_audience_mapper(), _fixed_region_mapper(region.id)],
    }


def _service_account(region_id: str) -> dict[str, Any]:
    return {
        "username": f"service-account-{node_client_id(region_id)}",
        "enabled": True,
        "serviceAccountClientId": node_client_id(region_id),
        "realmRoles": [f"default-roles-{REALM}", NODE],
    }


def render_realm(network: Network, *, dev: bool) -> dict[str, Any]:
    """The realm representation Keycloak imports; `dev` adds demo users and a password client."""
    regions = network.regions
    console_secret = _placeholder(CONSOLE_SECRET_VARIABLE, DEV_CONSOLE_SECRET if dev else None)
    gateway_url = _placeholder(GATEWAY_URL_VARIABLE, DEFAULT_GATEWAY_URL)
    clients = [
        _console_client(console_secret, gateway_url),
        _api_client(),
        *(
            _node_client(
                region,
                _placeholder(
                    node_secret_variable(region.id), dev_node_secret(region.id) if dev else None
                ),
            )
            for region in regions
        ),
    ]
    users = [_service_account(region.id) for region in regions]
    if dev:
        clients.append(_dev_cli_client())
        users += demo_users(regions)
    return {
        "realm": REALM,
        "displayName": network.network.name,
        "enabled": True,
        # HTTPS for every address Keycloak does not count as private. The dev realm takes the
        # rule from the environment: the container journey's network uses the test range
        # (198.18.0.0/15), which Keycloak counts as public, and sets it to "none".
        "sslRequired": _placeholder(SSL_REQUIRED_VARIABLE, "external") if dev else "external",
        "registrationAllowed": False,
        "resetPasswordAllowed": True,
        "loginWithEmailAllowed": True,
        "duplicateEmailsAllowed": False,
        "editUsernameAllowed": False,
        "bruteForceProtected": True,
        "permanentLockout": False,
        "failureFactor": 5,
        "waitIncrementSeconds": 60,
        "maxFailureWaitSeconds": 900,
        "minimumQuickLoginWaitSeconds": 60,
        "quickLoginCheckMilliSeconds": 1000,
        "maxDeltaTimeSeconds": 43200,
        "accessTokenLifespan": ACCESS_TOKEN_SECONDS,
        "accessTokenLifespanForImplicitFlow": ACCESS_TOKEN_SECONDS,
        "accessCodeLifespan": 60,
        "ssoSessionIdleTimeout": 1800,
        "ssoSessionMaxLifespan": 36000,
        "revokeRefreshToken": True,
        "refreshTokenMaxReuse": 0,
        "defaultSignatureAlgorithm": "RS256",
        "passwordPolicy": "length(12) and notUsername and notEmail",
        "internationalizationEnabled": True,
        "supportedLocales": list(SUPPORTED_LOCALES),
        "defaultLocale": "en",
        "eventsEnabled": True,
        "adminEventsEnabled": True,
        "roles": {
            "realm": [
                {"name": name, "description": description}
                for name, description in ROLE_DESCRIPTIONS.items()
            ]
        },
        "groups": [
            {
                "name": region.id,
                "path": f"/{region.id}",
                "attributes": {REGION_CLAIM: [region.id], "name": [region.name]},
            }
            for region in regions
        ],
        "clients": clients,
        "users": users,
    }


def _dev_cli_client() -> dict[str, Any]:
    return {
        "clientId": DEV_CLI_CLIENT,
        "name": "Local development command line",
        "description": "Dev realm only: password sign-in for scripts and tests.",
        "enabled": True,
        "publicClient": True,
        "standardFlowEnabled": False,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": True,
        "serviceAccountsEnabled": False,
        "protocolMappers": _people_mappers(),
    }


#: Demo people, by region: (first name, last name) of the facilitator, manager and expert.
DEMO_NAMES = {
    "gr": (("Eleni", "Papadopoulou"), ("Nikos", "Georgiou"), ("Dimitra", "Alexiou")),
    "fr": (("Camille", "Martin"), ("Julien", "Bernard"), ("Claire", "Dubois")),
    "it": (("Giulia", "Rossi"), ("Marco", "Bianchi"), ("Francesca", "Russo")),
    "es": (("Lucía", "García"), ("Javier", "Martínez"), ("Marta", "López")),
    "mt": (("Maria", "Borg"), ("Joseph", "Camilleri"), ("Sarah", "Vella")),
}


def demo_username(role: str, region_id: str | None = None) -> str:
    return f"{role}.{region_id}" if region_id else role


def demo_users(regions: Sequence[Region]) -> list[dict[str, Any]]:
    """One facilitator, cluster manager and expert per region, and one network coordinator."""
    users = []
    for region in regions:
        names = DEMO_NAMES.get(region.id.split("-", 1)[0], DEMO_NAMES["mt"])
        for role, (first, last) in zip((FACILITATOR, CLUSTER_MANAGER, EXPERT), names, strict=True):
            users.append(
                _demo_user(demo_username(role, region.id), first, last, role, region.languages[0])
                | {"groups": [f"/{region.id}"]}
            )
    users.append(
        _demo_user(demo_username(NETWORK_COORDINATOR), "Anna", "Kostopoulou", NETWORK_COORDINATOR)
    )
    return users


def _demo_user(
    username: str, first: str, last: str, role: str, locale: str = "en"
) -> dict[str, Any]:
    return {
        "username": username,
        "enabled": True,
        "emailVerified": True,
        "firstName": first,
        "lastName": last,
        "email": f"{username}@example.org",
        "attributes": {"locale": [locale]},
        "credentials": [{"type": "password", "value": DEMO_PASSWORD, "temporary": False}],
        "realmRoles": [f"default-roles-{REALM}", role],
        "requiredActions": [],
    }


def realm_files(network: Network) -> dict[str, str]:
    """Each realm file under deploy/keycloak/, by relative path, as its text."""
    return {
        f"{kind}/{REALM}-realm.json": json.dumps(
            render_realm(network, dev=kind == "dev"), indent=2, ensure_ascii=False
        )
        + "\n"
        for kind in ("realm", "dev")
    }


def write_realm_files(network: Network, directory: Path = DEFAULT_REALM_DIR) -> Iterable[Path]:
    for relative, text in realm_files(network).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        yield path


if __name__ == "__main__":
    for written in write_realm_files(load_network()):
        print(written)
