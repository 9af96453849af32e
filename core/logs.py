"""Logging, configured once at process start (`configure_logging`, called by the `escalation` command and by
each server worker): one handler on the root logger, level and format from settings.logging, text or JSON
lines. Log lines carry ids, counts, kinds and versions; never message text, customer data, keys or SQL
parameters (docs/api.md, "Logs"). Tracebacks are written without the exception's message, which may embed
input values (pydantic and SQLAlchemy errors do): its type and frames locate the fault."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import IO, TextIO

from core.settings import LoggingSettings

# Libraries whose INFO/DEBUG lines would carry what must not be logged: httpx logs each request's full URL
# (webhook URLs often carry tokens), SQLAlchemy's engine logs statements with their parameters. And one that
# only adds noise: alembic lists its plugins at every migration.
QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "sqlalchemy.engine": logging.WARNING,
         "sqlalchemy.pool": logging.WARNING, "alembic.runtime.plugins": logging.WARNING}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class _Ours(logging.StreamHandler[TextIO]):
    """The handler `configure_logging` installs; a second call replaces it rather than adding another."""


def configure_logging(settings: LoggingSettings, stream: IO[str] | None = None) -> logging.Handler:
    """Send every logger's records at `settings.level` or above to `stream` (stderr by default), as text or
    JSON lines. Idempotent: the handler of an earlier call is replaced; others' handlers are left alone."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Ours)]:
        root.removeHandler(handler)
    handler = _Ours(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(JsonFormatter() if settings.format == "json" else TextFormatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.level)
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
    return handler


def safe_traceback(exc_info: ExcInfo) -> str:
    """The traceback's frames and each exception's type (chained causes too), never their messages."""
    lines: list[str] = []
    exc: BaseException | None = exc_info[1]
    seen: set[int] = set()
    chain: list[BaseException] = []
    while exc is not None and id(exc) not in seen:  # outermost first, as collected
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    for i, link in enumerate(reversed(chain)):  # the root cause first, as Python prints it
        if i:
            lines.append("\nThe above exception led to the following:\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(traceback.extract_tb(link.__traceback__)))
        lines.append(f"{exception_name(link)} (message withheld: it may hold data)\n")
    return "".join(lines).rstrip("\n")


def exception_name(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        # `record.exc_text` is not used: another handler may have cached the full traceback there
        if record.exc_info and record.exc_info[1] is not None:
            line += "\n" + safe_traceback(record.exc_info)  # type: ignore[arg-type]
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message; `exception` with a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            data["exception"] = safe_traceback(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(data, ensure_ascii=False)
