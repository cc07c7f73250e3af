"""What the node and the monitor write for people, said by the console in the reader's
language from its code: state notes, health notes, placeholders and refusals."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from twoins.gateway.console.notes import (
    anonymised,
    health_reasons,
    refusal_text,
    state_reason,
    violation_text,
)
from twoins.gateway.i18n import install
from twoins.gateway.problems import Problem
from twoins.v1 import common_pb2, need_pb2, network_health_pb2


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    install(app)
    return app


def _need(code: str, english: str = "the node's English words", **params: str) -> need_pb2.Need:
    return need_pb2.Need(state_reason=english, state_note=common_pb2.Note(code=code, params=params))


def test_a_held_need_is_explained_in_the_readers_language_with_plural_agreement(
    app: Flask,
) -> None:
    with app.test_request_context(), force_locale("it"):
        one = state_reason(_need("HELD_K_ANONYMITY", matching_smes="1", k="5"))
        two = state_reason(_need("HELD_K_ANONYMITY", matching_smes="2", k="5"))
        assert "solo 1 PMI della regione ha settore" in one
        assert "solo 2 PMI della regione hanno settore" in two
        residual = state_reason(_need("HELD_RESIDUALS", count="2", kinds="digits,e-mail"))
        assert "(cifre, un indirizzo e-mail)" in residual
        widened = state_reason(
            _need(
                "PUBLISHED_WIDENED",
                steps="founding_decade_withheld,location_to_country",
                matching_smes="1234",
                k="5",
            )
        )
        assert "decennio di fondazione omesso, sede allargata al paese" in widened
        assert "1.234 PMI" in widened
        assert state_reason(_need("EXPIRED")) == "La sua scadenza è passata mentre era aperto."
    with app.test_request_context(), force_locale("mt"):
        override = state_reason(
            _need("PUBLISHED_OVERRIDE", matching_smes="2", k="5", withheld="1", reason="ok")
        )
        assert override.startswith("Ippubblikat b’deċiżjoni")
        assert override.endswith(": ok")


def test_a_reason_a_person_typed_or_a_code_not_known_shows_its_own_words(app: Flask) -> None:
    with app.test_request_context(), force_locale("el"):
        typed = need_pb2.Need(state_reason="Aggiungere il mercato di destinazione")
        assert state_reason(typed) == "Aggiungere il mercato di destinazione"
        assert state_reason(_need("A_NOTE_FROM_A_NEWER_NODE")) == "the node's English words"
        assert state_reason(_need("HELD_K_ANONYMITY", matching_smes="x", k="5")).startswith(
            "Κρατείται"
        )


def test_health_reasons_are_translated_and_an_older_monitor_keeps_its_words(
    app: Flask,
) -> None:
    node = network_health_pb2.NodeHealth(
        reasons=["500 events wait in its outbox", "3 network events wait for it"],
        reason_notes=[
            common_pb2.Note(code="OUTBOX_BACKLOG", params={"events": "500"}),
            common_pb2.Note(code="CONSUMER_LAG", params={"events": "3"}),
        ],
    )
    with app.test_request_context(), force_locale("fr"):
        assert health_reasons(node) == [
            "500 événements attendent dans sa file de sortie.",
            "3 événements du réseau l’attendent.",
        ]
        older = network_health_pb2.NodeHealth(reasons=["no heartbeat yet"])
        assert health_reasons(older) == ["no heartbeat yet"]


def test_placeholders_are_translated_and_the_text_around_them_escaped(app: Flask) -> None:
    with app.test_request_context(), force_locale("es"):
        shown = str(anonymised("<b>[person]</b> de [organisation] pide [nothing]"))
    assert "&lt;b&gt;" in shown
    assert '<span class="placeholder" data-kind="person">[persona]</span>' in shown
    assert "[organización]" in shown
    assert "[nothing]" in shown


def test_a_node_refusal_is_said_in_the_readers_language(app: Flask) -> None:
    refusal = Problem(409, "the need is no longer a draft", reason="ILLEGAL_TRANSITION")
    unknown = Problem(409, "something new", reason="A_REASON_NOT_KNOWN_YET")
    with app.test_request_context(), force_locale("it"):
        assert refusal_text(refusal).startswith("Questo passo non è possibile")
        assert refusal_text(unknown) == "something new"
    with app.test_request_context(), force_locale("en"):
        assert refusal_text(refusal) == "the need is no longer a draft"


def test_a_node_word_on_a_field_is_said_by_its_code(app: Flask) -> None:
    missing = {"field": "organisation.legal_name", "message": "required", "reason": "REQUIRED"}
    unknown = {"field": "x", "message": "something new", "reason": "NEWER_CODE"}
    with app.test_request_context(), force_locale("el"):
        assert violation_text(missing) == "Συμπληρώστε αυτό το πεδίο."
        assert violation_text(unknown) == "something new"
        assert violation_text({"field": "y", "message": "older node"}) == "older node"
    with app.test_request_context(), force_locale("en"):
        assert violation_text(missing) == "required"
