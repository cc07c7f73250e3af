"""The gateway as people and programs meet it: console sign-in through the real Keycloak
(code + PKCE), sign-out that ends the Keycloak session, bad input that stores nothing, CSRF,
security headers, and the OpenAPI document with its browsable page."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import flask
import pytest
import requests
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from prometheus_client.parser import text_string_to_metric_families

from tests.support.api import Caller, organisation_body
from tests.support.cpus import cpus_of_every_thread
from tests.support.identity import Identity, RunningGateway
from tests.support.postgres import free_port
from tests.support.web_session import Browser, login_form, sign_in
from twoins.common.cpu_affinity import allowed_cpus
from twoins.common.realm_config import CONSOLE_CLIENT, DEMO_PASSWORD
from twoins.gateway.app import create_app
from twoins.gateway.openapi import api_schemas
from twoins.gateway.services import EXTENSION
from twoins.gateway.session import COOKIE_NAME, EncryptedCookieSessionInterface
from twoins.node.server import NodeServer

REGION = "it-basilicata"
FACILITATOR = f"facilitator.{REGION}"


@pytest.fixture
def caller(identity: Identity, gateway: RunningGateway) -> Caller:
    return Caller(identity, gateway.url, FACILITATOR)


def test_console_sign_in_shows_the_users_region_and_smes(gateway: RunningGateway) -> None:
    browser = sign_in(gateway, FACILITATOR, "/console/smes")
    page = browser.open(f"{gateway.url}/console/smes")
    assert page.status == 200
    # The facilitator's Keycloak profile says Italian, so the console speaks Italian.
    assert "PMI di Basilicata" in page.text
    cookie = next(c for c in browser.cookies if c.name == "twoins_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.value
    assert "Giulia" not in cookie.value  # encrypted, not merely signed
    home = browser.open(gateway.url + "/")
    assert "Giulia Rossi" in home.text
    assert 'id="region">Basilicata<' in home.text


def test_sign_out_ends_the_keycloak_session(gateway: RunningGateway) -> None:
    browser = sign_in(gateway, FACILITATOR)
    home = browser.open(gateway.url + "/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert token
    refused = browser.open(f"{gateway.url}/auth/logout", {})
    assert refused.status == 400  # no CSRF token: nothing happens
    assert "Giulia Rossi" in browser.open(gateway.url + "/").text
    out = browser.open(f"{gateway.url}/auth/logout", {"csrf_token": token.group(1)})
    assert out.status == 200
    assert "signed out" in out.text
    # The Keycloak session is gone too: signing in asks for the password again.
    again = browser.open(f"{gateway.url}/auth/login")
    assert 'id="kc-form-login"' in again.text


def _console_with_tokens(
    gateway: RunningGateway, access: str, refresh: str, expires_in: float
) -> FlaskClient:
    client = create_app(gateway.config).test_client()
    with client.session_transaction() as session:
        session["tokens"] = {
            "access": access,
            "refresh": refresh,
            "expires_at": time.time() + expires_in,
        }
    return client


def _console_tokens(gateway: RunningGateway) -> dict[str, Any]:
    """The console client's tokens of a real sign-in, read from its encrypted cookie."""
    browser = sign_in(gateway, FACILITATOR)
    cookie = next(c for c in browser.cookies if c.name == COOKIE_NAME)
    app = create_app(gateway.config)
    with app.test_request_context(headers={"Cookie": f"{COOKIE_NAME}={cookie.value}"}):
        opened = EncryptedCookieSessionInterface().open_session(app, flask.request)
    tokens: dict[str, Any] = opened["tokens"]
    return tokens


def test_a_token_about_to_expire_is_refreshed(gateway: RunningGateway) -> None:
    tokens = _console_tokens(gateway)
    client = _console_with_tokens(gateway, tokens["access"], tokens["refresh"], 5)
    page = client.get("/console/smes")
    assert page.status_code == 200
    with client.session_transaction() as session:
        renewed = session["tokens"]
    assert renewed["access"] != tokens["access"]
    assert renewed["expires_at"] > time.time() + 60


def test_a_refused_refresh_signs_the_user_out(gateway: RunningGateway) -> None:
    tokens = _console_tokens(gateway)
    client = _console_with_tokens(gateway, tokens["access"], "not-a-refresh-token", 5)
    page = client.get("/console/smes")
    assert page.status_code == 302
    assert "/auth/login" in page.headers["Location"]
    with client.session_transaction() as session:
        assert "tokens" not in session


def test_keycloak_refuses_a_console_sign_in_without_pkce(
    identity: Identity, gateway: RunningGateway
) -> None:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": CONSOLE_CLIENT,
            "redirect_uri": f"{gateway.url}/auth/callback",
            "scope": "openid",
            "state": "x",
        }
    )
    response = requests.get(
        f"{identity.realm_url}/protocol/openid-connect/auth?{query}",
        allow_redirects=False,
        timeout=20,
    )
    location = response.headers.get("Location", "")
    assert "error=invalid_request" in location
    assert "code_challenge" in location


