"""A need held for review, in the console: the preview highlights what was withheld, the
publish button says plainly that the need stays in review, and the cluster manager's override
asks for a reason, publishes, and leaves the decision in the region's audit log."""

from __future__ import annotations

import html
import re

import pytest

from tests.support.api import Caller, need_body
from tests.support.identity import Identity, RunningGateway
from tests.support.web_session import Browser, Page, sign_in
from twoins.node.server import NodeServer
from twoins.node.store.audit import AuditLog

REGION = "it-basilicata"
# A reference number the scrubber's rules leave, the last look withholds: held for review.
DESCRIPTION = (
    "Cerchiamo un distributore in Germania; per i dettagli citare la pratica n° "
    "4471-8823-9012-55 al primo contatto."
)


def _token(page: Page) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page carries its form token"
    return found.group(1)


def _notices(page: Page) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", notice))
        for notice in re.findall(r'class="notice error"[^>]*>(.*?)</p>', page.text, re.S)
    ]


def test_a_held_need_is_said_to_be_held_and_published_only_with_a_reason(
    identity: Identity, gateway: RunningGateway, secured_nodes: dict[str, NodeServer]
) -> None:
    facilitator = Caller(identity, gateway.url, f"facilitator.{REGION}")
    body = need_body(facilitator.organisation())
    body["description"] = DESCRIPTION
    need_id = str(facilitator.ok("POST", "/needs", body)["id"])
    facilitator.ok("POST", f"/needs/{need_id}/submit", {})
    manager: Browser = sign_in(gateway, f"cluster-manager.{REGION}")
    url = f"{gateway.url}/console/needs/{need_id}"

    # In English (the manager's profile would say Italian): the notices are read below.
    manager.open(
        f"{gateway.url}/console/language",
        {"csrf_token": _token(manager.open(url)), "language": "en", "next": "/"},
    )
    page = manager.open(url)
    # The preview marks the withheld place, and the override form is there.
    assert '<mark class="withheld"' in page.text
    assert "4471" not in page.text.split('id="anonymised"', 1)[1]
    assert 'id="override"' in page.text

    # Publishing says it is held; it does not claim "Published".
    done = manager.open(f"{url}/publish", {"csrf_token": _token(page)})
    assert done.status == 200
    assert any("Not published" in notice for notice in _notices(done)), _notices(done)
    assert "now in the network catalogue" not in done.text
    assert 'id="held"' in done.text  # the page says plainly it is still in review

    # The override without a reason is refused, and nothing is published.
    refused = manager.open(f"{url}/publish", {"csrf_token": _token(done), "override": "1"})
    assert any("Say why" in notice for notice in _notices(refused)), _notices(refused)
    assert facilitator.ok("GET", f"/needs/{need_id}")["state"] == "NEED_STATE_IN_REVIEW"

    reason = "the reference is the public number of a call for tenders"
    published = manager.open(
        f"{url}/publish",
        {"csrf_token": _token(refused), "override": "1", "override_reason": reason},
    )
    assert "Published by your decision" in published.text
    read = facilitator.ok("GET", f"/needs/{need_id}")
    assert read["state"] == "NEED_STATE_PUBLISHED"
    assert reason in read["state_reason"]

    with secured_nodes[REGION].database.reading() as session:
        log = AuditLog(session)
        assert log.verify()[1] is None
        entries = [entry for entry in log.entries() if entry.referral_id == need_id]
    assert [(entry.kind, entry.counterpart) for entry in entries] == [
        ("publication.override", "network")
    ]
    assert reason in entries[0].note
    assert entries[0].actor  # the cluster manager's identity subject
    assert not entries[0].actor.startswith("node:")


def test_a_need_the_anonymiser_fails_on_shows_why_and_stays_in_review(
    identity: Identity,
    gateway: RunningGateway,
    secured_nodes: dict[str, NodeServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    facilitator = Caller(identity, gateway.url, f"facilitator.{REGION}")
    need_id = str(facilitator.ok("POST", "/needs", need_body(facilitator.organisation()))["id"])
    facilitator.ok("POST", f"/needs/{need_id}/submit", {})

    def broken(*_arguments: object, **_options: object) -> None:
        raise RecursionError("a text the rules could not take")

    monkeypatch.setattr("twoins.node.api.needs.anonymise_need", broken)
    manager: Browser = sign_in(gateway, f"cluster-manager.{REGION}")
    url = f"{gateway.url}/console/needs/{need_id}"
    page = manager.open(url)
    assert page.status == 200  # the need's page, not an error page
    assert 'id="preview-problem"' in page.text
    assert 'id="anonymised"' not in page.text
    done = manager.open(f"{url}/publish", {"csrf_token": _token(page)})
    assert done.status == 200
    assert 'id="held"' in done.text
    assert facilitator.ok("GET", f"/needs/{need_id}")["state"] == "NEED_STATE_IN_REVIEW"
