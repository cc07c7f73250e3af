"""The gateway's application factory: blueprints `auth`, `api` (with its documentation),
`console` and `health`; problems for API errors, pages for console errors."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from twoins.common.auth import TokenVerifier
from twoins.common.network import load_network
from twoins.gateway.api import api
from twoins.gateway.auth import SignInRequired, auth, install_sign_in, signed_in_principal
from twoins.gateway.config import GatewayConfig, load_gateway_config
from twoins.gateway.console import console
from twoins.gateway.console.charts import label_lines
from twoins.gateway.console.context import when
from twoins.gateway.console.labels import erased_label, label
from twoins.gateway.console.names import install as install_names
from twoins.gateway.console.notes import install as install_notes
from twoins.gateway.console.referrals import countdown_patterns
from twoins.gateway.health import health
from twoins.gateway.i18n import install as install_languages
from twoins.gateway.metrics import install as install_metrics
from twoins.gateway.network_health import network_health
from twoins.gateway.network_kpis import network_kpis
from twoins.gateway.nodes import RegionNodes
from twoins.gateway.openapi import api_schemas
from twoins.gateway.operations import API_PREFIX
from twoins.gateway.problems import Problem
from twoins.gateway.security import install as install_security
from twoins.gateway.services import EXTENSION, GatewayServices
from twoins.gateway.session import EncryptedCookieSessionInterface

logger = logging.getLogger("twoins.gateway")

api_docs = Blueprint("api_docs", __name__)

#: Swagger UI's files, from a package: the page works on networks without internet access.
_SWAGGER_PACKAGE = "flask_openapi3_swagger"
_SWAGGER_ASSETS = {"swagger-ui.css": "css", "swagger-ui-bundle.js": "js"}


def _swagger_dir() -> Path:
    spec = importlib.util.find_spec(_SWAGGER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{_SWAGGER_PACKAGE} is not installed: run make setup")
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / "swagger"


@api_docs.get("/openapi.json")
def document() -> Response:
    return jsonify(api_schemas().document)


@api_docs.get("/api/docs")
def docs() -> str:
    return render_template("docs.html")


@api_docs.get("/api/docs/assets/<name>")
def asset(name: str) -> Response:
    folder = _SWAGGER_ASSETS.get(name)
    if folder is None:
        raise Problem(404, f"no documentation asset {name!r}")
    response = send_from_directory(_swagger_dir() / folder, name, max_age=86400)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _is_api(path: str) -> bool:
    return path.startswith(API_PREFIX) or path == "/openapi.json"


def create_app(config: GatewayConfig | None = None) -> Flask:
    config = config or load_gateway_config(os.environ)
    app = Flask(__name__)
    app.secret_key = config.secret_key
    app.config.update(
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        SESSION_COOKIE_SECURE=config.secure_cookies,
        TWOINS_LEAD_REGION=config.lead_region(),
        JSON_SORT_KEYS=False,
    )
    app.session_interface = EncryptedCookieSessionInterface()
    app.extensions[EXTENSION] = GatewayServices(
        config=config,
        verifier=TokenVerifier(config.auth),
        nodes=RegionNodes(config.node_addresses(), connections=config.node_connections),
    )
    install_security(app)
    install_sign_in(app, config)
    install_metrics(app)
    install_languages(app)
    install_names(app, load_network(config.network_file))
    install_notes(app)
    app.jinja_env.globals.update(
        label=label,
        erased_label=erased_label,
        when=when,
        countdown_patterns=countdown_patterns,
        label_lines=label_lines,
    )
    for blueprint in (health, auth, api, network_kpis, api_docs, console, network_health):
        app.register_blueprint(blueprint)
    api_schemas()  # builds the document now: a broken contract fails at start, not at a call

    @app.errorhandler(Problem)
    def _problem(error: Problem) -> Response | tuple[str, int]:
        if _is_api(request.path):
            return error.response(g.get("request_id", ""))
        return _page(error.status, error.detail)

    @app.errorhandler(SignInRequired)
    def _sign_in(_error: SignInRequired) -> Response:
        return redirect(f"/auth/login?next={request.full_path.rstrip('?')}")  # type: ignore[return-value]

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response | tuple[str, int]:
        status = error.code or 500
        detail = error.description or ""
        if status == 413:
            detail = f"the body is larger than {config.max_body_bytes} bytes"
        if _is_api(request.path):
            if status == 404:
                detail = f"no API operation at {request.path}; see /openapi.json"
            elif status == 405:
                detail = f"{request.method} is not allowed on {request.path}; see /openapi.json"
            problem = Problem(status, detail)
            response = problem.response(g.get("request_id", ""))
            if status == 405 and error.get_response().headers.get("Allow"):
                response.headers["Allow"] = error.get_response().headers["Allow"]
            return response
        return _page(status, PAGE_DETAILS.get(status, detail))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response | tuple[str, int]:
        logger.exception("unexpected error", extra={"path": request.path})
        detail = "the gateway failed to handle the request; the error is in its log"
        if _is_api(request.path):
            return Problem(500, detail, reason="INTERNAL").response(g.get("request_id", ""))
        return _page(500, PAGE_DETAILS[500])

    return app


#: An error page's heading, in the reader's language (the API's problems keep their English
#: titles, which scripts read).
PAGE_TITLES: dict[int, Any] = {
    400: _l("The request could not be used"),
    401: _l("Not signed in"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Not possible here"),
    409: _l("Changed meanwhile"),
    413: _l("Too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    502: _l("A service did not answer"),
    503: _l("A service did not answer"),
    504: _l("A service did not answer"),
}
#: What an error page says when the error came from the web server, not from a console page
#: (whose own messages are already in the reader's language).
PAGE_DETAILS: dict[int, Any] = {
    404: _l("There is no page at this address. Check the link, or go back to the start page."),
    405: _l("This page cannot be used this way. Go back to the start page and try again."),
    413: _l("What you sent is too large. Send less, or split it."),
    500: _l("The console could not handle this request; the error is in its log. Try again."),
}


def _page(status: int, detail: Any) -> tuple[str, int]:
    """An error page; `detail` may be a lazy text, written once the reader's language is
    known."""
    if "principal" not in g and status != 500:
        # An address no console page answers: the signed-in reader's profile still chooses
        # the page's language.
        with contextlib.suppress(SignInRequired):
            signed_in_principal()
    title = str(PAGE_TITLES.get(status, PAGE_TITLES[500 if status >= 500 else 400]))
    page = render_template("error.html", title=title, detail=str(detail), user=None)
    return page, status
