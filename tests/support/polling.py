"""Waiting for a server: an HTTP URL polled until it answers 200."""

from __future__ import annotations

import time
import urllib.request


def answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - http only
            return bool(response.status == 200)
    except OSError:
        return False


def wait_http_ok(url: str, timeout: float, interval: float = 0.2) -> None:
    """Returns once `url` answers 200; RuntimeError naming it after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not answers_ok(url):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f}s")
        time.sleep(interval)
