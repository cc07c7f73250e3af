"""Mail through the outbox: how many mails a second the delivery job hands to a local relay
(the project's mail catcher, a real SMTP server process), against the same messages sent with
bare smtplib on one connection (the floor); and the time from a committed change to its mail
accepted by the relay, p50 and p99, with the delivery job running as in a node."""

from __future__ import annotations

import smtplib
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.report import latency_summary, record
from tests.bench.sizes import size
from tests.support.mail import MailCatcher, mail_catcher
from twoins.node.domain.need import Need, NeedType
from twoins.node.domain.notification import MailDraft, NotificationKind, Person
from twoins.node.jobs.mail_delivery import MailDelivery
from twoins.node.notify.links import LinkSigner
from twoins.node.notify.notifier import Notifier, need_record
from twoins.node.notify.render import MailRenderer
from twoins.node.notify.smtp import RelaySettings, SmtpRelay, build_message
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore

MAILS = size(2_000, 60)
CHANGES = size(200, 10)


def _clock() -> datetime:
    return datetime.now(UTC)


def _setup(folder: Path, catcher: MailCatcher) -> tuple[NodeStore, Notifier, MailDelivery]:
    database = Database(f"sqlite:///{folder / 'node.db'}")
    database.upgrade()
    store = NodeStore(database)
    notifier = Notifier(
        "it-basilicata",
        {},
        "it",
        MailRenderer("Basilicata", "IT"),
        LinkSigner("it-basilicata", b"k" * 32),
        "https://console.test",
        _clock,
    )
    relay = SmtpRelay(
        RelaySettings("127.0.0.1", catcher.smtp_port, message_id_domain="it-basilicata.test")
    )
    return store, notifier, MailDelivery(store, notifier, relay, _clock, batch=50)


def _drafts(store: NodeStore, count: int) -> None:
    with store.write() as repositories:
        for number in range(count):
            repositories.mails.add(
                MailDraft(
                    f"bench:{number}",
                    NotificationKind.REFERRAL_RECEIVED,
                    f"person{number}@example.org",
                    "it",
                    f"Nuova segnalazione {number}",
                    "Testo " * 80,
                    "<p>Testo</p>" * 40,
                ),
                _clock(),
            )


def _outbox_rate(folder: Path) -> tuple[float, float]:
    with mail_catcher() as catcher:
        store, _notifier, delivery = _setup(folder, catcher)
        _drafts(store, MAILS)
        with store.read() as repositories:
            queued = repositories.mails.due(_clock(), MAILS)
        started = time.perf_counter()
        while delivery.deliver_due():
            pass
        outbox = MAILS / (time.perf_counter() - started)
        assert len(catcher.messages()) == MAILS
        catcher.clear()
        messages = [build_message(mail, delivery.relay_settings) for mail in queued]
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", catcher.smtp_port, timeout=20) as client:
            for message in messages:
                client.send_message(message)
        bare = len(messages) / (time.perf_counter() - started)
        assert len(catcher.messages()) == MAILS
    return outbox, bare


def _change_to_mail(folder: Path) -> list[float]:
    latencies = []
    with mail_catcher() as catcher:
        store, notifier, delivery = _setup(folder, catcher)
        person = Person("subject-1", "giulia@example.org", "Giulia", frozenset({"facilitator"}))
        with store.write() as repositories:
            repositories.people.seen(person, _clock())
        delivery.start()
        try:
            for number in range(CHANGES):
                need = Need(
                    f"00000000-0000-4000-8000-{number:012d}",
                    "it-basilicata",
                    "00000000-0000-4000-8000-000000000000",
                    NeedType.BUSINESS_PARTNER,
                    f"Distributor wanted {number}",
                )
                started = time.perf_counter()
                with store.write() as repositories:
                    repositories.people.follow(need_record(need.id), person.subject)
                    notifier.need_returned(repositories, need, "add the markets", str(number))
                deadline = time.monotonic() + 30
                while len(catcher.messages()) <= number and time.monotonic() < deadline:
                    time.sleep(0.002)
                latencies.append(time.perf_counter() - started)
        finally:
            delivery.stop()
    return latencies


def test_mail_throughput_and_latency(tmp_path: Path) -> None:
    outbox, bare = _outbox_rate(tmp_path / "rate")
    latencies = _change_to_mail(tmp_path / "latency")
    figures = {
        "outbox_mails_per_s": round(outbox),
        **{f"change_to_mail_{key}": value for key, value in latency_summary(latencies).items()},
    }
    record(
        "mail outbox",
        figures,
        "mails/s; ms",
        {"bare_smtplib_mails_per_s": round(bare)},
        outbox / bare,
        f"{MAILS} mails; the ratio is the outbox's rate over bare smtplib on one connection; "
        f"latency over {CHANGES} changes, from commit to the relay's acceptance",
        samples_ms=[value * 1000 for value in latencies],
    )
