"""`twoins people add|list|disable` against the real Keycloak of the test session: a person
added to a region signs in with that region and role; every wrong call says what to do."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import uuid
from typing import Any

import pytest

from tests.support.identity import Identity
from twoins.common.realm_config import DEV_CLI_CLIENT

TWOINS = [sys.executable, "-m", "twoins.cli.main"]
REGION = "it-basilicata"


def people(identity: Identity, *arguments: str, password: str | None = None) -> Any:
    environment = {
        "TWOINS_KEYCLOAK_ADMIN_PASSWORD": password or identity.server.admin_password,
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [*TWOINS, "people", *arguments, "--keycloak-url", identity.server.internal_url],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        check=False,
    )


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


@pytest.fixture
def username() -> str:
    return f"facilitator.new-{uuid.uuid4().hex[:8]}"


def test_a_person_added_signs_in_with_the_region_and_role(
    identity: Identity, username: str
) -> None:
    added = people(
        identity,
        "add",
        username,
        "--region",
        REGION,
        "--role",
        "facilitator",
        "--email",
        f"{username}@example.org",
        "--first-name",
        "Rosa",
        "--last-name",
        "Lucano",
    )
    assert added.returncode == 0, added.stderr
    assert f"{username} added to {REGION} as facilitator" in added.stderr
    temporary = added.stdout.strip()
    assert len(temporary) >= 12

    listed = people(identity, "list", "--region", REGION, "--json")
    assert listed.returncode == 0, listed.stderr
    found = {person["username"]: person for person in json.loads(listed.stdout)}
    assert found[username]["roles"] == ["facilitator"]
    assert found[username]["enabled"] is True
    assert found[username]["first_name"] == "Rosa"
    assert f"facilitator.{REGION}" in found  # the demo realm's people of the region too
    only_managers = json.loads(
        people(identity, "list", "--region", REGION, "--role", "cluster-manager", "--json").stdout
    )
    assert {person["username"] for person in only_managers} == {f"cluster-manager.{REGION}"}

    # The temporary password must be changed first; set one as the person would.
    admin = identity.admin()
    user_id = admin.get_user_id(username)
    assert user_id is not None
    admin.set_user_password(user_id, "a-chosen-pass-2026", temporary=False)
    token = identity.token_response(
        {
            "grant_type": "password",
            "client_id": DEV_CLI_CLIENT,
            "username": username,
            "password": "a-chosen-pass-2026",
        }
    )["access_token"]
    claims = _claims(token)
    assert claims["region"] == REGION
    assert "facilitator" in claims["realm_access"]["roles"]

    # Another region cannot disable them; their own can, and they cannot sign in after.
    elsewhere = people(identity, "disable", username, "--region", "gr-attica")
    assert elsewhere.returncode == 1
    assert "not one of gr-attica's people" in elsewhere.stderr
    disabled = people(identity, "disable", username, "--region", REGION)
    assert disabled.returncode == 0, disabled.stderr
    listed = json.loads(people(identity, "list", "--region", REGION, "--json").stdout)
    assert {person["username"]: person["enabled"] for person in listed}[username] is False
    with pytest.raises(OSError, match=r"40[01]"):
        identity.token_response(
            {
                "grant_type": "password",
                "client_id": DEV_CLI_CLIENT,
                "username": username,
                "password": "a-chosen-pass-2026",
            }
        )


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (("add", "x.dup", "--role", "node", "--email", "a@example.org"), "'node' is not one of"),
        (("add", "Bad Name", "--role", "expert", "--email", "a@example.org"), "not a username"),
        (("add", "a.person", "--role", "expert", "--email", "not-an-address"), "not an e-mail"),
        (
            ("add", f"facilitator.{REGION}", "--role", "expert", "--email", "a@example.org"),
            "already exists",
        ),
        (("disable", "nobody.at-all"), "has no user nobody.at-all"),
    ],
)
def test_wrong_calls_say_what_to_do_and_change_nothing(
    identity: Identity, arguments: tuple[str, ...], says: str
) -> None:
    done = people(identity, *arguments, "--region", REGION)
    assert done.returncode != 0
    assert says in done.stderr, done.stderr


def test_an_unknown_region_or_a_wrong_administrator_password_is_refused(
    identity: Identity,
) -> None:
    unknown = people(identity, "list", "--region", "xx-nowhere")
    assert unknown.returncode == 1
    assert "is not one of the network's" in unknown.stderr
    refused = people(identity, "list", "--region", REGION, password="not-the-password")
    assert refused.returncode == 1
    assert "refused the administrator's sign-in" in refused.stderr
    assert "Traceback" not in refused.stderr
