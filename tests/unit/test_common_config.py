"""Regions from network.yaml, the node's configuration layers, and the shared code lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from twoins.common import taxonomy
from twoins.common.network import DEFAULT_NETWORK_FILE, ConfigError, load_network
from twoins.node.config import load_node_config


def test_network_file_lists_the_seven_clusters() -> None:
    network = load_network()
    assert network.region_ids == (
        "gr-attica",
        "gr-west",
        "fr-marseille",
        "fr-antipolis",
        "it-basilicata",
        "es-balears",
        "mt-isla",
    )
    assert {region.nuts2 for region in network.regions} == set(taxonomy.partner_nuts2_codes())
    assert network.region("gr-west").country == "GR"
    assert len({region.endpoints.grpc for region in network.regions}) == 7


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "network: {name: x, lead_region: a-b}\nregions: []",
            "regions: Tuple should have at least 1",
        ),
        (
            "network: {name: x, lead_region: zz-none}\nregions:\n"
            "  - {id: it-xy, name: X, host_organisation: H, place: P, country: IT, nuts2: FRL0,"
            " languages: [it], endpoints: {grpc: 'h:1'}}",
            "NUTS 2 code FRL0 is not in country IT",
        ),
        (
            "network: {name: x, lead_region: it-xy}\nregions:\n"
            "  - {id: IT_X, name: X, host_organisation: H, place: P, country: IT, nuts2: ITF5,"
            " languages: [it], endpoints: {grpc: 'h:1'}}",
            "regions.0.id",
        ),
        (
            "network: {name: x, lead_region: it-xy}\nregions:\n"
            "  - {id: it-xy, name: X, host_organisation: H, place: P, country: IT, nuts2: ITF5,"
            " languages: [italian], endpoints: {grpc: 'h:1'}}",
            "not an ISO 639-1 language code",
        ),
    ],
)
def test_invalid_network_file_is_refused_with_a_reason(
    tmp_path: Path, yaml_text: str, message: str
) -> None:
    path = tmp_path / "network.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_network(path)


def test_node_config_layers_file_environment_and_flags(tmp_path: Path) -> None:
    config_file = tmp_path / "node.yaml"
    config_file.write_text(
        "region: es-balears\nlisten: 0.0.0.0:9000\nlog_format: json\nmax_workers: 4\n",
        encoding="utf-8",
    )
    config = load_node_config(
        region_id=None,
        config_file=config_file,
        environment={"TWOINS_LISTEN": "127.0.0.1:9100", "TWOINS_DATA_DIR": str(tmp_path)},
        overrides={"listen": None, "database_url": None},
    )
    assert config.region.id == "es-balears"
    assert config.listen == "127.0.0.1:9100"
    assert config.log_format == "json"
    assert config.max_workers == 4
    assert config.database_url == f"sqlite:///{tmp_path}/es-balears/node.db"
    flagged = load_node_config(
        region_id="mt-isla", config_file=config_file, overrides={"listen": "127.0.0.1:9200"}
    )
    assert (flagged.region.id, flagged.listen) == ("mt-isla", "127.0.0.1:9200")


def test_node_config_defaults_come_from_the_region_entry() -> None:
    config = load_node_config(region_id="it-basilicata")
    assert config.listen == "127.0.0.1:7105"
    assert config.database_url == "sqlite:///var/it-basilicata/node.db"


def test_node_without_region_is_refused() -> None:
    with pytest.raises(ConfigError, match="no region given"):
        load_node_config(region_id=None)


def test_nace_codes_resolve_at_every_level() -> None:
    assert taxonomy.nace_activity("c").level == "section"
    assert taxonomy.nace_activity("10").section == "C"
    assert taxonomy.nace_activity("1041").code == "10.41"
    assert taxonomy.nace_activity("10.4").level == "group"
    assert taxonomy.nace_activity("62.01").label() == "Computer programming activities"
    assert len(taxonomy.nace_sections()) == 21
    assert len(taxonomy.nace_divisions()) == 88
    for bad in ("", "1", "10.4.1", "XX", "00", "62.05"):
        with pytest.raises(taxonomy.UnknownCode):
            taxonomy.nace_activity(bad)


@pytest.mark.parametrize("language", taxonomy.LABEL_LANGUAGES)
def test_every_section_and_partner_region_has_a_label_in_each_language(language: str) -> None:
    for section in taxonomy.nace_sections():
        assert section.label(language).strip()
    for code in taxonomy.partner_nuts2_codes():
        assert taxonomy.nuts2_name(code, language).strip()
    assert taxonomy.country_name("GR", language) != "GR"
    assert taxonomy.language_name("mt", language) != "mt"


def test_greece_is_written_el_by_the_eu_and_gr_by_iso() -> None:
    assert taxonomy.normalise_country("EL") == "GR"
    assert taxonomy.eu_country_code("GR") == "EL"
    assert taxonomy.nuts2_country("EL30") == "GR"
    with pytest.raises(taxonomy.UnknownCode):
        taxonomy.normalise_country("XX")


def test_committed_broker_permissions_match_the_network_file() -> None:
    from twoins.common.broker_config import render_permissions

    committed = (DEFAULT_NETWORK_FILE.parent / "nats" / "permissions.conf").read_text("utf-8")
    assert committed == render_permissions(load_network().region_ids), (
        "regenerate: python -m twoins.common.broker_config > deploy/nats/permissions.conf"
    )


def test_every_node_setting_reads_its_environment_variable_and_names_a_bad_one() -> None:
    config = load_node_config(
        region_id="mt-isla",
        environment={
            "TWOINS_K_ANONYMITY": "7",
            "TWOINS_NODE_CLIENT_SECRET": "s3cret",
            "TWOINS_AUTH_CLIENT_SECRET": "not-this-name",
            "TWOINS_LISTEN": "",  # empty: not set
            "TWOINS_PIN_CPUS": "true",
        },
    )
    assert (config.k_anonymity, config.auth_client_secret) == (7, "s3cret")
    assert config.pin_cpus
    assert not load_node_config(region_id="mt-isla").pin_cpus  # off unless asked
    assert config.listen == "127.0.0.1:7107"
    with pytest.raises(ConfigError, match=r"^environment: max_workers: "):
        load_node_config(region_id="mt-isla", environment={"TWOINS_MAX_WORKERS": "many"})


def test_gateway_settings_come_from_the_given_environment_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from twoins.gateway.config import GatewayConfig, load_gateway_config

    monkeypatch.setenv("TWOINS_GATEWAY_PUBLIC_URL", "https://stray.example")
    given = {
        "TWOINS_GATEWAY_SECRET_KEY": "k" * 32,
        "TWOINS_AUTH_ISSUER": "http://localhost:8080/realms/twoins",
        "TWOINS_GATEWAY_MAX_BODY_BYTES": "2048",
        "TWOINS_GATEWAY_CHECK_RESPONSES": "true",
    }
    config = load_gateway_config(given, {"public_url": "http://localhost:9000"})
    assert (config.public_url, config.max_body_bytes) == ("http://localhost:9000", 2048)
    assert config.check_responses
    built = GatewayConfig(secret_key="k" * 32, issuer="http://localhost:8080/realms/twoins")
    assert built.public_url == "http://localhost:8000"  # the process's variable is not read
    assert not built.check_responses  # production: the tests have checked the answers
    with pytest.raises(ConfigError, match="TWOINS_GATEWAY_SECRET_KEY: Field required"):
        load_gateway_config({"TWOINS_AUTH_ISSUER": "http://localhost:8080/realms/twoins"})


def test_the_language_codes_are_iso_639_1s_and_bad_ones_are_refused() -> None:
    import pycountry

    assert {
        language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
    } == taxonomy.ISO_639_1_CODES
    assert taxonomy.normalise_language(" MT ") == "mt"
    for bad in ("", "xx", "ita", "e"):
        with pytest.raises(taxonomy.UnknownCode):
            taxonomy.normalise_language(bad)
