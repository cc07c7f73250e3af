"""An SME's data rights in the console, for the cluster manager: the export from the SME's
page, the erasure asking for a reason and the SME's name typed back, the erasures page with
the report; a facilitator reaches none of it."""

from __future__ import annotations

import html
import json
import re

from tests.support.api import Caller
from tests.support.identity import Identity, RunningGateway
from tests.support.web_session import Page, sign_in

REGION = "it-basilicata"


def _token(page: Page) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page carries its form token"
    return found.group(1)


def test_a_cluster_manager_exports_and_erases_an_sme(
    identity: Identity, gateway: RunningGateway
) -> None:
    facilitator = Caller(identity, gateway.url, f"facilitator.{REGION}")
    organisation_id = facilitator.organisation()
    name = str(facilitator.ok("GET", f"/organisations/{organisation_id}")["legal_name"])
    manager = sign_in(gateway, f"cluster-manager.{REGION}")
    page = manager.open(f"{gateway.url}/console/smes/{organisation_id}")
    assert f"/console/smes/{organisation_id}/data-export.json" in page.text
    exported = manager.open(f"{gateway.url}/console/smes/{organisation_id}/data-export.json")
    assert exported.status == 200
    assert json.loads(exported.text)["organisation"]["id"] == organisation_id

    url = f"{gateway.url}/console/smes/{organisation_id}/erasure"
    form = manager.open(url)
    assert form.status == 200
    reason = "the SME's request of 2 December 2026"
    refused = manager.open(
        url, {"csrf_token": _token(form), "reason": reason, "confirm_name": "not the name"}
    )
    assert refused.status == 400
    assert 'id="confirm_name-error"' in refused.text
    assert facilitator.call("GET", f"/organisations/{organisation_id}").status_code == 200

    done = manager.open(
        url, {"csrf_token": _token(refused), "reason": reason, "confirm_name": name}
    )
    assert done.status == 200
    assert done.url.endswith("/console/erasures")
    assert reason in html.unescape(done.text)
    assert facilitator.call("GET", f"/organisations/{organisation_id}").status_code == 404

    staff = sign_in(gateway, f"facilitator.{REGION}")
    assert staff.open(f"{gateway.url}/console/erasures").status == 403
    assert staff.open(url).status == 403
