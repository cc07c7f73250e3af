"""The languages people read the network in: the console, its mails, the sign-in page and a
person's language in the realm. English is the source language of every catalogue."""

from __future__ import annotations

#: Each language by its ISO 639-1 code, with its name in itself.
READING_LANGUAGES: dict[str, str] = {
    "en": "English",
    "it": "Italiano",
    "el": "Ελληνικά",
    "fr": "Français",
    "es": "Español",
    "mt": "Malti",
}
