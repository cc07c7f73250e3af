"""The region's people and their notification settings, who follows which record, saved
searches with their hits, and the mail outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from twoins.node.domain.errors import NotFound
from twoins.node.domain.notification import (
    AlertFrequency,
    Mail,
    MailDraft,
    MailState,
    NotificationKind,
    Person,
    SavedSearch,
    SearchTarget,
)
from twoins.node.store.pagination import PagePosition, PageRequest, fetch_page
from twoins.node.store.tables import (
    FollowRow,
    MailRow,
    PersonRow,
    SavedSearchHitRow,
    SavedSearchRow,
)


def _person(row: PersonRow) -> Person:
    return Person(
        subject=row.subject,
        email=row.email,
        name=row.name,
        roles=frozenset(row.roles.split()),
        account_language=row.account_language,
        enabled=row.enabled,
        muted_kinds=frozenset(
            NotificationKind[name]
            for name in row.muted_kinds
            if name in NotificationKind.__members__
        ),
        language=row.language,
        alert_frequency=AlertFrequency[row.alert_frequency],
        settings_time=row.settings_time,
    )


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def seen(self, person: Person, now: datetime) -> None:
        """Records who a person's token says they are; their settings stay as they were."""
        row = self._session.get(PersonRow, person.subject)
        if row is None:
            self._session.add(
                PersonRow(
                    subject=person.subject,
                    email=person.email,
                    name=person.name,
                    roles=" ".join(sorted(person.roles)),
                    account_language=person.account_language,
                    seen_time=now,
                    enabled=True,
                    muted_kinds=[],
                    language="",
                    alert_frequency=AlertFrequency.IMMEDIATE.name,
                    settings_time=None,
                )
            )
            return
        row.email, row.name = person.email, person.name
        row.roles, row.account_language = " ".join(sorted(person.roles)), person.account_language
        row.seen_time = now

    def find(self, subject: str) -> Person | None:
        row = self._session.get(PersonRow, subject)
        return _person(row) if row is not None else None

    def get(self, subject: str) -> Person:
        person = self.find(subject)
        if person is None:
            raise NotFound(
                "this node has not seen you yet: sign in to the console once, then try again"
            )
        return person

    def with_role(self, role: str) -> list[Person]:
        rows = self._session.scalars(select(PersonRow).order_by(PersonRow.subject))
        return [_person(row) for row in rows if role in row.roles.split()]

    def save_settings(self, person: Person, now: datetime) -> Person:
        row = self._session.get(PersonRow, person.subject)
        if row is None:
            raise NotFound("this node has not seen you yet: sign in to the console once")
        row.enabled = person.enabled
        row.muted_kinds = sorted(kind.name for kind in person.muted_kinds)
        row.language = person.language
        row.alert_frequency = person.alert_frequency.name
        row.settings_time = now
        return _person(row)

    def follow(self, record: str, subject: str) -> None:
        if subject and self._session.get(FollowRow, (record, subject)) is None:
            self._session.add(FollowRow(record=record, subject=subject))

    def followers(self, record: str) -> list[Person]:
        rows = self._session.scalars(
            select(PersonRow)
            .join(FollowRow, FollowRow.subject == PersonRow.subject)
            .where(FollowRow.record == record)
            .order_by(PersonRow.subject)
        )
        return [_person(row) for row in rows]


def _saved_search(row: SavedSearchRow) -> SavedSearch:
    return SavedSearch(
        id=row.id,
        subject=row.subject,
        target=SearchTarget[row.target],
        query=row.query,
        nace_division=row.nace_division,
        country=row.country,
        language=row.language,
        frequency=AlertFrequency[row.frequency],
        create_time=row.create_time,
        match_count=row.match_count,
    )


class SavedSearchRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, search: SavedSearch, now: datetime) -> SavedSearch:
        row = SavedSearchRow(
            id=search.id,
            subject=search.subject,
            target=search.target.name,
            query=search.query,
            nace_division=search.nace_division,
            country=search.country,
            language=search.language,
            frequency=search.frequency.name,
            create_time=now,
            match_count=0,
        )
        self._session.add(row)
        return _saved_search(row)

    def count_of(self, subject: str) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(SavedSearchRow)
                .where(SavedSearchRow.subject == subject)
            )
            or 0
        )

    def of_person(self, subject: str) -> list[SavedSearch]:
        rows = self._session.scalars(
            select(SavedSearchRow)
            .where(SavedSearchRow.subject == subject)
            .order_by(SavedSearchRow.create_time.desc(), SavedSearchRow.id.desc())
        )
        return [_saved_search(row) for row in rows]

    def find(self, search_id: str) -> SavedSearch | None:
        row = self._session.get(SavedSearchRow, search_id)
        return _saved_search(row) if row is not None else None

    def of_target(self, target: SearchTarget) -> list[SavedSearch]:
        rows = self._session.scalars(
            select(SavedSearchRow).where(SavedSearchRow.target == target.name)
        )
        return [_saved_search(row) for row in rows]

    def delete(self, search_id: str) -> None:
        self._session.execute(
            delete(SavedSearchHitRow).where(SavedSearchHitRow.saved_search_id == search_id)
        )
        self._session.execute(delete(SavedSearchRow).where(SavedSearchRow.id == search_id))

    def record_hit(
        self, search_id: str, entry_id: str, title: str, origin_region: str, now: datetime
    ) -> bool:
        """Whether this entry is new to the search (an entry is mailed once per search)."""
        if self._session.get(SavedSearchHitRow, (search_id, entry_id)) is not None:
            return False
        self._session.add(
            SavedSearchHitRow(
                saved_search_id=search_id,
                entry_id=entry_id,
                title=title[:300],
                origin_region=origin_region,
                hit_time=now,
                mail_id=None,
            )
        )
        self._session.execute(
            update(SavedSearchRow)
            .where(SavedSearchRow.id == search_id)
            .values(match_count=SavedSearchRow.match_count + 1)
        )
        return True

    def mark_mailed(self, search_id: str, entry_ids: Sequence[str], mail_id: str) -> None:
        self._session.execute(
            update(SavedSearchHitRow)
            .where(
                SavedSearchHitRow.saved_search_id == search_id,
                SavedSearchHitRow.entry_id.in_(list(entry_ids)),
            )
            .values(mail_id=mail_id)
        )

    def undigested(self, before: datetime) -> dict[str, list[tuple[str, str, str]]]:
        """Hits of daily searches not mailed yet, found before `before`: (entry id, title,
        origin region) by saved search id."""
        rows = self._session.execute(
            select(SavedSearchHitRow)
            .join(SavedSearchRow, SavedSearchRow.id == SavedSearchHitRow.saved_search_id)
            .where(
                SavedSearchHitRow.mail_id.is_(None),
                SavedSearchHitRow.hit_time <= before,
                SavedSearchRow.frequency == AlertFrequency.DAILY.name,
            )
            .order_by(SavedSearchHitRow.hit_time)
        ).scalars()
        found: dict[str, list[tuple[str, str, str]]] = {}
        for row in rows:
            found.setdefault(row.saved_search_id, []).append(
                (row.entry_id, row.title, row.origin_region)
            )
        return found


def _mail(row: MailRow) -> Mail:
    return Mail(
        id=row.id,
        kind=NotificationKind[row.kind],
        recipient=row.recipient,
        language=row.language,
        subject=row.subject,
        state=MailState[row.state],
        attempts=row.attempts,
        last_error=row.last_error,
        create_time=row.create_time,
        next_attempt_time=row.next_attempt_time,
        sent_time=row.sent_time,
        text_body=row.text_body,
        html_body=row.html_body,
        unsubscribe_url=row.unsubscribe_url,
    )


class MailRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, draft: MailDraft, now: datetime) -> str | None:
        """Writes the mail in the caller's transaction; None when its cause already wrote one."""
        cause = draft.cause[:200]
        if self._session.scalar(select(MailRow.id).where(MailRow.cause == cause)) is not None:
            return None
        mail_id = str(uuid.uuid4())
        self._session.add(
            MailRow(
                id=mail_id,
                cause=cause,
                kind=draft.kind.name,
                recipient=draft.recipient,
                language=draft.language,
                subject=draft.subject[:300],
                text_body=draft.text_body,
                html_body=draft.html_body,
                unsubscribe_url=draft.unsubscribe_url,
                state=MailState.QUEUED.name,
                attempts=0,
                last_error="",
                create_time=now,
                next_attempt_time=now,
                sent_time=None,
            )
        )
        # Flushed now, so that a second cause in the same transaction sees this one.
        self._session.flush()
        return mail_id

    def due(self, now: datetime, limit: int) -> list[Mail]:
        rows = self._session.scalars(
            select(MailRow)
            .where(
                MailRow.state.in_((MailState.QUEUED.name, MailState.RETRYING.name)),
                MailRow.next_attempt_time <= now,
            )
            .order_by(MailRow.next_attempt_time, MailRow.create_time)
            .limit(limit)
        )
        return [_mail(row) for row in rows]

    def get(self, mail_id: str) -> Mail:
        row = self._session.get(MailRow, mail_id)
        if row is None:
            raise NotFound(f"mail {mail_id} not found")
        return _mail(row)

    def record_attempt(
        self,
        mail_id: str,
        state: MailState,
        now: datetime,
        error: str = "",
        next_attempt: datetime | None = None,
    ) -> None:
        row = self._session.get(MailRow, mail_id)
        if row is None:
            return
        row.attempts += 1
        row.state = state.name
        row.last_error = error[:2000]
        row.next_attempt_time = next_attempt
        if state is MailState.SENT:
            row.sent_time = now

    def counts(self) -> dict[str, int]:
        rows = self._session.execute(select(MailRow.state, func.count()).group_by(MailRow.state))
        return {state: int(count) for state, count in rows}

    def counts_by_kind(self) -> list[tuple[str, str, int]]:
        rows = self._session.execute(
            select(MailRow.kind, MailRow.state, func.count()).group_by(MailRow.kind, MailRow.state)
        )
        return [(kind, state, int(count)) for kind, state, count in rows]

    def oldest_waiting(self) -> datetime | None:
        return self._session.scalar(
            select(func.min(MailRow.create_time)).where(
                MailRow.state.in_((MailState.QUEUED.name, MailState.RETRYING.name))
            )
        )

    def page(
        self, page: PageRequest, state: MailState | None = None
    ) -> tuple[list[Mail], PagePosition | None, bool]:
        conditions = [MailRow.state == state.name] if state is not None else []
        rows, last, more = fetch_page(self._session, MailRow, page, conditions)
        return [_mail(row) for row in rows], last, more
