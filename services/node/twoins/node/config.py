"""The node's configuration, read once at start: network.yaml, a file, the environment, flags."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from twoins.common.auth import AuthSettings
from twoins.common.network import (
    DEFAULT_NETWORK_FILE,
    ConfigError,
    HostPort,
    Network,
    Region,
    describe_validation_error,
    load_network,
)
from twoins.common.realm_config import API_AUDIENCE
from twoins.common.settings import LayeredSettings, read_layers


class NodeSettings(LayeredSettings):
    """What a config file (YAML), the environment (TWOINS_<NAME>) or a flag may set; every
    key is optional."""

    region: str | None = None
    listen: HostPort | None = None
    database_url: str | None = None
    data_dir: Path | None = None
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] | None = None
    shutdown_grace_seconds: float | None = Field(default=None, ge=0, le=300)
    expiry_sweep_seconds: float | None = Field(default=None, gt=0, le=86400)
    max_workers: int | None = Field(default=None, ge=1, le=256)
    serve_processes: int | None = Field(default=None, ge=1, le=64)
    pin_cpus: bool | None = None
    migrate_on_start: bool | None = None
    k_anonymity: int | None = Field(default=None, ge=1, le=100)
    semantic_matching: bool | None = None
    metrics_listen: HostPort | None = None
    heartbeat_seconds: float | None = Field(default=None, gt=0, le=3600)
    nats_url: str | None = Field(default=None, pattern=r"^(nats|tls)://\S+$")
    nats_user: str | None = None
    nats_password: str | None = None
    nats_stream: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    auth_issuer: str | None = Field(default=None, pattern=r"^https?://\S+$")
    auth_jwks_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    auth_audience: str | None = Field(default=None, min_length=1)
    auth_leeway_seconds: float | None = Field(default=None, ge=0, le=300)
    allow_unauthenticated: bool | None = None
    auth_client_secret: str | None = Field(
        default=None, max_length=256, validation_alias="TWOINS_NODE_CLIENT_SECRET"
    )
    peers: str | None = None
    referral_answer_days: int | None = Field(default=None, ge=1, le=60)
    retention_days: int | None = Field(default=None, ge=0, le=36500)
    signing_key_file: Path | None = None
    keyring_url: str | None = Field(default=None, min_length=1)
    keyring_root_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{43}$")
    keyring_refresh_seconds: float | None = Field(default=None, gt=0, le=86400)
    #: A file holding the root's public key, where it is handed over as a file (containers).
    keyring_root_key_file: Path | None = None
    smtp_host: str | None = Field(default=None, pattern=r"^[A-Za-z0-9.:_-]*$")
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_starttls: bool | None = None
    smtp_user: str | None = None
    #: A file holding the relay's password: the credential is named, not written here.
    smtp_password_file: Path | None = None
    smtp_ca_file: Path | None = None
    smtp_timeout_seconds: float | None = Field(default=None, gt=0, le=300)
    mail_from: str | None = Field(default=None, min_length=3, max_length=320)
    console_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    mail_link_key_file: Path | None = None
    mail_digest_hour: int | None = Field(default=None, ge=0, le=23)
    mail_retry_first_seconds: float | None = Field(default=None, gt=0, le=3600)
    catalogue_snapshot_file: Path | None = None


class NodeConfig(BaseModel):
    """The validated configuration a node server is built from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    region: Region
    listen: str
    database_url: str
    log_format: Literal["json", "text"] = "text"
    log_level: str = "INFO"
    shutdown_grace_seconds: float = 10.0
    expiry_sweep_seconds: float = 60.0
    max_workers: int = 16
    #: Processes serving the gRPC API on the same port (the kernel shares the connections
    #: out, `SO_REUSEPORT`): the first does everything else too (the bus, the jobs); one per
    #: core lets a node use every core instead of one.
    serve_processes: int = 1
    #: Each serving process kept on one CPU, the processes placed on the CPUs in turn
    #: (`twoins.common.cpu_affinity`): for a server whose cores are the node's.
    pin_cpus: bool = False
    #: The CPUs the node's processes are placed on with `pin_cpus`: those its first process
    #: could use when it started (its serving processes, started once it is pinned, cannot
    #: tell).
    cpus: tuple[int, ...] = ()
    migrate_on_start: bool = True
    max_message_bytes: int = 4 * 1024 * 1024
    k_anonymity: int = 5
    semantic_matching: bool = True
    #: HOST:PORT of the Prometheus /metrics endpoint; empty serves none.
    metrics_listen: str = ""
    #: How often the node publishes its heartbeat on the bus (seconds).
    heartbeat_seconds: float = 10.0
    #: The bus; empty runs the node alone, without the network exchange.
    nats_url: str = ""
    nats_user: str = ""
    nats_password: str = ""
    #: The stream the node consumes: the network stream, or on a leaf server its mirror.
    nats_stream: str = "TWOINS"
    #: Every region id of the network: events from any other region are refused.
    network_regions: tuple[str, ...] = ()
    #: The realm's issuer as people see it; every call must carry an access token from it.
    auth_issuer: str = ""
    #: Where the node fetches the realm's keys, when it reaches Keycloak by another address.
    auth_jwks_url: str = ""
    auth_audience: str = API_AUDIENCE
    #: Clock skew tolerated on exp, nbf and iat (seconds).
    auth_leeway_seconds: float = 30.0
    #: Without an issuer the node refuses to start unless this is set: a local trial only.
    allow_unauthenticated: bool = False
    #: The secret of this node's service-account client (node-<region>), for calls to peers.
    auth_client_secret: str = ""
    #: Working days a region has to answer a referral proposed to it.
    referral_answer_days: int = 5
    #: Days after their end that needs, referrals and the contacts disclosed for them are
    #: kept; the sweep erases them after that. 0 keeps them until an SME is erased.
    retention_days: int = 730
    #: Other regions' nodes by region id (from the network file; `peers` overrides some).
    peer_addresses: dict[str, str] = Field(default_factory=dict)
    #: The node's Ed25519 key (PEM), which signs every event it publishes.
    signing_key_file: Path | None = None
    #: The network key ring (a file path or an http(s) URL), signed by the network's root.
    keyring_url: str = ""
    #: The network root's public key (base64url), which the key ring must be signed with.
    keyring_root_key: str = ""
    #: How often the key ring is fetched again (seconds).
    keyring_refresh_seconds: float = 30.0
    #: Display names of the network's regions, for what people read.
    region_names: dict[str, str] = Field(default_factory=dict)
    #: The SMTP relay mails go through; empty sends no mail (and writes none).
    smtp_host: str = ""
    smtp_port: int = 25
    #: Upgrade the connection with STARTTLS before anything else (the relay must offer it).
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password_file: Path | None = None
    #: CA certificates of the relay's TLS certificate, for a relay with a private CA.
    smtp_ca_file: Path | None = None
    smtp_timeout_seconds: float = 20.0
    #: The sender of every mail, e.g. "2InS Basilicata <noreply@basilicata.example.org>".
    mail_from: str = ""
    #: Where people open the console: the links in mails start with it.
    console_url: str = ""
    #: The key that signs unsubscribe links (made on first start when missing).
    mail_link_key_file: Path | None = None
    #: The hour (UTC) from which each day's digests of daily saved searches are sent.
    mail_digest_hour: int = 7
    #: The wait after a mail's first failed attempt; it doubles up to two hours, ten attempts.
    mail_retry_first_seconds: float = 30.0
    #: Where the node keeps its catalogue index between runs (`store.catalogue_snapshot`),
    #: written when it stops and read when it starts; none rebuilds it from the tables.
    catalogue_snapshot_file: Path | None = None

    @property
    def token_url(self) -> str:
        realm = self.auth_jwks_url.removesuffix("/protocol/openid-connect/certs")
        return f"{realm or self.auth_issuer}/protocol/openid-connect/token"

    def auth_settings(self) -> AuthSettings | None:
        if not self.auth_issuer:
            return None
        return AuthSettings(
            issuer=self.auth_issuer,
            jwks_url=self.auth_jwks_url,
            audience=self.auth_audience,
            leeway_seconds=self.auth_leeway_seconds,
        )


