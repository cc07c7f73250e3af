"""The gateway killed with SIGKILL (master and workers) in the middle of a stream of creates,
then started again: a client that retries with the same Idempotency-Key until it gets an
answer ends with each of its records created exactly once. Figures are printed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

from tests.support.api import organisation_body
from tests.support.identity import Identity
from tests.support.postgres import free_port
from twoins.node.server import NodeServer

REGION = "it-basilicata"
CREATES = 40


def _start(identity: Identity, node: NodeServer, port: int, log: Path) -> subprocess.Popen[bytes]:
    environment = {
        **{key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"},
        "TWOINS_GATEWAY_PUBLIC_URL": f"http://localhost:{port}",
        "TWOINS_GATEWAY_SECRET_KEY": "test-secret-key-of-at-least-32-characters",
        "TWOINS_AUTH_ISSUER": identity.issuer,
        "TWOINS_AUTH_BACKCHANNEL_URL": identity.realm_url,
        "TWOINS_GATEWAY_NODES": f"{REGION}={node.address}",
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "twoins.cli.main",
                "gateway",
                "serve",
                "--listen",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
            ],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return process
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-2000:]
        time.sleep(0.2)


def test_gateway_killed_mid_stream_creates_each_record_once(
    identity: Identity, secured_nodes: dict[str, NodeServer], tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gateway.log"
    process = _start(identity, secured_nodes[REGION], port, log)
    run = uuid.uuid4().hex[:8]
    names = [f"Kill Test {run} {index:03d} S.r.l." for index in range(CREATES)]
    answered: dict[str, str] = {}
    retries = 0

    def create_all() -> None:
        nonlocal retries
        for name in names:
            key = str(uuid.uuid4())
            body = organisation_body() | {"legal_name": name}
            while True:
                token = identity.access_token(f"facilitator.{REGION}")
                try:
                    response = requests.post(
                        f"{base}/api/v1/organisations",
                        json=body,
                        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
                        timeout=10,
                    )
                except requests.RequestException:
                    retries += 1  # no answer: the same request again, with the same key
                    time.sleep(0.2)
                    continue
                assert response.status_code == 201, response.text
                answered[name] = response.json()["id"]
                break

    writer = threading.Thread(target=create_all)
    try:
        writer.start()
        deadline = time.monotonic() + 60
        while len(answered) < CREATES // 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)  # the master and its workers, mid-stream
        process.wait(10)
        killed_at = len(answered)
        restarted = time.monotonic()
        process = _start(identity, secured_nodes[REGION], port, log)
        recovery = time.monotonic() - restarted
        writer.join(120)
        assert len(answered) == CREATES
        token = identity.access_token(f"facilitator.{REGION}")
        listed = requests.get(
            f"{base}/api/v1/organisations",
            params={"query": f"Kill Test {run}", "page_size": "500"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()["organisations"]
        created = [item["legal_name"] for item in listed]
        duplicates = len(created) - len(set(created))
        print(
            f"\ngateway killed after {killed_at} of {CREATES} creates; answering again "
            f"{recovery:.2f} s after the restart; {retries} retries; records {len(set(created))},"
            f" duplicates {duplicates}"
        )
        assert sorted(created) == sorted(names)  # each exactly once
        assert {item["id"] for item in listed} == set(answered.values())
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
