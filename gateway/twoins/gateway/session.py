"""The console's session: a cookie encrypted and authenticated with Fernet (AES + HMAC).

It holds the signed-in user's tokens, so it must be unreadable to the browser, not just
tamper-proof; the gateway stays stateless (any instance can read any session).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SessionInterface

COOKIE_NAME = "twoins_session"
#: A session older than this is refused even if its cookie survived (seconds).
MAX_AGE_SECONDS = 10 * 3600


def _fernet(secret_key: str) -> Fernet:
    key = hashlib.sha256(b"twoins-session:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


class EncryptedCookieSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession:
        raw = request.cookies.get(COOKIE_NAME)
        if not raw:
            return SecureCookieSession()
        try:
            plain = _fernet(str(app.secret_key)).decrypt(raw.encode(), ttl=MAX_AGE_SECONDS)
            data: dict[str, Any] = json.loads(zlib.decompress(plain))
        except (InvalidToken, ValueError, zlib.error):
            return SecureCookieSession()
        return SecureCookieSession(data)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
        if not session:
            if session.modified:
                response.delete_cookie(COOKIE_NAME, path="/", secure=secure, httponly=True)
            return
        if not session.modified:
            return
        payload = zlib.compress(json.dumps(dict(session), separators=(",", ":")).encode())
        value = _fernet(str(app.secret_key)).encrypt(payload).decode()
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=MAX_AGE_SECONDS,
            path="/",
            secure=secure,
            httponly=True,
            samesite="Lax",
        )
