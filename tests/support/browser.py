"""Headless Debian Chromium driven by Playwright: sign-in through Keycloak's form,
screenshots saved as artefacts, an axe-core accessibility check of every page, and a check that
a page in another language shows none of the console's English texts."""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from twoins.common.realm_config import DEMO_PASSWORD
from twoins.gateway.i18n import DEFAULT_LANGUAGE, TRANSLATIONS

#: Debian's chromium; the pinned Playwright release expects its major version.
CHROMIUM = os.environ.get("TWOINS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where screenshots go; CI keeps the folder as the run's artefacts.
ARTIFACTS = Path(os.environ.get("TWOINS_ARTIFACTS", "test-artifacts"))
PHONE: ViewportSize = {"width": 390, "height": 844}
#: axe-core impacts that fail a page.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def chromium_or_skip() -> str:
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if found:
        return found
    message = f"{CHROMIUM} is missing: install the Debian packages chromium and chromium-driver"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def running_browser() -> Iterator[Browser]:
    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@functools.cache
def english_texts(language: str) -> tuple[str, ...]:
    """The console's English texts that the language's catalogue says otherwise, of two words
    or more and without placeholders: one of them on a page in that language is a text left
    untranslated (single words such as "SME" or "API" are the same in several languages)."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalogue = read_po(file, locale=language)
    return tuple(
        message.id
        for message in catalogue
        if isinstance(message.id, str)
        and " " in message.id.strip()
        and "%(" not in message.id
        and message.string
        and message.string != message.id
    )


def untranslated_on(page: Page) -> list[str]:
    """The console's English texts shown on a page that is in another language."""
    language = page.get_attribute("html", "lang") or DEFAULT_LANGUAGE
    if language == DEFAULT_LANGUAGE:
        return []
    shown = page.inner_text("body")
    found = [text for text in english_texts(language) if text in shown]
    return found + [text for text in NODE_ENGLISH if text in shown]


#: Fragments of the English texts the node and the monitor write beside their codes (state
#: reasons, health reasons, refusals, the anonymiser's placeholders): the console says them
#: from the codes, so none may show on a page in another language.
NODE_ENGLISH = (
    "held back for review",
    "held for review",
    "published by the cluster manager's decision",
    "SME(s)",
    "events wait in its outbox",
    "network events wait",
    "no heartbeat",
    "may not call",
    "send the request to your own region's node",
    "[person]",
    "[organisation]",
    "[e-mail]",
    "[phone]",
    "[withheld]",
    "[locality]",
    "[amount]",
)


@dataclass
class PageChecks:
    """Screenshots, accessibility findings and English texts left on pages in another
    language, of the pages a journey visits."""

    folder: Path
    axe: Axe = field(default_factory=Axe)
    violations: dict[str, list[str]] = field(default_factory=dict)
    untranslated: dict[str, list[str]] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    #: Each checked page: its name, its address and the browser context that saw it.
    visited: list[tuple[str, str, BrowserContext]] = field(default_factory=list)

    def check(self, page: Page, name: str) -> None:
        """Saves full-page screenshots on a laptop (`<name>.png`) and a phone
        (`<name>.phone.png`) and runs axe-core on the page."""
        page.wait_for_load_state("load")
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)
        laptop = page.viewport_size
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(self.folder / f"{name}.phone.png"), full_page=True)
        if laptop:
            page.set_viewport_size(laptop)
        (self.folder / f"{name}.html").write_text(page.content(), encoding="utf-8")
        self.pages.append(name)
        self.visited.append((name, page.url, page.context))
        results: Any = self.axe.run(page)
        blocking = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in results.response["violations"]
            if violation.get("impact") in BLOCKING_IMPACTS
        ]
        if blocking:
            self.violations[name] = blocking
        english = untranslated_on(page)
        if english:
            self.untranslated[name] = english


def sign_in(browser: Browser, gateway_url: str, username: str) -> BrowserContext:
    """A browser context signed in to the console as a demo user, through Keycloak's form.
    The browser asks for English, so the pages' language comes from the user's profile."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{gateway_url}/auth/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#kc-login")
    page.wait_for_url(re.compile(re.escape(gateway_url) + r"/($|\?)"))
    page.close()
    return context
