"""Every API operation × every caller: each role in the records' own region, each role in
another region, and the network coordinator. No one reads or changes another region's records
(they are not found there), and no role exceeds its rights (403)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest

from tests.support.api import (
    Caller,
    assessment_body,
    knowledge_body,
    need_body,
    offer_body,
    organisation_body,
    plan_body,
    wait_until,
)
from tests.support.identity import Identity, RunningGateway
from twoins.gateway.operations import OPERATIONS, Operation

OWN, OTHER = "it-basilicata", "gr-attica"

#: caller name -> (username, role, where the caller belongs relative to the records)
CALLERS = {
    "facilitator, own region": (f"facilitator.{OWN}", "facilitator", "own"),
    "cluster manager, own region": (f"cluster-manager.{OWN}", "cluster-manager", "own"),
    "expert, own region": (f"expert.{OWN}", "expert", "own"),
    "facilitator, other region": (f"facilitator.{OTHER}", "facilitator", "other"),
    "cluster manager, other region": (f"cluster-manager.{OTHER}", "cluster-manager", "other"),
    "expert, other region": (f"expert.{OTHER}", "expert", "other"),
    "network coordinator": ("network-coordinator", "network-coordinator", "network"),
}


@dataclass
class Owners:
    """Who creates the records each case works on: the records' own region."""

    manager: Caller
    expert: Caller
    published_need: str
    published_offer: str


Recipe = Callable[[Owners], tuple[str, dict[str, object] | None]]


def _plan_update(manager: Caller) -> tuple[str, dict[str, object]]:
    plan = manager.ok("POST", "/business-plans", plan_body(manager.organisation()))
    changed = {
        key: value for key, value in plan.items() if key in ("organisation_id", "sections")
    } | {"title": "Growth in the Nordic market"}
    return f"/business-plans/{plan['id']}", {"business_plan": changed, "base_revision": 1}


