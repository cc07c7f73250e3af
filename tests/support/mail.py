"""A real SMTP server for tests: the project's mail catcher as its own process, optionally
misbehaving, read back through its JSON API."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests

from tests.support.postgres import free_port


class MailCatcher:
    def __init__(self, smtp_port: int, web_port: int, process: subprocess.Popen[bytes]) -> None:
        self.smtp_port = smtp_port
        self.web_port = web_port
        self.process = process

    def _get(self, path: str) -> Any:
        reply = requests.get(f"http://127.0.0.1:{self.web_port}{path}", timeout=5)
        reply.raise_for_status()
        return reply.json()

    def messages(self) -> list[dict[str, Any]]:
        return list(self._get("/api/messages"))

    def stats(self) -> dict[str, int]:
        return dict(self._get("/api/stats"))

    def clear(self) -> None:
        requests.delete(f"http://127.0.0.1:{self.web_port}/api/messages", timeout=5)

    def wait_for(
        self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 60.0
    ) -> dict[str, Any]:
        """The first kept mail `wanted` accepts, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages():
                if wanted(message):
                    return message
            time.sleep(0.1)
        raise AssertionError(
            f"no such mail within {timeout:.0f} s; kept: "
            + "; ".join(f"{m['to']} {m['subject']!r}" for m in self.messages())
        )


@contextmanager
def mail_catcher(*faults: str) -> Iterator[MailCatcher]:
    smtp_port, web_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "twoins.cli.main",
            "mailcatcher",
            "--smtp",
            f"127.0.0.1:{smtp_port}",
            "--web",
            f"127.0.0.1:{web_port}",
            *faults,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    catcher = MailCatcher(smtp_port, web_port, process)
    deadline = time.monotonic() + 30
    while True:
        try:
            catcher.stats()
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the mail catcher did not start") from None
            time.sleep(0.1)
    try:
        yield catcher
    finally:
        process.terminate()
        process.wait(10)
