"""Checks of the code lists (NACE, countries, languages) that domain rules depend on.

The domain does not import the shared taxonomy module: the caller passes an object with
these methods (twoins.common.taxonomy provides them), so the rules stay pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from twoins.node.domain.errors import Violations


class CodeLists(Protocol):
    def nace(self, code: str) -> str:
        """Canonical form of a NACE Rev. 2 code; ValueError if it does not exist."""

    def nace_division(self, code: str) -> str:
        """The two-digit division of a NACE code below the section level; ValueError if none."""

    def country(self, code: str) -> str:
        """ISO 3166-1 alpha-2 form of a country code; ValueError if it does not exist."""

    def language(self, code: str) -> str:
        """ISO 639-1 form of a language code; ValueError if it does not exist."""


def canonical_codes(
    values: Iterable[str],
    canonical: Callable[[str], str],
    field: str,
    violations: Violations,
    *,
    minimum: int = 0,
    maximum: int,
) -> list[str]:
    """Canonical, de-duplicated codes in their given order; records a violation per bad one."""
    result: list[str] = []
    items = list(values)
    if len(items) < minimum:
        violations.add(field, f"give at least {minimum}")
    if len(items) > maximum:
        violations.add(field, f"give at most {maximum}")
    for index, value in enumerate(items):
        try:
            code = canonical(value)
        except ValueError as error:
            violations.add(f"{field}[{index}]", str(error))
            continue
        if code not in result:
            result.append(code)
    return result
