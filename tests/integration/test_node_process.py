"""`twoins node serve` as operators run it: a separate process, health, reflection, shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from tests.support.node_processes import serve_command
from tests.support.postgres import free_port

TWOINS = [sys.executable, "-m", "twoins.cli.main"]


@pytest.fixture
def served_node(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        serve_command("mt-isla", address, tmp_path / "node.db", "--allow-unauthenticated"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=30)
        yield process, address
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_served_node_reports_serving_and_lists_services(
    served_node: tuple[subprocess.Popen[str], str],
) -> None:
    _process, address = served_node
    with grpc.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="twoins.v1.NeedService"), timeout=5
        )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        responses = list(
            reflection.ServerReflectionInfo(
                iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5
            )
        )
        services = {service.name for service in responses[0].list_services_response.service}
        # The same under grpc.reflection.v1, which current tools (grpcurl) ask first.
        v1 = channel.stream_stream(
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
        )
        v1_responses = list(
            v1(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
        )
        v1_services = {service.name for service in v1_responses[0].list_services_response.service}
        descriptor = list(
            reflection.ServerReflectionInfo(
                iter(
                    [
                        reflection_pb2.ServerReflectionRequest(
                            file_containing_symbol="twoins.v1.NeedService"
                        )
                    ]
                ),
                timeout=5,
            )
        )
    assert {
        "twoins.v1.OrganisationService",
        "twoins.v1.AssessmentService",
        "twoins.v1.BusinessPlanService",
        "twoins.v1.NeedService",
        "twoins.v1.ExpertOfferService",
        "twoins.v1.NetworkService",
        "twoins.v1.KnowledgeService",
        "twoins.v1.ReferralService",
        "twoins.v1.DisclosureService",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    } <= services
    assert v1_services == services
    assert descriptor[0].file_descriptor_response.file_descriptor_proto


def test_sigterm_stops_the_node_gracefully(served_node: tuple[subprocess.Popen[str], str]) -> None:
    process, _address = served_node
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    assert process.wait(timeout=20) == 0
    assert time.monotonic() - started < 15
    _out, err = process.communicate()
    assert "stopping gracefully" in err
    assert "node stopped" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("region: [unclosed", "not valid YAML at line 1"),
        ("- just a list", "expected a mapping at the top level"),
        ("region: mt-isla\nlisten: nowhere", "listen: String should match pattern"),
        ("region: mt-isla\nunknown_key: 1", "unknown_key: Extra inputs are not permitted"),
        ("region: atlantis", "unknown region 'atlantis'"),
    ],
)
def test_corrupt_config_stops_the_node_with_one_line_reason(
    tmp_path: Path, content: str, expected: str
) -> None:
    config = tmp_path / "node.yaml"
    config.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [*TWOINS, "node", "serve", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: configuration error: ")
    assert expected in lines[0]


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    result = subprocess.run(
        [*TWOINS, "node", "serve", "--config", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: configuration error: {missing}: file not found"


def test_unreachable_database_is_reported_at_start(tmp_path: Path) -> None:
    port = free_port()
    result = subprocess.run(
        [
            *TWOINS,
            "node",
            "serve",
            "--region",
            "mt-isla",
            "--listen",
            f"127.0.0.1:{free_port()}",
            "--database",
            f"postgresql://nobody@127.0.0.1:{port}/none",
            "--allow-unauthenticated",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot connect to postgresql+psycopg://nobody@127.0.0.1" in result.stderr


def test_node_without_identity_provider_refuses_to_start(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *TWOINS,
            "node",
            "serve",
            "--region",
            "mt-isla",
            "--listen",
            f"127.0.0.1:{free_port()}",
            "--database",
            f"sqlite:///{tmp_path / 'node.db'}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={key: value for key, value in os.environ.items() if not key.startswith("TWOINS_")},
    )
    assert result.returncode == 1
    assert "no identity provider configured: set auth_issuer" in result.stderr