RECIPES: dict[str, Recipe] = {
    "listOrganisations": lambda o: ("/organisations", None),
    "createOrganisation": lambda o: ("/organisations", organisation_body()),
    "getOrganisation": lambda o: (f"/organisations/{o.manager.organisation()}", None),
    "updateOrganisation": lambda o: (
        f"/organisations/{o.manager.organisation()}",
        {"website": "https://new.example"},
    ),
    "deleteOrganisation": lambda o: (f"/organisations/{o.manager.organisation()}", None),
    "exportOrganisationData": lambda o: (
        f"/organisations/{o.manager.organisation()}/data-export",
        None,
    ),
    "eraseOrganisation": lambda o: (
        f"/organisations/{o.manager.organisation()}/erasure",
        {"reason": "the SME's request"},
    ),
    "listErasures": lambda o: ("/erasures", None),
    "listAssessments": lambda o: (
        f"/assessments?organisation_id={o.manager.organisation()}",
        None,
    ),
    "createAssessment": lambda o: ("/assessments", assessment_body(o.manager.organisation())),
    "getAssessment": lambda o: (f"/assessments/{o.manager.assessment()}", None),
    "listBusinessPlans": lambda o: (
        f"/business-plans?organisation_id={o.manager.organisation()}",
        None,
    ),
    "createBusinessPlan": lambda o: ("/business-plans", plan_body(o.manager.organisation())),
    "getBusinessPlan": lambda o: (f"/business-plans/{o.manager.plan()}", None),
    "updateBusinessPlan": lambda o: _plan_update(o.manager),
    "listBusinessPlanRevisions": lambda o: (f"/business-plans/{o.manager.plan()}/revisions", None),
    "exportBusinessPlan": lambda o: (f"/business-plans/{o.manager.plan()}/export", None),
    "listNeeds": lambda o: ("/needs", None),
    "createNeed": lambda o: ("/needs", need_body(o.manager.organisation())),
    "getNeed": lambda o: (f"/needs/{o.manager.need()}", None),
    "updateNeed": lambda o: (f"/needs/{o.manager.need()}", {"title": "Distributor in Austria"}),
    "submitNeed": lambda o: (f"/needs/{o.manager.need()}/submit", {}),
    "returnNeed": lambda o: (
        f"/needs/{o.manager.need('IN_REVIEW')}/return",
        {"reason": "name the target market"},
    ),
    "publishNeed": lambda o: (f"/needs/{o.manager.need('IN_REVIEW')}/publish", {}),
    "previewNeedPublication": lambda o: (
        f"/needs/{o.manager.need('IN_REVIEW')}/publication-preview",
        {},
    ),
    "matchNeed": lambda o: (f"/needs/{o.manager.need('PUBLISHED')}/match", {}),
    "closeNeed": lambda o: (f"/needs/{o.manager.need('MATCHED')}/close", {}),
    "withdrawNeed": lambda o: (f"/needs/{o.manager.need()}/withdraw", {}),
    "listExpertOffers": lambda o: ("/expert-offers", None),
    "createExpertOffer": lambda o: ("/expert-offers", offer_body()),
    "getExpertOffer": lambda o: (f"/expert-offers/{o.expert.offer()}", None),
    "updateExpertOffer": lambda o: (
        f"/expert-offers/{o.expert.offer()}",
        {"capacity_hours_per_month": 12},
    ),
    "publishExpertOffer": lambda o: (f"/expert-offers/{o.expert.offer()}/publish", {}),
    "withdrawExpertOffer": lambda o: (f"/expert-offers/{o.expert.offer()}/withdraw", {}),
    "searchNeeds": lambda o: ("/network/needs", None),
    "searchExpertOffers": lambda o: ("/network/expert-offers", None),
    "matchExpertOffers": lambda o: (f"/network/needs/{o.published_need}/matches", None),
    "matchNeeds": lambda o: (f"/network/expert-offers/{o.published_offer}/matches", None),
    "listKnowledgeItems": lambda o: ("/knowledge-items", None),
    "createKnowledgeItem": lambda o: ("/knowledge-items", knowledge_body()),
    "getKnowledgeItem": lambda o: (f"/knowledge-items/{o.expert.knowledge_item()}", None),
    "publishKnowledgeItem": lambda o: (
        f"/knowledge-items/{o.expert.knowledge_item()}/publish",
        {},
    ),
    "withdrawKnowledgeItem": lambda o: (
        f"/knowledge-items/{o.expert.knowledge_item()}/withdraw",
        {},
    ),
    "searchKnowledgeItems": lambda o: ("/network/knowledge-items", None),
    "getNotificationSettings": lambda o: ("/notification-settings", None),
    "updateNotificationSettings": lambda o: (
        "/notification-settings",
        {"enabled": True, "language": "en"},
    ),
    "createSavedSearch": lambda o: (
        "/saved-searches",
        {"target": "SAVED_SEARCH_TARGET_NEEDS", "query": "wine export"},
    ),
    "listSavedSearches": lambda o: ("/saved-searches", None),
    "deleteSavedSearch": lambda o: (f"/saved-searches/{o.manager.saved_search()}", None),
    "listMails": lambda o: ("/mails", None),
    "unsubscribe": lambda o: ("/unsubscribe", {"token": f"{OWN}.e30.not-a-signature"}),
}

#: A person's own records: anybody else, of any region, finds nothing there.
PERSONAL = {"deleteSavedSearch"}

#: Operations whose request names a record of the region (in the path or the body).
NAMES_A_RECORD = {
    operation.operation_id
    for operation in OPERATIONS
    if "{id}" in operation.path
    or operation.operation_id
    in {
        "listAssessments",
        "listBusinessPlans",
        "createAssessment",
        "createBusinessPlan",
        "createNeed",
    }
}


