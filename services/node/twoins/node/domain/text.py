"""Checks of free-text fields and contact data shared by the entities."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from twoins.node.domain.errors import Violations

EMAIL_PATTERN = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
E164_PATTERN = re.compile(r"^\+[1-9][0-9]{6,14}$")
URL_PATTERN = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]{1,5})?(?:/\S*)?$")


def utc_now() -> datetime:
    return datetime.now(UTC)


def clean_text(
    value: str,
    field: str,
    violations: Violations,
    *,
    required: bool = False,
    minimum: int = 0,
    maximum: int,
) -> str:
    """The value with surrounding white space removed, checked for presence and length."""
    text = value.strip()
    if not text:
        if required:
            violations.add(field, "required")
        return text
    if len(text) < minimum:
        violations.add(field, f"must be at least {minimum} characters")
    if len(text) > maximum:
        violations.add(field, f"must be at most {maximum} characters")
    if any(ord(character) < 32 and character not in "\n\t\r" for character in text):
        violations.add(field, "must not contain control characters")
    return text


def clean_list(
    values: list[str], field: str, violations: Violations, *, maximum: int, item_maximum: int
) -> list[str]:
    """Non-empty, de-duplicated, trimmed items in their given order."""
    result: list[str] = []
    if len(values) > maximum:
        violations.add(field, f"give at most {maximum}")
    for index, value in enumerate(values):
        item = clean_text(
            value, f"{field}[{index}]", violations, required=True, maximum=item_maximum
        )
        if item and item.casefold() not in (existing.casefold() for existing in result):
            result.append(item)
    return result
