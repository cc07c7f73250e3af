"""Sends the outbox's mails through the relay: due mails in batches on one connection, each
outcome recorded in its own transaction (sent, retried with backoff, or failed with the relay's
reason); and once a day the digests of daily saved searches.

A mail is marked sent only after the relay accepted it. If the node stops between the two, the
mail is sent again on restart with the same Message-ID, which mail systems treat as one mail;
nothing else can send it twice."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from twoins.node.domain.notification import Backoff, Mail, MailState
from twoins.node.metrics import NodeMetrics
from twoins.node.notify.notifier import Notifier
from twoins.node.notify.smtp import DeliveryError, RelaySettings, SmtpRelay, build_message
from twoins.node.store.node_store import NodeStore

logger = logging.getLogger(__name__)


class MailDelivery:
    def __init__(
        self,
        store: NodeStore,
        notifier: Notifier,
        relay: SmtpRelay,
        clock: Callable[[], datetime],
        *,
        metrics: NodeMetrics | None = None,
        backoff: Backoff | None = None,
        interval: float = 1.0,
        batch: int = 50,
        digest_hour: int = 7,
    ) -> None:
        self._store = store
        self._notifier = notifier
        self._relay = relay
        self._clock = clock
        self._metrics = metrics
        self._backoff = backoff or Backoff()
        self._interval = interval
        self._batch = batch
        self._digest_hour = digest_hour
        self._digested_on: str = ""
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="mail-delivery", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._notifier.mail_written.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._notifier.mail_written.wait(self._interval)
            self._notifier.mail_written.clear()
            if self._stopping.is_set():
                return
            try:
                self.digest_if_due()
                while self.deliver_due() >= self._batch and not self._stopping.is_set():
                    pass
            except Exception:  # the job must outlive any one failure; it is logged and retried
                logger.exception("mail delivery failed; trying again shortly")

    @property
    def notifier(self) -> Notifier:
        return self._notifier

    @property
    def relay_settings(self) -> RelaySettings:
        return self._relay.settings

    def digest_if_due(self) -> int:
        now = self._clock()
        today = now.date().isoformat()
        if now.hour < self._digest_hour or self._digested_on == today:
            return 0
        with self._store.write() as repositories:
            written = self._notifier.send_digests(repositories, now)
        self._digested_on = today
        return written

    def deliver_due(self) -> int:
        """Tries the mails due now (up to a batch) on one connection; returns how many it
        tried. A connection the relay drops ends the round: the mails after it wait for the
        next one (a second later) without losing an attempt."""
        with self._store.read() as repositories:
            due = repositories.mails.due(self._clock(), self._batch)
        if not due:
            return 0
        tried = 0
        try:
            with self._relay.connect() as client:
                for mail in due:
                    if self._stopping.is_set():
                        break
                    tried += 1
                    try:
                        self._relay.send(client, build_message(mail, self._relay.settings))
                    except DeliveryError as error:
                        self._record(mail, error)
                        if error.connection_lost:
                            break
                        continue
                    self._record(mail, None)
        except DeliveryError as error:
            if tried:
                return tried  # the connection failed while closing: what was sent is recorded
            # The relay cannot be reached or refused the session: every mail of the round
            # counts an attempt and waits its backoff, so a relay that is down is not hammered.
            for mail in due:
                self._record(mail, error)
        return len(due)

    def _record(self, mail: Mail, error: DeliveryError | None) -> None:
        now = self._clock()
        if error is None:
            state, next_attempt, outcome = MailState.SENT, None, "sent"
        else:
            next_attempt = (
                None if error.permanent else self._backoff.next_attempt(mail.attempts + 1, now)
            )
            state = MailState.RETRYING if next_attempt is not None else MailState.FAILED
            outcome = "retry" if next_attempt is not None else "failed"
            log = logger.warning if state is MailState.FAILED else logger.info
            log(
                "mail not sent",
                extra={
                    "mail": mail.id,
                    "kind": mail.kind.name,
                    "reason": str(error),
                    "state": state.name,
                },
            )
        with self._store.write() as repositories:
            repositories.mails.record_attempt(mail.id, state, now, str(error or ""), next_attempt)
        if self._metrics is not None:
            self._metrics.mail_attempts.labels(mail.kind.name.lower(), outcome).inc()
