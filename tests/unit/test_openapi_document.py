"""The REST API other regions' scripts depend on, derived from the contract's annotations,
stays as published in docs/openapi.json: path by path, method by method. A deliberate change
is made in the contract, then published with `make openapi`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from twoins.gateway.openapi import api_schemas, document_json

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_every_path_and_method_is_as_published() -> None:
    published: dict[str, Any] = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    generated = api_schemas().document
    assert sorted(generated["paths"]) == sorted(published["paths"])
    for path, methods in published["paths"].items():
        assert sorted(generated["paths"][path]) == sorted(methods), path
        for method, operation in methods.items():
            assert generated["paths"][path][method] == operation, f"{method.upper()} {path}"
    assert generated["components"] == published["components"]


def test_the_published_file_is_the_generated_one() -> None:
    assert document_json() == PUBLISHED.read_text(encoding="utf-8"), "run `make openapi`"
