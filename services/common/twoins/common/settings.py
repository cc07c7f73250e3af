"""Settings in layers, read with pydantic-settings: a YAML file, the environment, the command
line, lowest first. Every service reads its environment the same way: a setting `name` is
`TWOINS_<NAME>`, unless its field names another variable (`validation_alias`), and an empty
variable counts as unset."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

from twoins.common.network import read_yaml_mapping

ENV_PREFIX = "TWOINS_"


class LayeredSettings(BaseSettings):
    """Settings a service reads from layers; build them with `model_validate`, never from the
    process's environment implicitly."""

    model_config = SettingsConfigDict(
        extra="forbid", env_prefix=ENV_PREFIX, env_ignore_empty=True, populate_by_name=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Constructed with keywords, settings take those alone: the layers are read by
        `read_layers`, so a process's stray variable never slips in."""
        return (init_settings,)


class GivenEnvironment(EnvSettingsSource):
    """The environment source of pydantic-settings over a given mapping (a service's
    `os.environ`, or a test's)."""

    def __init__(self, settings_cls: type[BaseSettings], environment: Mapping[str, str]) -> None:
        self._given = dict(environment)
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(
            self._given, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
        )


def read_layers(
    settings_cls: type[BaseSettings],
    *,
    config_file: Path | None = None,
    environment: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """What each layer sets, lowest first, with where it came from: the config file, the
    environment, the command line (an override of None is not given)."""
    layers: list[tuple[str, dict[str, Any]]] = []
    if config_file is not None:
        layers.append((str(config_file), read_yaml_mapping(config_file)))
    layers.append(("environment", dict(GivenEnvironment(settings_cls, environment or {})())))
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    layers.append(("command line", given))
    return layers
