"""The `console` blueprint itself, which the page modules add their routes to."""

from flask import Blueprint

console = Blueprint("console", __name__)
