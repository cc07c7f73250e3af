"""Test hosts of the tests' own: Linux network namespaces joined to this one by veth pairs,
with links a test can cut, restore or make lossy. Needs root, iproute2 and (for loss)
nftables. Every address is in 198.18.0.0/16, of the range set aside for network tests
(RFC 2544): it names no real host, and exists only while a test's namespace does."""

from __future__ import annotations

import ipaddress
import os
import random
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: The links' half of the test range; the container journey's network takes the other half.
TEST_RANGE = ipaddress.IPv4Network("198.18.0.0/16")
#: /30 subnets of the range already handed out by this process.
_GIVEN: set[ipaddress.IPv4Network] = set()


class NamespacesUnavailable(Exception):
    """This machine cannot make network namespaces for the tests (not root, or no iproute2)."""


def _run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")


def _subnet() -> ipaddress.IPv4Network:
    subnets = list(TEST_RANGE.subnets(new_prefix=30))
    for _ in range(1000):
        subnet = random.SystemRandom().choice(subnets)
        if subnet not in _GIVEN:
            _GIVEN.add(subnet)
            return subnet
    raise RuntimeError("no free /30 left in the test range")


@dataclass
class Link:
    """A veth pair between this namespace (the host side) and a test namespace (the guest
    side), each end with an address of one /30."""

    namespace: str
    host_device: str
    guest_device: str
    host_address: str
    guest_address: str
    _loss_table: str = field(default="", repr=False)

    def cut(self) -> None:
        """Takes the host end down: nothing crosses, and neither end's process is told."""
        _run("ip", "link", "set", self.host_device, "down")

    def restore(self) -> None:
        _run("ip", "link", "set", self.host_device, "up")

    def lose(self, percent: int) -> None:
        """Drops `percent` % of the packets crossing the link, both ways, at random (an
        nftables table inside the test namespace, on the guest end only)."""
        self.clear_loss()
        table = f"twoins_loss_{self.guest_device}"
        device = self.guest_device
        rules = (
            f"table inet {table} {{\n"
            f"  chain inbound {{\n"
            f"    type filter hook input priority 0; policy accept;\n"
            f'    iifname "{device}" numgen random mod 100 < {percent} drop\n'
            f"  }}\n"
            f"  chain outbound {{\n"
            f"    type filter hook output priority 0; policy accept;\n"
            f'    oifname "{device}" numgen random mod 100 < {percent} drop\n'
            f"  }}\n"
            f"}}\n"
        )
        result = subprocess.run(
            ["ip", "netns", "exec", self.namespace, "nft", "-f", "-"],
            input=rules,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"nft refused the loss rules: {result.stderr.strip()}")
        self._loss_table = table

    def clear_loss(self) -> None:
        if self._loss_table:
            _run(
                "ip", "netns", "exec", self.namespace, "nft", "delete", "table", "inet",
                self._loss_table,
            )  # fmt: skip
            self._loss_table = ""


@dataclass
class Namespace:
    """A network namespace of a test, with its links to this one."""

    name: str
    links: list[Link]

    def command(self, command: list[str]) -> list[str]:
        """`command` run inside the namespace."""
        return ["ip", "netns", "exec", self.name, *command]


def check_available() -> None:
    """Raises NamespacesUnavailable with the reason when this machine cannot make them."""
    if os.geteuid() != 0:
        raise NamespacesUnavailable("network namespaces need root")
    for tool in ("ip", "nft"):
        if shutil.which(tool) is None:
            raise NamespacesUnavailable(
                f"{tool} not found: install the Debian packages iproute2 and nftables"
            )


@contextmanager
def namespace_with_links(links: int) -> Iterator[Namespace]:
    """A fresh namespace joined to this one by `links` veth pairs; removed with its links
    whatever happens."""
    check_available()
    tag = secrets.token_hex(3)
    name = f"twoins-{tag}"
    _run("ip", "netns", "add", name)
    devices = [f"tw{tag}{index}h" for index in range(links)]
    try:
        _run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield Namespace(name, [_make_link(name, device) for device in devices])
    finally:
        # Deleting a host end destroys its pair at once, even while a process that has not
        # yet been reaped keeps the namespace alive.
        for device in devices:
            subprocess.run(["ip", "link", "del", device], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)


def _make_link(namespace: str, host_device: str) -> Link:
    subnet = _subnet()
    host_address, guest_address = (str(address) for address in list(subnet.hosts())[:2])
    guest_device = host_device[:-1] + "g"
    _run("ip", "link", "add", host_device, "type", "veth", "peer", "name", guest_device)
    _run("ip", "link", "set", guest_device, "netns", namespace)
    _run("ip", "addr", "add", f"{host_address}/30", "dev", host_device)
    _run("ip", "link", "set", host_device, "up")
    inside = ["ip", "netns", "exec", namespace]
    _run(*inside, "ip", "addr", "add", f"{guest_address}/30", "dev", guest_device)
    _run(*inside, "ip", "link", "set", guest_device, "up")
    return Link(namespace, host_device, guest_device, host_address, guest_address)
