"""The relay connection as production relays want it: STARTTLS with a certificate checked
against the configured CA, then a login with the password read from its file. A wrong
password, or a relay without STARTTLS, keeps the mail for a retry with a reason to act on."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.postgres import free_port
from twoins.node.domain.notification import Mail, MailState, NotificationKind
from twoins.node.notify.smtp import DeliveryError, RelaySettings, SmtpRelay, build_message

USER, PASSWORD = "it-basilicata-node", "relay-secret"


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _Keep:
    def __init__(self) -> None:
        self.mails: list[Envelope] = []

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.mails.append(envelope)
        return "250 Message accepted"


def _authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object
) -> AuthResult:
    good = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=good, handled=False)


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[int, Path, _Keep]]:
    cert_file, key_file = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    keep = _Keep()
    port = free_port()
    controller = Controller(
        keep,
        hostname="localhost",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_require_tls=True,
    )
    controller.start()
    yield port, cert_file, keep
    controller.stop()


def _mail() -> Mail:
    return Mail(
        "0b7a1c36-8e6e-4c83-9b43-1b6b1d3e7a10",
        NotificationKind.REFERRAL_RECEIVED,
        "giulia@example.org",
        "it",
        "Nuova segnalazione",
        MailState.QUEUED,
        0,
        "",
        dt.datetime.now(dt.UTC),
        None,
        None,
        "Testo",
        "<p>Testo</p>",
    )


def _send(settings: RelaySettings) -> None:
    relay = SmtpRelay(settings)
    with relay.connect() as client:
        relay.send(client, build_message(_mail(), settings))


def _with_login(port: int, ca_file: Path, folder: Path, password: str) -> RelaySettings:
    password_file = folder / "smtp-password"
    password_file.write_text(password, encoding="utf-8")
    return RelaySettings(
        "localhost",
        port,
        starttls=True,
        user=USER,
        password_file=password_file,
        ca_file=ca_file,
        timeout_seconds=5,
    )


def test_starttls_and_login_then_the_mail(relay: tuple[int, Path, _Keep], tmp_path: Path) -> None:
    port, ca_file, keep = relay
    _send(_with_login(port, ca_file, tmp_path, PASSWORD + "\n"))
    assert len(keep.mails) == 1


def test_a_wrong_password_or_no_tls_is_kept_for_a_retry_with_the_reason(
    relay: tuple[int, Path, _Keep], tmp_path: Path
) -> None:
    port, ca_file, keep = relay
    with pytest.raises(DeliveryError) as refused:
        _send(_with_login(port, ca_file, tmp_path, "wrong"))
    assert not refused.value.permanent
    assert "refused the login" in str(refused.value)
    assert "smtp_password_file" in str(refused.value)
    with pytest.raises(DeliveryError) as untrusted:
        _send(RelaySettings("localhost", port, starttls=True, timeout_seconds=5))
    assert not untrusted.value.permanent
    with pytest.raises(DeliveryError) as plain:
        _send(RelaySettings("localhost", port, timeout_seconds=5))
    assert not plain.value.permanent
    assert "STARTTLS" in str(plain.value)
    assert not keep.mails
