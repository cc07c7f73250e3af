"""What every response carries (security headers, request id) and CSRF checks of console forms."""

from __future__ import annotations

import hmac
import re
import secrets
import uuid

from flask import Flask, Response, abort, g, request, session

REQUEST_ID_HEADER = "X-Request-Id"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
CSRF_FIELD = "csrf_token"


def csrf_token() -> str:
    """The session's CSRF token, for forms (`{{ csrf_token() }}`)."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return str(token)


def check_csrf() -> None:
    """Refuses a form post without the session's CSRF token (or X-CSRF-Token header)."""
    expected = session.get("csrf")
    given = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token") or ""
    if not expected or not hmac.compare_digest(str(expected), given):
        abort(400, "the form expired or did not come from this site; reload the page and retry")


def _content_security_policy() -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "img-src 'self' data:",
            # Swagger UI sets inline styles; no inline script anywhere.
            "style-src 'self' 'unsafe-inline'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def install(app: Flask) -> None:
    @app.before_request
    def _request_id() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure or app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if not request.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")
        headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token
