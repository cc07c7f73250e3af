"""The gateway's configuration, from the environment (TWOINS_*) and deploy/network.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import SettingsConfigDict

from twoins.common.auth import AuthSettings
from twoins.common.network import (
    DEFAULT_NETWORK_FILE,
    ConfigError,
    describe_validation_error,
    load_network,
)
from twoins.common.realm_config import API_AUDIENCE, CONSOLE_CLIENT
from twoins.common.settings import LayeredSettings, read_layers


class GatewayConfig(LayeredSettings):
    """The gateway's settings: TWOINS_<NAME> in the environment unless named below."""

    model_config = SettingsConfigDict(frozen=True)

    #: Where people reach the gateway (the console's redirect URI is built from it).
    public_url: str = Field(
        default="http://localhost:8000",
        pattern=r"^https?://[^/\s]+$",
        validation_alias="TWOINS_GATEWAY_PUBLIC_URL",
    )
    #: Encrypts and signs the console's session cookie; at least 32 characters.
    secret_key: str = Field(min_length=32, validation_alias="TWOINS_GATEWAY_SECRET_KEY")
    #: The realm's issuer as people's browsers see it.
    issuer: str = Field(pattern=r"^https?://\S+$", validation_alias="TWOINS_AUTH_ISSUER")
    #: The realm's base URL as the gateway reaches it (token, keys, logout); default: issuer.
    backchannel_url: str = Field(
        default="", pattern=r"^(https?://\S+)?$", validation_alias="TWOINS_AUTH_BACKCHANNEL_URL"
    )
    audience: str = Field(default=API_AUDIENCE, validation_alias="TWOINS_AUTH_AUDIENCE")
    #: Clock skew tolerated on exp, nbf and iat (seconds).
    auth_leeway_seconds: float = Field(default=30.0, ge=0, le=300)
    console_client_id: str = CONSOLE_CLIENT
    console_client_secret: str = Field(default="", max_length=256)
    #: "region=host:port,…" overriding the network file's node endpoints.
    nodes: str = Field(default="", validation_alias="TWOINS_GATEWAY_NODES")
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        le=64 * 1024 * 1024,
        validation_alias="TWOINS_GATEWAY_MAX_BODY_BYTES",
    )
    #: Connections each gateway process keeps to each node, used in turn: a node serving from
    #: several processes (`serve_processes`) gets each connection in one of them.
    node_connections: int = Field(default=2, ge=1, le=16)
    #: Checks every JSON answer against the API's OpenAPI schema before it is sent (a 500 and
    #: a log line when one does not match). The test suite and `twoins network up` turn it
    #: on; in production the tests have proven the answers match, and the check would cost a
    #: read more than the rest of the gateway's own work (about 0.35 ms for an SME).
    check_responses: bool = Field(default=False, validation_alias="TWOINS_GATEWAY_CHECK_RESPONSES")
    #: The monitor's gRPC address (default: the network file's); the health page reads it.
    monitor_address: str = ""
    #: Prometheus, for the health page's charts; none if empty.
    prometheus_url: str = Field(default="", pattern=r"^(https?://[^\s]+)?$")
    network_file: Path = DEFAULT_NETWORK_FILE

    @property
    def realm_url(self) -> str:
        """The realm as the gateway reaches it."""
        return (self.backchannel_url or self.issuer).rstrip("/")

    @property
    def auth(self) -> AuthSettings:
        return AuthSettings(
            issuer=self.issuer,
            jwks_url=f"{self.realm_url}/protocol/openid-connect/certs",
            audience=self.audience,
            leeway_seconds=self.auth_leeway_seconds,
        )

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    def node_addresses(self) -> dict[str, str]:
        network = load_network(self.network_file)
        addresses = {region.id: region.endpoints.grpc for region in network.regions}
        for item in filter(None, (part.strip() for part in self.nodes.split(","))):
            region, _, address = item.partition("=")
            if region not in addresses or not address:
                raise ConfigError(
                    f"TWOINS_GATEWAY_NODES: {item!r} is not region=host:port of a known region"
                )
            addresses[region] = address
        return addresses

    def monitor(self) -> str:
        return self.monitor_address or load_network(self.network_file).network.monitor_grpc

    def lead_region(self) -> str:
        return load_network(self.network_file).network.lead_region


def load_gateway_config(
    environment: Mapping[str, str], overrides: Mapping[str, object] | None = None
) -> GatewayConfig:
    """The environment, then the command line's overrides, validated together."""
    values: dict[str, object] = {}
    for _origin, layer in read_layers(GatewayConfig, environment=environment, overrides=overrides):
        values.update(layer)
    try:
        return GatewayConfig.model_validate(values)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(Path("gateway settings"), error)) from None
