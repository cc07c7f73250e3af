"""The mail outbox against a real SMTP server process that misbehaves as relays do: it answers
"try later", closes the connection in the middle of a mail, stalls past the client's timeout,
refuses a recipient. Every mail ends sent exactly once or failed with the relay's reason;
nothing is lost and nothing is sent twice."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.mail import MailCatcher, mail_catcher
from twoins.node.domain.notification import Backoff, MailDraft, MailState, NotificationKind
from twoins.node.jobs.mail_delivery import MailDelivery
from twoins.node.notify.links import LinkSigner
from twoins.node.notify.notifier import Notifier
from twoins.node.notify.render import MailRenderer
from twoins.node.notify.smtp import RelaySettings, SmtpRelay
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore


def _store(tmp_path: Path) -> NodeStore:
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    return NodeStore(database)


def _delivery(store: NodeStore, catcher: MailCatcher, timeout: float = 2.0) -> MailDelivery:
    return _delivery_to(store, catcher.smtp_port, timeout)


def _delivery_to(store: NodeStore, port: int, timeout: float = 2.0) -> MailDelivery:
    notifier = Notifier(
        "it-basilicata",
        {},
        "it",
        MailRenderer("Basilicata", "IT"),
        LinkSigner("it-basilicata", b"k" * 32),
        "https://console.test",
        lambda: datetime.now(UTC),
    )
    relay = SmtpRelay(
        RelaySettings(
            "127.0.0.1",
            port,
            timeout_seconds=timeout,
            sender="2InS Basilicata <noreply@it-basilicata.test>",
            message_id_domain="it-basilicata.test",
        )
    )
    return MailDelivery(
        store,
        notifier,
        relay,
        lambda: datetime.now(UTC),
        backoff=Backoff(first=timedelta(milliseconds=200), longest=timedelta(seconds=1)),
        batch=20,
    )


def _queue(store: NodeStore, count: int, recipient: str = "person{}@example.org") -> list[str]:
    ids = []
    now = datetime.now(UTC)
    with store.write() as repositories:
        for number in range(count):
            mail_id = repositories.mails.add(
                MailDraft(
                    f"test:{number}:{recipient}",
                    NotificationKind.REFERRAL_RECEIVED,
                    recipient.format(number),
                    "it",
                    f"Mail {number}",
                    f"Testo {number}",
                    f"<p>Testo {number}</p>",
                ),
                now,
            )
            assert mail_id is not None
            ids.append(mail_id)
    return ids


def _run_until_settled(delivery: MailDelivery, store: NodeStore, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        delivery.deliver_due()
        with store.read() as repositories:
            counts = repositories.mails.counts()
        if not counts.get("QUEUED") and not counts.get("RETRYING"):
            return
        time.sleep(0.05)
    raise AssertionError(f"mails still waiting after {seconds} s: {counts}")


def test_every_mail_arrives_once_through_a_relay_that_fails_in_every_way(tmp_path: Path) -> None:
    store = _store(tmp_path)
    faults = (
        "--fail-first",
        "3",
        "--drop-first",
        "3",
        "--stall-first",
        "2",
        "--stall-seconds",
        "4",
    )
    with mail_catcher(*faults) as catcher:
        ids = _queue(store, 40)
        _run_until_settled(_delivery(store, catcher), store)
        received = catcher.messages()
        stats = catcher.stats()
    message_ids = Counter(message["message_id"] for message in received)
    assert set(message_ids) == {f"<{mail_id}@it-basilicata.test>" for mail_id in ids}
    assert max(message_ids.values()) == 1, "a mail was sent twice"
    assert stats["failed_temporarily"] == 3
    assert stats["dropped"] == 3
    assert stats["stalled"] == 2
    with store.read() as repositories:
        mails = [repositories.mails.get(mail_id) for mail_id in ids]
    assert {mail.state for mail in mails} == {MailState.SENT}
    retried = [mail for mail in mails if mail.attempts > 1]
    assert len(retried) >= 3
    assert all(mail.last_error == "" for mail in mails)  # the last attempt succeeded
    print(f"\n40 mails through a failing relay: {len(retried)} needed a retry, none sent twice")


def test_a_refused_recipient_or_a_bad_address_fails_that_mail_alone(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with mail_catcher("--refuse-recipient", "gone@") as catcher:
        good = _queue(store, 3)
        refused = _queue(store, 1, "gone@example.org")
        unparsable = _queue(store, 1, "not an address")
        _run_until_settled(_delivery(store, catcher), store)
        received = catcher.messages()
    assert len(received) == 3
    with store.read() as repositories:
        assert {repositories.mails.get(mail_id).state for mail_id in good} == {MailState.SENT}
        bounced = repositories.mails.get(refused[0])
        bad = repositories.mails.get(unparsable[0])
    assert bounced.state is MailState.FAILED
    assert "550" in bounced.last_error
    assert bounced.attempts == 1
    assert bad.state is MailState.FAILED
    assert "does not parse" in bad.last_error


def test_a_relay_that_is_down_is_retried_with_backoff_then_reached(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ids = _queue(store, 5)
    with mail_catcher() as catcher:
        port = catcher.smtp_port
    # The relay is gone: every mail waits its backoff, none is lost.
    down = SmtpRelay(RelaySettings("127.0.0.1", port, timeout_seconds=1))
    with mail_catcher() as catcher:
        delivery = _delivery(store, catcher)
        delivery._relay = down  # the same job, pointed at the address nobody answers
        delivery.deliver_due()
        with store.read() as repositories:
            waiting = [repositories.mails.get(mail_id) for mail_id in ids]
        assert {mail.state for mail in waiting} == {MailState.RETRYING}
        assert all("cannot reach the relay" in mail.last_error for mail in waiting)
        delivery._relay = SmtpRelay(
            RelaySettings("127.0.0.1", catcher.smtp_port, timeout_seconds=2)
        )
        _run_until_settled(delivery, store)
        assert len(catcher.messages()) == 5


def test_mails_per_second_through_the_outbox(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with mail_catcher() as catcher:
        _queue(store, 200)
        delivery = _delivery(store, catcher)
        started = time.perf_counter()
        _run_until_settled(delivery, store)
        seconds = time.perf_counter() - started
        assert len(catcher.messages()) == 200
    print(
        f"\n200 mails through the outbox to a local relay in {seconds:.2f} s: {200 / seconds:.0f}/s"
    )


def test_a_daily_saved_search_mails_one_digest_a_day(tmp_path: Path) -> None:
    from twoins.node.domain.notification import AlertFrequency, Person, SavedSearch, SearchTarget
    from twoins.node.store.catalogue_index import CatalogueChange, IndexedEntry
    from twoins.v1 import need_pb2

    store = _store(tmp_path)
    with mail_catcher() as catcher:
        delivery = _delivery(store, catcher)
        notifier = delivery.notifier
        now = datetime.now(UTC)
        person = Person("subject-1", "giulia@example.org", "Giulia", frozenset({"expert"}))
        with store.write() as repositories:
            repositories.people.seen(person, now)
            repositories.saved_searches.add(
                SavedSearch(
                    "00000000-0000-4000-8000-000000000001",
                    person.subject,
                    SearchTarget.NEEDS,
                    query="olive oil",
                    frequency=AlertFrequency.DAILY,
                ),
                now,
            )

        def entry(number: int, title: str) -> CatalogueChange:
            message = need_pb2.AnonymisedNeed(title=title).SerializeToString()
            entry_id = f"00000000-0000-4000-8000-1000000000{number:02d}"
            return CatalogueChange(
                "need",
                entry_id,
                IndexedEntry(
                    entry_id,
                    "gr-attica",
                    frozenset({"BUSINESS_PARTNER"}),
                    frozenset(),
                    frozenset(),
                    frozenset(),
                    frozenset(title.casefold().split()),
                    now,
                    message,
                    None,
                    None,
                ),
            )

        changes = [entry(1, "Olive oil press"), entry(2, "Olive oil exports"), entry(3, "Wine")]
        with store.write() as repositories:
            notifier.catalogue_changed(repositories, changes)
            notifier.catalogue_changed(repositories, changes)  # the same entries again
        with store.write() as repositories:
            assert notifier.send_digests(repositories, datetime.now(UTC)) == 1
        with store.write() as repositories:
            assert notifier.send_digests(repositories, datetime.now(UTC)) == 0  # nothing new
        _run_until_settled(delivery, store)
        received = catcher.messages()
    assert len(received) == 1
    assert received[0]["subject"] == "2 nuovi risultati per la vostra ricerca salvata «olive oil»"
    assert "Olive oil press" in received[0]["text"]
    assert "Wine" not in received[0]["text"]
