"""The network in containers, started from the project's own compose file and images: the hub,
the seven leaves, the streams job, Keycloak, two regions' PostgreSQL and nodes, the monitor and
the gateway, under a project name of their own, published on loopback only. A journey through
it: the Basilicata cluster manager signs in and publishes a need, the Attica expert finds it
from the other region, the cluster manager refers it to the expert's offer, the expert accepts.

Run by `make containers` (a step of `.ci/run`), which builds the images first; skipped
otherwise, since it needs podman and the images."""

from __future__ import annotations

import json
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from functools import partial

import pytest

from tests.support.api import Caller, wait_until
from tests.support.compose import ComposeNetwork, compose_network
from twoins.common.network import load_network
from twoins.common.realm_config import DEMO_PASSWORD, DEV_CLI_CLIENT, REALM

ORIGIN, EXPERT_REGION = "it-basilicata", "gr-attica"

pytestmark = pytest.mark.skipif(
    os.environ.get("TWOINS_CONTAINER_IMAGES") != "built",
    reason="needs podman and the images: run `make containers`",
)


class ComposeTokens:
    """Tokens of the demo users from the compose network's Keycloak (password grant)."""

    def __init__(self, keycloak_url: str) -> None:
        self._token_url = f"{keycloak_url}/realms/{REALM}/protocol/openid-connect/token"
        self._tokens: dict[str, tuple[float, str]] = {}

    def access_token(self, username: str) -> str:
        cached = self._tokens.get(username)
        if cached is not None and cached[0] - time.time() > 30:
            return cached[1]
        data = urllib.parse.urlencode(
            {
                "grant_type": "password",
                "client_id": DEV_CLI_CLIENT,
                "username": username,
                "password": DEMO_PASSWORD,
                "scope": "openid",
            }
        ).encode()
        with urllib.request.urlopen(self._token_url, data=data, timeout=30) as response:  # noqa: S310
            body = json.load(response)
        self._tokens[username] = (time.time() + float(body["expires_in"]), body["access_token"])
        return str(body["access_token"])


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComposeNetwork]:
    stages: list[tuple[str, float]] = []
    started = time.monotonic()
    with compose_network("twoins-journey", tmp_path_factory.mktemp("compose")) as running:
        leaves = [f"nats-leaf-{region}" for region in load_network().region_ids]
        databases = [f"postgres-{region}" for region in (ORIGIN, EXPERT_REGION)]
        running.start(["keys", "nats-hub", *leaves, *databases, "keycloak"])
        running.wait_completed("keys")
        running.wait_healthy(["nats-hub", *leaves, *databases])
        stages.append(("bus and databases", time.monotonic() - started))
        running.start(["bus-setup"])
        running.wait_completed("bus-setup")
        running.wait_http(f"{running.keycloak_url}/realms/{REALM}/.well-known/openid-configuration")
        stages.append(("streams and Keycloak", time.monotonic() - started))
        nodes = [f"node-{region}" for region in (ORIGIN, EXPERT_REGION)]
        running.start([*nodes, "bus-keeper", "monitor", "gateway"])
        running.wait_healthy([*nodes, "monitor", "gateway"])
        stages.append(("nodes, monitor and gateway", time.monotonic() - started))
        print("\ncompose network up: " + ", ".join(f"{name} {at:.0f}s" for name, at in stages))
        yield running


def _in_catalogue(caller: Caller, path: str, entries: str, key: str, record_id: str) -> bool:
    response = caller.call("GET", path)
    return response.status_code == 200 and record_id in {
        entry[key] for entry in response.json().get(entries, [])
    }


def _in_state(caller: Caller, referral_id: str, state: str) -> bool:
    response = caller.call("GET", f"/referrals/{referral_id}")
    return response.status_code == 200 and response.json()["state"] == f"REFERRAL_STATE_{state}"


def test_a_need_published_in_one_region_is_referred_to_and_accepted_by_another(
    network: ComposeNetwork,
) -> None:
    started = time.monotonic()
    tokens = ComposeTokens(network.keycloak_url)
    manager = Caller(tokens, network.gateway_url, f"cluster-manager.{ORIGIN}")
    expert = Caller(tokens, network.gateway_url, f"expert.{EXPERT_REGION}")

    offer_id = expert.offer(published=True)
    need_id = manager.need("IN_REVIEW")
    published = manager.ok("POST", f"/needs/{need_id}/publish", {})
    if published.get("held_back"):
        # A new region has fewer SMEs than the k-anonymity guard asks for: the cluster
        # manager reviews the anonymised copy and publishes it with the reason.
        published = manager.ok(
            "POST",
            f"/needs/{need_id}/publish",
            {
                "override_k_anonymity": True,
                "override_reason": "reviewed: nothing in it points to the SME",
            },
        )
    assert published["state"] == "NEED_STATE_PUBLISHED", published

    wait_until(
        partial(_in_catalogue, expert, "/network/needs", "needs", "need_id", need_id),
        timeout=60,
        what="the need in the expert's region",
    )
    wait_until(
        partial(_in_catalogue, manager, "/network/expert-offers", "offers", "offer_id", offer_id),
        timeout=60,
        what="the offer in the need's region",
    )
    referral_id = str(
        manager.ok("POST", "/referrals", {"need_id": need_id, "offer_id": offer_id})["id"]
    )
    wait_until(partial(_in_state, expert, referral_id, "PROPOSED"), timeout=60, what="proposal")
    expert.ok("POST", f"/referrals/{referral_id}/accept", {})
    wait_until(partial(_in_state, manager, referral_id, "ACCEPTED"), timeout=60, what="accept")
    print(f"\njourney through the containers: {time.monotonic() - started:.1f}s")


def test_the_images_answer_as_the_official_ones_would(network: ComposeNetwork) -> None:
    """The stand-ins keep the official images' entry points: the hub's monitoring port, the
    database's pg_isready, Keycloak's realm, all from inside the network."""
    hub = network.podman(
        "exec", network.container("nats-hub"), "wget", "-q", "-O-", "http://127.0.0.1:8222/varz"
    )
    assert json.loads(hub)["server_name"] == "twoins-hub"
    ready = network.podman(
        "exec", network.container(f"postgres-{ORIGIN}"), "pg_isready", "-U", "twoins"
    )
    assert "accepting connections" in ready
