"""Notifications by e-mail: who is told what, their settings and saved searches, and a mail's
way through the outbox (queued, retried with backoff, sent or failed with the relay's reason)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.utils import parseaddr

from twoins.node.domain.errors import FieldViolation, InvalidArgument


class NotificationKind(enum.Enum):
    REFERRAL_RECEIVED = "REFERRAL_RECEIVED"
    REFERRAL_REMINDER = "REFERRAL_REMINDER"
    REFERRAL_ESCALATED = "REFERRAL_ESCALATED"
    REFERRAL_ACCEPTED = "REFERRAL_ACCEPTED"
    REFERRAL_DECLINED = "REFERRAL_DECLINED"
    REFERRAL_CONSENT_RECORDED = "REFERRAL_CONSENT_RECORDED"
    REFERRAL_CONTACTS_DISCLOSED = "REFERRAL_CONTACTS_DISCLOSED"
    REFERRAL_OUTCOME_RECORDED = "REFERRAL_OUTCOME_RECORDED"
    REFERRAL_CHANGED = "REFERRAL_CHANGED"
    NEED_RETURNED = "NEED_RETURNED"
    SAVED_SEARCH_MATCH = "SAVED_SEARCH_MATCH"


class AlertFrequency(enum.Enum):
    IMMEDIATE = "IMMEDIATE"
    DAILY = "DAILY"


class SearchTarget(enum.Enum):
    NEEDS = "NEEDS"
    EXPERT_OFFERS = "EXPERT_OFFERS"


class MailState(enum.Enum):
    QUEUED = "QUEUED"
    RETRYING = "RETRYING"
    SENT = "SENT"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Person:
    """A person of the region, as their access token named them, with their settings."""

    subject: str
    email: str
    name: str
    roles: frozenset[str]
    account_language: str = ""
    enabled: bool = True
    muted_kinds: frozenset[NotificationKind] = frozenset()
    language: str = ""
    alert_frequency: AlertFrequency = AlertFrequency.IMMEDIATE
    settings_time: datetime | None = None

    def wants(self, kind: NotificationKind) -> bool:
        return self.enabled and bool(self.email) and kind not in self.muted_kinds

    def mail_language(self, supported: tuple[str, ...], region_default: str) -> str:
        """The first of: their chosen language, their account's, the region's, English, that
        mails are written in."""
        for candidate in (self.language, self.account_language, region_default):
            if candidate and candidate in supported:
                return candidate
        return "en"


@dataclass(frozen=True)
class SavedSearch:
    id: str
    subject: str
    target: SearchTarget
    query: str = ""
    nace_division: str = ""
    country: str = ""
    language: str = ""
    frequency: AlertFrequency = AlertFrequency.IMMEDIATE
    create_time: datetime | None = None
    match_count: int = 0


#: A person keeps at most this many saved searches.
MAX_SAVED_SEARCHES = 50


def check_saved_search(search: SavedSearch) -> None:
    violations = []
    if len(search.query) > 200:
        violations.append(FieldViolation("query", "at most 200 characters"))
    if not (search.query.strip() or search.nace_division or search.country or search.language):
        violations.append(
            FieldViolation(
                "query", "say what to look for: words, a sector, a country or a language"
            )
        )
    if violations:
        raise InvalidArgument("the saved search is not valid", violations=tuple(violations))


def parse_recipient(address: str) -> str:
    """The address as a mail header holds it; raises ValueError, saying why, for one that does
    not parse (the mail is then failed, not sent)."""
    _name, parsed = parseaddr(address)
    if not parsed or parsed != address.strip() or "@" not in parsed:
        raise ValueError(f"the address {address!r} does not parse as one e-mail address")
    local, _, domain = parsed.rpartition("@")
    try:
        Address(username=local, domain=domain)
    except (ValueError, IndexError) as error:
        raise ValueError(f"the address {address!r} does not parse: {error}") from None
    if not local or "." not in domain.strip("."):
        raise ValueError(f"the address {address!r} has no valid domain")
    return parsed


@dataclass(frozen=True)
class Backoff:
    """When a mail whose attempt failed for a reason that may pass is tried again: `first`,
    then doubling up to `longest`; after `attempts` attempts it is failed."""

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=2)
    attempts: int = 10

    def next_attempt(self, attempts_made: int, now: datetime) -> datetime | None:
        if attempts_made >= self.attempts:
            return None
        delay: timedelta = min(self.first * (2 ** max(attempts_made - 1, 0)), self.longest)
        return now + delay


@dataclass(frozen=True)
class MailDraft:
    """A mail to write to the outbox: `cause` names what caused it, so the same cause (an
    event applied twice, a job run twice) never writes two."""

    cause: str
    kind: NotificationKind
    recipient: str
    language: str
    subject: str
    text_body: str
    html_body: str
    unsubscribe_url: str = ""


@dataclass(frozen=True)
class Mail:
    id: str
    kind: NotificationKind
    recipient: str
    language: str
    subject: str
    state: MailState
    attempts: int
    last_error: str
    create_time: datetime
    next_attempt_time: datetime | None
    sent_time: datetime | None
    text_body: str = field(default="", repr=False)
    html_body: str = field(default="", repr=False)
    unsubscribe_url: str = field(default="", repr=False)
