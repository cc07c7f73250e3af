"""Referral operations through the gateway × every caller. A referral joins two regions, so
both regions' people may see it; each move belongs to one side, and within a side to certain
roles; an expert sees only the referrals of their own offers.

Each operation is tried on a referral in the state where it is legal. A recorded consent is
not such a state to wait in: the two regions then exchange the contacts on their own, and
the referral moves on to DISCLOSED within a second or so."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pytest

from tests.support.api import Caller, wait_until
from tests.support.identity import Identity, RunningGateway

OWN, OTHER = "it-basilicata", "gr-attica"  # the SME's region, the expert's region

CALLERS = {
    "facilitator, SME's region": f"facilitator.{OWN}",
    "cluster manager, SME's region": f"cluster-manager.{OWN}",
    "expert, SME's region": f"expert.{OWN}",
    "facilitator, expert's region": f"facilitator.{OTHER}",
    "cluster manager, expert's region": f"cluster-manager.{OTHER}",
    "expert, expert's region": f"expert.{OTHER}",
    "network coordinator": "network-coordinator",
}
ORDER = list(CALLERS)


def row(*statuses: int) -> dict[str, int]:
    return dict(zip(ORDER, statuses, strict=True))


#: operation -> (state the referral is in, method, path after /referrals/{id}, body, statuses)
EXPECTED: dict[str, tuple[str, str, str, dict[str, object] | None, dict[str, int]]] = {
    "getReferral": ("PROPOSED", "GET", "", None, row(200, 200, 404, 200, 200, 200, 403)),
    "acceptReferral": ("PROPOSED", "POST", "/accept", {}, row(409, 409, 404, 403, 200, 200, 403)),
    "declineReferral": (
        "PROPOSED",
        "POST",
        "/decline",
        {},
        row(409, 409, 404, 403, 200, 200, 403),
    ),
    "recordReferralConsent": (
        "ACCEPTED",
        "POST",
        "/consent",
        {},
        row(200, 200, 404, 403, 409, 409, 403),
    ),
    "engageReferral": (
        "DISCLOSED",
        "POST",
        "/engage",
        {},
        row(409, 409, 404, 403, 200, 200, 403),
    ),
    "completeReferral": (
        "ENGAGED",
        "POST",
        "/complete",
        {
            "outcome": "REFERRAL_OUTCOME_AGREEMENT_SIGNED",
            "hours_delivered": 8,
            "support_delivered": "SERVICE_TYPE_CONSULTING",
        },
        row(409, 409, 404, 403, 200, 200, 403),
    ),
    "withdrawReferral": (
        "PROPOSED",
        "POST",
        "/withdraw",
        {},
        row(200, 200, 404, 403, 200, 200, 403),
    ),
}


#: state -> who moves the referral there, and with which move. After the consent the regions
#: exchange the contacts on their own, which discloses the referral.
STEPS: dict[str, tuple[str, str]] = {
    "ACCEPTED": ("expert", "accept"),
    "DISCLOSED": ("manager", "consent"),
    "ENGAGED": ("expert", "engage"),
}
JOURNEY = ["PROPOSED", *STEPS]


@dataclass
class Parties:
    manager: Caller  # the SME's region
    expert: Caller  # the expert's region, owner of the offer
    need_id: str
    offer_id: str

    def referral(self, state: str) -> str:
        """A new referral brought to `state`, as both regions see it."""
        referral_id = str(
            self.manager.ok(
                "POST", "/referrals", {"need_id": self.need_id, "offer_id": self.offer_id}
            )["id"]
        )
        self._both_see(referral_id, "PROPOSED")
        for target, (caller, step) in STEPS.items():
            if JOURNEY.index(state) < JOURNEY.index(target):
                break
            getattr(self, caller).ok("POST", f"/referrals/{referral_id}/{step}", {})
            self._both_see(referral_id, target)
        return referral_id

    def _both_see(self, referral_id: str, state: str) -> None:
        for caller in (self.manager, self.expert):
            wait_until(partial(_in_state, caller, referral_id, state), what=state.lower())


def _in_state(caller: Caller, referral_id: str, state: str) -> bool:
    response = caller.call("GET", f"/referrals/{referral_id}")
    return response.status_code == 200 and response.json()["state"] == f"REFERRAL_STATE_{state}"


def _in_catalogue(caller: Caller, offer_id: str) -> bool:
    offers = caller.ok("GET", "/network/expert-offers")["offers"]
    return offer_id in {item["offer_id"] for item in offers}


@pytest.fixture(scope="module")
def parties(identity: Identity, gateway: RunningGateway) -> Parties:
    manager = Caller(identity, gateway.url, f"cluster-manager.{OWN}")
    expert = Caller(identity, gateway.url, f"expert.{OTHER}")
    need_id = manager.need("PUBLISHED")
    offer_id = expert.offer(published=True)
    wait_until(partial(_in_catalogue, manager, offer_id), what="the offer in the catalogue")
    return Parties(manager, expert, need_id, offer_id)


@pytest.mark.parametrize("caller_name", ORDER)
@pytest.mark.parametrize("operation", sorted(EXPECTED))
def test_referral_move(
    operation: str,
    caller_name: str,
    parties: Parties,
    identity: Identity,
    gateway: RunningGateway,
) -> None:
    state, method, suffix, body, statuses = EXPECTED[operation]
    referral_id = parties.referral(state)
    caller = Caller(identity, gateway.url, CALLERS[caller_name])
    response = caller.call(method, f"/referrals/{referral_id}{suffix}", body)
    assert response.status_code == statuses[caller_name], (
        f"{caller_name} {operation}: {response.status_code} (expected "
        f"{statuses[caller_name]}) {response.text[:300]}"
    )


@pytest.mark.parametrize(
    ("caller_name", "status"),
    list(row(201, 201, 403, 403, 201, 201, 403).items()),
)
def test_who_may_propose(
    caller_name: str, status: int, parties: Parties, identity: Identity, gateway: RunningGateway
) -> None:
    """The SME's staff propose from the need; the expert (or a manager) from the offer."""
    caller = Caller(identity, gateway.url, CALLERS[caller_name])
    response = caller.call(
        "POST", "/referrals", {"need_id": parties.need_id, "offer_id": parties.offer_id}
    )
    assert response.status_code == status, response.text[:300]
    if status == 201:
        own_side = "REFERRAL_SIDE_NEED" if OWN in CALLERS[caller_name] else "REFERRAL_SIDE_OFFER"
        assert response.json()["own_side"] == own_side


