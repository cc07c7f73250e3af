"""The network's regions as data: loads and validates deploy/network.yaml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from twoins.common.taxonomy import UnknownCode, normalise_country, normalise_language

REGION_ID_PATTERN = re.compile(r"^[a-z]{2}-[a-z][a-z0-9-]{1,30}$")
NUTS2_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{2}$")

#: deploy/network.yaml of this source tree; TWOINS_NETWORK_FILE or --network override it.
DEFAULT_NETWORK_FILE = Path(__file__).resolve().parents[4] / "deploy" / "network.yaml"


class ConfigError(Exception):
    """A configuration file is missing or invalid; the message names the file and the problem."""


HostPort = Annotated[str, Field(pattern=r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$")]


class RegionEndpoints(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    grpc: HostPort
    #: Where the node serves Prometheus metrics in a local run; none if unset.
    metrics: HostPort | None = None


class Region(BaseModel):
    """One regional cluster of the network."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = Field(min_length=1)
    host_organisation: str = Field(min_length=1)
    place: str = Field(min_length=1)
    country: str
    nuts2: str
    languages: tuple[str, ...] = Field(min_length=1)
    endpoints: RegionEndpoints

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not REGION_ID_PATTERN.match(value):
            raise ValueError("a region id is a country prefix and a name, e.g. 'it-basilicata'")
        return value

    @field_validator("country")
    @classmethod
    def _check_country(cls, value: str) -> str:
        try:
            return normalise_country(value)
        except UnknownCode as error:
            raise ValueError(str(error)) from None

    @field_validator("nuts2")
    @classmethod
    def _check_nuts2(cls, value: str) -> str:
        if not NUTS2_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a NUTS 2 code such as 'ITF5'")
        return value

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        try:
            return tuple(normalise_language(code) for code in value)
        except UnknownCode as error:
            raise ValueError(str(error)) from None

    @model_validator(mode="after")
    def _nuts2_in_country(self) -> Region:
        if normalise_country(self.nuts2[:2]) != self.country:
            raise ValueError(f"NUTS 2 code {self.nuts2} is not in country {self.country}")
        return self


class NetworkInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    lead_region: str
    #: Where a local run's NATS server listens, and its monitoring port.
    bus_url: str = Field(default="nats://127.0.0.1:4222", pattern=r"^nats://[^:/]+:[0-9]{1,5}$")
    bus_monitor_port: int = Field(default=8222, ge=1, le=65535)
    #: Where a local run's Keycloak listens (people's address; the issuer is built from it).
    identity_url: str = Field(default="http://localhost:8180", pattern=r"^https?://[^/\s]+$")
    #: Where a local run's monitor serves gRPC, and its metrics.
    monitor_grpc: HostPort = "127.0.0.1:7200"
    monitor_metrics: HostPort = "127.0.0.1:9200"
    #: Where a local run's Prometheus listens (when it is installed).
    prometheus_url: str = Field(default="http://localhost:9090", pattern=r"^https?://[^/\s]+$")
    #: Where a local run's gateway listens.
    gateway_url: str = Field(default="http://localhost:8000", pattern=r"^https?://[^/\s]+$")
    #: Where a local run's mail catcher takes the nodes' mail (SMTP), and shows it (web).
    mail_smtp: HostPort = "127.0.0.1:1025"
    mail_url: str = Field(default="http://localhost:8025", pattern=r"^https?://[^/\s]+$")


class Network(BaseModel):
    """The whole network: its name and its regions, in file order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    network: NetworkInfo
    regions: tuple[Region, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_consistency(self) -> Network:
        ids = [region.id for region in self.regions]
        duplicates = sorted({region_id for region_id in ids if ids.count(region_id) > 1})
        if duplicates:
            raise ValueError(f"region ids must be unique; repeated: {', '.join(duplicates)}")
        if self.network.lead_region not in ids:
            raise ValueError(f"lead_region {self.network.lead_region!r} is not a listed region")
        return self

    def region(self, region_id: str) -> Region:
        for region in self.regions:
            if region.id == region_id:
                return region
        known = ", ".join(region.id for region in self.regions)
        raise ConfigError(f"unknown region {region_id!r}; the network has: {known}")

    @property
    def region_ids(self) -> tuple[str, ...]:
        return tuple(region.id for region in self.regions)


def read_yaml_mapping(path: Path) -> dict[str, object]:
    """Reads a YAML file whose top level is a mapping, or raises ConfigError saying why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def describe_validation_error(path: Path, error: ValidationError) -> str:
    """One line naming the first invalid field of a config file and what is wrong with it."""
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{path}: {location}: {first['msg']}{more}"


def load_network(path: Path = DEFAULT_NETWORK_FILE) -> Network:
    data = read_yaml_mapping(path)
    try:
        return Network.model_validate(data)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(path, error)) from None