def test_callback_with_a_foreign_state_is_refused(gateway: RunningGateway) -> None:
    response = requests.get(
        f"{gateway.url}/auth/callback", params={"state": "forged", "code": "x"}, timeout=20
    )
    assert response.status_code == 400
    assert "sign in again" in response.text


def test_sign_in_never_redirects_away_from_the_site(gateway: RunningGateway) -> None:
    browser = Browser()
    page = browser.open(f"{gateway.url}/auth/login?next=//evil.example/steal")
    done = browser.open(login_form(page), {"username": FACILITATOR, "password": DEMO_PASSWORD})
    assert done.status == 200
    assert urlsplit(done.url).path == "/"
    assert done.url.startswith(gateway.url)


def _count(caller: Caller) -> int:
    return len(caller.ok("GET", "/organisations?page_size=500")["organisations"])


def _raw(caller: Caller, data: bytes | str, content_type: str) -> requests.Response:
    return requests.post(
        f"{caller.base_url}/api/v1/organisations",
        data=data,
        headers={
            "Authorization": f"Bearer {caller.identity.access_token(caller.username)}",
            "Content-Type": content_type,
        },
        timeout=30,
    )


def test_bad_input_gets_a_clear_problem_and_stores_nothing(caller: Caller) -> None:
    before = _count(caller)
    cases = {
        "oversized": (
            _raw(caller, b"{" + b" " * (2 * 1024 * 1024) + b"}", "application/json"),
            413,
        ),
        "wrong content type": (_raw(caller, "legal_name=x", "text/plain"), 415),
        "invalid JSON": (_raw(caller, '{"legal_name": ', "application/json"), 400),
        "not an object": (_raw(caller, "[1, 2]", "application/json"), 422),
        "unknown field": (
            caller.call("POST", "/organisations", organisation_body() | {"x": 1}),
            422,
        ),
        "wrong type": (
            caller.call("POST", "/organisations", organisation_body() | {"employees": "many"}),
            422,
        ),
        "output-only field": (
            caller.call("POST", "/organisations", organisation_body() | {"id": "x"}),
            422,
        ),
        "invalid value": (
            caller.call("POST", "/organisations", organisation_body() | {"nace_code": "99.99"}),
            400,
        ),
    }
    for name, (response, status) in cases.items():
        assert response.status_code == status, (name, response.status_code, response.text[:300])
        assert response.headers["Content-Type"] == "application/problem+json", name
        body = response.json()
        assert body["status"] == status
        assert body["detail"], name
    assert _count(caller) == before
    unknown = cases["unknown field"][0].json()
    assert any(item["message"].startswith("Additional properties") for item in unknown["errors"])
    invalid = cases["invalid value"][0].json()
    assert invalid["errors"][0]["field"].endswith("nace_code")


