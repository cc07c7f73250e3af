"""The console names codes and a match's reasons in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import Babel

from twoins.common.network import load_network
from twoins.gateway.console import names
from twoins.gateway.i18n import TRANSLATIONS
from twoins.v1 import common_pb2, network_pb2

READER = {"language": "it"}


@pytest.fixture
def app() -> Iterator[Flask]:
    app = Flask(__name__)
    Babel(
        app,
        locale_selector=lambda: READER["language"],
        default_translation_directories=str(TRANSLATIONS),
    )
    names.install(app, load_network())
    with app.test_request_context("/"):
        yield app


def reason(**fields: object) -> network_pb2.MatchReason:
    return network_pb2.MatchReason(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "it",
            [
                "Settore: 10 (Attività manifatturiere)",
                "Paesi: Francia, Germania",
                "Lingue: greco",
                "Tipo di supporto: Studio di mercato",
                "Somiglianza dei testi 0,84",
            ],
        ),
        (
            "mt",
            [
                "Settur: 10 (Manifattura)",
                "Pajjiżi: Franza, il-Ġermanja",
                "Lingwi: Grieg",
                "Tip ta' appoġġ: Studju tas-suq",
                "Xebh tat-testi 0.84",
            ],
        ),
        (
            "en",
            [
                "Sector: 10 Manufacture of food products",
                "Countries: France, Germany",
                "Languages: Greek",
                "Kind of support: Market study",
                "Text similarity 0.84",
            ],
        ),
    ],
)
def test_reasons_are_written_from_their_codes(
    app: Flask, language: str, expected: list[str]
) -> None:
    READER["language"] = language
    reasons = [
        reason(criterion=network_pb2.MATCH_CRITERION_SECTOR, codes=["10"], detail="NACE 10"),
        reason(criterion=network_pb2.MATCH_CRITERION_COUNTRY, codes=["FR", "DE"], detail="DE, FR"),
        reason(criterion=network_pb2.MATCH_CRITERION_LANGUAGE, codes=["el"], detail="el"),
        reason(
            criterion=network_pb2.MATCH_CRITERION_SERVICE_TYPE,
            service_types=[common_pb2.SERVICE_TYPE_MARKET_STUDY],
            detail="market study",
        ),
        reason(criterion=network_pb2.MATCH_CRITERION_CONTENT, similarity=0.8412, detail="x"),
    ]
    assert [names.reason_text(item) for item in reasons] == expected


def test_a_reason_without_codes_keeps_its_detail(app: Flask) -> None:
    READER["language"] = "it"
    older = reason(criterion=network_pb2.MATCH_CRITERION_SECTOR, detail="NACE 10")
    assert names.reason_text(older) == "NACE 10"


def test_regions_and_roles_by_their_names(app: Flask) -> None:
    READER["language"] = "it"
    region_name = app.jinja_env.filters["region_name"]
    assert region_name("it-basilicata") == "Basilicata"
    assert region_name("zz-unknown") == "zz-unknown"
    assert names.role_names(["facilitator", "cluster-manager"]) == (
        "Responsabile del cluster, Facilitatore"
    )


def test_network_health_says_when_in_the_readers_language(app: Flask) -> None:
    from twoins.gateway import network_health

    READER["language"] = "it"
    assert network_health._ago(1_000_000 - 30, 1_000_000) == "30 secondi fa"
    assert network_health._ago(0, 1_000_000) == "mai"
    assert str(network_health.STATE_LABELS["down"]) == "Non attivo"
    READER["language"] = "mt"
    assert network_health._ago(1_000_000 - 180, 1_000_000) != "3 minutes ago"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "25.62 Machining"),
        ("it", "25.62 (Attività manifatturiere)"),
        ("el", "25.62 (Μεταποίηση)"),
        ("mt", "25.62 (Manifattura)"),
    ],
)
def test_nace_codes_carry_their_label(app: Flask, language: str, expected: str) -> None:
    READER["language"] = language
    try:
        assert names.nace_name("25.62") == expected
        assert names.nace_name("C").startswith("C ")
        assert names.nace_name("99.99") == "99.99"  # not a code: shown as typed
    finally:
        READER["language"] = "it"
