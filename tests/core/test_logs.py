"""core.logs: the one handler, text and JSON lines, the level, quiet libraries, and tracebacks that never
carry the exception's message (which may embed customer text)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable

import pytest

from core.logs import configure_logging
from core.settings import LoggingSettings, Settings

LogOutput = Callable[..., io.StringIO]
BODY = "my card number is 4111 1111 1111 1111"


def fail_with_body() -> None:
    try:
        raise KeyError(BODY)
    except KeyError as exc:
        raise ValueError(f"could not store {BODY!r}") from exc


def test_text_lines_at_the_configured_level(log_output: LogOutput) -> None:
    out = log_output(level="warning")
    logging.getLogger("serving.test").info("delivery %d sent", 7)
    logging.getLogger("serving.test").warning("delivery %d failed", 8)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].endswith(" WARNING serving.test: delivery 8 failed")


def test_json_lines_hold_time_level_logger_message(log_output: LogOutput) -> None:
    out = log_output(format="json")
    logging.getLogger("serving.outbox").info("delivery %d: %s", 3, "action")
    logging.getLogger("serving").debug("not at INFO")
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert set(record) == {"time", "level", "logger", "message"}
    assert (record["level"], record["logger"]) == ("INFO", "serving.outbox")
    assert record["message"] == "delivery 3: action"
    assert record["time"].endswith("+00:00")


def test_tracebacks_name_types_and_frames_never_the_message(log_output: LogOutput) -> None:
    for format in ("text", "json"):
        out = log_output(format=format)
        try:
            fail_with_body()
        except ValueError:
            logging.getLogger("serving").exception("step failed")
        written = out.getvalue()
        assert "4111" not in written and "card number" not in written
        assert "ValueError (message withheld" in written and "KeyError (message withheld" in written
        assert "fail_with_body" in written  # the frame that failed


def test_a_second_call_replaces_the_handler(log_output: LogOutput) -> None:
    first = log_output()
    second = log_output()
    logging.getLogger("serving").info("once")
    assert first.getvalue() == "" and second.getvalue().count("once") == 1


def test_libraries_that_log_urls_or_sql_parameters_are_held_at_warning(log_output: LogOutput) -> None:
    out = log_output(level="DEBUG")
    logging.getLogger("httpx").info("HTTP Request: POST https://hooks.example/T0K3N")
    logging.getLogger("sqlalchemy.engine.Engine").info("[generated] ('%s',)", BODY)
    logging.getLogger("serving").debug("debug lines pass at DEBUG")
    assert out.getvalue().splitlines()[-1].endswith("debug lines pass at DEBUG")
    assert "T0K3N" not in out.getvalue() and "4111" not in out.getvalue()


def test_logging_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_LOGGING__LEVEL", "debug")
    monkeypatch.setenv("ESCALATION_LOGGING__FORMAT", "json")
    assert Settings().logging == LoggingSettings(level="DEBUG", format="json")


def test_configure_logging_writes_to_stderr_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    handler = configure_logging(LoggingSettings())
    try:
        logging.getLogger("serving").info("to stderr")
    finally:
        root.removeHandler(handler)
        root.setLevel(before[1])
    assert "INFO serving: to stderr" in capsys.readouterr().err
