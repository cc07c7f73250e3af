"""What of a need leaves the node: the anonymised copy, and the k-anonymity guard on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from twoins.node.domain.anonymiser.generalise import (
    GENERALISATION_STEP_CODES,
    GENERALISATION_STEPS,
    GeneralisedProfile,
    TurnoverBand,
    generalise,
    nace_division,
    nace_section,
    widen,
)
from twoins.node.domain.anonymiser.localities import Localities
from twoins.node.domain.anonymiser.quasi import generalise_text
from twoins.node.domain.anonymiser.residual import Residual, find_residuals, mask
from twoins.node.domain.anonymiser.scrubber import scrub
from twoins.node.domain.anonymiser.spans import KnownContact, KnownIdentity
from twoins.node.domain.need import Need, NeedType
from twoins.node.domain.notes import Note
from twoins.node.domain.organisation import ExportStatus, Organisation, SizeClass

DEFAULT_K = 5


@dataclass(frozen=True, slots=True)
class AnonymisedNeed:
    need_id: str
    origin_region: str
    type: NeedType
    title: str
    description: str
    nace_divisions: tuple[str, ...]
    target_countries: tuple[str, ...]
    languages: tuple[str, ...]
    keywords: tuple[str, ...]
    size_class: SizeClass
    turnover_band: TurnoverBand
    founded_range: str
    location: str
    export_status: ExportStatus
    expire_time: datetime | None
    publish_time: datetime | None
    #: What the last look found still shaped like an identifier, masked in the text:
    #: (field, where the placeholder stands, what it looked like). Any holds the need back.
    residuals: tuple[tuple[str, Residual], ...] = ()

    def residual_reason(self) -> str:
        found = "; ".join(
            f"{field}: {residual.kind} at {residual.start}–{residual.end}"
            for field, residual in self.residuals
        )
        return (
            "held back for review: after scrubbing, the text still held what looks like an "
            f"identifier (now withheld) — {found}"
        )

    def residual_note(self) -> Note:
        kinds = dict.fromkeys(residual.kind for _, residual in self.residuals)
        return Note.of("HELD_RESIDUALS", count=len(self.residuals), kinds=",".join(kinds))


@dataclass(frozen=True, slots=True)
class GuardDecision:
    """How many SMEs of the region share the need's profile once generalised as far as
    needed (at `level` of GENERALISATION_STEPS), and whether that is enough (at least k) to
    publish; `profile` is what leaves."""

    matching_smes: int
    k: int
    level: int = 0
    profile: GeneralisedProfile | None = None

    @property
    def holds_back(self) -> bool:
        return self.matching_smes < self.k

    @property
    def widened(self) -> str:
        return ", ".join(GENERALISATION_STEPS[1 : self.level + 1])

    def reason(self) -> str:
        return (
            f"held back for review: only {self.matching_smes} SME(s) of the region share "
            f"this need's sector, size, turnover, age and location, fewer than k={self.k}, "
            "even with every quasi-identifier widened as far as it goes"
        )

    def note(self) -> Note:
        return Note.of("HELD_K_ANONYMITY", matching_smes=self.matching_smes, k=self.k)

    def widened_note(self) -> Note:
        """How the profile was widened so that k SMEs share it, as a code."""
        return Note.of(
            "PUBLISHED_WIDENED",
            steps=",".join(GENERALISATION_STEP_CODES[1 : self.level + 1]),
            matching_smes=self.matching_smes,
            k=self.k,
        )


def known_identity(organisation: Organisation) -> KnownIdentity:
    """Everything the record knows that names or reaches the SME."""
    return KnownIdentity(
        legal_name=organisation.legal_name,
        trading_names=organisation.trading_names,
        contacts=tuple(
            KnownContact(contact.name, contact.email, contact.phone)
            for contact in organisation.contacts
        ),
        vat=organisation.vat_id,
        website=organisation.website,
        street=organisation.address.street,
        country=organisation.address.country_code,
    )


def _scrub_own_data(
    text: str,
    identity: KnownIdentity,
    language: str,
    organisation: Organisation | None = None,
    localities: Localities | None = None,
) -> str:
    """Scrubs identifiers, then any literal piece of the SME's own record left over, and
    generalises the quasi-identifiers of the text like the structured fields."""
    scrubbed = scrub(text, identity, language, localities)
    if organisation is not None or localities:
        scrubbed = generalise_text(scrubbed, organisation, localities)
    leftovers = [
        identity.vat,
        identity.vat[2:],
        identity.website.removeprefix("https://"),
        identity.street,
        *(contact.email for contact in identity.contacts),
        *(contact.phone for contact in identity.contacts),
    ]
    for value in leftovers:
        if len(value) >= 6 and value in scrubbed:
            scrubbed = scrubbed.replace(value, "[redacted]")
    return scrubbed


def publishable_text(
    text: str,
    identity: KnownIdentity,
    language: str = "",
    organisation: Organisation | None = None,
    localities: Localities | None = None,
) -> tuple[str, list[Residual]]:
    """What of `text` may leave: scrubbed, generalised, and with what still looks like an
    identifier withheld; the withheld places (any holds the text back for review)."""
    scrubbed = _scrub_own_data(text, identity, language, organisation, localities)
    return mask(scrubbed, find_residuals(scrubbed, identity))


@dataclass(frozen=True)
class ScrubbedTexts:
    """A need's texts as they may leave, and the places withheld from them: the costly part
    of its anonymisation (milliseconds of CPU), which depends only on the texts, the SME's
    record, the language and the localities."""

    title: str
    description: str
    keywords: tuple[str, ...]
    residuals: tuple[tuple[str, Residual], ...]


def scrub_need_texts(
    need: Need,
    organisation: Organisation,
    language: str = "",
    localities: Localities | None = None,
) -> ScrubbedTexts:
    """The need's title and description scrubbed, generalised and checked for residual
    identifiers; its keywords without those that name someone."""
    identity = known_identity(organisation)
    keywords = []
    for keyword in need.keywords:
        cleaned = _scrub_own_data(keyword, identity, language)
        if cleaned == keyword and not find_residuals(keyword, identity):
            keywords.append(keyword)  # a keyword that names someone is dropped, not mangled
    residuals: list[tuple[str, Residual]] = []
    texts = {}
    for field, text in (("title", need.title), ("description", need.description)):
        texts[field], placed = publishable_text(text, identity, language, organisation, localities)
        residuals.extend((field, residual) for residual in placed)
    return ScrubbedTexts(texts["title"], texts["description"], tuple(keywords), tuple(residuals))


def anonymise_need(
    need: Need,
    organisation: Organisation,
    region_nuts2: str,
    language: str = "",
    profile: GeneralisedProfile | None = None,
    localities: Localities | None = None,
    texts: ScrubbedTexts | None = None,
) -> AnonymisedNeed:
    """The copy that leaves; its profile is `profile` (the guard's, widened as far as k
    needs) or else the SME's generalised one; the towns of `localities` are generalised in
    its text. `texts`, when given, are the need's texts already scrubbed by
    `scrub_need_texts` with the same need texts, SME, language and localities."""
    if texts is None:
        texts = scrub_need_texts(need, organisation, language, localities)
    profile = profile or generalise(organisation, region_nuts2)
    return AnonymisedNeed(
        need_id=need.id,
        origin_region=need.region,
        type=need.type,
        title=texts.title,
        description=texts.description,
        nace_divisions=tuple(
            dict.fromkeys(
                nace_section(nace_division(code))
                if profile.nace_division.isalpha()
                else nace_division(code)
                for code in need.nace_codes
            )
        ),
        target_countries=need.target_countries,
        languages=need.languages,
        keywords=texts.keywords,
        size_class=profile.size_class,
        turnover_band=profile.turnover_band,
        founded_range=profile.founded_range,
        location=profile.location,
        export_status=organisation.export_status,
        expire_time=need.expire_time,
        publish_time=need.publish_time,
        residuals=texts.residuals,
    )


#: How many of the region's SMEs have a profile at a level of widening: (level, key) -> count.
ProfileCount = Callable[[int, tuple[str, ...]], int]


def widened_keys(profile: GeneralisedProfile) -> list[tuple[int, tuple[str, ...]]]:
    """The profile's key at every level of GENERALISATION_STEPS: what a count is kept of."""
    return [(level, widen(profile, level).key()) for level in range(len(GENERALISATION_STEPS))]


def k_anonymity_counted(
    profile: GeneralisedProfile, count: ProfileCount, k: int = DEFAULT_K
) -> GuardDecision:
    """Widens the profile step by step (GENERALISATION_STEPS, the region's SMEs widened
    alike) until at least k of the region's SMEs (the need's own included) share it; the
    decision at the first level that does, or at the widest, which then holds back. `count`
    answers from counts kept as SMEs change, so the decision costs the same for any region."""
    decision = GuardDecision(matching_smes=0, k=k)
    for level in range(len(GENERALISATION_STEPS)):
        widened = widen(profile, level)
        decision = GuardDecision(count(level, widened.key()), k, level, widened)
        if not decision.holds_back:
            break
    return decision


def k_anonymity(
    profile: GeneralisedProfile, region_profiles: Iterable[GeneralisedProfile], k: int = DEFAULT_K
) -> GuardDecision:
    """The same decision from the region's profiles themselves (counted here)."""
    counts = Counter(key for other in region_profiles for key in widened_keys(other))
    return k_anonymity_counted(profile, lambda level, key: counts[(level, key)], k)