def expected_status(operation: Operation, role: str, where: str) -> int:
    if role not in operation.roles:
        return 403
    if operation.network_wide:
        return 200
    if operation.operation_id in PERSONAL and (role, where) != ("cluster-manager", "own"):
        return 404
    if operation.operation_id == "unsubscribe":
        return 400  # the link's token is the credential, and this one is forged
    if where == "other" and operation.operation_id in NAMES_A_RECORD:
        return 404
    return operation.status


def _in_catalogue(viewer: Caller, need_id: str, offer_id: str) -> bool:
    needs = {item["need_id"] for item in viewer.ok("GET", "/network/needs")["needs"]}
    offers = {item["offer_id"] for item in viewer.ok("GET", "/network/expert-offers")["offers"]}
    return need_id in needs and offer_id in offers


@pytest.fixture(scope="module")
def owners(identity: Identity, gateway: RunningGateway) -> Owners:
    manager = Caller(identity, gateway.url, f"cluster-manager.{OWN}")
    expert = Caller(identity, gateway.url, f"expert.{OWN}")
    published_need = manager.need("PUBLISHED")
    published_offer = expert.offer(published=True)
    for region in (OWN, OTHER):
        viewer = Caller(identity, gateway.url, f"facilitator.{region}")
        wait_until(
            partial(_in_catalogue, viewer, published_need, published_offer),
            what=f"the published need and offer in {region}'s catalogue",
        )
    return Owners(manager, expert, published_need, published_offer)


#: Referrals join two regions: their access is tested side by side in test_referral_access.
MATRIX_OPERATIONS = tuple(operation for operation in OPERATIONS if operation.tag != "Referrals")


def test_every_operation_has_a_recipe() -> None:
    assert set(RECIPES) == {operation.operation_id for operation in MATRIX_OPERATIONS}


@pytest.mark.parametrize("caller_name", sorted(CALLERS))
@pytest.mark.parametrize(
    "operation", MATRIX_OPERATIONS, ids=lambda operation: operation.operation_id
)
def test_access(
    operation: Operation,
    caller_name: str,
    owners: Owners,
    identity: Identity,
    gateway: RunningGateway,
) -> None:
    username, role, where = CALLERS[caller_name]
    caller = Caller(identity, gateway.url, username)
    path, body = RECIPES[operation.operation_id](owners)
    response = caller.call(operation.http_method, path, body)
    expected = expected_status(operation, role, where)
    assert response.status_code == expected, (
        f"{caller_name} {operation.http_method} {path}: {response.status_code} "
        f"(expected {expected}) {response.text[:300]}"
    )
    if where == "other" and response.status_code == 200 and not operation.network_wide:
        # A list in another region shows that region's records only.
        for values in response.json().values():
            if isinstance(values, list):
                assert all(item.get("region") != OWN for item in values), response.text


def test_an_expert_does_not_see_an_offer_a_manager_made(
    identity: Identity, gateway: RunningGateway
) -> None:
    manager = Caller(identity, gateway.url, f"cluster-manager.{OWN}")
    expert = Caller(identity, gateway.url, f"expert.{OWN}")
    offer_id = manager.offer()
    assert expert.call("GET", f"/expert-offers/{offer_id}").status_code == 404
    assert expert.call("POST", f"/expert-offers/{offer_id}/withdraw", {}).status_code == 404
    assert offer_id not in {
        item["id"] for item in expert.ok("GET", "/expert-offers")["expert_offers"]
    }
    assert manager.call("GET", f"/expert-offers/{offer_id}").status_code == 200


def test_the_region_in_a_body_is_ignored(identity: Identity, gateway: RunningGateway) -> None:
    """A region named in the body is output only: refused, never trusted."""
    facilitator = Caller(identity, gateway.url, f"facilitator.{OTHER}")
    body = organisation_body() | {"region": OWN}
    response = facilitator.call("POST", "/organisations", body)
    assert response.status_code == 422
    assert "region" in response.text
