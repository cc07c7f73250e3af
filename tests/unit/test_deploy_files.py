"""The deployment files: the compose file and what it mounts are current with
deploy/network.yaml and valid for `docker-compose config`; the Helm charts lint, render with
their example values into manifests valid against Kubernetes' schemas, refuse missing
settings, and keep secrets out of values."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from twoins.cli.compose_file import generated_files
from twoins.common.broker_config import hub_users, leaf_users, password_variable
from twoins.common.network import load_network

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools" / "bin"
CHARTS = {
    "twoins-node": ROOT / "deploy/helm/twoins-node/examples/it-basilicata.yaml",
    "twoins-hub": ROOT / "deploy/helm/twoins-hub/examples/network.yaml",
}
KUBERNETES_VERSION = "1.33"


def _tool(name: str) -> str:
    found = TOOLS / name
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    message = f"{name} is missing: run `make tools` (scripts/install-tools.sh)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_generated_deployment_files_are_current() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generated_files(load_network()).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `python -m twoins.cli.compose_file` and commit: {stale}"


def test_compose_file_holds_no_secret_and_publishes_only_the_front_doors() -> None:
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services: dict[str, Any] = document["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"keycloak", "gateway", "prometheus", "grafana"}
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in ("PASSWORD", "SECRET")):
                assert str(value).startswith("${"), f"{name}: {key} is written in the file"
    regions = load_network().region_ids
    assert {f"node-{region}" for region in regions} <= set(services)
    for region in regions:
        node = services[f"node-{region}"]
        assert set(node["depends_on"]) >= {f"postgres-{region}", f"nats-leaf-{region}"}
        assert node["environment"]["TWOINS_NATS_URL"] == f"nats://nats-leaf-{region}:4222"
        assert node["environment"]["TWOINS_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_each_compose_broker_server_holds_only_its_own_secrets() -> None:
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services: dict[str, Any] = document["services"]
    regions = load_network().region_ids

    def secrets(name: str) -> set[str]:
        return {key for key in services[name]["environment"] if key.endswith("_PASSWORD")}

    assert secrets("nats-hub") == {password_variable(user) for user in hub_users(regions)}
    for region in regions:
        own = {password_variable(user) for user in leaf_users(region)}
        assert secrets(f"nats-leaf-{region}") == own, region


def test_docker_compose_config_accepts_the_file() -> None:
    compose = _tool("docker-compose")
    result = _run(compose, "--env-file", "deploy/compose/dev.env", "config")
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    # Per region a database, a leaf and a node; once the hub, the keys job, the streams job,
    # Keycloak, the monitor, the gateway, Prometheus and Grafana.
    assert len(resolved["services"]) == 9 + 3 * len(load_network().region_ids)
    # Without the secrets, it refuses and names what is missing.
    empty = {key: value for key, value in os.environ.items() if not key.startswith("TWOINS_")}
    missing = subprocess.run(
        [compose, "config", "-q"], cwd=ROOT, capture_output=True, text=True, env=empty
    )
    assert missing.returncode != 0
    assert "deploy/compose/dev.env" in missing.stderr


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_chart_lints_and_renders_valid_manifests(chart: str) -> None:
    helm = _tool("helm")
    path = ROOT / "deploy" / "helm" / chart
    lint = _run(helm, "lint", "--strict", str(path), "-f", str(CHARTS[chart]))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    rendered = _run(helm, "template", "release", str(path), "-f", str(CHARTS[chart]))
    assert rendered.returncode == 0, rendered.stderr
    manifests = [item for item in yaml.safe_load_all(rendered.stdout) if item]
    assert manifests
    for manifest in manifests:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        assert manifest["kind"] != "Secret", "charts take existing Secrets"
    kinds = {manifest["kind"] for manifest in manifests}
    assert "NetworkPolicy" in kinds
    for manifest in manifests:
        if manifest["kind"] not in ("Deployment", "StatefulSet"):
            continue
        for container in manifest["spec"]["template"]["spec"]["containers"]:
            assert container.get("resources", {}).get("requests"), container["name"]
            assert "livenessProbe" in container
            assert "readinessProbe" in container


def test_node_chart_probes_over_grpc_and_takes_secrets_by_reference() -> None:
    helm = _tool("helm")
    rendered = _run(
        helm,
        "template",
        "release",
        "deploy/helm/twoins-node",
        "-f",
        str(CHARTS["twoins-node"]),
    )
    deployment = next(
        item
        for item in yaml.safe_load_all(rendered.stdout)
        if item and item["kind"] == "Deployment"
    )
    node = deployment["spec"]["template"]["spec"]["containers"][0]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert node[probe]["grpc"]["port"] == 50051
    env = {item["name"]: item for item in node["env"]}
    for name in ("TWOINS_DATABASE_URL", "TWOINS_NATS_PASSWORD", "TWOINS_NODE_CLIENT_SECRET"):
        assert "secretKeyRef" in env[name]["valueFrom"]
    assert env["TWOINS_PEERS"]["value"].startswith("fr-marseille=")


@pytest.mark.parametrize(
    ("chart", "override", "message"),
    [
        ("twoins-node", "region=", "/region"),
        ("twoins-node", "region=Not_A_Region", "region"),
        ("twoins-hub", "nats.replicas=2", "replicas"),
        ("twoins-hub", "gateway.publicUrl=", "set gateway.publicUrl"),
    ],
)
def test_chart_refuses_wrong_settings_with_a_reason(
    chart: str, override: str, message: str
) -> None:
    helm = _tool("helm")
    result = _run(
        helm,
        "template",
        "release",
        f"deploy/helm/{chart}",
        "-f",
        str(CHARTS[chart]),
        "--set",
        override,
    )
    assert result.returncode != 0
    assert message in result.stderr
