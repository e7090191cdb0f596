"""Structured JSON logs carrying the request id, instansi and subject of the current call."""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from typing import Any

from kinerja_kit.context import current_principal, current_request_id, current_tenant

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields given to the logger are kept."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id:
            data["request_id"] = request_id
        principal = current_principal.get()
        tenant = current_tenant.get()
        if tenant is not None:
            data["instansi_id"] = str(tenant)
        elif principal is not None:
            data["instansi_id"] = str(principal.tenant_id)
        if principal is not None:
            data["subject"] = principal.subject
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                data[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(service: str, level: str = "INFO", json_format: bool = True) -> None:
    """Configures the root logger once per process."""
    handler = logging.StreamHandler(sys.stderr)
    if json_format:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(logging.Formatter(f"%(asctime)s {service} %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("kafka", "aiokafka", "urllib3", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def redacted_traceback(exc: BaseException) -> str:
    """The exception chain's types and frames without its messages: a database error's message quotes
    the values of the request (names, NIPs), and the trace id finds the rest."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        frames = traceback.format_list(traceback.extract_tb(current.__traceback__))
        lines = [f"{kind.__module__}.{kind.__qualname__}\n", *frames, *lines]
        current = current.__cause__ or current.__context__
    return "".join(lines).rstrip()
