"""What the servicers check in every request: ids and update masks."""

from __future__ import annotations

import uuid

from google.protobuf.field_mask_pb2 import FieldMask

from twoins.node.domain.errors import FieldViolation, InvalidArgument


def require_id(value: str, field: str = "id") -> str:
    """A resource id from a request: present and a UUID, else InvalidArgument."""
    if not value:
        raise InvalidArgument(
            f"{field} is required", violations=(FieldViolation(field, "required"),)
        )
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidArgument(
            f"{field} is not an id this service issued",
            violations=(FieldViolation(field, "must be a UUID"),),
        ) from None


def mask_paths(mask: FieldMask, resource: str, allowed: frozenset[str]) -> list[str]:
    """The update mask's paths, each one a field that may change; InvalidArgument otherwise."""
    if not mask.paths:
        raise InvalidArgument(
            "update_mask is required: name the fields to change",
            violations=(FieldViolation("update_mask", "required"),),
        )
    paths = []
    for path in mask.paths:
        top = path.split(".", 1)[0]
        if top not in allowed:
            raise InvalidArgument(
                f"{resource}.{path} cannot be updated",
                violations=(
                    FieldViolation(
                        "update_mask", f"{path!r} is not one of {', '.join(sorted(allowed))}"
                    ),
                ),
            )
        if top not in paths:
            paths.append(top)
    return paths
