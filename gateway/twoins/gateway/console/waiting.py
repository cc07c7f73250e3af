"""What waits for the signed-in person on the start page: the referrals that need their
answer or next step, the needs waiting for the cluster manager's review, and the needs the
review returned to the facilitators; each row one click from the page where it is done,
overdue first, then by the nearest deadline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR
from twoins.gateway.console.context import when
from twoins.gateway.console.referrals import available_actions
from twoins.gateway.console.review import region_needs
from twoins.v1 import need_pb2, referral_pb2

#: What a person does next on a referral, by the first action its page offers them.
NEXT_STEP: dict[str, Any] = {
    "accept": _l("Answer the referral"),
    "consent": _l("Record the SME's consent"),
    "engage": _l("Start the work with the SME"),
}


@dataclass(frozen=True)
class Waiting:
    what: Any
    #: The need's title, or the regions a referral is between.
    subject: str
    link: str
    due: datetime | None = None
    overdue: bool = False
    referral: referral_pb2.Referral | None = None

    @property
    def order(self) -> tuple[int, float]:
        return (0 if self.overdue else 1, self.due.timestamp() if self.due else float("inf"))


def waiting_for(principal: Principal, referrals: Sequence[referral_pb2.Referral]) -> list[Waiting]:
    """What waits for the person; `referrals`: their region's (`region_referrals`)."""
    if not principal.region or not principal.has_role(FACILITATOR, CLUSTER_MANAGER, EXPERT):
        return []
    found = _referrals(principal, referrals)
    if principal.has_role(CLUSTER_MANAGER):
        found += _needs(principal, need_pb2.NEED_STATE_IN_REVIEW)
    if principal.has_role(FACILITATOR, CLUSTER_MANAGER):
        found += _needs(principal, need_pb2.NEED_STATE_DRAFT)
    return sorted(found, key=lambda item: item.order)


def _referrals(principal: Principal, referrals: Sequence[referral_pb2.Referral]) -> list[Waiting]:
    staff = principal.has_role(FACILITATOR, CLUSTER_MANAGER)
    found = []
    for referral in referrals:
        steps = [action for action in available_actions(referral, staff) if action in NEXT_STEP]
        if not steps:
            continue
        waiting = referral.state == referral_pb2.REFERRAL_STATE_PROPOSED
        found.append(
            Waiting(
                NEXT_STEP[steps[0]],
                referral.need_title,
                url_for("console.referral", referral_id=referral.id),
                when(referral.answer_due_time) if waiting else None,
                referral.overdue,
                referral,
            )
        )
    return found


def _needs(principal: Principal, state: need_pb2.NeedState) -> list[Waiting]:
    needs = region_needs(principal, state)
    if state == need_pb2.NEED_STATE_IN_REVIEW:
        return [
            Waiting(
                _l("Decide on the held need") if need.held_back else _l("Review the need"),
                need.title,
                url_for("console.need", need_id=need.id),
            )
            for need in needs
        ]
    # A draft with a reason is one the review returned.
    return [
        Waiting(
            _l("Change the returned need"), need.title, url_for("console.need", need_id=need.id)
        )
        for need in needs
        if need.state_reason
    ]
