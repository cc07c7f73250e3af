"""Mail in the console: a person's settings and saved searches (saved from the network page),
the region's mails for its cluster manager, and the unsubscribe page that works without a
sign-in and acts only when its button is pressed."""

from __future__ import annotations

import html
import re

from tests.support.identity import Identity, RunningGateway
from tests.support.web_session import Browser, Page, sign_in

REGION = "it-basilicata"


def _token(page: Page) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page carries its form token"
    return found.group(1)


def test_a_person_saves_settings_and_a_search(identity: Identity, gateway: RunningGateway) -> None:
    facilitator = sign_in(gateway, f"facilitator.{REGION}")
    page = facilitator.open(f"{gateway.url}/console/notifications")
    assert page.status == 200
    assert f"facilitator.{REGION}@example.org" in page.text
    saved = facilitator.open(
        f"{gateway.url}/console/notifications",
        {
            "csrf_token": _token(page),
            "enabled": "on",
            "kind-1": "on",
            "kind-4": "on",
            "language": "it",
            "alert_frequency": "2",
        },
    )
    assert saved.status == 200
    assert 'id="kind-1" name="kind-1" checked' in saved.text
    assert 'id="kind-9" name="kind-9" checked' not in saved.text
    refused = facilitator.open(
        f"{gateway.url}/console/notifications",
        {"csrf_token": _token(saved), "language": "xx", "alert_frequency": "1"},
    )
    assert refused.status == 400

    network = facilitator.open(f"{gateway.url}/console/network?kind=needs&q=olive+oil")
    assert "/console/saved-searches" in network.text
    listed = facilitator.open(
        f"{gateway.url}/console/saved-searches",
        {"csrf_token": _token(network), "kind": "needs", "q": "olive oil", "frequency": "2"},
    )
    assert listed.url.endswith("/console/notifications")
    assert "olive oil" in html.unescape(listed.text)
    search_id = re.search(r"/console/saved-searches/([0-9a-f-]{36})/delete", listed.text)
    assert search_id
    emptied = facilitator.open(
        f"{gateway.url}/console/saved-searches/{search_id.group(1)}/delete",
        {"csrf_token": _token(listed)},
    )
    assert search_id.group(1) not in emptied.text


def test_the_manager_sees_the_region_s_mails_and_others_do_not(
    identity: Identity, gateway: RunningGateway
) -> None:
    manager = sign_in(gateway, f"cluster-manager.{REGION}")
    page = manager.open(f"{gateway.url}/console/mails")
    assert page.status == 200
    staff = sign_in(gateway, f"facilitator.{REGION}")
    assert staff.open(f"{gateway.url}/console/mails").status == 403


def test_the_unsubscribe_page_asks_first_and_refuses_a_forged_link(
    gateway: RunningGateway,
) -> None:
    anonymous = Browser()
    token = f"{REGION}.eyJzIjoieCIsImsiOiJORUVEX1JFVFVSTkVEIn0.forged"
    page = anonymous.open(f"{gateway.url}/unsubscribe/{token}")
    assert page.status == 200
    assert f'action="/unsubscribe/{token}"' in page.text
    refused = anonymous.open(f"{gateway.url}/unsubscribe/{token}", {})
    assert refused.status == 400
    assert anonymous.open(f"{gateway.url}/unsubscribe/not-a-token").status == 404
