"""Free text is generalised to the level of the structured fields beside it: the SME's own
town and postcode, exact amounts, head counts and its founding year do not leave as written."""

from __future__ import annotations

import pytest

from twoins.node.domain.anonymiser.quasi import generalise_text
from twoins.node.domain.organisation import Address, Organisation

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


def test_what_is_no_quasi_identifier_stays() -> None:
    text = "Vuole entrare nel mercato tedesco nel 2027, con vini DOC al 13,5%, fiera Vinitaly."
    assert generalise_text(text, VENOSA) == text
