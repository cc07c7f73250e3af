"""Mails rendered in the recipient's language, as plain text and HTML, from the texts of
`texts.py` and the catalogues beside this module (read from their .po files at first use).

A value missing from a text, or a template that fails, raises RenderError: a mail is never
written blank or half filled."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from twoins.common.languages import READING_LANGUAGES
from twoins.node.domain.notification import NotificationKind
from twoins.node.notify import texts

#: The languages mails are written in (the console's); others fall back to English.
LANGUAGES = tuple(READING_LANGUAGES)

_HERE = Path(__file__).parent
_CATALOGUES = _HERE / "translations"
#: Where each partner country's people read the time.
_TIME_ZONES = {
    "GR": "Europe/Athens",
    "FR": "Europe/Paris",
    "IT": "Europe/Rome",
    "ES": "Europe/Madrid",
    "MT": "Europe/Malta",
}


class RenderError(Exception):
    """A mail could not be rendered: a text lacks a value, or a template failed."""


@dataclass(frozen=True)
class Translatable:
    """A value that is itself a text to translate (an outcome, a state)."""

    message: str


@dataclass(frozen=True)
class Entry:
    """A catalogue entry listed in a saved search's mail."""

    title: str
    region: str
    link: str


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def catalogue_path(language: str) -> Path:
    return _CATALOGUES / language / "LC_MESSAGES" / "mail.po"


def _load(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    with catalogue_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain="mail")


class MailRenderer:
    """Renders any kind of mail in any of LANGUAGES; one per node, shared by its threads."""

    def __init__(self, region_name: str, country: str) -> None:
        self._region_name = region_name
        self._zone = ZoneInfo(_TIME_ZONES.get(country, "UTC"))
        self._translations: dict[str, NullTranslations] = {}
        self._lock = threading.Lock()
        self._environment: Any = None

    def _templates(self) -> Any:
        """The templates' environment, made at the first mail: Jinja costs a node about 9 MB,
        and a region may send none for days."""
        import jinja2

        with self._lock:
            if self._environment is None:
                self._environment = jinja2.Environment(
                    loader=jinja2.FileSystemLoader(_HERE / "templates"),
                    autoescape=jinja2.select_autoescape(["html"]),
                    undefined=jinja2.StrictUndefined,
                    keep_trailing_newline=True,
                )
            return self._environment

    def translations(self, language: str) -> NullTranslations:
        with self._lock:
            if language not in self._translations:
                self._translations[language] = _load(language)
            return self._translations[language]

    def _fill(self, language: str, message: str, values: Mapping[str, object]) -> str:
        gettext = self.translations(language).gettext
        shown = {name: self._show(language, value) for name, value in values.items()}
        try:
            return gettext(message) % shown
        except (KeyError, ValueError, TypeError) as error:
            raise RenderError(f"the text {message!r} in {language} lacks {error}") from None

    def _show(self, language: str, value: object) -> str:
        if isinstance(value, datetime):
            local = value.astimezone(self._zone)
            day = format_date(local, "long", locale=language)
            return f"{day}, {format_time(local, 'short', locale=language)} {local.tzname()}"
        if isinstance(value, Translatable):
            return self.translations(language).gettext(value.message)
        return str(value)

    def render(
        self,
        kind: NotificationKind,
        language: str,
        values: Mapping[str, object],
        *,
        name: str,
        link: str,
        settings_link: str,
        unsubscribe_link: str,
        entries: Sequence[Entry] = (),
        digest_count: int = 0,
    ) -> RenderedMail:
        if language not in LANGUAGES:
            language = "en"
        text = texts.TEXTS[kind]
        translations = self.translations(language)
        if digest_count:
            singular, plural = texts.DIGEST_SUBJECT
            subject = translations.ngettext(singular, plural, digest_count) % {
                "count": digest_count,
                **{key: str(value) for key, value in values.items()},
            }
            lines = [self._fill(language, texts.DIGEST_LINE, values)]
        else:
            subject = self._fill(language, text.subject, values)
            lines = [self._fill(language, line, values) for line in text.lines]
        unsubscribe = (
            texts.UNSUBSCRIBE_SEARCH
            if kind is NotificationKind.SAVED_SEARCH_MATCH
            else texts.UNSUBSCRIBE_KIND
        )
        context = {
            "language": language,
            "subject": subject,
            "greeting": self._fill(language, texts.GREETING, {"name": name}),
            "lines": lines,
            "entries": [
                (
                    self._fill(
                        language, texts.ENTRY_LINE, {"title": entry.title, "region": entry.region}
                    ),
                    entry.link,
                )
                for entry in entries
            ],
            "action": translations.gettext(text.action),
            "link": link,
            "footer": self._fill(language, texts.FOOTER, {"region": self._region_name}),
            "settings_line": self._fill(language, texts.SETTINGS_LINE, {"link": settings_link}),
            "settings_text": self._fill(language, texts.SETTINGS_LINE, {"link": ""}).strip(" :"),
            "settings_link": settings_link,
            "unsubscribe_line": self._fill(language, unsubscribe, {"link": unsubscribe_link}),
            "unsubscribe_text": self._fill(language, unsubscribe, {"link": ""}).strip(" :"),
            "unsubscribe_link": unsubscribe_link,
        }
        templates = self._templates()
        from jinja2 import TemplateError  # loaded by _templates()

        try:
            plain = templates.get_template("mail.txt").render(context)
            html = templates.get_template("mail.html").render(context)
        except TemplateError as error:
            raise RenderError(f"the {kind.name} mail failed to render: {error}") from None
        return RenderedMail(subject.replace("\n", " ").strip(), plain, html)
