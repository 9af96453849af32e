"""Settings that do not validate, said as an operator reads them: one line naming each environment variable,
what is wrong with its value and what is allowed (`settings_problem`). Values of secrets (keys, passwords,
tokens, URLs that may carry a password) are never repeated."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import SettingsError

PREFIX = "ESCALATION_"
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


def unknown_variables(model: type[BaseModel], environ: Mapping[str, str], aliases: set[str]) -> list[str]:
    """Each `ESCALATION_*` variable that names no setting (a misspelt one would be ignored, and its default
    used: ESCALATION_DATABSE_URL would leave every instance on its own SQLite file), with the closest name."""
    known, open_ended = _names(model, PREFIX)
    known |= aliases
    problems = []
    for name in sorted(environ):
        upper = name.upper()  # the settings read names in any case
        if not upper.startswith(PREFIX) or upper in known or upper.startswith(open_ended):
            continue
        stems = sorted(known_name.removeprefix(PREFIX) for known_name in known)  # the prefix is no hint
        close = difflib.get_close_matches(upper.removeprefix(PREFIX), stems, n=1, cutoff=0.75)
        hint = f"did you mean {PREFIX}{close[0]}?" if close else "the README's 'Configuration' lists them"
        problems.append(f"{name} is not a setting; {hint}")
    return problems


def empty_variables(model: type[BaseModel], environ: Mapping[str, str]) -> list[str]:
    """Each `ESCALATION_*` variable set to nothing (or blanks) where the setting would take it as a value: an
    empty host listens on every interface, an empty path is the working folder, an empty secret signs with
    no key (a helpdesk's webhook secret: anyone could sign a webhook). Usually a variable meant to be unset
    (`ESCALATION_SERVER__HOST=$HOST` with HOST unset). Settings whose pattern admits nothing are left alone;
    numbers, flags and lists already refuse an empty value."""
    problems = []
    foreign = _foreign_aliases(model)  # MLFLOW_TRACKING_URI: MLflow's own name of a setting
    for name in sorted(environ):
        upper = name.upper()
        if not (upper.startswith(PREFIX) or name in foreign) or environ[name].strip():
            continue
        loc = [foreign[name]] if name in foreign else upper.removeprefix(PREFIX).split("__")
        field = _field([part.lower() for part in loc], model)
        if field is None or not _takes_text(field) or _admits_nothing(field):
            continue
        problems.append(f"{name} is empty; give a value, or unset it to use the default")
    return problems


def _foreign_aliases(model: type[BaseModel]) -> dict[str, str]:
    """Other programs' variables a top-level setting also reads (MLFLOW_TRACKING_URI), by the setting."""
    found = {}
    for field_name, field in model.model_fields.items():
        choices = getattr(field.validation_alias, "choices", [])
        found |= {alias: field_name for alias in choices
                  if isinstance(alias, str) and not alias.startswith(PREFIX)}
    return found


def _takes_text(field: FieldInfo) -> bool:
    kinds = getattr(field.annotation, "__args__", None) or (field.annotation,)
    return any(isinstance(kind, type) and issubclass(kind, str | PurePath | SecretStr) for kind in kinds)


def _admits_nothing(field: FieldInfo) -> bool:
    patterns = [getattr(rule, "pattern", None) for rule in field.metadata]
    return any(isinstance(pattern, str) and re.fullmatch(pattern, "") for pattern in patterns)


def _names(model: type[BaseModel], prefix: str) -> tuple[set[str], tuple[str, ...]]:
    """Every variable name of `model`'s settings, and the prefixes of mappings (any key may follow)."""
    names: set[str] = set()
    open_ended: list[str] = []
    for field_name, field in model.model_fields.items():
        name = prefix + field_name.upper()
        names.add(name)
        section = _model_of(field)
        listed = getattr(field.annotation, "__origin__", None) is list  # one JSON list: no variable an entry
        if section is not None and not listed:
            inner, inner_open = _names(section, name + "__")
            names |= inner
            open_ended += inner_open
        kinds = getattr(field.annotation, "__args__", None) or (field.annotation,)
        if dict in {getattr(kind, "__origin__", None) for kind in (field.annotation, *kinds)}:
            open_ended.append(name + "__")
    return names, tuple(open_ended)


def _one(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    loc = [part for part in error["loc"] if isinstance(part, str | int)]
    name, inner = _variable(loc, model)
    given = error.get("input")
    field = _field(loc, model)
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
        current = _model_of(fields[part])
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
        current = _model_of(current.model_fields[part])
    return current


def _inner(rest: list[str | int]) -> str:
    out = ""
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_of(field: FieldInfo) -> type[BaseModel] | None:
    annotation = field.annotation
    candidates = getattr(annotation, "__args__", None) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _field(loc: list[str | int], model: type[BaseModel]) -> FieldInfo | None:
    current: type[BaseModel] | None = model
    field: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):  # a list's entry: its fields are the entry's section's
            continue
        if current is None or part not in current.model_fields:
            return None
        field = current.model_fields[part]
        current = _model_of(field)
    return field


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
    field = _field(loc, model)
    if field is None:
        return False
    kinds = getattr(field.annotation, "__args__", None) or (field.annotation,)
    origins = {getattr(kind, "__origin__", None) for kind in (field.annotation, *kinds)}
    return bool(origins & {list, dict}) or _model_of(field) is not None
