"""`twoins network up --detach`, `status --json`, `seed` and `down`, on free ports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from functools import partial
from pathlib import Path

import yaml

from tests.support.postgres import free_port, port_is_free
from twoins.cli.edge import LEAF_PORT_OFFSET
from twoins.cli.front_door import internal_realm_url
from twoins.cli.node_client import NodeClient
from twoins.cli.tokens import demo_user_token
from twoins.common.network import DEFAULT_NETWORK_FILE, load_network
from twoins.v1 import need_pb2, network_pb2, organisation_pb2

TWOINS = [sys.executable, "-m", "twoins.cli.main"]
REGIONS = ("it-basilicata", "mt-isla")


def _port_with_free_management_port() -> int:
    """A free port whose Keycloak management port (+1000) is free too."""
    for _ in range(50):
        port = free_port()
        if port + 1000 < 65536 and port_is_free(port + 1000):
            return port
    raise RuntimeError("no free pair of ports")


def _port_with_free_leaf_ports(count: int) -> int:
    """A free port whose leaves' ports (+10 and on, `twoins.cli.edge.LEAF_PORT_OFFSET`) are
    free too."""
    for _ in range(200):
        port = free_port()
        if all(port_is_free(port + LEAF_PORT_OFFSET + index) for index in range(count)):
            return port
    raise RuntimeError("no free block of ports for the bus and its leaves")


def two_region_network(tmp_path: Path) -> Path:
    data = yaml.safe_load(DEFAULT_NETWORK_FILE.read_text(encoding="utf-8"))
    data["network"]["lead_region"] = REGIONS[0]
    bus = _port_with_free_leaf_ports(len(REGIONS))
    monitor = _port_with_free_leaf_ports(len(REGIONS))
    while abs(monitor - bus) <= LEAF_PORT_OFFSET + len(REGIONS):
        monitor = _port_with_free_leaf_ports(len(REGIONS))
    data["network"]["bus_url"] = f"nats://127.0.0.1:{bus}"
    data["network"]["bus_monitor_port"] = monitor
    data["network"]["identity_url"] = f"http://localhost:{_port_with_free_management_port()}"
    data["network"]["gateway_url"] = f"http://localhost:{free_port()}"
    data["network"]["monitor_grpc"] = f"127.0.0.1:{free_port()}"
    data["network"]["monitor_metrics"] = f"127.0.0.1:{free_port()}"
    data["network"]["prometheus_url"] = f"http://localhost:{free_port()}"
    data["network"]["mail_smtp"] = f"127.0.0.1:{free_port()}"
    data["network"]["mail_url"] = f"http://localhost:{free_port()}"
    data["regions"] = [region for region in data["regions"] if region["id"] in REGIONS]
    for region in data["regions"]:
        region["endpoints"]["grpc"] = f"127.0.0.1:{free_port()}"
        region["endpoints"]["metrics"] = f"127.0.0.1:{free_port()}"
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TWOINS, *arguments], capture_output=True, text=True, timeout=300)


def test_network_up_seeds_once_and_down_stops_it(tmp_path: Path) -> None:
    network = two_region_network(tmp_path)
    data_dir = tmp_path / "var"
    up = run("network", "up", "--detach", "--network", str(network), "--data-dir", str(data_dir))
    try:
        assert up.returncode == 0, up.stderr
        status = run("network", "status", "--json", "--network", str(network))
        assert status.returncode == 0
        nodes = json.loads(status.stdout)["nodes"]
        assert [(node["region"], node["status"]) for node in nodes] == [
            ("it-basilicata", "healthy"),
            ("mt-isla", "healthy"),
        ]
        again = run("seed", "--network", str(network))
        assert again.returncode == 0, again.stderr
        address = nodes[0]["grpc"]
        realm_url = internal_realm_url(load_network(network))
        manager = demo_user_token(realm_url, "cluster-manager.it-basilicata")
        with NodeClient(address, partial(str, manager)) as client:
            organisations = client.organisations.ListOrganisations(
                organisation_pb2.ListOrganisationsRequest()
            ).organisations
            needs = client.needs.ListNeeds(
                need_pb2.ListNeedsRequest(states=[need_pb2.NEED_STATE_PUBLISHED])
            ).needs
        assert len(organisations) == 2, "seeding twice must not duplicate the demo SMEs"
        assert len(needs) == 2
        services = {item["name"]: item for item in json.loads(status.stdout)["services"]}
        info = yaml.safe_load(network.read_text())["network"]
        assert services["nats-hub"] == {
            "name": "nats-hub",
            "status": "healthy",
            "url": info["bus_url"],
        }
        assert services["keycloak"]["status"] == "healthy"
        assert services["keycloak"]["realm"] == "twoins"
        assert services["keycloak"]["url"] == info["identity_url"]
        assert services["gateway"]["status"] == "healthy"
        assert services["monitor"]["status"] == "healthy"
        assert services["monitor"]["grpc"] == info["monitor_grpc"]
        if shutil.which("prometheus"):
            assert services["prometheus"]["status"] == "healthy"
        assert services["gateway"]["url"] == info["gateway_url"]
        assert services["mail"]["status"] == "healthy"
        # The demo's referrals mailed the receiving regions' people.
        mail_port = info["mail_url"].rsplit(":", 1)[1]
        deadline = time.monotonic() + 60
        mails: list[dict[str, object]] = []
        while not mails and time.monotonic() < deadline:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{mail_port}/api/messages", timeout=10
            ) as response:
                mails = json.load(response)
            time.sleep(0.5)
        assert mails, "the demo data produced no mail"
        # The console and API answer, and the demo users sign in.
        gateway_port = info["gateway_url"].rsplit(":", 1)[1]
        with urllib.request.urlopen(
            urllib.request.Request(
                f"http://127.0.0.1:{gateway_port}/api/v1/organisations",
                headers={"Authorization": f"Bearer {manager}"},
            ),
            timeout=20,
        ) as response:
            assert len(json.load(response)["organisations"]) == 2

        # The demo data crossed the bus: Malta's node knows Basilicata's needs.
        malta_token = demo_user_token(realm_url, "facilitator.mt-isla")

        def basilicata_needs_at_malta() -> int:
            with NodeClient(nodes[1]["grpc"], partial(str, malta_token)) as malta:
                return len(
                    malta.network.SearchNeeds(
                        network_pb2.SearchNeedsRequest(origin_region="it-basilicata")
                    ).needs
                )

        deadline = time.monotonic() + 15
        while basilicata_needs_at_malta() < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert basilicata_needs_at_malta() == 2
        second_up = run(
            "network", "up", "--detach", "--network", str(network), "--data-dir", str(data_dir)
        )
        assert second_up.returncode == 1
        assert "already answer" in second_up.stderr
    finally:
        down = run("network", "down", "--data-dir", str(data_dir))
    assert down.returncode == 0, down.stderr
    after = run("network", "status", "--json", "--network", str(network))
    assert after.returncode == 1
    assert {node["status"] for node in json.loads(after.stdout)["nodes"]} == {"down"}
