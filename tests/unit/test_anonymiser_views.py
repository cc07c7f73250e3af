"""Identifiers written to be hard to read are found all the same, and mapped back to the
exact characters of the original text (the issue's examples, and the generated variants)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from twoins.node.domain.anonymiser.scrubber import find_identifiers, scrub
from twoins.node.domain.anonymiser.spans import KnownContact, KnownIdentity, Span
from twoins.node.domain.anonymiser.variants import variant, variants
from twoins.node.domain.anonymiser.views import layout_view

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "pii-dev.jsonl"


@pytest.mark.parametrize(
    ("text", "identifier", "label"),
    [
        ("Chiamare (+30) 210 555 0100 in mattinata.", "+30) 210 555 0100", "PHONE"),
        ("Tel. +39 0835\n123456 (ufficio).", "+39 0835\n123456", "PHONE"),
        ("IBAN DE89  3704  0044  0532  0130  00 per i pagamenti.", "DE89", "IBAN"),
        ("IBAN GR2001793114\n161721727910601 intestato alla ditta.", "GR2001793114", "IBAN"),
        (
            "Scrivere a mario dot rossi at colucci dot com.",
            "mario dot rossi at colucci dot com",
            "EMAIL",
        ),
        ("Scrivere a mario [at] firm . it per info.", "mario [at] firm . it", "EMAIL"),
        ("Scrivere a luca @ coluccimeccanica.it subito.", "luca @ coluccimeccanica.it", "EMAIL"),
        ("Mon collègue MARC BERNARD les a rencontrés.", "MARC BERNARD", "PERSON"),
        ("Referente: G. CIFARELLI, per l'export.", "G. CIFARELLI", "PERSON"),
        ("La titolare, r. santoro, risponde.", "r. santoro", "PERSON"),
        ("Contact Mercier Thomas, who runs exports.", "Mercier Thomas", "PERSON"),
        ("They were referred to us by Pappas Nikos of a fish farm.", "Pappas Nikos", "PERSON"),
        ("Η ιδιοκτήτρια, Papadopoulou D., απαντά.", "Papadopoulou D.", "PERSON"),
        ("Notre atelier est au 16,\nallée des Pins, 06600 Antibes.", "16,\nallée", "ADDRESS"),
        ("Dar il-Ħena,\n89, Triq Santa Tereża, Mosta MST 1915.", "Dar il-Ħena", "ADDRESS"),
        ("Ｔｅｌ ＋３９ ３２８ ３１６ ２１３３", "＋３９ ３２８ ３１６ ２１３３", "PHONE"),
    ],
)
def test_an_identifier_written_oddly_is_found(text: str, identifier: str, label: str) -> None:
    spans = find_identifiers(text, language="it")
    start = text.index(identifier)
    assert any(span.label == label and span.start <= start < span.end for span in spans), [
        (span.label, text[span.start : span.end]) for span in spans
    ]
    assert identifier.split()[0] not in scrub(text, language="it")


def test_a_spelled_out_address_maps_back_to_its_own_characters() -> None:
    text = "Scrivere a francisca.bauza @ esplaformatges.com. La ayuda"
    spans = find_identifiers(text, language="es")
    assert [(span.label, text[span.start : span.end]) for span in spans] == [
        ("EMAIL", "francisca.bauza @ esplaformatges.com")
    ]


def test_a_name_before_a_spelled_out_address_is_not_its_local_part() -> None:
    text = "Contact Caruana Joseph at j dot caruana at firm dot com."
    known = KnownIdentity(contacts=(KnownContact(name="Joseph Caruana"),))
    found = {text[span.start : span.end]: span.label for span in find_identifiers(text, known)}
    assert found == {"Caruana Joseph": "PERSON", "j dot caruana at firm dot com": "EMAIL"}


@pytest.mark.parametrize(
    ("written", "surname", "recorded"),
    [
        ("Cifarelli G.", "Cifarelli", "Giuseppe Cifarelli"),
        ("g. cifarelli", "cifarelli", "Giuseppe Cifarelli"),
        ("Δημητρίου Δήμητρα", "Δημητρίου", "Δήμητρα Δημητρίου"),
        ("Νικολάου Δήμητρα", "Νικολάου", "Dimitra Nikolaou"),
        ("του κ. Παπαδόπουλου", "Παπαδόπουλου", "Vasilis Papadopoulos"),
        ("Bauzà Mas M.", "Bauzà", "Miquel Bauzà Mas"),
    ],
)
def test_the_smes_own_contacts_are_found_however_their_name_is_written(
    written: str, surname: str, recorded: str
) -> None:
    known = KnownIdentity(contacts=(KnownContact(name=recorded),))
    scrubbed = scrub(f"Per informazioni: {written}, ufficio export.", known, "it")
    assert surname not in scrubbed, scrubbed
    assert "[person]" in scrubbed


def test_online_at_a_web_site_is_not_an_address() -> None:
    text = "Il catalogo è online at www.coluccimeccanica.it da marzo."
    labels = {span.label for span in find_identifiers(text, language="it")}
    assert "EMAIL" not in labels
    assert "URL" in labels


def test_the_smes_own_names_are_found_in_any_case() -> None:
    known = KnownIdentity(contacts=(KnownContact(name="Luca Ferrara"),), country="IT")
    text = "Referente: LUCA FERRARA, responsabile export."
    assert "FERRARA" not in scrub(text, known, "it")


def test_a_view_maps_every_character_back() -> None:
    text = "a\n\n b  c"
    view = layout_view(text)
    assert view.text == "a b c"
    assert view.original(Span(0, 5, "PHONE")) == Span(0, len(text), "PHONE")
    assert view.original(Span(2, 3, "PHONE")) == Span(4, 5, "PHONE")


def test_variants_are_deterministic_and_keep_their_offsets() -> None:
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()[:80]]
    first, second = list(variants(records, seed=7)), list(variants(records, seed=7))
    assert first == second
    assert first
    for made in first:
        source = next(r for r in records if r["id"] == made["id"].removesuffix("-variant"))
        assert len(made["spans"]) == len(source["spans"])
        for old, new in zip(source["spans"], made["spans"], strict=True):
            assert old["label"] == new["label"]
            written = made["text"][new["start"] : new["end"]]
            assert written.strip(), "every identifier is still there, written another way"
    assert variant({**records[0], "spans": []}, random.Random(1)) is None
