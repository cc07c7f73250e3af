"""The gRPC contract seen as JSON: JSON Schema (2020-12, as OpenAPI 3.1 uses) of its messages.

Field behaviour comes from the contract's `google.api.field_behavior` annotations: an
OUTPUT_ONLY field is read-only (a request that sets it is refused), a REQUIRED one is required
when creating; `google.api.field_info` marks ids as UUIDs. Descriptions come from the
contract's comments, kept in the descriptor set `make protos` writes. JSON is protobuf's
canonical JSON mapping with the proto field names (snake_case).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any, Literal

from google.api import field_behavior_pb2, field_info_pb2
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

Mode = Literal["output", "create", "patch"]

PAGE_SIZE_FIELD = "page_size"

_SUFFIX = {"output": "", "create": "Input", "patch": "Patch"}
_INT32 = (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SFIXED32)
_UINT32 = (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_FIXED32)
_INT64 = (
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_SFIXED64,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_FIXED64,
)
_WELL_KNOWN: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?s$"},
    "google.protobuf.FieldMask": {"type": "string"},
}


@cache
def comments() -> dict[str, str]:
    """Leading comments of the contract's messages, fields, enums and methods, by full name."""
    raw = (files("twoins.v1") / "contract.binpb").read_bytes()
    descriptor_set = descriptor_pb2.FileDescriptorSet.FromString(raw)
    found: dict[str, str] = {}
    for file in descriptor_set.file:
        names = _location_names(file)
        for location in file.source_code_info.location:
            name = names.get(tuple(location.path))
            if name and location.leading_comments.strip():
                found[name] = " ".join(location.leading_comments.split())
    return found


def _location_names(file: descriptor_pb2.FileDescriptorProto) -> dict[tuple[int, ...], str]:
    """Source locations (paths of field numbers in FileDescriptorProto) to full names."""
    names: dict[tuple[int, ...], str] = {}

    def messages(items: Any, prefix: str, path: tuple[int, ...], field_number: int) -> None:
        for index, message in enumerate(items):
            full = f"{prefix}.{message.name}"
            here = (*path, field_number, index)
            names[here] = full
            for field_index, field in enumerate(message.field):
                names[(*here, 2, field_index)] = f"{full}.{field.name}"
            messages(message.nested_type, full, here, 3)
            enums(message.enum_type, full, here, 4)

    def enums(items: Any, prefix: str, path: tuple[int, ...], field_number: int) -> None:
        for index, enum in enumerate(items):
            names[(*path, field_number, index)] = f"{prefix}.{enum.name}"

    messages(file.message_type, file.package, (), 4)
    enums(file.enum_type, file.package, (), 5)
    for index, service in enumerate(file.service):
        full = f"{file.package}.{service.name}"
        names[(6, index)] = full
        for method_index, method in enumerate(service.method):
            names[(6, index, 2, method_index)] = f"{full}.{method.name}"
    return names


def description(full_name: str) -> str:
    return comments().get(full_name, "")


def field_behaviours(field: FieldDescriptor) -> frozenset[int]:
    return frozenset(field.GetOptions().Extensions[field_behavior_pb2.field_behavior])


def is_output_only(field: FieldDescriptor) -> bool:
    return field_behavior_pb2.OUTPUT_ONLY in field_behaviours(field)


def is_required(field: FieldDescriptor) -> bool:
    return field_behavior_pb2.REQUIRED in field_behaviours(field)


def is_uuid(field: FieldDescriptor) -> bool:
    info = field.GetOptions().Extensions[field_info_pb2.field_info]
    return bool(info.format == field_info_pb2.FieldInfo.UUID4)


def schema_name(message: Descriptor, mode: Mode) -> str:
    return message.name + _SUFFIX[mode]


