"""The bare Flask reference: one constant JSON answer, nothing else (served by gunicorn with
the gateway's worker settings)."""

from flask import Flask, jsonify
from flask.wrappers import Response

app = Flask(__name__)


@app.get("/")
def constant() -> Response:
    return jsonify(status="ok")
