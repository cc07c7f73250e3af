"""The local run's mail catcher: started by `twoins network up`, it takes every node's mail and
shows it on a web page, so the demo's referral mails can be read."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from twoins.cli.processes import ManagedProcess, twoins_command
from twoins.common.network import Network

MAIL = "mail"


def _web_address(network: Network) -> str:
    port = network.network.mail_url.rsplit(":", 1)[1]
    return f"127.0.0.1:{port}"


def mail_ready(network: Network) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://{_web_address(network)}/api/stats", timeout=2
        ) as reply:
            return bool(reply.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


def start_mail_catcher(network: Network, data_dir: Path) -> ManagedProcess:
    process = ManagedProcess(
        MAIL,
        twoins_command(
            "mailcatcher", "--smtp", network.network.mail_smtp, "--web", _web_address(network)
        ),
        data_dir / "logs" / "mail.log",
    )
    process.start({})
    return process


def node_mail_environment(network: Network) -> dict[str, str]:
    """What a node needs to mail through the catcher."""
    host, _, port = network.network.mail_smtp.rpartition(":")
    return {
        "TWOINS_SMTP_HOST": host,
        "TWOINS_SMTP_PORT": port,
        "TWOINS_CONSOLE_URL": network.network.gateway_url,
    }
