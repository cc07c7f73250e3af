"""Every kind of mail renders in every language the console speaks, fully translated and
filled; unsubscribe links cannot be forged; retries back off and end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.messages.pofile import read_po

from twoins.node.domain.notification import Backoff, NotificationKind, parse_recipient
from twoins.node.notify import texts
from twoins.node.notify.links import BadLink, LinkSigner, Unsubscription
from twoins.node.notify.render import (
    LANGUAGES,
    Entry,
    MailRenderer,
    RenderedMail,
    RenderError,
    Translatable,
    catalogue_path,
)

VALUES: dict[str, object] = {
    "other_region": "Attica",
    "title": "Partner <for> wine export",
    "due": datetime(2026, 12, 10, 11, 0, tzinfo=UTC),
    "outcome": Translatable(texts.OUTCOMES["AGREEMENT_SIGNED"]),
    "state": Translatable(texts.STATES["WITHDRAWN"]),
    "reason": "add the target markets",
    "search": "wine",
}
RENDERER = MailRenderer("Basilicata", "IT")


def _render(kind: NotificationKind, language: str, digest: int = 0) -> RenderedMail:
    return RENDERER.render(
        kind,
        language,
        VALUES,
        name="Maria Rossi",
        link="https://console.example/console/referrals/1",
        settings_link="https://console.example/console/notifications",
        unsubscribe_link="https://console.example/unsubscribe/t",
        entries=[Entry("Agri-food packaging", "Attica", "https://console.example/n")],
        digest_count=digest,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_renders_filled_in_every_language(kind: NotificationKind, language: str) -> None:
    mail = _render(kind, language)
    english = _render(kind, "en")
    assert mail.subject
    assert mail.text
    assert mail.html
    for part in (mail.subject, mail.text, mail.html):
        assert "%(" not in part
    assert "https://console.example/console/referrals/1" in mail.text
    assert "https://console.example/unsubscribe/t" in mail.html
    # A title is escaped in HTML, kept as written in plain text.
    if "{title" in str(texts.TEXTS[kind]) or "(title)" in str(texts.TEXTS[kind]):
        assert "Partner &lt;for&gt; wine export" in mail.html
    if language != "en":
        assert mail.subject != english.subject
        assert mail.text != english.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_digest_has_its_plural(language: str) -> None:
    one = _render(NotificationKind.SAVED_SEARCH_MATCH, language, digest=1)
    three = _render(NotificationKind.SAVED_SEARCH_MATCH, language, digest=3)
    assert one.subject.startswith("1 ")
    assert three.subject.startswith("3 ")
    assert "Agri-food packaging (Attica)" in three.text


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "en"])
def test_every_catalogue_translates_every_text(language: str) -> None:
    with catalogue_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    missing = [message.id for message in catalogue if message.id and not message.string]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert not missing
    assert not fuzzy


def test_a_missing_value_is_an_error_not_a_blank() -> None:
    with pytest.raises(RenderError, match="title"):
        RENDERER.render(
            NotificationKind.REFERRAL_ACCEPTED,
            "it",
            {"other_region": "Attica"},
            name="M",
            link="l",
            settings_link="s",
            unsubscribe_link="u",
        )


def test_a_date_is_read_in_the_region_s_time_and_language() -> None:
    mail = _render(NotificationKind.REFERRAL_RECEIVED, "it")
    assert "10 dicembre 2026, 12:00 CET" in mail.text


def test_unsubscribe_links_cannot_be_forged_or_moved() -> None:
    signer = LinkSigner("it-basilicata", b"k" * 32)
    token = signer.token(Unsubscription("subject-1", kind="REFERRAL_RECEIVED"))
    assert token.startswith("it-basilicata.")
    assert signer.read(token) == Unsubscription("subject-1", kind="REFERRAL_RECEIVED")
    region, _body, mac = token.split(".")
    forged = LinkSigner("it-basilicata", b"x" * 32).token(Unsubscription("subject-2", kind="X"))
    with pytest.raises(BadLink):
        signer.read(f"{region}.{forged.split('.')[1]}.{mac}")
    with pytest.raises(BadLink):
        signer.read(forged)
    with pytest.raises(BadLink):
        LinkSigner("gr-attica", b"k" * 32).read(token)
    with pytest.raises(BadLink):
        signer.read("it-basilicata.garbage")


def test_retries_back_off_then_stop() -> None:
    backoff = Backoff(first=timedelta(seconds=30), longest=timedelta(hours=2), attempts=10)
    now = datetime(2026, 12, 3, tzinfo=UTC)
    delays = [backoff.next_attempt(made, now) for made in range(1, 11)]
    assert delays[0] == now + timedelta(seconds=30)
    assert delays[1] == now + timedelta(seconds=60)
    assert delays[8] == now + timedelta(hours=2)
    assert delays[9] is None


@pytest.mark.parametrize("address", ["not an address", "a@b", "x@", "@y.eu", "a@b.eu, c@d.eu", ""])
def test_an_address_that_does_not_parse_is_refused(address: str) -> None:
    with pytest.raises(ValueError, match="address"):
        parse_recipient(address)


def test_a_good_address_passes() -> None:
    assert (
        parse_recipient("maria.rossi@basilicata.example.org")
        == "maria.rossi@basilicata.example.org"
    )
