"""`twoins network up|down|status` and `twoins seed`: the whole network as local processes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import time
from functools import partial
from pathlib import Path

import click
import grpc
from rich.console import Console
from rich.table import Table

from twoins.cli.broker import is_healthy as broker_healthy
from twoins.cli.broker import load_or_create_passwords
from twoins.cli.demo_data import seed_knowledge, seed_region
from twoins.cli.demo_referrals import DEMO_REFERRALS, RegionClients, seed_referral
from twoins.cli.edge import (
    HUB,
    any_server_answering,
    leaf_addresses,
    leaf_name,
    node_bus_environment,
    start_edge,
)
from twoins.cli.front_door import (
    GATEWAY,
    IDENTITY,
    gateway_ready,
    identity_ready,
    identity_server,
    internal_realm_url,
    issuer,
    node_auth_environment,
    start_gateway,
)
from twoins.cli.keycloak import KeycloakError, KeycloakServer
from twoins.cli.keys import init_network_keys
from twoins.cli.mail import MAIL, mail_ready, node_mail_environment, start_mail_catcher
from twoins.cli.node_client import NodeClient
from twoins.cli.observability import (
    MONITOR,
    PROMETHEUS,
    monitor_ready,
    prometheus_ready,
    start_monitor,
    start_prometheus,
    wait_ready,
)
from twoins.cli.processes import ManagedProcess, twoins_command
from twoins.cli.tokens import TokenError, demo_user_token
from twoins.common.broker_config import network_users
from twoins.common.network import DEFAULT_NETWORK_FILE, ConfigError, Network, load_network
from twoins.common.realm_config import (
    CLUSTER_MANAGER,
    DEMO_PASSWORD,
    EXPERT,
    FACILITATOR,
    NETWORK_COORDINATOR,
    REALM,
    demo_username,
    dev_node_secret,
)

console = Console(stderr=True)

_STATE_FILE = "network.json"


def _load(network_file: Path) -> Network:
    try:
        return load_network(network_file)
    except ConfigError as error:
        raise click.ClickException(f"configuration error: {error}") from None


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    """SIGTERM stops a foreground run the way Ctrl-C does."""
    raise KeyboardInterrupt


def _start_bus(network: Network, data_dir: Path, passwords: dict[str, str]) -> list[ManagedProcess]:
    """The NATS hub with JetStream and one leaf server per region, with their streams."""
    answering = any_server_answering(network)
    if answering:
        raise click.ClickException(
            f"{answering} of this network already answers; stop it or run "
            "`twoins network down` first"
        )
    with console.status("starting the NATS hub and one leaf server per region…"):
        try:
            servers = start_edge(network, data_dir, passwords)
        except Exception as error:
            raise click.ClickException(f"the bus did not start: {error}") from None
    console.print(
        f"  [green]✓[/] NATS hub with JetStream on {network.network.bus_url}, "
        f"{len(servers) - 1} regional leaf servers"
    )
    # Beside the hub, so that a restart of the hub costs the regions seconds, not 40 s.
    keeper = ManagedProcess(
        "bus-keeper",
        twoins_command("bus", "keeper", "--hub", network.network.bus_url),
        data_dir / "logs" / "bus-keeper.log",
    )
    keeper.start({"TWOINS_NATS_OPS_PASSWORD": passwords["ops"]})
    return [*servers.values(), keeper]


def _health(healthy: bool) -> str:
    return "healthy" if healthy else "down"


def _start_identity(network: Network, data_dir: Path, bus: list[ManagedProcess]) -> KeycloakServer:
    """Keycloak with the dev realm (demo users); its data stays in `data_dir` between runs."""
    server = identity_server(network, data_dir)
    try:
        with console.status("starting Keycloak (the first run fetches and builds it)…"):
            server.start(progress=lambda message: console.print(f"  {message}"))
    except KeycloakError as error:
        for bus_server in reversed(bus):
            bus_server.stop()
        raise click.ClickException(str(error)) from None
    console.print(f"  [green]✓[/] Keycloak on {network.network.identity_url} (realm {REALM})")
    return server


def _service_statuses(network: Network) -> list[dict[str, str]]:
    info = network.network
    return [
        {
            "name": HUB,
            "status": _health(broker_healthy(info.bus_monitor_port)),
            "url": info.bus_url,
        },
        *(
            {
                "name": leaf_name(region),
                "status": _health(broker_healthy(leaf.monitor_port)),
                "url": leaf.url,
            }
            for region, leaf in leaf_addresses(network).items()
        ),
        {
            "name": IDENTITY,
            "status": _health(identity_ready(network)),
            "url": info.identity_url,
            "realm": REALM,
            "issuer": issuer(network),
        },
        {
            "name": MAIL,
            "status": _health(mail_ready(network)),
            "url": info.mail_url,
            "smtp": info.mail_smtp,
        },
        {
            "name": MONITOR,
            "status": _health(monitor_ready(network)),
            "grpc": info.monitor_grpc,
            "url": f"http://{info.monitor_metrics}/metrics",
        },
        {
            "name": PROMETHEUS,
            "status": _health(prometheus_ready(network)),
            "url": info.prometheus_url,
        },
        {
            "name": GATEWAY,
            "status": _health(gateway_ready(network)),
            "url": info.gateway_url,
            "console": f"{info.gateway_url}/",
            "api": f"{info.gateway_url}/api/docs",
        },
    ]


def _node_statuses(network: Network) -> list[dict[str, str]]:
    statuses = []
    for region in network.regions:
        with NodeClient(region.endpoints.grpc) as client:
            healthy = client.is_serving(timeout=1.0)
        statuses.append(
            {
                "region": region.id,
                "status": "healthy" if healthy else "down",
                "grpc": region.endpoints.grpc,
            }
        )
    return statuses


def _wait_healthy(network: Network, processes: dict[str, ManagedProcess], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = {region.id: region.endpoints.grpc for region in network.regions}
    with console.status("waiting for the nodes to answer health checks…") as status:
        while pending:
            for region_id, address in list(pending.items()):
                process = processes.get(region_id)
                if process is not None and not process.running:
                    raise click.ClickException(
                        f"node {region_id} exited at start; its log ({process.log_path}) ends "
                        f"with:\n{process.last_log_lines()}"
                    )
                with NodeClient(address) as client:
                    if client.is_serving(timeout=0.5):
                        del pending[region_id]
                        console.print(f"  [green]✓[/] node {region_id} healthy on {address}")
            status.update(f"waiting for {len(pending)} node(s): {', '.join(pending)}")
            if pending and time.monotonic() > deadline:
                raise click.ClickException(
                    f"nodes not healthy after {timeout:.0f}s: {', '.join(pending)}; "
                    "see their logs under the data directory"
                )
            if pending:
                time.sleep(0.2)


def _seed(network: Network) -> None:
    """Seeds every region through its node's API, as its demo cluster manager and expert:
    SMEs with assessments, plans and needs, an expert offer and a knowledge item; then
    referrals between regions in different states."""
    realm_url = internal_realm_url(network)
    clients: dict[str, RegionClients] = {}
    try:
        for region in network.regions:
            try:
                manager = demo_user_token(realm_url, demo_username(CLUSTER_MANAGER, region.id))
                expert = demo_user_token(realm_url, demo_username(EXPERT, region.id))
            except TokenError as error:
                raise click.ClickException(f"cannot seed {region.id}: {error}") from None
            clients[region.id] = RegionClients(
                NodeClient(region.endpoints.grpc, partial(str, manager)),
                NodeClient(region.endpoints.grpc, partial(str, expert)),
            )
            counts = seed_region(clients[region.id].manager, region.id, clients[region.id].expert)
            counts["knowledge_items"] = seed_knowledge(clients[region.id].expert, region.id)
            console.print(
                f"  [green]✓[/] seeded {region.id}: "
                + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
            )
        for demo in DEMO_REFERRALS:
            if demo.need_region not in clients or demo.offer_region not in clients:
                continue
            try:
                state = seed_referral(demo, clients[demo.need_region], clients[demo.offer_region])
            except (RuntimeError, grpc.RpcError) as error:
                console.print(
                    f"  [yellow]![/] referral {demo.need_region} → {demo.offer_region} "
                    f"not seeded: {error}"
                )
                continue
            console.print(
                f"  [green]✓[/] referral {demo.need_region} → {demo.offer_region}: {state}"
            )
    finally:
        for pair in clients.values():
            pair.manager.close()
            pair.expert.close()


def _print_table(network: Network) -> None:
    table = Table(title="2InS Clusters network — local run")
    table.add_column("region")
    table.add_column("cluster")
    table.add_column("gRPC")
    table.add_column("status")
    for status, region in zip(_node_statuses(network), network.regions, strict=True):
        colour = "green" if status["status"] == "healthy" else "red"
        table.add_row(
            region.id,
            region.host_organisation,
            region.endpoints.grpc,
            f"[{colour}]{status['status']}[/]",
        )
    console.print(table)
    for service in _service_statuses(network):
        colour = "green" if service["status"] == "healthy" else "red"
        console.print(f"{service['name']}: {service['url']} [{colour}]{service['status']}[/]")
    info = network.network
    console.print(
        f"\n[bold]Console[/]: {info.gateway_url}/   [bold]API[/]: {info.gateway_url}/api/docs"
        f"   [bold]Keycloak admin[/]: {info.identity_url}/admin (admin / admin)"
        f"   [bold]Mail[/]: {info.mail_url}/"
    )
    example = network.regions[0].id
    console.print(
        f"Demo logins (password [bold]{DEMO_PASSWORD}[/]): "
        + ", ".join(
            f"{demo_username(role, '<region>')}" for role in (FACILITATOR, CLUSTER_MANAGER, EXPERT)
        )
        + f", {demo_username(NETWORK_COORDINATOR)}; e.g. {demo_username(FACILITATOR, example)}"
    )
    console.print(
        "Explore a node with any gRPC client, e.g. "
        "`grpcurl -plaintext 127.0.0.1:7105 list` (reflection is on; calls need a token)."
    )


@click.group("network")
def network_group() -> None:
    """Run the whole network on this machine."""


_network_option = click.option(
    "--network",
    "network_file",
    type=click.Path(path_type=Path),
    envvar="TWOINS_NETWORK_FILE",
    default=DEFAULT_NETWORK_FILE,
    show_default="deploy/network.yaml",
)
_data_option = click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=Path("var"),
    show_default=True,
    help="Where databases and logs live.",
)


@network_group.command("up")
@_network_option
@_data_option
@click.option("--reset", is_flag=True, help="Delete the data of earlier runs first.")
@click.option("--detach", is_flag=True, help="Return once healthy and leave it running.")
@click.option("--no-seed", is_flag=True, help="Do not load the demo data.")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for health.")
def up(
    network_file: Path, data_dir: Path, reset: bool, detach: bool, no_seed: bool, timeout: float
) -> None:
    """Start one node per region, wait until healthy, seed demo data, print where all listens."""
    network = _load(network_file)
    if reset and data_dir.exists():
        console.print(f"removing earlier data in {data_dir}")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    busy = [status["region"] for status in _node_statuses(network) if status["status"] == "healthy"]
    if busy:
        raise click.ClickException(
            f"nodes already answer for {', '.join(busy)}; run `twoins network down` first"
        )
    if identity_ready(network) or gateway_ready(network):
        raise click.ClickException(
            f"Keycloak ({network.network.identity_url}) or the gateway "
            f"({network.network.gateway_url}) already answers; run `twoins network down` first"
        )
    passwords = load_or_create_passwords(
        data_dir / "nats" / "passwords.json", network_users(network.region_ids)
    )
    signing = init_network_keys(data_dir / "keys", list(network.region_ids))
    console.print(f"  [green]✓[/] signing keys and the network key ring in {signing.folder}")
    bus = _start_bus(network, data_dir, passwords)
    identity = _start_identity(network, data_dir, bus)
    mail = start_mail_catcher(network, data_dir)
    try:
        wait_ready(partial(mail_ready, network), mail, "the mail catcher")
    except BaseException as error:
        stopping: list[ManagedProcess | KeycloakServer] = [mail, identity, *reversed(bus)]
        for service in stopping:
            service.stop()
        if isinstance(error, RuntimeError):
            raise click.ClickException(str(error)) from None
        raise
    console.print(f"  [green]✓[/] mail catcher on {network.network.mail_url}")
    # Stopped in this order: the gateway, then the nodes (they leave the bus before it goes),
    # then Keycloak and the bus.
    processes: dict[str, ManagedProcess | KeycloakServer] = {}
    nodes: dict[str, ManagedProcess] = {}
    for region in network.regions:
        process = ManagedProcess(
            f"node-{region.id}",
            twoins_command("node", "serve", "--region", region.id, "--network", str(network_file)),
            data_dir / "logs" / f"node-{region.id}.log",
        )
        process.start(
            {
                "TWOINS_DATA_DIR": str(data_dir),
                **node_bus_environment(network, region.id, passwords[region.id]),
                **signing.node_environment(region.id),
                # The dev realm's secret of the node's service account: referral disclosures.
                "TWOINS_NODE_CLIENT_SECRET": dev_node_secret(region.id),
                "TWOINS_METRICS_LISTEN": region.endpoints.metrics or "",
                **node_auth_environment(network),
                **node_mail_environment(network),
            }
        )
        nodes[region.id] = process
        console.print(
            f"  started node {region.id} (pid {process.process.pid if process.process else '?'})"
        )
    watchers: dict[str, ManagedProcess] = {}
    gateway: ManagedProcess | None = None
    try:
        _wait_healthy(network, nodes, timeout)
        watchers[MONITOR] = start_monitor(
            network,
            data_dir,
            network_file,
            passwords["monitor"],
            {**node_auth_environment(network), **signing.monitor_environment()},
        )
        wait_ready(partial(monitor_ready, network), watchers[MONITOR], "the monitor")
        console.print(f"  [green]✓[/] monitor on {network.network.monitor_grpc}")
        prometheus = start_prometheus(network, data_dir)
        if prometheus is None:
            console.print(
                "  Prometheus is not installed: skipped (Debian: apt-get install prometheus)"
            )
        else:
            watchers[PROMETHEUS] = prometheus
            wait_ready(partial(prometheus_ready, network), prometheus, "Prometheus")
            console.print(f"  [green]✓[/] Prometheus on {network.network.prometheus_url}")
        gateway = start_gateway(network, data_dir, network_file)
        with console.status("waiting for the gateway…"):
            wait_ready(partial(gateway_ready, network), gateway, "the gateway")
        console.print(f"  [green]✓[/] gateway on {network.network.gateway_url}")
        if not no_seed:
            _seed(network)
    except BaseException as error:
        started: list[ManagedProcess | KeycloakServer] = [
            *watchers.values(),
            *nodes.values(),
            mail,
            identity,
            *reversed(bus),
        ]
        for service in [gateway, *started] if gateway else started:
            service.stop()
        if isinstance(error, RuntimeError):
            raise click.ClickException(str(error)) from None
        raise
    processes = {
        GATEWAY: gateway,
        **nodes,
        **watchers,
        MAIL: mail,
        IDENTITY: identity,
        **{server.name: server for server in reversed(bus)},
    }
    _print_table(network)
    if detach:
        state = {
            name: process.process.pid
            for name, process in processes.items()
            if process.process is not None
        }
        (data_dir / _STATE_FILE).write_text(json.dumps(state, indent=2), encoding="utf-8")
        console.print(
            f"[bold]running in the background[/]; stop with "
            f"`twoins network down --data-dir {data_dir}`"
        )
        return
    console.print("[bold]network running[/]; press Ctrl-C to stop it")
    try:
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        while all(process.running for process in processes.values()):
            time.sleep(0.5)
        stopped = [name for name, process in processes.items() if not process.running]
        console.print(f"[red]stopped unexpectedly: {', '.join(stopped)}[/]; stopping the rest")
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        for name, service in processes.items():
            service.stop()
            console.print(f"  stopped {name}")


@network_group.command("down")
@_data_option
def down(data_dir: Path) -> None:
    """Stop a network started with `up --detach`."""
    state_file = data_dir / _STATE_FILE
    if not state_file.exists():
        raise click.ClickException(f"no detached network found in {data_dir}")
    state: dict[str, int] = json.loads(state_file.read_text(encoding="utf-8"))
    last = {name for name in state if name == IDENTITY or name.startswith("nats-")}
    nodes = {name: pid for name, pid in state.items() if name not in last}
    broker = {name: pid for name, pid in state.items() if name in last}
    # The gateway and nodes go first: the nodes leave the bus before the bus goes.
    for group in (nodes, broker):
        for name, pid in group.items():
            try:
                os.kill(pid, signal.SIGTERM)
                console.print(f"  stopping {name} (pid {pid})")
            except ProcessLookupError:
                console.print(f"  {name} was not running")
        deadline = time.monotonic() + 20
        for name, pid in group.items():
            if not _gone(pid, deadline):
                # Still there after its time to stop: a network half stopped would refuse the
                # next `up`, so it is made to stop.
                console.print(f"  [yellow]{name} did not stop in time; killing it[/]")
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                _gone(pid, time.monotonic() + 10)
    state_file.unlink()
    console.print("[green]network stopped[/]")


def _gone(pid: int, deadline: float) -> bool:
    """Whether the process has ended by `deadline` (checked every 0.1 s)."""
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


@network_group.command("status")
@_network_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def status(network_file: Path, as_json: bool) -> None:
    """Show which nodes answer health checks. Exits 1 when any is down."""
    network = _load(network_file)
    statuses = _node_statuses(network)
    if as_json:
        click.echo(
            json.dumps({"nodes": statuses, "services": _service_statuses(network)}, indent=2)
        )
    else:
        _print_table(network)
    if any(item["status"] != "healthy" for item in [*statuses, *_service_statuses(network)]):
        raise SystemExit(1)


@click.command("seed")
@_network_option
def seed(network_file: Path) -> None:
    """Load the demo data into running nodes (repeatable: nothing is created twice)."""
    _seed(_load(network_file))
