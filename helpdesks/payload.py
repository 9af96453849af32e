"""Reading a helpdesk's raw JSON with the path of every value, so that a value that cannot be mapped is
reported where it sits in the vendor's payload (`detail.via.channel`), never as a crash."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import EscalationError

SHOWN = 60  # characters of a bad value quoted in an error message


class HelpdeskError(EscalationError):
    """Something a helpdesk sent that cannot be used."""


class PayloadError(HelpdeskError):
    """A payload (or export record) that cannot be mapped; `path` names the value in the vendor's JSON."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path or "body"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class SignatureError(HelpdeskError):
    """A webhook whose signature or shared secret is missing or wrong."""


def parse_json(body: bytes) -> Any:
    """The request body as JSON; a body that is not JSON is a PayloadError at `body`."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _not_json(exc)
    except RecursionError:
        raise PayloadError(
            "body", "nests too deeply to read; send the helpdesk's JSON payload as documented") from None
    except ValueError:  # the only other: an integer past Python's limit on digits (int_max_str_digits)
        raise PayloadError("body", f"holds a number of more than {sys.get_int_max_str_digits()} digits; send "
                           "the helpdesk's JSON payload as documented") from None


def _not_json(exc: ValueError) -> Any:
    where = f" (line {exc.lineno} column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
    raise PayloadError("body", f"is not JSON{where}; send the helpdesk's JSON payload as documented")


@dataclass(frozen=True, slots=True)
class Node:
    """A value of the vendor's JSON and its path; a missing key reads as None, so optional fields chain."""

    value: Any
    path: str = ""

    def __getitem__(self, key: str | int) -> Node:
        if isinstance(key, int):
            value = self.value[key] if isinstance(self.value, list) and -len(self.value) <= key < len(
                self.value) else None
            return Node(value, f"{self.path}[{key}]")
        value = self.value.get(key) if isinstance(self.value, dict) else None
        return Node(value, f"{self.path}.{key}" if self.path else key)

    @property
    def missing(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    def error(self, problem: str) -> PayloadError:
        return PayloadError(self.path, problem)

    def required(self, how: str | None = None) -> Node:
        """The node, or a PayloadError when it is missing; `how`: what to do about it, where the key's absence
        means the webhook was set up another way than documented."""
        if self.missing:
            raise self.error(f"is missing: {how}" if how else "is missing; the payload must carry it")
        return self

    def text(self) -> str:
        """A non-blank text; numbers are written as text (ids)."""
        value = self.required().value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(f"expected text, got {_shown(value)}")
        return str(value).strip()

    def optional_text(self) -> str | None:
        return None if self.missing else self.text()

    def ident(self) -> str:
        """An id the vendor numbers (123, "123") or names: text without spaces or '/'."""
        value = self.text()
        if not value or any(c.isspace() or c == "/" for c in value):
            raise self.error(f"{_shown(value)} is not an id")
        return value

    def ticket_number(self) -> str:
        """A ticket id as the three helpdesks number them: a positive whole number (123, or "123" as a
        template sends it), written without leading zeros. A NaN, 1.5, -5 or 0 would make a ticket no helpdesk
        holds (freshdesk-nan), which write-back could never reach."""
        value = self.required().value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return str(value)
        text = value.strip() if isinstance(value, str) else ""
        if text.isascii() and text.isdigit() and text.strip("0"):
            return text.lstrip("0")
        raise self.error(f"{_shown(value)} is not an id; a ticket id is a positive whole number "
                         '(123 or "123")')

    def flag(self, default: bool = False) -> bool:
        value = self.value
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise self.error(f"expected true or false, got {_shown(value)}")

    def instant(self) -> datetime:
        """An ISO 8601 instant with its offset (Z, +01:00); nanoseconds are cut to microseconds."""
        text = self.text()
        try:
            parsed = datetime.fromisoformat(_micro(text))
        except ValueError:
            raise self.error(f"{_shown(text)} is not an ISO 8601 instant such as 2026-05-04T09:13:27Z") \
                from None
        if parsed.tzinfo is None:
            raise self.error(f"{_shown(text)} has no time zone; give it as UTC (Z) or with an offset")
        return parsed

    def items(self) -> Iterator[Node]:
        if self.value is None:
            return
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, got {_shown(self.value)}")
        for i in range(len(self.value)):
            yield self[i]

    def is_object(self) -> bool:
        return isinstance(self.value, dict)


def _micro(text: str) -> str:
    """'2019-05-25T01:23:45.465719851Z' -> '2019-05-25T01:23:45.465719+00:00': Python reads six digits."""
    text = text.replace("Z", "+00:00").replace("z", "+00:00")
    if "." not in text:
        return text
    head, _, tail = text.partition(".")
    digits = len(tail) - len(tail.lstrip("0123456789"))
    return f"{head}.{tail[:min(digits, 6)].ljust(6, '0')}{tail[digits:]}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"
