"""Which roles may call which RPC of a node: the network's access rules, in one place.

The node enforces them on every call; the gateway checks them early and lists them in its
OpenAPI document. Records of a region are its staff's; offers are their experts'; the
network catalogue (anonymised) is open to every role of every region.
"""

from __future__ import annotations

from twoins.common.realm_config import (
    CLUSTER_MANAGER,
    EXPERT,
    FACILITATOR,
    NETWORK_COORDINATOR,
    NODE,
)

REGIONAL_STAFF = frozenset({FACILITATOR, CLUSTER_MANAGER})

#: The roles that may call each service.
SERVICE_ROLES: dict[str, frozenset[str]] = {
    "twoins.v1.OrganisationService": REGIONAL_STAFF,
    "twoins.v1.AssessmentService": REGIONAL_STAFF,
    "twoins.v1.BusinessPlanService": REGIONAL_STAFF,
    "twoins.v1.NeedService": REGIONAL_STAFF,
    "twoins.v1.ExpertOfferService": frozenset({EXPERT, CLUSTER_MANAGER}),
    # 2InSNet's knowledge: written by experts (each their own) and cluster managers.
    "twoins.v1.KnowledgeService": frozenset({EXPERT, CLUSTER_MANAGER}),
    # Each move is further checked against the referral's side: the SME's region acts through
    # its staff, the expert's region through the offer's expert or a cluster manager.
    "twoins.v1.ReferralService": frozenset({FACILITATOR, CLUSTER_MANAGER, EXPERT}),
    # Node to node only: the caller must be the other region of the referral.
    "twoins.v1.DisclosureService": frozenset({NODE}),
    # Each person's own settings and saved searches; the region's mails are narrower.
    "twoins.v1.NotificationService": frozenset({FACILITATOR, CLUSTER_MANAGER, EXPERT}),
    "twoins.v1.NetworkService": frozenset(
        {FACILITATOR, CLUSTER_MANAGER, EXPERT, NETWORK_COORDINATOR, NODE}
    ),
}

#: Methods narrower than their service: what leaves the region is the cluster manager's call.
METHOD_ROLES: dict[str, frozenset[str]] = {
    "twoins.v1.NeedService/PublishNeed": frozenset({CLUSTER_MANAGER}),
    "twoins.v1.NeedService/ReturnNeed": frozenset({CLUSTER_MANAGER}),
    # An SME's data rights: its export and its erasure are the cluster manager's.
    "twoins.v1.OrganisationService/ExportOrganisationData": frozenset({CLUSTER_MANAGER}),
    "twoins.v1.OrganisationService/EraseOrganisation": frozenset({CLUSTER_MANAGER}),
    "twoins.v1.OrganisationService/ListErasures": frozenset({CLUSTER_MANAGER}),
    # Who was mailed what, and what failed: the cluster manager follows the region's mail.
    "twoins.v1.NotificationService/ListMails": frozenset({CLUSTER_MANAGER}),
    # The SME's consent is its region's staff's to record and to withdraw.
    "twoins.v1.ReferralService/WithdrawReferralConsent": frozenset({FACILITATOR, CLUSTER_MANAGER}),
    # A region's staff read its figures; coordinators (and any region's staff) read each
    # node's network share, which the gateway adds up.
    "twoins.v1.ReferralService/GetReferralKpis": frozenset(
        {FACILITATOR, CLUSTER_MANAGER, NETWORK_COORDINATOR}
    ),
}

#: Services that serve the network's anonymised catalogue, the same on every node: callers of
#: any region (and coordinators, who have none) may use them.
NETWORK_WIDE_SERVICES = frozenset({"twoins.v1.NetworkService", "twoins.v1.DisclosureService"})


#: Methods of other services open to callers of any region (the servicer narrows them).
NETWORK_WIDE_METHODS = frozenset({"twoins.v1.ReferralService/GetReferralKpis"})


#: Methods called without a sign-in: the request carries its own credential (the signed token
#: of an unsubscribe link), which the servicer checks.
OPEN_METHODS = frozenset({"twoins.v1.NotificationService/Unsubscribe"})


def allowed_roles(method: str) -> frozenset[str]:
    """The roles that may call `method` ("/twoins.v1.NeedService/PublishNeed"); none if unknown."""
    name = method.strip("/")
    if name in METHOD_ROLES:
        return METHOD_ROLES[name]
    return SERVICE_ROLES.get(name.split("/", 1)[0], frozenset())