def test_bad_queries_paths_and_methods_are_problems(caller: Caller) -> None:
    for path, status in (
        ("/organisations?colour=blue", 400),
        ("/needs?states=NEED_STATE_NOPE", 400),
        ("/organisations?page_size=lots", 400),
        ("/no-such-thing", 404),
        ("/organisations/not-a-uuid", 400),
    ):
        response = caller.call("GET", path)
        assert response.status_code == status, (path, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"
    response = caller.call("PUT", "/organisations")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_idempotency_key_makes_a_create_safe_to_retry(caller: Caller) -> None:
    headers = {"Idempotency-Key": "create-colucci-0001"}
    first = caller.call("POST", "/organisations", organisation_body(), headers)
    second = caller.call("POST", "/organisations", organisation_body(), headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert first.headers["Location"].endswith(first.json()["id"])


def test_an_answer_outside_the_schema_is_refused_when_answers_are_checked(
    caller: Caller, gateway: RunningGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests and development networks check every answer against the API's schema
    (`check_responses`); production leaves the check to them."""
    created = caller.ok("POST", "/organisations", organisation_body())
    path = f"/organisations/{created['id']}"
    demanding = Draft202012Validator({"type": "object", "required": ["no_such_field"]})
    monkeypatch.setitem(api_schemas().responses, "getOrganisation", demanding)
    refused = caller.call("GET", path)
    assert refused.status_code == 500
    assert refused.json()["reason"] == "INVALID_RESPONSE"
    app = gateway.server.app
    assert isinstance(app, flask.Flask)
    shared = app.extensions[EXTENSION]
    monkeypatch.setattr(
        shared, "config", gateway.config.model_copy(update={"check_responses": False})
    )
    answered = caller.call("GET", path)
    assert answered.status_code == 200
    assert answered.json()["id"] == created["id"]


@pytest.mark.parametrize("path", ["/", "/api/docs", "/openapi.json", "/api/v1/organisations"])
def test_security_headers(gateway: RunningGateway, path: str) -> None:
    response = requests.get(gateway.url + path, timeout=20)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Request-Id"]


def test_openapi_document_is_valid_and_browsable_offline(gateway: RunningGateway) -> None:
    document = requests.get(f"{gateway.url}/openapi.json", timeout=20).json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/needs/{id}/publish" in document["paths"]
    publish = document["paths"]["/api/v1/needs/{id}/publish"]["post"]
    assert publish["x-roles"] == ["cluster-manager"]
    page = requests.get(f"{gateway.url}/api/docs", timeout=20)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        assert requests.get(gateway.url + source, timeout=20).status_code == 200, source


def test_health_and_readiness(gateway: RunningGateway) -> None:
    assert requests.get(f"{gateway.url}/healthz", timeout=20).json() == {"status": "ok"}
    ready = requests.get(f"{gateway.url}/readyz", timeout=20)
    assert ready.status_code == 200
    body = ready.json()
    assert body["identity_keys"] == "ok"
    assert body["nodes"][REGION] == "SERVING"


def test_gunicorn_workers_share_one_metrics_endpoint(
    identity: Identity, secured_nodes: dict[str, NodeServer], tmp_path: Path
) -> None:
    """Under gunicorn with two workers, /metrics counts every worker's requests."""
    with _gunicorn_gateway(identity, secured_nodes[REGION].address, tmp_path) as (base, _pid):
        headers = {"Authorization": f"Bearer {identity.access_token(FACILITATOR)}"}
        for _ in range(40):
            # A new connection each time, so that the kernel spreads them over the workers.
            assert requests.get(f"{base}/api/v1/organisations", headers=headers, timeout=10).ok
        text = requests.get(f"{base}/metrics", timeout=10).text
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    key = (
        "twoins_http_requests_total",
        (("endpoint", "api.listOrganisations"), ("status", "200")),
    )
    assert samples[key] == 40
    assert any(name == "twoins_http_request_duration_seconds_count" for name, _ in samples)


@contextmanager
def _gunicorn_gateway(
    identity: Identity, node_address: str, tmp_path: Path, *flags: str
) -> Iterator[tuple[str, int]]:
    """`twoins gateway serve` with two workers in front of the node at `node_address`, once it
    answers: its URL and its master's pid."""
    port = free_port()
    environment = {
        **{key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"},
        "TWOINS_GATEWAY_PUBLIC_URL": f"http://localhost:{port}",
        "TWOINS_GATEWAY_SECRET_KEY": "test-secret-key-of-at-least-32-characters",
        "TWOINS_AUTH_ISSUER": identity.issuer,
        "TWOINS_AUTH_BACKCHANNEL_URL": identity.realm_url,
        "TWOINS_GATEWAY_NODES": f"{REGION}={node_address}",
    }
    with (tmp_path / "gateway.log").open("wb") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "twoins.cli.main", "gateway", "serve"),
                *("--listen", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2", *flags),
            ],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or a worker still starting on a busy machine.
                assert time.monotonic() < deadline, (tmp_path / "gateway.log").read_text()
                time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(20)


def _workers_by_cpu(master: int, count: int, timeout: float = 30) -> dict[int, int]:
    """The master's `count` workers by the one CPU each is kept on, once each is."""
    deadline = time.monotonic() + timeout
    while True:
        workers = [
            int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ]
        placed = {pid: cpus_of_every_thread(pid) for pid in workers}
        if len(placed) == count and all(len(cpus) == 1 for cpus in placed.values()):
            return {min(cpus): pid for pid, cpus in placed.items()}
        assert time.monotonic() < deadline, f"workers not each kept on one CPU: {placed}"
        time.sleep(0.2)


@pytest.mark.skipif(
    len(allowed_cpus()) < 2, reason="pinning needs a machine that lets the tests use two CPUs"
)
def test_pinned_gunicorn_workers_each_keep_a_cpu_and_a_new_one_takes_the_cpu_left(
    identity: Identity, secured_nodes: dict[str, NodeServer], tmp_path: Path
) -> None:
    address = secured_nodes[REGION].address
    with _gunicorn_gateway(identity, address, tmp_path, "--pin-cpus") as (base, master):
        cpus = allowed_cpus()
        placed = _workers_by_cpu(master, 2)
        assert sorted(placed) == cpus[:2]
        stopped = placed[cpus[1]]
        os.kill(stopped, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while stopped in _workers_by_cpu(master, 2).values():
            assert time.monotonic() < deadline, "no worker replaced the one that stopped"
            time.sleep(0.2)
        replaced = _workers_by_cpu(master, 2)
        assert replaced[cpus[0]] == placed[cpus[0]]
        assert replaced[cpus[1]] != stopped
        assert requests.get(f"{base}/healthz", timeout=10).ok
    assert "kept on CPU" in (tmp_path / "gateway.log").read_text()
