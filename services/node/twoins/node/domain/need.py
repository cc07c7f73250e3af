"""Needs of SMEs and their lifecycle: DRAFT → IN_REVIEW → PUBLISHED → MATCHED → CLOSED,
or WITHDRAWN / EXPIRED from any open state."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from twoins.node.domain.codes import CodeLists, canonical_codes
from twoins.node.domain.errors import (
    FieldViolation,
    IllegalTransition,
    InvalidArgument,
    Violations,
)
from twoins.node.domain.notes import Note
from twoins.node.domain.text import clean_list, clean_text, utc_now

#: How far ahead a need may expire.
MAX_VALIDITY = timedelta(days=731)


class NeedType(enum.Enum):
    UNSPECIFIED = 0
    TECHNOLOGY = 1
    BUSINESS_PARTNER = 2
    MARKET_ENTRY = 3
    FINANCING = 4
    RD_PARTNER = 5
    TRAINING = 6
    EXPERT_ADVICE = 7


class NeedState(enum.Enum):
    UNSPECIFIED = 0
    DRAFT = 1
    IN_REVIEW = 2
    PUBLISHED = 3
    MATCHED = 4
    CLOSED = 5
    WITHDRAWN = 6
    EXPIRED = 7

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATES

    @property
    def is_visible_to_network(self) -> bool:
        return self in (NeedState.PUBLISHED, NeedState.MATCHED)


TERMINAL_STATES = frozenset({NeedState.CLOSED, NeedState.WITHDRAWN, NeedState.EXPIRED})
OPEN_STATES = frozenset(NeedState) - TERMINAL_STATES - {NeedState.UNSPECIFIED}


class NeedAction(enum.Enum):
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    MATCH = "match"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


# The lifecycle: for each action, the states it may start from and the state it leads to.
TRANSITIONS: dict[NeedAction, tuple[frozenset[NeedState], NeedState]] = {
    NeedAction.SUBMIT: (frozenset({NeedState.DRAFT}), NeedState.IN_REVIEW),
    NeedAction.RETURN: (frozenset({NeedState.IN_REVIEW}), NeedState.DRAFT),
    NeedAction.PUBLISH: (frozenset({NeedState.IN_REVIEW}), NeedState.PUBLISHED),
    NeedAction.MATCH: (frozenset({NeedState.PUBLISHED}), NeedState.MATCHED),
    NeedAction.CLOSE: (frozenset({NeedState.MATCHED}), NeedState.CLOSED),
    NeedAction.WITHDRAW: (OPEN_STATES, NeedState.WITHDRAWN),
    NeedAction.EXPIRE: (OPEN_STATES, NeedState.EXPIRED),
}

#: Fields that UpdateNeed may change (only while the need is a DRAFT).
UPDATABLE_FIELDS = frozenset(
    {
        "type",
        "title",
        "description",
        "nace_codes",
        "target_countries",
        "languages",
        "keywords",
        "expire_time",
    }
)


@dataclass(frozen=True, slots=True)
class Need:
    id: str
    region: str
    organisation_id: str
    type: NeedType
    title: str
    description: str = ""
    nace_codes: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    expire_time: datetime | None = None
    state: NeedState = NeedState.DRAFT
    state_reason: str = ""
    #: `state_reason` as a code with its values when the node wrote it; None when a person did.
    state_note: Note | None = None
    create_time: datetime = field(default_factory=utc_now)
    update_time: datetime = field(default_factory=utc_now)
    publish_time: datetime | None = None
    held_back: bool = False

    def is_expired_at(self, now: datetime) -> bool:
        return (
            self.state in OPEN_STATES and self.expire_time is not None and self.expire_time <= now
        )


def validate_need(draft: Need, codes: CodeLists, now: datetime) -> Need:
    """The need in canonical form, or InvalidArgument. Fields that only submission requires
    may still be empty here; `check_complete` demands them."""
    violations = Violations()
    path = "need"
    if not draft.organisation_id.strip():
        violations.add(f"{path}.organisation_id", "required")
    if draft.type is NeedType.UNSPECIFIED:
        violations.add(f"{path}.type", "required")
    title = clean_text(
        draft.title, f"{path}.title", violations, required=True, minimum=5, maximum=200
    )
    description = clean_text(draft.description, f"{path}.description", violations, maximum=5000)
    nace_codes = canonical_codes(
        draft.nace_codes, codes.nace, f"{path}.nace_codes", violations, maximum=10
    )
    countries = canonical_codes(
        draft.target_countries, codes.country, f"{path}.target_countries", violations, maximum=30
    )
    languages = canonical_codes(
        draft.languages, codes.language, f"{path}.languages", violations, maximum=10
    )
    keywords = clean_list(
        list(draft.keywords), f"{path}.keywords", violations, maximum=20, item_maximum=50
    )
    if draft.expire_time is not None:
        if draft.expire_time <= now:
            violations.add(f"{path}.expire_time", "must be in the future")
        elif draft.expire_time > now + MAX_VALIDITY:
            violations.add(f"{path}.expire_time", "must be at most two years ahead")
    violations.raise_if_any("the need has invalid fields")
    return replace(
        draft,
        organisation_id=draft.organisation_id.strip(),
        title=title,
        description=description,
        nace_codes=tuple(nace_codes),
        target_countries=tuple(countries),
        languages=tuple(languages),
        keywords=tuple(keywords),
    )


def check_complete(need: Need, now: datetime) -> None:
    """A need goes to review only when the network could act on it."""
    violations = Violations()
    if len(need.description) < 20:
        violations.add("need.description", "describe the need in at least 20 characters")
    if not need.nace_codes:
        violations.add("need.nace_codes", "give at least one sector")
    if not need.target_countries:
        violations.add("need.target_countries", "give at least one target country")
    if need.expire_time is None:
        violations.add("need.expire_time", "required before submission")
    elif need.expire_time <= now:
        violations.add("need.expire_time", "has passed; set a new expiry date")
    violations.raise_if_any("the need is not ready for review")


def transition(
    need: Need, action: NeedAction, now: datetime, reason: str = "", note: Note | None = None
) -> Need:
    """The need after `action`, or IllegalTransition saying which states allow it. `note` is
    `reason` as a code when the node wrote it; a person's reason has none."""
    sources, target = TRANSITIONS[action]
    if need.state not in sources:
        allowed = ", ".join(sorted(state.name for state in sources))
        raise IllegalTransition(
            f"cannot {action.value} a need that is {need.state.name}; "
            f"{action.value} is allowed from {allowed}",
            metadata={"state": need.state.name, "action": action.value},
        )
    if action is NeedAction.RETURN and not reason.strip():
        raise InvalidArgument(
            "say what must change before the need can be published",
            violations=(FieldViolation("reason", "required"),),
        )
    if len(reason) > 1000:
        raise InvalidArgument(
            "the reason is too long",
            violations=(FieldViolation("reason", "must be at most 1000 characters"),),
        )
    if action is NeedAction.SUBMIT:
        check_complete(need, now)
    if action is NeedAction.PUBLISH and need.expire_time is not None and need.expire_time <= now:
        raise IllegalTransition(
            "the need's expiry time has passed; return it to draft and set a new one",
            metadata={"state": need.state.name},
        )
    publish_time = now if action is NeedAction.PUBLISH else need.publish_time
    return replace(
        need,
        state=target,
        state_reason=reason.strip(),
        state_note=note,
        update_time=now,
        publish_time=publish_time,
        held_back=False,
    )


def hold_back(need: Need, reason: str, note: Note, now: datetime) -> Need:
    """The need kept IN_REVIEW for the cluster manager, with the guard's reason (`note`: the
    same as a code)."""
    if need.state is not NeedState.IN_REVIEW:
        raise IllegalTransition(
            f"only a need IN_REVIEW can be held back; this one is {need.state.name}",
            metadata={"state": need.state.name},
        )
    return replace(need, held_back=True, state_reason=reason, state_note=note, update_time=now)
