"""Free text is generalised to the level of the structured fields beside it: the SME's own
town and postcode, exact amounts, head counts and its founding year do not leave as written."""

from __future__ import annotations

import pytest

from twoins.node.domain.anonymiser.quasi import generalise_text
from twoins.node.domain.organisation import Address, Organisation
from twoins.node.places import partner_localities

VENOSA = Organisation(
    id="0f9c2a9e-0000-4000-8000-000000000001",
    region="it-basilicata",
    legal_name="Cantine del Vulture S.r.l.",
    nace_code="11.02",
    address=Address(street="Via Appia 1", postcode="85029", locality="Venosa", country_code="IT"),
    employees=14,
    turnover_eur=1_850_000,
    year_founded=1987,
)


@pytest.mark.parametrize(
    ("text", "planted", "instead"),
    [
        ("Azienda vinicola di Venosa cerca importatori.", "Venosa", "[locality]"),
        ("Cantina a VENOSA (85029), in Basilicata.", "85029", "[locality]"),
        ("Fatturato 2025: 1.850.000 euro, in crescita.", "1.850.000", "[amount]"),
        ("Chiffre d'affaires de € 2,5 millions.", "2,5", "[amount]"),
        ("Turnover EUR 850,000 last year.", "850,000", "[amount]"),
        ("Con 14 dipendenti e una rete di agenti.", "14 dipendenti", "10–49 dipendenti"),
        ("We employ 14 people.", "14 people", "10–49 people"),
        ("Fondata nel 1987 da due fratelli.", "1987", "1980–1989"),
    ],
)
def test_a_quasi_identifier_is_generalised(text: str, planted: str, instead: str) -> None:
    generalised = generalise_text(text, VENOSA)
    assert planted not in generalised
    assert instead in generalised


def test_the_own_founding_year_after_its_cue_becomes_one_decade() -> None:
    assert generalise_text("Fondata nel 1987 a Venosa.", VENOSA) == (
        "Fondata nel 1980–1989 a [locality]."
    )
    assert generalise_text("Established in 1987.", None) == "Established in 1980–1989."


def test_what_is_no_quasi_identifier_stays() -> None:
    text = "Vuole entrare nel mercato tedesco nel 2027, con vini DOC al 13,5%, fiera Vinitaly."
    assert generalise_text(text, VENOSA) == text


NOWHERE = Organisation(
    id="0f9c2a9e-0000-4000-8000-000000000002",
    region="it-basilicata",
    legal_name="Oleificio del Sud S.r.l.",
    nace_code="10.41",
    address=Address(street="", postcode="", locality="", country_code="IT"),
)


@pytest.mark.parametrize(
    ("text", "planted", "instead"),
    [
        # Towns of every partner region, from the place-name package, not the SME's record.
        ("Il magazzino vicino a Rionero in Vulture (85028).", "Rionero", "[locality] ([postcode])"),
        ("Son entrepôt (Valbonne, 06560) pourrait servir.", "Valbonne", "([locality], [postcode])"),
        ("Il-maħżen tagħha ħdejn Marsaskala (MSK 2033).", "MSK 2033", "[locality] ([postcode])"),
        ("Su almacén cerca de Sóller (07100) podría servir.", "Sóller", "[locality]"),
        ("Η αποθήκη της στην Κηφισιά (Τ.Κ. 145 62).", "145 62", "Τ.Κ. [postcode]"),
        ("Our shop is at 13500 Martigues.", "13500", "[postcode] [locality]"),
        ("In-numru ta' impjegati huwa 84.", "84", "huwa 50–249"),
        ("A family firm founded in 1966, dal 1955.", "1966", "1960–1969"),
        ("Από το 1977 παράγει λάδι.", "1977", "1970–1979"),
    ],
)
def test_what_the_record_does_not_know_is_generalised_too(
    text: str, planted: str, instead: str
) -> None:
    generalised = generalise_text(text, NOWHERE, partner_localities())
    assert planted not in generalised
    assert instead in generalised


@pytest.mark.parametrize(
    "text",
    [
        "Massa critica. Rotonda bella: parole, non luoghi.",  # common words starting sentences
        "Tito ha chiesto un'offerta.",  # a first name that is also a town, without a locative
        "Vuole esportare in Germania e in Basilicata cerca soci.",  # a country, a NUTS 2 region
        "Nel 2025 ha venduto 12.000 bottiglie.",  # a year and a quantity, not a founding year
    ],
)
def test_words_that_only_look_like_places_stay(text: str) -> None:
    assert generalise_text(text, NOWHERE, partner_localities()) == text


def test_a_town_that_is_also_a_word_counts_after_a_locative() -> None:
    generalised = generalise_text("Il laboratorio è vicino a Tito.", NOWHERE, partner_localities())
    assert generalised == "Il laboratorio è vicino a [locality]."


def test_the_place_names_come_from_the_package_for_every_partner_region() -> None:
    localities = partner_localities()
    for town in ("venosa", "valbonne", "marsaskala", "soller", "kifisia", "patra", "aigio"):
        assert town in localities.names, town
    assert "milano" not in localities.names  # Lombardy is no partner region
