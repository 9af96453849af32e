"""The limits of every value the project accepts, in one home: ids, names, texts, money, integer ids and extra
fields. Each is an annotated type that checks the value (the error names the limit; pydantic names the field)
and states the limit in the JSON schema, so the OpenAPI document tells generated clients. The store columns
are made for these limits (String(200) ids and names, BIGINT ids), and the same request is refused the same
way on SQLite and PostgreSQL, before anything is stored.

Rows stored before a limit existed are read back with the context `STORED`: the checks are skipped for them,
so a ticket accepted once keeps loading (limits guard the way in, not what is already kept)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

ID_MAX = 200  # ticket, event, customer ids: String(200) columns, and a path segment of the URL
NAME_MAX = 200  # team, assignee, tier, product, category, author: String(200) columns or the like
SUBJECT_MAX = 1_000
NOTE_MAX = 2_000  # an event's reason, a feedback comment, a root cause's note
BODY_MAX = 100_000  # a message's body; settings.serving.max_text_chars may only lower it
VALUE_MAX = 1e12  # customer_value, in the contract's currency
EVENTS_MAX = 1_000  # events in one request; settings.serving.max_events may only lower it
BIGINT_END = 2**63  # integer ids, offsets and limits are BIGINT: 0 <= x < 2^63
EXTRA_DEPTH = 5  # nesting of one extra field's value (a scalar is depth 0)
EXTRA_VALUES = 1_000  # scalars, lists and objects in all extra fields of one ticket or event
EXTRA_TEXT_MAX = 1_000  # one string (or key) inside extra fields
# Counts a command line or a setting gives: more is a typo or a unit mistake, not a wish
SERVER_WORKERS_MAX = 64  # `escalation serve` processes (each loads the models and opens its own pool)
SERVER_THREADS_MAX = 256  # requests one server process works on at once
FEATURE_WORKERS_MAX = 256  # `escalation train --workers`: local processes that build the features
EXPORT_BATCH_MAX = 100_000  # `escalation export-history --batch`: tickets read at once (default 500)
RESAMPLES_MAX = 100_000  # compare-models' bootstrap (default 1,000): one PR-AUC pair a resample
ENCODER_BATCH_MAX = 1_024  # texts a sentence encoder embeds at once (train-sentiment --batch-size)
HEAD_HIDDEN_MAX = 4_096  # ReLUs of a sentiment head's network (train-sentiment --hidden; the packaged: 256)
# One file of a ticket history, as text (a .gz uncompressed, a Parquet file's columns): loading it takes about
# ten times that in memory (measured on the sample: 9 MB of files, 100 MB), and a training ~20 times
HISTORY_FILE_MAX_BYTES = 512 * 1024**2  # about two million events
# A duration a setting gives (a timeout, a poll, a cooldown, a session): at most a year in its unit. More is a
# unit mistake, and past ~1e11 days timedelta, sleep and socket timeouts overflow at first use.
YEAR_S = 31_622_400
YEAR_MINUTES = 527_040
YEAR_HOURS = 8_784
YEAR_DAYS = 366

ID_CHARACTERS = "A-Z a-z 0-9 . _ : @ + ~ -"
# No '/' (a path segment), no '%' or space (percent-encoding), no '.'-first id ('.' and '..' are path steps)
ID_PATTERN = r"^[A-Za-z0-9_:@+~-][A-Za-z0-9._:@+~-]*$"
_ID = re.compile(ID_PATTERN)

STORED: dict[str, bool] = {"stored": True}  # validation context of rows read back from the store


@dataclass(frozen=True, slots=True)
class Bound:
    """Annotated metadata: `check(value)` returns what is wrong (None when the value is within bounds), and
    `schema` is merged into the field's JSON schema."""

    check: Callable[[Any], str | None]
    schema: tuple[tuple[str, Any], ...] = ()  # pairs, not a dict: Annotated metadata must hash

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.with_info_after_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out.update(dict(self.schema))
        return out

    def _validate(self, value: Any, info: ValidationInfo) -> Any:
        if value is None or is_stored(info):
            return value
        problem = self.check(value)
        if problem is not None:
            raise PydanticCustomError("out_of_bounds", "{problem}", {"problem": problem})
        return value


def is_stored(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and bool(info.context.get("stored"))


def text_problem(value: str) -> str | None:
    """NUL (PostgreSQL's text refuses it) or a lone surrogate (no character; UTF-8 cannot encode it)."""
    nul = value.find("\x00")
    if nul >= 0:
        return f"holds a NUL character (U+0000) at position {nul}; texts may not contain NUL"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"holds a lone surrogate (U+{ord(value[exc.start]):04X}) at position {exc.start}, which is no "
            "character; send text as valid UTF-8 (or JSON escapes in surrogate pairs)"
        )
    return None


def _length_problem(value: str, min_length: int, max_length: int) -> str | None:
    if len(value) > max_length:
        return f"{len(value)} characters; at most {max_length} are accepted"
    if len(value) < min_length:
        return f"may not be empty (at least {min_length} character)"
    return None


def _text_check(min_length: int, max_length: int) -> Callable[[Any], str | None]:
    def check(value: str) -> str | None:
        return _length_problem(value, min_length, max_length) or text_problem(value)

    return check


