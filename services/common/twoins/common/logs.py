"""Structured logging: one JSON object per line in production, readable lines in development."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

#: Request id of the call being served, set by the servers' interceptors.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_STANDARD_ATTRIBUTES = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key, value in record.__dict__.items() if key not in _STANDARD_ATTRIBUTES}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str, region: str) -> None:
        super().__init__()
        self._static = {"service": service, "region": region}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **self._static,
        }
        if request_id := request_id_var.get():
            entry["request_id"] = request_id
        entry.update(_extra_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class ReadableFormatter(logging.Formatter):
    def __init__(self, service: str, region: str) -> None:
        super().__init__()
        self._prefix = f"{service}[{region}]" if region else service

    def format(self, record: logging.LogRecord) -> str:
        time = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = _extra_fields(record)
        if request_id := request_id_var.get():
            fields["request_id"] = request_id
        suffix = " ".join(f"{key}={value}" for key, value in fields.items())
        line = f"{time} {record.levelname:<7} {self._prefix} {record.getMessage()}"
        if suffix:
            line = f"{line}  {suffix}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


def configure_logging(
    service: str, region: str = "", *, json_lines: bool, level: str = "INFO"
) -> None:
    """Sends every log record to standard error in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    formatter_class = JsonFormatter if json_lines else ReadableFormatter
    handler.setFormatter(formatter_class(service, region))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Alembic narrates every migration step at INFO; its warnings are what operators need.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
