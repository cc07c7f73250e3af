"""The node's error kinds; the API layer turns each into one gRPC status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldViolation:
    """A problem with one field of a request, named by its path, e.g. `need.nace_codes[1]`."""

    field: str
    description: str

    @property
    def reason(self) -> str:
        """The problem as a stable code (google.rpc BadRequest's `reason`), for a client to
        say in its own words; empty for a description without one."""
        return violation_reason(self.description)


#: The node's own descriptions of a field's problem, by their first words, and their codes.
_VIOLATION_REASONS = (
    ("required", "REQUIRED"),
    ("too long", "TOO_LONG"),
    ("must be at most two years ahead", "TOO_FAR_AHEAD"),
    ("must be at most", "TOO_LONG"),
    ("must not be negative", "NEGATIVE"),
    ("is not an e-mail address", "NOT_AN_EMAIL"),
    ("write the number in E.164 form", "NOT_A_PHONE_NUMBER"),
    ("write the full address", "NOT_A_WEB_ADDRESS"),
    ("give at least one", "GIVE_AT_LEAST_ONE"),
    ("give at most", "TOO_MANY"),
    ("must be in the future", "NOT_IN_THE_FUTURE"),
    ("has passed", "NOT_IN_THE_FUTURE"),
    ("must not contain control characters", "CONTROL_CHARACTERS"),
    ("describe the need in at least", "TOO_SHORT"),
)


def violation_reason(description: str) -> str:
    return next((code for start, code in _VIOLATION_REASONS if description.startswith(start)), "")


class NodeError(Exception):
    """Base of every error the node reports to a caller.

    `reason` is a stable UPPER_SNAKE_CASE word that clients branch on; the message is for people.
    """

    reason = "NODE_ERROR"

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        violations: tuple[FieldViolation, ...] = (),
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason
        self.violations = violations
        self.metadata = dict(metadata or {})


class InvalidArgument(NodeError):
    """The request is malformed: fix the named fields and send it again."""

    reason = "INVALID_ARGUMENT"


class NotFound(NodeError):
    """The resource does not exist in this region."""

    reason = "NOT_FOUND"


class FailedPrecondition(NodeError):
    """The request is well-formed but the resource's state does not allow it now."""

    reason = "FAILED_PRECONDITION"


class IllegalTransition(FailedPrecondition):
    """A lifecycle change that the resource's current state does not allow."""

    reason = "ILLEGAL_TRANSITION"


class Conflict(NodeError):
    """The request collides with a concurrent change or an earlier request; re-read and retry."""

    reason = "CONFLICT"


class Unauthenticated(NodeError):
    """The caller's access token is missing or not acceptable: sign in again."""

    reason = "UNAUTHENTICATED"


class PermissionDenied(NodeError):
    """The caller is known but their role or region does not allow this call."""

    reason = "PERMISSION_DENIED"


class Violations:
    """Collects field violations while a request is validated, then raises them all at once."""

    def __init__(self) -> None:
        self._items: list[FieldViolation] = []

    def add(self, field: str, description: str) -> None:
        self._items.append(FieldViolation(field, description))

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self, message: str = "the request has invalid fields") -> None:
        if self._items:
            fields = ", ".join(item.field for item in self._items)
            raise InvalidArgument(f"{message}: {fields}", violations=tuple(self._items))
