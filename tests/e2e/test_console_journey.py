"""The referral journey through the console in headless Chromium, against real Keycloak,
two real nodes on a real bus and the gateway: a facilitator adds an SME and a need, the
cluster manager publishes it, an expert of another region finds it and refers, the SME's
region accepts and records consent, both see the other's contact, the expert records the
outcome. Once in English, chosen in the page footer, visiting every page; once in each user's
own language from their Keycloak profile: Italian in Basilicata, Greek in Attica; once in
Maltese on every page. Then every page the English run saw is visited again, as the same user,
in each other language. Every page is saved as a screenshot, checked with axe-core and for
English left on a page in another language."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.support.browser import ARTIFACTS, PageChecks, running_browser, sign_in
from tests.support.identity import RunningGateway

NEED_REGION = "it-basilicata"
OFFER_REGION = "gr-attica"
#: How long a move may take to cross the bus and show on the other region's page.
PROPAGATION_SECONDS = 30


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with running_browser() as running:
        yield running


@dataclass(frozen=True)
class Journey:
    name: str
    #: The language chosen in the footer; None keeps each user's profile language.
    chosen: str | None
    #: The SME's region's pages' language and the expert's.
    need_language: str
    offer_language: str
    #: What the SME makes: keeps the two runs' needs apart in the shared catalogue.
    product: str
    #: Visit every page (assessment, business plan, figures), not only the referral's.
    every_page: bool
    #: The referral's state "Completed" in the expert's language.
    completed: str


JOURNEYS = [
    Journey("english", "en", "en", "en", "extra virgin olive oil", True, "Completed"),
    Journey("profile-languages", None, "it", "el", "durum wheat pasta", False, "Ολοκληρώθηκε"),
    # Malta's language, chosen in the footer, on every page.
    Journey("maltese", "mt", "mt", "mt", "carob syrup", True, "Komplut"),
]


#: The pages the English journey checked: who saw it (a demo user), its name and its path.
VISITED: list[tuple[str, str, str]] = []
#: Each signed-in browser context's demo user, for VISITED.
USERS: dict[int, str] = {}


def signed_in(browser: Browser, base: str, username: str) -> BrowserContext:
    context = sign_in(browser, base, username)
    USERS[id(context)] = username
    return context


def choose_language(context: BrowserContext, base: str, language: str | None) -> None:
    """Picks the language in the page footer, as a user would."""
    if language is None:
        return
    page = context.new_page()
    page.goto(f"{base}/")
    page.select_option("#language", language)
    with page.expect_navigation():
        page.click("form.language button")
    assert page.get_attribute("html", "lang") == language
    page.close()


def until(page: Page, ready: Callable[[], bool], what: str) -> None:
    """Reloads the page until `ready()`, for moves that cross the bus."""
    deadline = time.monotonic() + PROPAGATION_SECONDS
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {PROPAGATION_SECONDS} s")
        time.sleep(0.5)
        page.reload()


def submit(page: Page, form: str = "main form:has(button.primary)") -> None:
    with page.expect_navigation():
        page.locator(form).last.locator("button[type=submit]").first.click()


def add_sme(page: Page, base: str, checks: PageChecks, name: str) -> str:
    page.goto(f"{base}/console/smes/new")
    checks.check(page, "02-sme-new")
    page.fill("#legal_name", name)
    submit(page)
    # Nothing is lost and each missing field says so next to it.
    assert page.input_value("#legal_name") == name
    assert page.locator("#locality-error").is_visible()
    assert page.locator("#contact_name-error").is_visible()
    # The summary names each field, in the page's language, and links to it.
    town = page.inner_text("label[for=locality]").split("(")[0].strip()
    summary = page.locator("#form-errors a[href='#locality']")
    assert summary.inner_text().startswith(town)
    checks.check(page, "03-sme-form-errors")
    page.fill("#nace_code", "10.41")
    page.fill("#employees", "12")
    page.fill("#year_founded", "1998")
    page.select_option("#export_status", "2")
    page.fill("#languages", "it, en")
    page.fill("#street", "Via dei Mulini 4")
    page.fill("#postcode", "85100")
    page.fill("#locality", "Potenza")
    page.fill("#country_code", "IT")
    page.fill("#contact_name", "Maria Santoro")
    page.fill("#contact_role", "owner")
    page.fill("#contact_email", "maria@frantoio.example")
    page.fill("#contact_phone", "+39 328 316 2133")
    page.check("#consent_1")
    page.check("#consent_2")
    submit(page)
    page.wait_for_url(re.compile(r"/console/smes/[\w-]+$"))
    checks.check(page, "04-sme")
    return page.url


def assess_and_plan(page: Page, sme_url: str, checks: PageChecks) -> None:
    """The readiness questionnaire twice and a comparison; a business plan in two revisions,
    compared and exported to PDF."""
    for round_, score in enumerate(("2", "4")):
        page.goto(sme_url)
        page.click("a[href$='/assessments/new']")
        if round_ == 0:
            checks.check(page, "05-assessment-form")
        for radio in page.locator("input[type=radio][value='0']").all():
            name = radio.get_attribute("name")
            page.check(f"input[name='{name}'][value='{score}']")
        page.fill("#notes", "Visit at the mill.")
        submit(page)
        page.wait_for_url(re.compile(r"/console/assessments/[\w-]+$"))
    page.select_option("#compare", index=1)
    with page.expect_navigation():
        page.click("form.row button")
    assert page.locator("svg polygon.series-2").count() == 1
    checks.check(page, "06-assessment-compared")

    page.goto(sme_url)
    page.click("a[href$='/plans/new']")
    checks.check(page, "07-plan-form")
    page.fill("#title", "Growth in the German market")
    page.fill("#section_1", "Olive oil from our own groves.")
    page.fill("#revenue_0", "900000")
    page.fill("#costs_0", "700000")
    submit(page)
    page.wait_for_url(re.compile(r"/console/plans/[\w-]+$"))
    plan_url = page.url
    page.click("a[href$='/edit']")
    page.fill("#section_1", "Olive oil from our own groves, bottled at the mill.")
    page.fill("#section_3", "Germany and Austria.")
    submit(page)
    page.wait_for_url(plan_url)
    checks.check(page, "08-plan")
    with page.expect_navigation():
        page.click("form.row button")
    assert page.locator("pre.diff ins").count() >= 1
    checks.check(page, "09-plan-compare")
    pdf = page.request.get(f"{plan_url}/export.pdf")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")


def describe_need(page: Page, sme_url: str, checks: PageChecks, product: str) -> tuple[str, str]:
    page.goto(sme_url)
    page.click("a[href$='/needs/new']")
    checks.check(page, "10-need-form")
    page.select_option("#type", "2")
    page.fill("#title", f"Distributor for {product} in Germany")
    page.fill(
        "#description",
        f"Call Maria Santoro (+39 328 316 2133): we look for a distributor of {product} for "
        "delicatessen shops in Germany and Austria.",
    )
    page.fill("#target_countries", "DE, AT")
    page.fill("#keywords", f"{product}, distribution")
    submit(page)
    page.wait_for_url(re.compile(r"/console/needs/[\w-]+$"))
    # The anonymised version that would leave the region, before anything is published.
    preview = page.inner_text("#anonymised")
    assert "Maria Santoro" not in preview
    assert "316 2133" not in preview
    checks.check(page, "11-need-preview")
    anonymised_title = page.inner_text("#anonymised dd >> nth=0")
    with page.expect_navigation():
        page.click("form[action$='/submit'] button")
    return page.url, anonymised_title


def publish(manager: BrowserContext, base: str, need_url: str, checks: PageChecks) -> None:
    page = manager.new_page()
    page.goto(f"{base}/console/review")
    assert page.locator(f"a[href='{need_url.removeprefix(base)}']").count() == 1
    checks.check(page, "12-review")
    page.goto(need_url)
    with page.expect_navigation():
        page.click("form[action$='/publish'] button")
    assert page.locator("form[action$='/publish']").count() == 0
    assert page.locator("[role=alert]").count() == 0, page.inner_text("main")
    page.close()


def offer_and_refer(
    expert: BrowserContext, base: str, checks: PageChecks, product: str, need_title: str
) -> str:
    page = expert.new_page()
    page.goto(f"{base}/console/offers/new")
    checks.check(page, "13-offer-form")
    page.fill("#title", f"Food distribution in Germany ({product})")
    page.fill("#description", f"Distribution channels for {product} in German-speaking markets.")
    page.select_option("#service_type", "3")
    page.fill("#competences", "food distribution, export strategy")
    page.fill("#nace_codes", "10")
    page.fill("#countries", "DE, AT")
    page.fill("#languages", "en, de, el")
    page.fill("#capacity_hours_per_month", "20")
    page.fill("#expert_name", "Eleni Papadaki")
    page.fill("#expert_email", "eleni@attica-experts.example")
    submit(page)
    page.wait_for_url(re.compile(r"/console/offers/[\w-]+$"))
    with page.expect_navigation():
        page.click("form[action$='/publish'] button")
    assert page.locator("[role=alert]").count() == 0, page.inner_text("main")
    # A published offer can still be changed; the form comes back with its values.
    page.click("a[href$='/edit']")
    assert page.input_value("#competences") == "food distribution, export strategy"
    page.fill("#capacity_hours_per_month", "24")
    submit(page)
    page.wait_for_url(re.compile(r"/console/offers/[\w-]+$"))
    checks.check(page, "14-offer")
    offer_path = page.url.removeprefix(base)
    # The expert's start page suggests the need for the new offer, not referred yet.
    page.goto(f"{base}/")
    suggestion = page.locator(f"#suggestions ~ table a[href='{offer_path}#matches-title']")
    until(page, lambda: suggestion.count() >= 1, "the need suggested on the expert's start page")
    checks.check(page, "14b-home-suggestions")
    page.goto(f"{base}/console/network?kind=needs&region={NEED_REGION}")
    card = page.locator("li.card", has=page.locator(f"h3:text-is('{need_title}')"))
    until(page, lambda: card.count() == 1, "the published need reaching the expert's region")
    checks.check(page, "15-network")
    # Searched by its words, with what is close in meaning (in any language) beside them.
    page.goto(f"{base}/console/network?kind=needs&q={product.split()[-1]}")
    assert page.locator("#results h3", has_text=need_title).count() == 1
    checks.check(page, "15b-network-search")
    page.goto(f"{base}/console/network?kind=needs&region={NEED_REGION}")
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console/referrals/[\w-]+$"))
    checks.check(page, "16-referral-proposed")
    url = page.url
    page.close()
    return url.removeprefix(base)


def answer_and_consent(
    facilitator: BrowserContext, base: str, path: str, checks: PageChecks
) -> None:
    # The start page lists the referral among what waits, with its deadline.
    home = facilitator.new_page()
    home.goto(f"{base}/")
    waiting = home.locator(f"#waiting ~ table a[href='{path}']")
    until(home, lambda: waiting.count() == 1, "the referral waiting on the start page")
    assert home.locator(f"tr:has(a[href='{path}']) time[data-countdown]").count() == 1
    checks.check(home, "16b-home-waiting")
    home.close()
    page = facilitator.new_page()
    page.goto(f"{base}/console/referrals")
    link = page.locator(f"#incoming ~ table a[href='{path}']")
    until(page, lambda: link.count() == 1, "the referral reaching the SME's region")
    # The answer deadline's countdown, kept current by the page's script in the page's language.
    # The row names the need, not an id.
    assert "Distributor for" in link.inner_text()
    countdown = page.locator(f"tr:has(a[href='{path}']) time[data-countdown]")
    assert countdown.count() == 1
    page.wait_for_selector("time[data-live]")
    text = countdown.inner_text()
    assert text
    assert "%(" not in text
    checks.check(page, "17-referrals-inbox")
    page.goto(f"{base}{path}")
    with page.expect_navigation():
        page.click("form[action$='/accept'] button")
    with page.expect_navigation():
        page.click("form[action$='/consent'] button")
    contact = page.locator("#disclosed-contact")
    until(page, lambda: contact.count() == 1, "the contacts' exchange")
    assert "eleni@attica-experts.example" in contact.inner_text()
    checks.check(page, "18-referral-disclosed")
    page.close()


def complete(expert: BrowserContext, base: str, path: str, checks: PageChecks, done: str) -> None:
    page = expert.new_page()
    page.goto(f"{base}{path}")
    contact = page.locator("#disclosed-contact")
    until(page, lambda: contact.count() == 1, "the SME's contact reaching the expert")
    assert "Maria Santoro" in contact.inner_text()
    with page.expect_navigation():
        page.click("form[action$='/engage'] button")
    # A wrong outcome form keeps its values and names the field.
    page.fill("#hours_delivered", "-3")
    submit(page, "form[action$='/complete']")
    assert page.locator("#outcome-error").is_visible()
    assert page.input_value("#hours_delivered") == "-3"
    page.select_option("#outcome", "1")
    page.fill("#hours_delivered", "16")
    page.select_option("#support_delivered", "3")
    submit(page, "form[action$='/complete']")
    assert page.inner_text("#referral-state") == done
    checks.check(page, "19-referral-completed")
    page.close()


def share_knowledge(
    expert: BrowserContext, reader: Page, base: str, checks: PageChecks, product: str
) -> None:
    """An expert shares a lesson learnt; a facilitator of another region reads it, without the
    expert's name."""
    page = expert.new_page()
    page.goto(f"{base}/console/knowledge/new")
    checks.check(page, "23-knowledge-form")
    page.select_option("#kind", "3")
    title = f"What distributors of {product} ask first"
    page.fill("#title", title)
    page.fill("#summary", "The three questions German distributors asked every SME.")
    page.fill("#body", "Ask Eleni Papadaki: shelf life, minimum order, and labels in German.")
    page.fill("#languages", "en")
    page.fill("#tags", "distribution, Germany")
    submit(page)
    page.wait_for_url(re.compile(r"/console/knowledge/[\w-]+$"))
    with page.expect_navigation():
        page.click("form[action$='/publish'] button")
    checks.check(page, "24-knowledge-item")
    page.close()
    reader.goto(f"{base}/console/knowledge?region={OFFER_REGION}")
    card = reader.locator("li.card", has=reader.locator(f"summary:has-text('{title}')"))
    until(reader, lambda: card.count() == 1, "the knowledge item reaching the SME's region")
    assert "Eleni Papadaki" not in card.inner_text()
    checks.check(reader, "25-knowledge")