def _name_check(min_length: int, max_length: int) -> Callable[[Any], str | None]:
    """A name or an id that is not blank: white space alone names nobody (a blank customer_id would make
    every such ticket one customer's). With `min_length` 0, "" (none: unassigned) stays allowed."""
    text_check = _text_check(min_length, max_length)
    none = ', or "" or null for none' if min_length == 0 else ""

    def check(value: str) -> str | None:
        if value and not value.strip():
            return f"{value!r} is blank; send a value other than white space{none}"
        return text_check(value)

    return check


def name_bound(max_length: int, min_length: int = 0) -> Bound:
    """`text_bound` for names and ids: also refuses a value of white space only."""
    schema = (("minLength", min_length),) if min_length else ()
    return Bound(_name_check(min_length, max_length), (*schema, ("maxLength", max_length)))


def _id_problem(value: str) -> str | None:
    too_long = _length_problem(value, 1, ID_MAX)
    if too_long or _ID.fullmatch(value):  # fullmatch: `$` alone also matches before a trailing newline
        return too_long
    if value.startswith("."):
        return f"{value[:20]!r} starts with '.'; an id may not ('.' and '..' are path steps, not ids)"
    if "\ufffd" in value:
        return ("holds U+FFFD, what a bad percent-encoding (such as %ff) decodes to; ids are "
                f"{ID_MAX} characters at most of {ID_CHARACTERS}")
    bad = next(c for c in value if not _ID.fullmatch("a" + c))
    return (f"holds {bad!r} at position {value.index(bad)}; ids are 1 to {ID_MAX} characters of "
            f"{ID_CHARACTERS}, not starting with '.'")


def text_bound(max_length: int, min_length: int = 0) -> Bound:
    """A string of `min_length` to `max_length` characters, without NUL or lone surrogates."""
    schema = (("minLength", min_length),) if min_length else ()
    return Bound(_text_check(min_length, max_length), (*schema, ("maxLength", max_length)))


def _value_problem(value: float) -> str | None:
    if not math.isfinite(value):
        return f"{value} is not a finite number; send a number between 0 and {VALUE_MAX:.0e}"
    if not 0 <= value <= VALUE_MAX:
        return f"{value} is out of range; a value lies between 0 and {VALUE_MAX:.0e}"
    return None


Id = Annotated[str, Bound(_id_problem, (("minLength", 1), ("maxLength", ID_MAX), ("pattern", ID_PATTERN)))]
# an event's or a customer's id: never a path segment, so any text a helpdesk's export holds ("ACME Corp",
# "zd/123#4"), bounded like a column
Key = Annotated[str, name_bound(ID_MAX, 1)]
Name = Annotated[str, name_bound(NAME_MAX, 1)]
OptionalName = Annotated[str, name_bound(NAME_MAX)]  # may be empty: unassigned, an author without an id
Subject = Annotated[str, text_bound(SUBJECT_MAX)]
Note = Annotated[str, text_bound(NOTE_MAX)]
Body = Annotated[str, text_bound(BODY_MAX)]
Money = Annotated[float, Bound(_value_problem, (("minimum", 0), ("maximum", VALUE_MAX)))]
BigId = Annotated[int, Field(ge=0, lt=BIGINT_END)]


# the extra fields' checks, made once: they run for every value of every event
_EXTRA_NAME = _text_check(1, NAME_MAX)
_EXTRA_KEY = _text_check(1, EXTRA_TEXT_MAX)
_EXTRA_TEXT = _text_check(0, EXTRA_TEXT_MAX)


def extras_problem(extras: Mapping[str, Any] | None) -> str | None:
    """Extra fields (custom columns) as JSON values of bounded depth and size; texts as any other text.
    Returns 'field: problem' for the first extra field out of bounds."""
    walk = _ExtrasWalk()
    for name, value in (extras or {}).items():
        problem = _EXTRA_NAME(name) or walk.problem(value, 0)
        if problem is not None:
            return f"{name[:40]!r}: {problem}"
    return None


class _ExtrasWalk:
    """One walk over a request's extra fields, counting the values it has seen. A class, not a recursive
    closure: a nested function that calls itself is a reference cycle, left for the garbage collector at
    every call (every event of every request), and those cycles set how often a server process stops to
    collect (docs/api.md, "Under mixed load")."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def problem(self, value: Any, depth: int) -> str | None:
        self.count += 1
        if self.count > EXTRA_VALUES:
            return f"more than {EXTRA_VALUES} values in the extra fields; send fewer"
        if depth > EXTRA_DEPTH:
            return f"nested deeper than {EXTRA_DEPTH} levels; extra fields nest {EXTRA_DEPTH} deep at most"
        if isinstance(value, str):
            return _EXTRA_TEXT(value)
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, int):
            return None if -BIGINT_END <= value < BIGINT_END else f"{value} is outside -2^63 to 2^63 - 1"
        if isinstance(value, float):
            return None if math.isfinite(value) else f"{value} is not a finite number"
        if not isinstance(value, dict | list):
            return f"a {type(value).__name__} is no JSON value"
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and (problem := _EXTRA_KEY(key)):
                return f"key {key[:20]!r}: {problem}"
            if problem := self.problem(item, depth + 1):
                return problem
        return None
