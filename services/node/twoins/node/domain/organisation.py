"""SMEs: their record, its rules, and the size band derived from it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from stdnum.eu import vat as eu_vat

from twoins.node.domain.codes import CodeLists, canonical_codes
from twoins.node.domain.errors import Violations
from twoins.node.domain.text import (
    E164_PATTERN,
    EMAIL_PATTERN,
    URL_PATTERN,
    clean_list,
    clean_text,
    utc_now,
)

EARLIEST_FOUNDING_YEAR = 1800


class SizeClass(enum.Enum):
    UNSPECIFIED = 0
    MICRO = 1
    SMALL = 2
    MEDIUM = 3
    LARGE = 4


class ExportStatus(enum.Enum):
    UNSPECIFIED = 0
    NONE = 1
    OCCASIONAL = 2
    REGULAR = 3


class ConsentPurpose(enum.Enum):
    UNSPECIFIED = 0
    NETWORK_SHARING = 1
    REFERRAL_DISCLOSURE = 2
    PROGRAMME_CONTACT = 3


@dataclass(frozen=True, slots=True)
class Address:
    street: str = ""
    postcode: str = ""
    locality: str = ""
    country_code: str = ""
    nuts2_code: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Consent:
    purpose: ConsentPurpose
    granted: bool
    record_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    region: str
    legal_name: str
    nace_code: str
    address: Address
    trading_names: tuple[str, ...] = ()
    vat_id: str = ""
    employees: int = 0
    turnover_eur: int = 0
    year_founded: int = 0
    export_status: ExportStatus = ExportStatus.UNSPECIFIED
    website: str = ""
    contacts: tuple[Contact, ...] = ()
    languages: tuple[str, ...] = ()
    consents: tuple[Consent, ...] = ()
    create_time: datetime = field(default_factory=utc_now)
    update_time: datetime = field(default_factory=utc_now)

    @property
    def size_class(self) -> SizeClass:
        return size_class_for(self.employees)

    def has_consent(self, purpose: ConsentPurpose) -> bool:
        return any(consent.purpose is purpose and consent.granted for consent in self.consents)


#: Fields that UpdateOrganisation may change.
UPDATABLE_FIELDS = frozenset(
    {
        "legal_name",
        "trading_names",
        "vat_id",
        "nace_code",
        "employees",
        "turnover_eur",
        "year_founded",
        "export_status",
        "address",
        "website",
        "contacts",
        "languages",
        "consents",
    }
)


def size_class_for(employees: int) -> SizeClass:
    """EU SME definition by head count (Recommendation 2003/361/EC)."""
    if employees <= 0:
        return SizeClass.UNSPECIFIED
    if employees < 10:
        return SizeClass.MICRO
    if employees < 50:
        return SizeClass.SMALL
    if employees < 250:
        return SizeClass.MEDIUM
    return SizeClass.LARGE


def _validate_contact(contact: Contact, path: str, violations: Violations) -> Contact:
    name = clean_text(contact.name, f"{path}.name", violations, maximum=200)
    role = clean_text(contact.role, f"{path}.role", violations, maximum=100)
    email = contact.email.strip()
    if email and not EMAIL_PATTERN.match(email):
        violations.add(f"{path}.email", "is not an e-mail address")
    phone = contact.phone.strip().replace(" ", "")
    if phone and not E164_PATTERN.match(phone):
        violations.add(f"{path}.phone", "write the number in E.164 form, e.g. +393283162133")
    if not (name or email or phone):
        violations.add(path, "give a name, an e-mail address or a phone number")
    return Contact(name=name, role=role, email=email.lower(), phone=phone)


def _validate_address(
    address: Address, codes: CodeLists, violations: Violations, nuts2_by_country: dict[str, str]
) -> Address:
    path = "organisation.address"
    street = clean_text(address.street, f"{path}.street", violations, maximum=200)
    postcode = clean_text(address.postcode, f"{path}.postcode", violations, maximum=20)
    locality = clean_text(
        address.locality, f"{path}.locality", violations, required=True, maximum=100
    )
    country = ""
    if not address.country_code.strip():
        violations.add(f"{path}.country_code", "required")
    else:
        try:
            country = codes.country(address.country_code)
        except ValueError as error:
            violations.add(f"{path}.country_code", str(error))
    return Address(street, postcode, locality, country, nuts2_by_country.get(country, ""))


def validate_organisation(
    draft: Organisation,
    codes: CodeLists,
    *,
    region_nuts2: str,
    region_country: str,
    this_year: int,
) -> Organisation:
    """The organisation in canonical form, or InvalidArgument naming every bad field."""
    violations = Violations()
    path = "organisation"
    legal_name = clean_text(
        draft.legal_name, f"{path}.legal_name", violations, required=True, minimum=2, maximum=200
    )
    trading_names = clean_list(
        list(draft.trading_names), f"{path}.trading_names", violations, maximum=10, item_maximum=200
    )
    vat_id = draft.vat_id.strip().replace(" ", "").upper()
    if vat_id:
        if not eu_vat.is_valid(vat_id):
            violations.add(
                f"{path}.vat_id",
                "is not a valid EU VAT id; write it with its country prefix "
                "(EL for Greece), e.g. IT01234567897",
            )
        else:
            vat_id = eu_vat.compact(vat_id)
    nace_code = ""
    if not draft.nace_code.strip():
        violations.add(f"{path}.nace_code", "required")
    else:
        try:
            nace_code = codes.nace(draft.nace_code)
        except ValueError as error:
            violations.add(f"{path}.nace_code", str(error))
    if draft.employees < 0:
        violations.add(f"{path}.employees", "must not be negative")
    if draft.turnover_eur < 0:
        violations.add(f"{path}.turnover_eur", "must not be negative")
    if draft.year_founded and not EARLIEST_FOUNDING_YEAR <= draft.year_founded <= this_year:
        violations.add(
            f"{path}.year_founded", f"must be between {EARLIEST_FOUNDING_YEAR} and {this_year}"
        )
    address = _validate_address(draft.address, codes, violations, {region_country: region_nuts2})
    website = draft.website.strip()
    if website and not URL_PATTERN.match(website):
        violations.add(f"{path}.website", "write the full address, e.g. https://www.example.com")
    if len(draft.contacts) > 20:
        violations.add(f"{path}.contacts", "give at most 20")
    contacts = tuple(
        _validate_contact(contact, f"{path}.contacts[{index}]", violations)
        for index, contact in enumerate(draft.contacts)
    )
    languages = canonical_codes(
        draft.languages, codes.language, f"{path}.languages", violations, maximum=10
    )
    seen_purposes: set[ConsentPurpose] = set()
    for index, consent in enumerate(draft.consents):
        if consent.purpose is ConsentPurpose.UNSPECIFIED:
            violations.add(f"{path}.consents[{index}].purpose", "required")
        elif consent.purpose in seen_purposes:
            violations.add(f"{path}.consents[{index}].purpose", "each purpose at most once")
        seen_purposes.add(consent.purpose)
    violations.raise_if_any("the organisation has invalid fields")
    return replace(
        draft,
        legal_name=legal_name,
        trading_names=tuple(trading_names),
        vat_id=vat_id,
        nace_code=nace_code,
        address=address,
        website=website,
        contacts=contacts,
        languages=tuple(languages),
    )


def merge_consents(
    previous: tuple[Consent, ...], given: tuple[Consent, ...], now: datetime
) -> tuple[Consent, ...]:
    """Keeps the record time of unchanged consents and stamps the changed ones with `now`."""
    earlier = {consent.purpose: consent for consent in previous}
    merged = []
    for consent in given:
        before = earlier.get(consent.purpose)
        if before is not None and before.granted == consent.granted:
            merged.append(before)
        else:
            merged.append(Consent(consent.purpose, consent.granted, now))
    return tuple(merged)