def test_an_expert_lists_only_their_offers_referrals(
    parties: Parties, identity: Identity, gateway: RunningGateway
) -> None:
    referral_id = parties.referral("PROPOSED")
    mine = parties.expert.ok("GET", "/referrals?page_size=500")["referrals"]
    assert referral_id in {item["id"] for item in mine}
    stranger = Caller(identity, gateway.url, f"expert.{OWN}")
    assert stranger.ok("GET", "/referrals")["referrals"] == []
    staff = Caller(identity, gateway.url, f"facilitator.{OTHER}")
    assert referral_id in {
        item["id"] for item in staff.ok("GET", "/referrals?page_size=500")["referrals"]
    }


@pytest.mark.parametrize(
    ("caller_name", "status"), list(row(200, 200, 403, 200, 200, 403, 403).items())
)
def test_who_reads_the_referral_figures(
    caller_name: str, status: int, parties: Parties, identity: Identity, gateway: RunningGateway
) -> None:
    caller = Caller(identity, gateway.url, CALLERS[caller_name])
    response = caller.call("GET", "/referral-kpis")
    assert response.status_code == status, response.text[:300]
    if status == 200:
        assert {"by_state", "answered", "acceptance_rate"} <= set(response.json())


def test_the_network_figures_count_each_referral_once(
    parties: Parties, identity: Identity, gateway: RunningGateway
) -> None:
    """Coordinators see the network's figures: each node's share added up, so a referral
    between two regions counts once; regions without a running node are listed as missing."""
    coordinator = Caller(identity, gateway.url, "network-coordinator")
    before = coordinator.ok("GET", "/network/referral-kpis")
    referral_id = parties.referral("ACCEPTED")
    after = coordinator.ok("GET", "/network/referral-kpis")
    assert sum(after["by_state"].values()) == sum(before["by_state"].values()) + 1
    assert after["answered"] == before["answered"] + 1
    assert after["accepted"] == before["accepted"] + 1
    assert set(after["regions"]) == {OWN, OTHER}
    assert "mt-isla" in after["missing_regions"]
    assert referral_id not in str(after)  # figures only
    facilitator = Caller(identity, gateway.url, f"facilitator.{OWN}")
    assert facilitator.call("GET", "/network/referral-kpis").status_code == 403
    manager = Caller(identity, gateway.url, f"cluster-manager.{OTHER}")
    assert manager.call("GET", "/network/referral-kpis").status_code == 200
