"""Texts the node writes for people, as a stable code with its values (the contract's
`twoins.v1.Note`), so that a console can say them in its reader's language while the English
sentence beside them stays for API clients and logs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Note:
    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **params: object) -> Note:
        """A note whose values are written as text (numbers in plain decimal digits)."""
        return cls(code, {name: str(value) for name, value in params.items()})

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> Note | None:
        """The note stored as JSON; None for the empty object of a reason a person gave."""
        if not value or not value.get("code"):
            return None
        return cls(str(value["code"]), {str(k): str(v) for k, v in value.get("params", {}).items()})