def load_node_config(
    *,
    region_id: str | None,
    config_file: Path | None = None,
    environment: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    network_file: Path = DEFAULT_NETWORK_FILE,
) -> NodeConfig:
    """Merges, lowest first: defaults from the region's network entry, the config file, the
    environment, then command-line overrides. Raises ConfigError with a one-line reason."""
    merged: dict[str, Any] = {}
    layers = read_layers(
        NodeSettings, config_file=config_file, environment=environment, overrides=overrides
    )
    for origin, values in layers:
        try:
            settings = NodeSettings.model_validate(values)
        except ValidationError as error:
            raise ConfigError(describe_validation_error(Path(str(origin)), error)) from None
        merged.update(settings.model_dump(exclude_none=True))
    if region_id:
        merged["region"] = region_id
    if not merged.get("region"):
        raise ConfigError("no region given: pass --region <id> or set region in the config file")
    network: Network = load_network(network_file)
    region = network.region(merged.pop("region"))
    data_dir_given = "data_dir" in merged
    data_dir = Path(merged.pop("data_dir", "var"))
    if data_dir_given or "database_url" not in merged:
        merged.setdefault("catalogue_snapshot_file", data_dir / region.id / "catalogue.snapshot")
    merged.setdefault("listen", region.endpoints.grpc)
    merged.setdefault("database_url", f"sqlite:///{data_dir / region.id / 'node.db'}")
    merged.setdefault("nats_user", region.id)
    peers = {other.id: other.endpoints.grpc for other in network.regions if other.id != region.id}
    for item in filter(None, (part.strip() for part in merged.pop("peers", "").split(","))):
        peer, _, address = item.partition("=")
        if peer not in peers or not address:
            raise ConfigError(f"peers: {item!r} is not region=host:port of another region")
        peers[peer] = address
    root_key_file = merged.pop("keyring_root_key_file", None)
    if root_key_file is not None and not merged.get("keyring_root_key"):
        try:
            merged["keyring_root_key"] = Path(root_key_file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(
                f"keyring_root_key_file: cannot read {root_key_file}: {error}"
            ) from None
    if merged.get("nats_url"):
        missing = [
            name
            for name in ("signing_key_file", "keyring_url", "keyring_root_key")
            if not merged.get(name)
        ]
        if missing:
            raise ConfigError(
                f"the bus needs {', '.join(missing)}: every event is signed by its node and "
                "checked against the network key ring (`twoins keys init` makes them)"
            )
    merged.setdefault("console_url", network.network.gateway_url)
    merged.setdefault("mail_from", f"2InS {region.name} <noreply@{region.id}.2ins-clusters.eu>")
    if merged.get("smtp_host"):
        merged.setdefault("mail_link_key_file", data_dir / region.id / "mail-link.key")
    return NodeConfig(
        region=region,
        network_regions=network.region_ids,
        region_names={other.id: other.name for other in network.regions},
        peer_addresses=peers,
        **merged,
    )
