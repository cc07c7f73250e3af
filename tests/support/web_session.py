"""Enough of a browser for the console without JavaScript: cookies, redirects, forms, and a
sign-in through Keycloak's login form (code + PKCE)."""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.support.identity import RunningGateway
from twoins.common.realm_config import CONSOLE_CLIENT, DEMO_PASSWORD


def login_form(page: Page) -> str:
    match = re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', page.text)
    assert match, f"no Keycloak login form at {page.url}"
    return html.unescape(match.group(1))


class BrowserCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """As browsers do, treats http://localhost as a secure context, so Keycloak's Secure
    cookies go back to it."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        if urlsplit(request.get_full_url()).hostname in ("localhost", "127.0.0.1"):
            return True
        return bool(super().return_ok_secure(cookie, request))


@dataclass
class Page:
    status: int
    url: str
    text: str


class Browser:
    """Enough of a browser for a sign-in: cookies, redirects, forms."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar(policy=BrowserCookiePolicy())
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, url: str, form: dict[str, str] | None = None) -> Page:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self._opener.open(url, data=data, timeout=20) as response:
                return Page(response.status, response.url, response.read().decode())
        except urllib.error.HTTPError as error:
            return Page(error.code, error.url, error.read().decode())


def sign_in(gateway: RunningGateway, username: str, next_path: str = "/") -> Browser:
    browser = Browser()
    page = browser.open(f"{gateway.url}/auth/login?{urlencode({'next': next_path})}")
    assert page.status == 200
    assert urlsplit(page.url).path.endswith("/protocol/openid-connect/auth")
    query = parse_qs(urlsplit(page.url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == [CONSOLE_CLIENT]
    done = browser.open(login_form(page), {"username": username, "password": DEMO_PASSWORD})
    assert done.status == 200, done.text[:500]
    assert done.url.startswith(gateway.url), done.url
    return browser
