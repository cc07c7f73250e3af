"""The console's languages (Flask-Babel): the user's explicit choice, then the language of their
Keycloak profile, then the browser's. Catalogues live in `translations/` and are compiled by
the build (`make translations`)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request, session
from flask_babel import Babel, get_locale

from twoins.common.languages import READING_LANGUAGES

#: The network's languages; English is the source language of the catalogues.
LANGUAGES: dict[str, str] = READING_LANGUAGES
DEFAULT_LANGUAGE = "en"
TRANSLATIONS = Path(__file__).parent / "translations"
SESSION_KEY = "lang"


def _supported(value: str | None) -> str | None:
    if not value:
        return None
    language = value.replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else None


def select_language() -> str:
    chosen = _supported(session.get(SESSION_KEY))
    if chosen:
        return chosen
    principal = g.get("principal")
    from_profile = _supported(getattr(principal, "locale", None))
    if from_profile:
        return from_profile
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def missing_catalogues() -> list[str]:
    """Languages whose compiled catalogue is missing: the build has not run `make translations`."""
    return [
        language
        for language in LANGUAGES
        if language != DEFAULT_LANGUAGE
        and not (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").is_file()
    ]


def install(app: Flask) -> None:
    missing = missing_catalogues()
    if missing:
        raise RuntimeError(
            f"the console's catalogues for {', '.join(missing)} are not compiled: "
            "run `make translations` (make setup does it)"
        )
    Babel(app, locale_selector=select_language, default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, get_locale=get_locale)
