"""Who of the region is told what: the mails each change writes to the outbox, in the same
transaction as the change, each in its recipient's language.

The node mails its own people only, about its own region's part: a referral's mails are
written by each region when it learns of the other side's move, so no mail crosses regions
and none holds an SME's identity (needs and offers are named by their anonymised titles).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR
from twoins.node.domain.need import Need
from twoins.node.domain.notification import (
    AlertFrequency,
    MailDraft,
    NotificationKind,
    Person,
    SavedSearch,
    SearchTarget,
)
from twoins.node.domain.referral import Action, Move, Referral, Side
from twoins.node.messages.referrals import catalogue_title
from twoins.node.notify import texts
from twoins.node.notify.links import LinkSigner, Unsubscription
from twoins.node.notify.render import LANGUAGES, Entry, MailRenderer, RenderError, Translatable
from twoins.node.store.catalogue import NEEDS, OFFERS
from twoins.node.store.catalogue_index import CatalogueChange, CatalogueFilter, admits
from twoins.node.store.repositories import Repositories

logger = logging.getLogger(__name__)

#: The kind of mail each move of the other region writes here.
_MOVE_KINDS = {
    Action.PROPOSE: NotificationKind.REFERRAL_RECEIVED,
    Action.ACCEPT: NotificationKind.REFERRAL_ACCEPTED,
    Action.DECLINE: NotificationKind.REFERRAL_DECLINED,
    Action.GIVE_CONSENT: NotificationKind.REFERRAL_CONSENT_RECORDED,
    Action.DISCLOSE: NotificationKind.REFERRAL_CONTACTS_DISCLOSED,
    Action.COMPLETE: NotificationKind.REFERRAL_OUTCOME_RECORDED,
    Action.ENGAGE: NotificationKind.REFERRAL_CHANGED,
    Action.WITHDRAW: NotificationKind.REFERRAL_CHANGED,
    Action.EXPIRE: NotificationKind.REFERRAL_CHANGED,
}

_TARGET_SHELVES = {"need": SearchTarget.NEEDS, "offer": SearchTarget.EXPERT_OFFERS}

#: Roles that hear of a region's referrals and needs.
_STAFF_ROLES = frozenset({FACILITATOR, CLUSTER_MANAGER, EXPERT})


def need_record(need_id: str) -> str:
    return f"need:{need_id}"


def referral_record(referral_id: str) -> str:
    return f"referral:{referral_id}"


@dataclass(frozen=True)
class Caller:
    """Who a verified token names, as the notifier keeps them."""

    subject: str
    email: str
    name: str
    roles: frozenset[str]
    locale: str = ""


class Notifier:
    def __init__(
        self,
        region_id: str,
        region_names: dict[str, str],
        region_language: str,
        renderer: MailRenderer,
        links: LinkSigner,
        console_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._region = region_id
        self._names = region_names
        self._region_language = region_language
        self._renderer = renderer
        self._links = links
        self._console = console_url.rstrip("/")
        self._clock = clock
        self._seen: dict[str, Caller] = {}
        self._seen_lock = threading.Lock()
        #: Set when a transaction wrote a mail, so the delivery job sends without waiting.
        self.mail_written = threading.Event()

    # -- people ------------------------------------------------------------------------

    def needs_recording(self, caller: Caller) -> bool:
        """Whether the caller is new to this process or changed since (cheap, no database)."""
        with self._seen_lock:
            return self._seen.get(caller.subject) != caller

    def record_caller(self, repositories: Repositories, caller: Caller) -> None:
        roles = caller.roles & _STAFF_ROLES
        if not roles:
            return
        repositories.people.seen(
            Person(
                caller.subject,
                caller.email,
                caller.name or caller.email,
                roles,
                account_language=(caller.locale or "").split("-")[0][:8],
            ),
            self._clock(),
        )
        with self._seen_lock:
            self._seen[caller.subject] = caller

    # -- what is mailed --------------------------------------------------------------------

    def referral_moved(self, repositories: Repositories, referral: Referral, move: Move) -> None:
        """The other region's move of a referral this region takes part in."""
        own_side = referral.side_of(self._region)
        if move.side is own_side:
            return
        kind = _MOVE_KINDS.get(move.action)
        if kind is None:
            return
        values: dict[str, object] = {
            "other_region": self._region_name(referral.region_of(move.side)),
            "title": self._referral_title(repositories, referral),
        }
        if move.action is Action.PROPOSE:
            values["due"] = referral.answer_due or move.occur_time + timedelta(days=7)
        if move.action is Action.COMPLETE:
            values["outcome"] = Translatable(
                texts.OUTCOMES.get(move.outcome.name, texts.OUTCOMES["UNSPECIFIED"])
            )
        if kind is NotificationKind.REFERRAL_CHANGED:
            values["state"] = Translatable(
                texts.STATES.get(referral.state.name, referral.state.name)
            )
        people = self._people_of(repositories, referral, own_side)
        self._write(
            repositories,
            kind,
            people,
            values,
            cause=f"{kind.name}:{move.move_id}",
            link=texts.REFERRAL_PAGE.format(id=referral.id),
        )

    def referral_followed_up(
        self, repositories: Repositories, before: Referral, after: Referral
    ) -> None:
        """A reminder (to the people of the referral) or an escalation (to the managers)."""
        values: dict[str, object] = {
            "other_region": self._region_name(after.region_of(after.initiator)),
            "title": self._referral_title(repositories, after),
            "due": after.answer_due or self._clock(),
        }
        link = texts.REFERRAL_PAGE.format(id=after.id)
        if after.reminded_time != before.reminded_time:
            kind = NotificationKind.REFERRAL_REMINDER
            people = self._people_of(repositories, after, after.receiver)
            self._write(
                repositories, kind, people, values, cause=f"{kind.name}:{after.id}", link=link
            )
        if after.escalated_time != before.escalated_time:
            kind = NotificationKind.REFERRAL_ESCALATED
            people = repositories.people.with_role(CLUSTER_MANAGER)
            self._write(
                repositories, kind, people, values, cause=f"{kind.name}:{after.id}", link=link
            )

    def need_returned(
        self, repositories: Repositories, need: Need, reason: str, move_id: str
    ) -> None:
        kind = NotificationKind.NEED_RETURNED
        people = repositories.people.followers(need_record(need.id))
        self._write(
            repositories,
            kind,
            people,
            {"title": need.title, "reason": reason or "-"},
            cause=f"{kind.name}:{move_id}",
            link=texts.NEED_PAGE.format(id=need.id),
        )

    def catalogue_changed(
        self, repositories: Repositories, changes: Sequence[CatalogueChange]
    ) -> None:
        """Entries newly visible in the network catalogue, against every saved search."""
        published = [
            change
            for change in changes
            if change.entry is not None and change.kind in _TARGET_SHELVES
        ]
        if not published:
            return
        now = self._clock()
        searches: dict[SearchTarget, list[SavedSearch]] = {}
        for change in published:
            target = _TARGET_SHELVES[change.kind]
            if target not in searches:
                searches[target] = repositories.saved_searches.of_target(target)
            entry = change.entry
            assert entry is not None
            for search in searches[target]:
                if not admits(_filter_of(search), entry):
                    continue
                title = catalogue_title(change.kind, entry.message) or _unnamed(change.kind)
                if not repositories.saved_searches.record_hit(
                    search.id, entry.id, title, entry.origin_region, now
                ):
                    continue
                if search.frequency is AlertFrequency.IMMEDIATE:
                    self._saved_search_mail(
                        repositories, search, [(entry.id, title, entry.origin_region)], digest=False
                    )

    def send_digests(self, repositories: Repositories, now: datetime) -> int:
        """One mail per daily saved search with the matches found in the last day."""
        written = 0
        for search_id, hits in repositories.saved_searches.undigested(now).items():
            search = repositories.saved_searches.find(search_id)
            if search is None:
                continue
            if self._saved_search_mail(repositories, search, hits, digest=True, day=now):
                written += 1
        return written

    # -- how -------------------------------------------------------------------------------

    def _saved_search_mail(
        self,
        repositories: Repositories,
        search: SavedSearch,
        hits: list[tuple[str, str, str]],
        *,
        digest: bool,
        day: datetime | None = None,
    ) -> bool:
        person = repositories.people.find(search.subject)
        kind = NotificationKind.SAVED_SEARCH_MATCH
        if person is None:
            return False
        link = search_link(search)
        entries = [
            Entry(title, self._region_name(region), self._url(link)) for _id, title, region in hits
        ]
        label = search.query or search.nace_division or search.country or search.language
        values: dict[str, object] = {"search": label, "title": hits[0][1]}
        cause = (
            f"DIGEST:{search.id}:{(day or self._clock()).date().isoformat()}"
            if digest
            else f"{kind.name}:{search.id}:{hits[0][0]}"
        )
        mail_id = self._write(
            repositories,
            kind,
            [person],
            values,
            cause=cause,
            link=link,
            entries=entries,
            digest_count=len(hits) if digest else 0,
            unsubscribe=Unsubscription(person.subject, saved_search_id=search.id),
        )
        # A digest already written today leaves later hits for tomorrow's; hits a person does
        # not want mailed are done with.
        if mail_id is not None or not digest or not person.wants(kind):
            repositories.saved_searches.mark_mailed(
                search.id, [entry_id for entry_id, _title, _region in hits], mail_id or "-"
            )
        return mail_id is not None

    def _write(
        self,
        repositories: Repositories,
        kind: NotificationKind,
        people: Iterable[Person],
        values: dict[str, object],
        *,
        cause: str,
        link: str,
        entries: Sequence[Entry] = (),
        digest_count: int = 0,
        unsubscribe: Unsubscription | None = None,
    ) -> str | None:
        """Writes one mail per person who wants it; the last mail's id (None if none)."""
        written = None
        now = self._clock()
        for person in {person.subject: person for person in people}.values():
            if not person.wants(kind):
                continue
            language = person.mail_language(LANGUAGES, self._region_language)
            token = self._links.token(unsubscribe or Unsubscription(person.subject, kind=kind.name))
            unsubscribe_link = self._url(texts.UNSUBSCRIBE_PAGE.format(token=token))
            try:
                rendered = self._renderer.render(
                    kind,
                    language,
                    values,
                    name=person.name,
                    link=self._url(link),
                    settings_link=self._url(texts.SETTINGS_PAGE),
                    unsubscribe_link=unsubscribe_link,
                    entries=entries,
                    digest_count=digest_count,
                )
            except RenderError:
                logger.exception("a mail could not be rendered", extra={"kind": kind.name})
                raise
            mail_id = repositories.mails.add(
                MailDraft(
                    f"{cause}:{person.subject}",
                    kind,
                    person.email,
                    language,
                    rendered.subject,
                    rendered.text,
                    rendered.html,
                    unsubscribe_link,
                ),
                now,
            )
            if mail_id is not None:
                written = mail_id
                repositories.after_commit(self.mail_written.set)
        return written

    @property
    def links(self) -> LinkSigner:
        return self._links

    def _url(self, path: str) -> str:
        return f"{self._console}{path}"

    def _region_name(self, region_id: str) -> str:
        return self._names.get(region_id, region_id)

    def _people_of(
        self, repositories: Repositories, referral: Referral, side: Side
    ) -> list[Person]:
        """The people of this region who work on the referral: whoever made or answered it,
        the need's facilitator or the offer's expert; the cluster managers when none is known."""
        people = repositories.people.followers(referral_record(referral.id))
        if side is Side.NEED:
            people += repositories.people.followers(need_record(referral.need_id))
        else:
            offer = repositories.expert_offers.find(referral.offer_id)
            owner = (
                repositories.people.find(offer.owner) if offer is not None and offer.owner else None
            )
            if owner is not None:
                people.append(owner)
        return people or repositories.people.with_role(CLUSTER_MANAGER)

    def _referral_title(self, repositories: Repositories, referral: Referral) -> str:
        """The anonymised title the network knows: the need's, else the offer's."""
        for kind, shelf, entry_id in (
            ("need", NEEDS, referral.need_id),
            ("offer", OFFERS, referral.offer_id),
        ):
            title = catalogue_title(kind, repositories.catalogue.message_of(shelf, entry_id))
            if title:
                return title
        return referral.id[:8]


def search_link(search: SavedSearch) -> str:
    """The console's network catalogue with the saved search's filters."""
    wanted = {
        "kind": "needs" if search.target is SearchTarget.NEEDS else "offers",
        "q": search.query,
        "nace": search.nace_division,
        "country": search.country,
        "language": search.language,
    }
    return (
        f"{texts.NETWORK_PAGE}?{urlencode({key: value for key, value in wanted.items() if value})}"
    )


def _filter_of(search: SavedSearch) -> CatalogueFilter:
    return CatalogueFilter(
        query=search.query,
        nace_division=search.nace_division,
        country=search.country,
        language=search.language,
    )


def _unnamed(kind: str) -> str:
    return texts.UNNAMED_NEED if kind == "need" else texts.UNNAMED_OFFER