def coordinator_pages(
    browser: Browser, base: str, checks: PageChecks, language: str | None
) -> None:
    """The network coordinator, of no region: their start page, the network's figures with
    the referral just completed among them, the catalogue and the network's health."""
    coordinator = signed_in(browser, base, "network-coordinator")
    choose_language(coordinator, base, language)
    page = coordinator.new_page()
    for path, name in (
        ("/", "26-coordinator-home"),
        ("/console/network-figures", "27-network-figures"),
        ("/console/network?kind=needs", "28-coordinator-network"),
        ("/console/network-health", "29-network-health"),
    ):
        page.goto(f"{base}{path}")
        assert page.locator("main h1").count() == 1, path
        checks.check(page, name)
    page.goto(f"{base}/console/network-figures")
    assert int(page.inner_text("#network-referrals")) >= 1
    coordinator.close()


@pytest.mark.parametrize("journey", JOURNEYS, ids=[journey.name for journey in JOURNEYS])
def test_referral_journey_through_the_console(
    gateway: RunningGateway, browser: Browser, journey: Journey
) -> None:
    base = gateway.url
    checks = PageChecks(ARTIFACTS / "screenshots" / journey.name)
    facilitator = signed_in(browser, base, f"facilitator.{NEED_REGION}")
    manager = signed_in(browser, base, f"cluster-manager.{NEED_REGION}")
    expert = signed_in(browser, base, f"expert.{OFFER_REGION}")
    for context in (facilitator, manager, expert):
        choose_language(context, base, journey.chosen)
    page = facilitator.new_page()
    page.goto(f"{base}/")
    assert page.get_attribute("html", "lang") == journey.need_language
    checks.check(page, "01-home")

    sme_url = add_sme(page, base, checks, f"Frantoio Santoro {uuid.uuid4().hex[:6]} S.r.l.")
    if journey.every_page:
        assess_and_plan(page, sme_url, checks)
    need_url, need_title = describe_need(page, sme_url, checks, journey.product)
    publish(manager, base, need_url, checks)
    expert_home = expert.new_page()
    expert_home.goto(f"{base}/")
    assert expert_home.get_attribute("html", "lang") == journey.offer_language
    expert_home.close()
    referral = offer_and_refer(expert, base, checks, journey.product, need_title)
    answer_and_consent(facilitator, base, referral, checks)
    complete(expert, base, referral, checks, journey.completed)

    if journey.every_page:
        share_knowledge(expert, page, base, checks, journey.product)
        figures = manager.new_page()
        figures.goto(f"{base}/console/kpis")
        checks.check(figures, "20-figures")
        page.goto(f"{base}/console/needs")
        checks.check(page, "21-needs")
        page.goto(f"{base}/console/smes")
        checks.check(page, "22-smes")
        coordinator_pages(browser, base, checks, journey.chosen)
    if journey.chosen == "en":
        VISITED.extend(
            (USERS[id(context)], name, url.removeprefix(base))
            for name, url, context in checks.visited
        )
    for context in (facilitator, manager, expert):
        context.close()
    assert not checks.violations, f"accessibility violations: {checks.violations}"
    assert not checks.untranslated, f"English texts on translated pages: {checks.untranslated}"


#: The languages the journeys above do not walk through page by page.
TOUR_LANGUAGES = ("it", "el", "fr", "es")


@pytest.mark.parametrize("language", TOUR_LANGUAGES)
def test_every_page_in_every_language(
    gateway: RunningGateway, browser: Browser, language: str
) -> None:
    """Every page the English journey saw, as the same user, in `language`: screenshots, axe
    and no English text left."""
    if not VISITED:
        pytest.skip("the English journey did not run, so there are no pages to revisit")
    base = gateway.url
    checks = PageChecks(ARTIFACTS / "screenshots" / f"tour-{language}")
    contexts: dict[str, BrowserContext] = {}
    for username, name, path in VISITED:
        if username not in contexts:
            contexts[username] = sign_in(browser, base, username)
            choose_language(contexts[username], base, language)
        page = contexts[username].new_page()
        page.goto(f"{base}{path}")
        assert page.get_attribute("html", "lang") == language, path
        checks.check(page, name)
        page.close()
    for context in contexts.values():
        context.close()
    assert len(checks.pages) == len(VISITED)
    assert not checks.violations, f"accessibility violations: {checks.violations}"
    assert not checks.untranslated, f"English texts on translated pages: {checks.untranslated}"
