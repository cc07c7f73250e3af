"""Notification settings, saved searches and mails between the contract and the domain."""

from __future__ import annotations

from twoins.node.domain.notification import Mail, Person, SavedSearch
from twoins.node.messages.convert import enum_to_proto, set_timestamp
from twoins.v1 import notification_pb2 as pb


def settings_to_proto(person: Person) -> pb.NotificationSettings:
    message = pb.NotificationSettings(
        email=person.email,
        enabled=person.enabled,
        muted_kinds=sorted(enum_to_proto(kind) for kind in person.muted_kinds),
        language=person.language,
        alert_frequency=enum_to_proto(person.alert_frequency),
    )
    set_timestamp(message.update_time, person.settings_time)
    return message


def saved_search_to_proto(search: SavedSearch) -> pb.SavedSearch:
    message = pb.SavedSearch(
        id=search.id,
        target=enum_to_proto(search.target),
        query=search.query,
        nace_division=search.nace_division,
        country=search.country,
        language=search.language,
        frequency=enum_to_proto(search.frequency),
        match_count=search.match_count,
    )
    set_timestamp(message.create_time, search.create_time)
    return message


def mail_to_proto(mail: Mail) -> pb.Mail:
    message = pb.Mail(
        id=mail.id,
        kind=enum_to_proto(mail.kind),
        recipient=mail.recipient,
        language=mail.language,
        subject=mail.subject,
        state=enum_to_proto(mail.state),
        attempts=mail.attempts,
        last_error=mail.last_error,
    )
    set_timestamp(message.create_time, mail.create_time)
    set_timestamp(message.next_attempt_time, mail.next_attempt_time)
    set_timestamp(message.sent_time, mail.sent_time)
    return message
