"""Every way into the console that should fail: no sign-in, the wrong role, another region's
records, a form without its CSRF token, a step the role may not take — each refused with a
page that says why, and nothing stored."""

from __future__ import annotations

import re

import pytest

from tests.support.api import Caller, wait_until
from tests.support.identity import Identity, RunningGateway
from tests.support.web_session import Browser, sign_in

REGION = "it-basilicata"
OTHER = "gr-attica"


@pytest.fixture(scope="module")
def records(identity: Identity, gateway: RunningGateway) -> dict[str, str]:
    facilitator = Caller(identity, gateway.url, f"facilitator.{REGION}")
    expert = Caller(identity, gateway.url, f"expert.{REGION}")
    return {
        "sme": facilitator.organisation(),
        "need": facilitator.need("IN_REVIEW"),
        "offer": expert.offer(),
    }


@pytest.fixture(scope="module")
def people(gateway: RunningGateway) -> dict[str, Browser]:
    return {
        name: sign_in(gateway, name)
        for name in (
            f"facilitator.{REGION}",
            f"expert.{REGION}",
            f"facilitator.{OTHER}",
            f"expert.{OTHER}",
            "network-coordinator",
        )
    }


def test_a_visitor_is_sent_to_sign_in(gateway: RunningGateway) -> None:
    page = Browser().open(f"{gateway.url}/console/needs")
    assert "/protocol/openid-connect/auth" in page.url


@pytest.mark.parametrize(
    ("person", "path"),
    [
        (f"expert.{REGION}", "/console/smes"),
        (f"expert.{REGION}", "/console/needs"),
        (f"facilitator.{REGION}", "/console/review"),
        (f"facilitator.{REGION}", "/console/offers"),
        ("network-coordinator", "/console/smes"),
        ("network-coordinator", "/console/referrals"),
    ],
)
def test_a_role_sees_only_its_pages(
    gateway: RunningGateway, people: dict[str, Browser], person: str, path: str
) -> None:
    page = people[person].open(f"{gateway.url}{path}")
    assert page.status == 403
    assert 'role="alert"' in page.text


@pytest.mark.parametrize(
    ("person", "path"),
    [
        (f"facilitator.{OTHER}", "/console/smes/{sme}"),
        (f"facilitator.{OTHER}", "/console/needs/{need}"),
        (f"facilitator.{OTHER}", "/console/smes/{sme}/needs/new"),
        (f"expert.{OTHER}", "/console/offers/{offer}"),
    ],
)
def test_another_regions_records_are_not_found(
    gateway: RunningGateway,
    people: dict[str, Browser],
    records: dict[str, str],
    person: str,
    path: str,
) -> None:
    page = people[person].open(gateway.url + path.format(**records))
    assert page.status == 404


def test_a_form_without_its_csrf_token_is_refused_and_stores_nothing(
    gateway: RunningGateway, people: dict[str, Browser]
) -> None:
    browser = people[f"facilitator.{REGION}"]
    name = "Forged Form Industries S.r.l."
    page = browser.open(
        f"{gateway.url}/console/smes/new",
        {
            "legal_name": name,
            "nace_code": "25.62",
            "locality": "Matera",
            "country_code": "IT",
            "contact_name": "Anna Bianchi",
            "export_status": "1",
        },
    )
    assert page.status == 400
    listing = browser.open(f"{gateway.url}/console/smes?q=Forged")
    assert name not in listing.text


def test_a_facilitator_cannot_publish_and_is_told_why(
    gateway: RunningGateway, people: dict[str, Browser], records: dict[str, str]
) -> None:
    browser = people[f"facilitator.{REGION}"]
    page = browser.open(f"{gateway.url}/console/needs/{records['need']}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    done = browser.open(
        f"{gateway.url}/console/needs/{records['need']}/publish",
        {"csrf_token": token.group(1)},
    )
    assert done.status == 200
    assert 'class="notice error"' in done.text
    # Still waiting for the cluster manager: it was not published.
    assert f'action="/console/needs/{records["need"]}/publish"' not in done.text
    assert "/submit" not in done.text


def test_the_network_coordinator_reads_the_network_catalogue_and_nothing_more(
    identity: Identity, gateway: RunningGateway, people: dict[str, Browser]
) -> None:
    """The coordinator belongs to no region: the catalogue comes from the lead region's node
    (every node holds the same), read only: no referral to propose, no search to save."""
    expert = Caller(identity, gateway.url, f"expert.{REGION}")
    expert.offer(published=True)
    coordinator = people["network-coordinator"]
    url = f"{gateway.url}/console/network?kind=offers&q=food"

    def offer_listed() -> bool:
        return "Export strategy for food SMEs" in coordinator.open(url).text

    wait_until(offer_listed, what="the offer in the coordinator's catalogue")
    page = coordinator.open(url)
    assert page.status == 200
    assert 'href="/console/network"' in page.text  # in the coordinator's navigation
    assert "/console/referrals/new" not in page.text
    assert "/console/saved-searches" not in page.text
    assert coordinator.open(f"{gateway.url}/console/network?kind=needs").status == 200


def test_an_error_page_speaks_the_readers_language(
    gateway: RunningGateway, people: dict[str, Browser]
) -> None:
    """The web server's own errors (here a page that does not exist) are written in the
    reader's language, not in the server's English."""
    page = people[f"expert.{OTHER}"].open(f"{gateway.url}/console/nowhere")
    assert page.status == 404
    assert "Δεν βρέθηκε" in page.text
    assert "The requested URL" not in page.text


def test_the_network_figures_are_the_coordinators_and_the_cluster_managers(
    gateway: RunningGateway, people: dict[str, Browser]
) -> None:
    page = people["network-coordinator"].open(f"{gateway.url}/console/network-figures")
    assert page.status == 200
    assert 'id="regions"' in page.text
    assert 'id="chart-states"' in page.text
    assert 'id="network-referrals"' in page.text
    # Regions whose node the test does not run are named, not silently left out.
    assert 'role="alert"' in page.text
    assert people[f"expert.{REGION}"].open(f"{gateway.url}/console/network-figures").status == 403
    assert (
        people[f"facilitator.{REGION}"].open(f"{gateway.url}/console/network-figures").status == 403
    )
