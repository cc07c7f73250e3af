"""Expert offers of 2InSNet: DRAFT → PUBLISHED → WITHDRAWN."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from twoins.node.domain.codes import CodeLists, canonical_codes
from twoins.node.domain.errors import IllegalTransition, Violations
from twoins.node.domain.organisation import Contact
from twoins.node.domain.support import ServiceType
from twoins.node.domain.text import E164_PATTERN, EMAIL_PATTERN, clean_list, clean_text, utc_now


class ExpertOfferState(enum.Enum):
    UNSPECIFIED = 0
    DRAFT = 1
    PUBLISHED = 2
    WITHDRAWN = 3


#: Fields that UpdateExpertOffer may change.
UPDATABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "expert",
        "competences",
        "nace_codes",
        "countries",
        "languages",
        "service_types",
        "capacity_hours_per_month",
    }
)

MAX_MONTHLY_HOURS = 744


@dataclass(frozen=True, slots=True)
class ExpertOffer:
    id: str
    region: str
    title: str
    description: str
    expert: Contact
    competences: tuple[str, ...] = ()
    nace_codes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    service_types: tuple[ServiceType, ...] = ()
    capacity_hours_per_month: int = 0
    state: ExpertOfferState = ExpertOfferState.DRAFT
    create_time: datetime = field(default_factory=utc_now)
    update_time: datetime = field(default_factory=utc_now)
    #: The expert (identity subject) who manages the offer; empty when a manager created it.
    owner: str = ""


def validate_expert_offer(draft: ExpertOffer, codes: CodeLists) -> ExpertOffer:
    violations = Violations()
    path = "expert_offer"
    title = clean_text(
        draft.title, f"{path}.title", violations, required=True, minimum=5, maximum=200
    )
    description = clean_text(
        draft.description, f"{path}.description", violations, required=True, maximum=5000
    )
    expert_name = clean_text(
        draft.expert.name, f"{path}.expert.name", violations, required=True, maximum=200
    )
    email = draft.expert.email.strip().lower()
    if not email:
        violations.add(f"{path}.expert.email", "required")
    elif not EMAIL_PATTERN.match(email):
        violations.add(f"{path}.expert.email", "is not an e-mail address")
    phone = draft.expert.phone.strip().replace(" ", "")
    if phone and not E164_PATTERN.match(phone):
        violations.add(f"{path}.expert.phone", "write the number in E.164 form, e.g. +302101234567")
    role = clean_text(draft.expert.role, f"{path}.expert.role", violations, maximum=100)
    competences = clean_list(
        list(draft.competences), f"{path}.competences", violations, maximum=20, item_maximum=100
    )
    if not competences:
        violations.add(f"{path}.competences", "give at least one")
    nace_codes = canonical_codes(
        draft.nace_codes, codes.nace, f"{path}.nace_codes", violations, maximum=20
    )
    countries = canonical_codes(
        draft.countries, codes.country, f"{path}.countries", violations, maximum=50
    )
    languages = canonical_codes(
        draft.languages, codes.language, f"{path}.languages", violations, minimum=1, maximum=10
    )
    service_types: list[ServiceType] = []
    for index, service in enumerate(draft.service_types):
        if service is ServiceType.UNSPECIFIED:
            violations.add(f"{path}.service_types[{index}]", "required")
        elif service not in service_types:
            service_types.append(service)
    if not draft.service_types:
        violations.add(f"{path}.service_types", "give at least one")
    if not 0 <= draft.capacity_hours_per_month <= MAX_MONTHLY_HOURS:
        violations.add(f"{path}.capacity_hours_per_month", f"must be from 0 to {MAX_MONTHLY_HOURS}")
    violations.raise_if_any("the expert offer has invalid fields")
    return replace(
        draft,
        title=title,
        description=description,
        expert=Contact(expert_name, role, email, phone),
        competences=tuple(competences),
        nace_codes=tuple(nace_codes),
        countries=tuple(countries),
        languages=tuple(languages),
        service_types=tuple(service_types),
    )


def publish(offer: ExpertOffer, now: datetime) -> ExpertOffer:
    if offer.state is not ExpertOfferState.DRAFT:
        raise IllegalTransition(
            f"only a DRAFT offer can be published; this one is {offer.state.name}",
            metadata={"state": offer.state.name},
        )
    return replace(offer, state=ExpertOfferState.PUBLISHED, update_time=now)


def withdraw(offer: ExpertOffer, now: datetime) -> ExpertOffer:
    if offer.state is ExpertOfferState.WITHDRAWN:
        raise IllegalTransition(
            "the offer is already withdrawn", metadata={"state": offer.state.name}
        )
    return replace(offer, state=ExpertOfferState.WITHDRAWN, update_time=now)


def check_editable(offer: ExpertOffer) -> None:
    if offer.state is ExpertOfferState.WITHDRAWN:
        raise IllegalTransition(
            "a withdrawn offer cannot change; create a new one",
            metadata={"state": offer.state.name},
        )
