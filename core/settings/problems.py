"""Settings that do not validate, said as an operator reads them: one line naming each environment variable,
what is wrong with its value and what is allowed (`settings_problem`). Values of secrets (keys, passwords,
tokens, URLs that may carry a password) are never repeated."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import SettingsError

from core.settings.variables import PREFIX, field_at, model_of

# a location with one of these parts holds a secret or may carry one: its value is never shown
SECRET = re.compile(r"secret|password|token|key|url|uri", re.IGNORECASE)
_NUMBER_ERRORS = {"int_parsing", "int_type", "int_from_float", "float_parsing", "float_type",
                  "greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def settings_problem(exc: ValidationError | SettingsError, model: type[BaseModel],
                     environ: Mapping[str, str], said: frozenset[str] = frozenset()) -> str:
    """One line for everything wrong with the settings read from `environ` into `model`, leaving out the
    variables in `said` (already reported: `empty_variables`)."""
    if isinstance(exc, SettingsError):
        return _unparsed(exc, environ, model)
    errors = [error for error in exc.errors() if _spelt(error) not in said]  # ESCALATION_SERVER__PROT: said
    lines = [_one(error, model) for error in errors]
    return "; ".join(line for line in lines if line.split(":", 1)[0].split(" ", 1)[0] not in said)


def _spelt(error: Mapping[str, Any]) -> str:
    """The variable that would have set an error's location (an unknown key: the misspelt variable)."""
    return PREFIX + "__".join(str(part) for part in error["loc"]).upper()


def _one(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    loc = [part for part in error["loc"] if isinstance(part, str | int)]
    name, inner = _variable(loc, model)
    given = error.get("input")
    field = field_at(loc, model)
    if error["type"] in _NUMBER_ERRORS and field is not None:
        problem = f"{_shown(given, loc)}: give {_allowed_number(field)}"
    elif error["type"] in ("bool_parsing", "bool_type"):
        problem = f"{_shown(given, loc)}: give true or false"
    elif error["type"] == "extra_forbidden" and loc:
        problem = _unknown_key(str(loc[-1]), _model_at(loc[:-1], model))
    elif error["type"] == "string_pattern_mismatch" and field is not None and field.description:
        problem = f"{_shown(given, loc)}: should be {field.description}"  # the pattern, said in words
    elif error["type"] == "missing":
        problem = "is required but not set"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
        message = message.replace("Input should be", "should be")
        problem = message if error["type"] == "value_error" else f"{_shown(given, loc)}: {message}"
    where = f" ({inner})" if inner else ""
    return f"{name}{where}: {problem}" if loc else problem  # a check across sections: it names its variables


def _variable(loc: list[str | int], model: type[BaseModel]) -> tuple[str, str]:
    """The variable setting a location, and the part inside its JSON value (api_keys[0].role)."""
    if loc and isinstance(loc[0], str) and loc[0].startswith(PREFIX):  # an aliased top-level setting
        return loc[0], ""
    names: list[str] = []
    current: type[BaseModel] | None = model
    for i, part in enumerate(loc):
        fields = current.model_fields if current is not None else {}
        if not isinstance(part, str) or part not in fields:
            return PREFIX + "__".join(names).upper(), _inner(loc[i:])
        names.append(part)
        current = model_of(fields[part])
    return PREFIX + "__".join(names).upper(), ""


def _unknown_key(key: str, section: type[BaseModel] | None) -> str:
    known = list(section.model_fields) if section is not None else []
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(known)}"
    return f"{key[:40]!r} is not a setting here; {hint}"


def _model_at(loc: list[str | int], model: type[BaseModel]) -> type[BaseModel] | None:
    """The section a location leads to; an index (a list's entry) stays in its list's section."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = model_of(current.model_fields[part])
    return current


def _inner(rest: list[str | int]) -> str:
    out = ""
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _allowed_number(field: FieldInfo) -> str:
    kinds = getattr(field.annotation, "__args__", None) or (field.annotation,)
    words = {Ge: ("at least", "ge"), Gt: ("above", "gt"), Le: ("at most", "le"), Lt: ("below", "lt")}
    bounds = [f"{words[type(rule)][0]} {_number(getattr(rule, words[type(rule)][1]))}"
              for rule in field.metadata if type(rule) in words]
    kind = "a whole number" if int in kinds and float not in kinds else "a number"
    none = ", or null for none" if type(None) in kinds else ""
    return ", ".join([kind, " and ".join(bounds)]).strip(", ") + none


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value}"


def _shown(given: object, loc: list[str | int]) -> str:
    named = [part for part in loc if isinstance(part, str)]
    if named and SECRET.search(named[-1]):
        return "the value (not shown)"
    if given is None:
        return "null"
    if isinstance(given, str) and not given.strip():
        return "an empty value"
    if isinstance(given, str | int | float | bool) and len(repr(given)) <= 80:
        return repr(given)
    return "the value"


def _unparsed(exc: SettingsError, environ: Mapping[str, str], model: type[BaseModel]) -> str:
    """pydantic-settings could not read a list or mapping setting as JSON; name the variable that holds it."""
    found = re.search(r'field "([^"]+)"', str(exc))
    stem = PREFIX + (found.group(1).upper() if found else "")
    example = ("list and mapping settings are JSON, e.g. '[\"agent_workload\", \"other\"]' or "
               "'{\"billing\": 50}'")
    for name in sorted(environ):
        if not (name == stem or name.startswith(stem + "__")) or not _structured(name, model):
            continue
        try:
            json.loads(environ[name])
        except ValueError as bad:
            detail = f"{bad.msg} at character {bad.pos}" if isinstance(bad, json.JSONDecodeError) else "?"
            return f"{name}: the value is not valid JSON ({detail}); {example}"
    return f"{stem}: a value could not be read; {example}"


def _structured(name: str, model: type[BaseModel]) -> bool:
    """Whether the variable `name` sets a list, a mapping or a section (read as JSON)."""
    loc: list[str | int] = [part.lower() for part in name.removeprefix(PREFIX).split("__")]
    field = field_at(loc, model)
    if field is None:
        return False
    kinds = getattr(field.annotation, "__args__", None) or (field.annotation,)
    origins = {getattr(kind, "__origin__", None) for kind in (field.annotation, *kinds)}
    return bool(origins & {list, dict}) or model_of(field) is not None
