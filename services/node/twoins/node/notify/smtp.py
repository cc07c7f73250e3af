"""The SMTP relay mails go through: one connection per batch, STARTTLS and a login when
configured, each mail's outcome told apart as sent, worth retrying, or refused for good."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from twoins.node.domain.notification import Mail, parse_recipient


@dataclass(frozen=True)
class RelaySettings:
    host: str
    port: int = 25
    starttls: bool = False
    user: str = ""
    password_file: Path | None = None
    #: The CA certificates that sign the relay's (a private CA); the system's when None.
    ca_file: Path | None = None
    timeout_seconds: float = 20.0
    sender: str = "noreply@localhost"
    #: The domain of Message-IDs: "<mail id>@<domain>".
    message_id_domain: str = "twoins.local"


class DeliveryError(Exception):
    """An attempt failed: `permanent` when trying again cannot help (a refused recipient, an
    address that does not parse), else it is retried."""

    def __init__(self, reason: str, *, permanent: bool, connection_lost: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        #: The relay closed or stalled the connection: the session cannot go on.
        self.connection_lost = connection_lost


def message_id(mail_id: str, domain: str) -> str:
    return f"<{mail_id}@{domain}>"


def build_message(mail: Mail, settings: RelaySettings) -> EmailMessage:
    try:
        recipient = parse_recipient(mail.recipient)
    except ValueError as error:
        raise DeliveryError(str(error), permanent=True) from None
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.create_time)
    # The same id on every attempt: a mail the relay took twice (its answer lost) is one mail.
    message["Message-ID"] = message_id(mail.id, settings.message_id_domain)
    message["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    # After the body: setting the content replaces every Content- header.
    message["Content-Language"] = mail.language
    return message


#: Refusals of the session, not of the mail (TLS or a login required, credentials refused):
#: the operator's to fix, so the mail waits for a retry.
_SESSION_CODES = frozenset({530, 534, 535, 538})


def _reason(code: int, text: bytes | str) -> str:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {shown}".strip()


class SmtpRelay:
    def __init__(self, settings: RelaySettings) -> None:
        self.settings = settings

    def _password(self) -> str:
        if self.settings.password_file is None:
            return ""
        try:
            return self.settings.password_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise DeliveryError(
                f"cannot read the relay's password file {self.settings.password_file}: {error}",
                permanent=False,
            ) from None

    @contextmanager
    def connect(self) -> Iterator[smtplib.SMTP]:
        """A connection to the relay, upgraded and logged in as configured."""
        settings = self.settings
        try:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(
                f"cannot reach the relay {settings.host}:{settings.port}: {error}", permanent=False
            ) from None
        try:
            client.ehlo()
            if settings.starttls:
                client.starttls(
                    context=ssl.create_default_context(
                        cafile=str(settings.ca_file) if settings.ca_file else None
                    )
                )
                client.ehlo()
            if settings.user:
                client.login(settings.user, self._password())
            yield client
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(
                f"the relay refused the login of {settings.user}: "
                f"{_reason(error.smtp_code, error.smtp_error)}; check smtp_user and "
                "smtp_password_file",
                permanent=False,
            ) from None
        except smtplib.SMTPNotSupportedError as error:
            raise DeliveryError(f"the relay does not offer {error}", permanent=False) from None
        except (OSError, smtplib.SMTPException) as error:
            if isinstance(error, DeliveryError):
                raise
            raise DeliveryError(f"the relay connection failed: {error}", permanent=False) from None
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def send(self, client: smtplib.SMTP, message: EmailMessage) -> None:
        """Sends one message on an open session; raises DeliveryError saying why it failed."""
        try:
            refused = client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise DeliveryError(
                f"the relay refused the recipient: {_reason(code, text)}", permanent=code >= 500
            ) from None
        except smtplib.SMTPResponseException as error:
            reason = _reason(error.smtp_code, error.smtp_error)
            if error.smtp_code in _SESSION_CODES:
                raise DeliveryError(
                    f"the relay refused the session: {reason}; it wants STARTTLS or a login: "
                    "check smtp_starttls, smtp_user and smtp_password_file",
                    permanent=False,
                ) from None
            raise DeliveryError(
                f"the relay refused the mail: {reason}",
                permanent=500 <= error.smtp_code < 600,
            ) from None
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as error:
            raise DeliveryError(
                f"the relay closed or stalled during the mail: {error or type(error).__name__}",
                permanent=False,
                connection_lost=True,
            ) from None
        except smtplib.SMTPException as error:
            raise DeliveryError(f"the relay failed: {error}", permanent=False) from None
        if refused:
            code, text = next(iter(refused.values()))
            raise DeliveryError(
                f"the relay refused the recipient: {_reason(code, text)}", permanent=code >= 500
            )
