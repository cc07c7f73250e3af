"""The console's catalogues: every text of the console is in the template, and every
language translates every text with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from twoins.gateway.i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def _template_ids() -> set[object]:
    with (TRANSLATIONS / "messages.pot").open("rb") as file:
        return {message.id for message in read_po(file) if message.id}


def test_the_template_holds_every_text_of_the_console() -> None:
    method_map = [
        ("gateway/twoins/gateway/**.py", "python"),
        ("gateway/twoins/gateway/templates/**.html", "jinja2"),
    ]
    found = {
        message if isinstance(message, str) else tuple(message)
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT),
            method_map,
            keywords={
                "_": None,
                "_l": None,
                "lazy_gettext": None,
                "gettext": None,
                "ngettext": (1, 2),
            },
        )
        if message
    }
    missing = found - _template_ids()
    assert not missing, f"texts missing from messages.pot, run `make messages`: {missing}"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != DEFAULT_LANGUAGE])
def test_every_text_is_translated_with_the_same_placeholders(language: str) -> None:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalogue = read_po(file, locale=language)
    assert {message.id for message in catalogue if message.id} == _template_ids()
    for message in catalogue:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(translations), f"{language}: {message.id!r} is not translated"
        expected = sorted(PLACEHOLDER.findall(str(sources[0])))
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(str(translation))) == expected, (
                f"{language}: {translation!r} has other placeholders than {sources[0]!r}"
            )
        assert "fuzzy" not in message.flags, f"{language}: {message.id!r} is fuzzy"