class SchemaRegistry:
    """Builds component schemas on demand; `components` holds every schema referenced so far."""

    def __init__(self) -> None:
        self.components: dict[str, dict[str, Any]] = {}

    def ref(self, message: Descriptor, mode: Mode) -> dict[str, Any]:
        if message.full_name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[message.full_name])
        name = schema_name(message, mode)
        if name not in self.components:
            self.components[name] = {}  # placeholder: messages may refer to themselves
            self.components[name] = self.message_schema(message, mode)
        return {"$ref": f"#/components/schemas/{name}"}

    def message_schema(self, message: Descriptor, mode: Mode) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in message.fields:
            output_only = is_output_only(field)
            if mode != "output" and output_only:
                continue
            property_schema = self.field_schema(field, "create" if mode == "patch" else mode)
            text = description(field.full_name)
            if text and "$ref" in property_schema:
                property_schema = {"allOf": [property_schema], "description": text}
            elif text:
                property_schema = {**property_schema, "description": text}
            if mode == "output" and output_only:
                property_schema = {**property_schema, "readOnly": True}
            properties[field.name] = property_schema
            if (mode == "create" and is_required(field)) or (
                mode == "output" and _always_printed(field)
            ):
                required.append(field.name)
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        text = description(message.full_name)
        if text:
            schema["description"] = text
        if required:
            schema["required"] = required
        return schema

    def field_schema(self, field: FieldDescriptor, mode: Mode) -> dict[str, Any]:
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value = field.message_type.fields_by_name["value"]
            return {"type": "object", "additionalProperties": self._single(value, mode)}
        single = self._single(field, mode)
        if field.is_repeated:
            return {"type": "array", "items": single}
        return single

    def _single(self, field: FieldDescriptor, mode: Mode) -> dict[str, Any]:
        kind = field.type
        if field.message_type is not None:
            return self.ref(field.message_type, mode)
        if field.enum_type is not None:
            return enum_schema(field.enum_type, include_unspecified=mode == "output")
        if kind == FieldDescriptor.TYPE_STRING:
            if is_uuid(field):
                return {"type": "string", "format": "uuid"}
            return {"type": "string"}
        if kind == FieldDescriptor.TYPE_BOOL:
            return {"type": "boolean"}
        if kind in _INT32:
            # AIP-158: a page size is never negative.
            low = 0 if field.name == PAGE_SIZE_FIELD else -(2**31)
            return {"type": "integer", "minimum": low, "maximum": 2**31 - 1}
        if kind in _UINT32:
            return {"type": "integer", "minimum": 0, "maximum": 2**32 - 1}
        if kind in _INT64:
            # Canonical JSON writes 64-bit integers as strings; both are read, in range (a
            # string of up to 18 digits always is).
            if mode == "output":
                return {"type": "string", "pattern": r"^-?[0-9]+$"}
            unsigned = kind in (FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64)
            return {
                "type": ["integer", "string"],
                "pattern": r"^[0-9]{1,18}$" if unsigned else r"^-?[0-9]{1,18}$",
                "minimum": 0 if unsigned else -(2**63),
                "maximum": 2**64 - 1 if unsigned else 2**63 - 1,
            }
        if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
            return {"type": "number"}
        if kind == FieldDescriptor.TYPE_BYTES:
            return {"type": "string", "contentEncoding": "base64"}
        raise ValueError(f"no JSON schema for field {field.full_name}")


def enum_schema(enum: EnumDescriptor, *, include_unspecified: bool) -> dict[str, Any]:
    values = [
        value.name
        for value in enum.values
        if include_unspecified or not value.name.endswith("_UNSPECIFIED")
    ]
    schema: dict[str, Any] = {"type": "string", "enum": values}
    text = description(enum.full_name)
    if text:
        schema["description"] = text
    return schema


def _always_printed(field: FieldDescriptor) -> bool:
    """Fields the JSON of a message always has (no presence: scalars, enums, lists)."""
    return field.is_repeated or (
        field.type != FieldDescriptor.TYPE_MESSAGE and not field.has_presence
    )
