"""`twoins mailcatcher`: a real SMTP server that keeps every mail it accepts and shows them on a
web page, for a local network (`make run`) and for the tests. It can also misbehave on
purpose, as relays do: refuse recipients, answer "try later", stall, or close the connection
in the middle of a mail.

Web: `/` lists the mails, `/messages/<n>` shows one; `/api/messages` gives them as JSON,
`/api/stats` what the server did, and DELETE `/api/messages` empties it."""

from __future__ import annotations

import asyncio
import html
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import click
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Faults:
    """How the server misbehaves: the first N mails of each kind, then it behaves."""

    refuse_recipient: str = ""
    fail_first: int = 0
    stall_first: int = 0
    stall_seconds: float = 30.0
    drop_first: int = 0


@dataclass
class MailBox:
    faults: Faults = field(default_factory=Faults)
    messages: list[dict[str, Any]] = field(default_factory=list)
    stats: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep(self, envelope: Envelope) -> dict[str, Any]:
        content = envelope.original_content or b""
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        text = parsed.get_body(("plain",))
        rich = parsed.get_body(("html",))
        with self.lock:
            kept = {
                "id": len(self.messages) + 1,
                "message_id": str(parsed.get("Message-ID", "")),
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "subject": str(parsed.get("Subject", "")),
                "date": str(parsed.get("Date", "")),
                "language": str(parsed.get("Content-Language", "")),
                "list_unsubscribe": str(parsed.get("List-Unsubscribe", "")),
                "text": text.get_content() if text is not None else "",
                "html": rich.get_content() if rich is not None else "",
            }
            self.messages.append(kept)
            self.stats["accepted"] += 1
        return kept


class _Handler:
    def __init__(self, box: MailBox) -> None:
        self._box = box

    def _take(self, name: str, limit: int) -> bool:
        with self._box.lock:
            if self._box.stats[name] < limit:
                self._box.stats[name] += 1
                return True
            return False

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        wanted = self._box.faults.refuse_recipient
        if wanted and wanted in address:
            with self._box.lock:
                self._box.stats["refused"] += 1
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        faults = self._box.faults
        if self._take("failed_temporarily", faults.fail_first):
            return "451 4.3.0 try again later"
        if self._take("stalled", faults.stall_first):
            await asyncio.sleep(faults.stall_seconds)
            _close(server)
            return "421 4.4.2 timed out"
        if self._take("dropped", faults.drop_first):
            _close(server)
            return "421 4.4.2 closing"
        self._box.keep(envelope)
        return "250 Message accepted"


def _close(server: SMTP) -> None:
    """Closes the client's connection with no answer, as a relay that fails mid-mail does."""
    transport = getattr(server, "transport", None)
    if transport is not None:
        transport.close()


def _page(title: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


def web_handler(box: MailBox) -> type[BaseHTTPRequestHandler]:
    class Web(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with box.lock:
                messages = list(box.messages)
                stats = dict(box.stats)
            if self.path == "/api/messages":
                self._send(200, json.dumps(messages).encode(), "application/json")
            elif self.path == "/api/stats":
                self._send(200, json.dumps(stats).encode(), "application/json")
            elif self.path == "/":
                rows = "".join(
                    f"<tr><td><a href='/messages/{m['id']}'>{html.escape(m['subject'])}</a></td>"
                    f"<td>{html.escape(', '.join(m['to']))}</td><td>{html.escape(m['date'])}</td>"
                    "</tr>"
                    for m in reversed(messages)
                )
                table = (
                    f"<p>{len(messages)} mails</p><table><tr><th>Subject</th><th>To</th>"
                    f"<th>Date</th></tr>{rows}</table>"
                )
                self._send(200, _page("Mails sent by the network", table), "text/html")
            elif self.path.startswith("/messages/") and self.path[10:].isdigit():
                number = int(self.path[10:])
                if not 1 <= number <= len(messages):
                    self._send(404, _page("No such mail", ""), "text/html")
                    return
                m = messages[number - 1]
                body = (
                    f"<p>To {html.escape(', '.join(m['to']))} · {html.escape(m['date'])} · "
                    f"<a href='/'>all mails</a></p>"
                    f"<iframe sandbox srcdoc='{html.escape(m['html'], quote=True)}' "
                    "style='width:100%;height:24em;border:1px solid #ccc'></iframe>"
                    f"<pre>{html.escape(m['text'])}</pre>"
                )
                self._send(200, _page(m["subject"], body), "text/html")
            else:
                self._send(404, _page("Not found", "<a href='/'>all mails</a>"), "text/html")

        def do_DELETE(self) -> None:
            if self.path != "/api/messages":
                self._send(404, b"{}", "application/json")
                return
            with box.lock:
                box.messages.clear()
                box.stats.clear()
            self._send(200, b"{}", "application/json")

    return Web


def _split(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port)


@click.command("mailcatcher")
@click.option(
    "--smtp",
    "smtp_address",
    default="127.0.0.1:1025",
    show_default=True,
    help="Where the SMTP server listens (HOST:PORT).",
)
@click.option(
    "--web",
    "web_address",
    default="127.0.0.1:8025",
    show_default=True,
    help="Where the web page listens (HOST:PORT).",
)
@click.option(
    "--refuse-recipient", default="", help="Refuse recipients containing this text (550)."
)
@click.option(
    "--fail-first", default=0, type=click.IntRange(0), help="Answer 451 to the first N mails."
)
@click.option(
    "--stall-first",
    default=0,
    type=click.IntRange(0),
    help="Stall on the first N mails, then close without an answer.",
)
@click.option("--stall-seconds", default=30.0, type=click.FloatRange(0, 600), show_default=True)
@click.option(
    "--drop-first",
    default=0,
    type=click.IntRange(0),
    help="Close the connection in the middle of the first N mails.",
)
def mailcatcher(
    smtp_address: str,
    web_address: str,
    refuse_recipient: str,
    fail_first: int,
    stall_first: int,
    stall_seconds: float,
    drop_first: int,
) -> None:
    """Run a local SMTP server that keeps the mails and shows them on a web page."""
    box = MailBox(Faults(refuse_recipient, fail_first, stall_first, stall_seconds, drop_first))
    try:
        smtp_host, smtp_port = _split(smtp_address)
        web_host, web_port = _split(web_address)
    except ValueError:
        raise click.BadParameter("addresses are HOST:PORT, e.g. 127.0.0.1:1025") from None
    controller = Controller(_Handler(box), hostname=smtp_host, port=smtp_port, ready_timeout=10)
    try:
        controller.start()
        web = ThreadingHTTPServer((web_host, web_port), web_handler(box))
    except (OSError, RuntimeError) as error:
        raise click.ClickException(
            f"cannot listen ({error}); is another mail catcher running? pick other ports"
        ) from None
    click.echo(f"mail catcher: SMTP on {smtp_address}, mails on http://{web_address}/", err=True)
    try:
        web.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        web.server_close()
        controller.stop()
